from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Certificate, CertificateTemplate, CourseCertificateSettings


class CertificateTemplateForm(forms.ModelForm):
    class Meta:
        model = CertificateTemplate
        fields = [
            "name",
            "is_default",
            "title",
            "organisation",
            "signatory1_name",
            "signatory1_title",
            "signatory1_image",
            "signatory2_name",
            "signatory2_title",
            "signatory2_image",
            "logo",
            "primary_colour",
            "accent_colour",
        ]

    def _get_validation_exclusions(self):
        # Making a template the default is allowed while another one is: the save service
        # moves the mark in the same transaction, so the one-default constraint still holds.
        return super()._get_validation_exclusions() | {"is_default"}


@admin.register(CertificateTemplate)
class CertificateTemplateAdmin(admin.ModelAdmin):
    form = CertificateTemplateForm
    list_display = ["name", "is_default", "organisation", "preview_link", "updated_at"]

    def save_model(self, request, obj, form, change):
        services.certificate_template_save(
            template=obj, actor=request.user, changed=list(form.changed_data)
        )

    def has_delete_permission(self, request, obj=None):
        # Issued certificates keep pointing at their template; a template is retired by
        # choosing another one for its courses.
        return False

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        url = reverse("certificates:template_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Sample PDF"))


@admin.register(CourseCertificateSettings)
class CourseCertificateSettingsAdmin(admin.ModelAdmin):
    list_display = ["course", "template"]

    def save_model(self, request, obj, form, change):
        services.course_set_certificate_template(
            course=obj.course, template=obj.template, actor=request.user
        )

    def delete_model(self, request, obj):
        services.course_set_certificate_template(
            course=obj.course, template=None, actor=request.user
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("course"):
            self.delete_model(request, obj)


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
