from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from accounts.personal_data import register_personal_data

        from . import signals
        from .selectors import enrollments_personal_data

        signals.connect()
        # Enrolments and progress are the training record: exported, and kept on erasure
        # (they point at the pseudonym).
        register_personal_data("enrollments", export=enrollments_personal_data)
