from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from courses.events import register_assignment_listener

        from .registry import register_rule
        from .rules import builtin_rules
        from .services import enrollment_assigned_notify

        for rule in builtin_rules():
            register_rule(rule)
        register_assignment_listener(enrollment_assigned_notify)
