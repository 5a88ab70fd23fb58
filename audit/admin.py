from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


class ActorFilter(admin.SimpleListFilter):
    """Events by the people who acted (only people who have, however many users exist)."""

    title = _("actor")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        actor_ids = AuditEvent.objects.exclude(actor=None).values("actor_id").distinct()
        people = get_user_model().objects.filter(pk__in=actor_ids).order_by("email")
        return [("none", _("System"))] + [(str(p.pk), f"{p} <{p.email}>") for p in people]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(actor=None)
        if value and value.isascii() and value.isdecimal():
            return queryset.filter(actor_id=int(value))
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log, read-only: nobody adds, changes or deletes events here."""

    list_display = ["seq", "created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type", ActorFilter]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    search_fields = ["action", "target_id", "actor__email"]
    readonly_fields = [
        "seq",
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "data",
        "prev_hash",
        "hash",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
