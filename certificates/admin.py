from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificateTemplate, CourseCertificateSettings


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default", "organisation", "preview_link", "updated_at"]

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        url = reverse("certificates:template_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Sample PDF"))


@admin.register(CourseCertificateSettings)
class CourseCertificateSettingsAdmin(admin.ModelAdmin):
    list_display = ["course", "template"]
    autocomplete_fields = []


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: issuing, revocation and re-issue go through the certificate pages, which call
    the services that keep the rules and the audit log."""

    list_display = ["serial", "revision", "holder_name", "course_title", "status", "issued_at"]
    list_filter = ["status"]
    search_fields = ["serial", "holder_name", "code"]
    list_select_related = ["enrollment"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def view_on_site(self, obj):
        return reverse("certificates:detail", args=[obj.pk])
