from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import permissions, services
from .models import NotificationLog


@admin.register(NotificationLog)
class NotificationLogAdmin(admin.ModelAdmin):
    """The log of every notification: read-only, filterable, with an audited resend."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "status",
        "period",
        "attempts",
        "sent_at",
        "read_at",
    ]
    list_filter = ["status", "kind", "created_at", "sent_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__full_name", "period"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [
        "recipient",
        "kind",
        "object_type",
        "object_id",
        "period",
        "context",
        "status",
        "sweep",
        "created_at",
        "next_attempt_at",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
        "forced",
        "read_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Resend selected notifications now"))
    def resend(self, request, queryset):
        if not permissions.can_resend(request.user):
            raise PermissionDenied
        count = 0
        for log in queryset:
            services.notification_resend(log=log, actor=request.user)
            count += 1
        self.message_user(
            request,
            _("%(n)d notifications will be sent again.") % {"n": count},
            messages.SUCCESS,
        )
