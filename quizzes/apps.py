from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from accounts.personal_data import register_personal_data
        from courses.completion import register_completion_rule

        from . import signals
        from .selectors import attempts_personal_data, required_quizzes_passed

        signals.connect()

        register_completion_rule(required_quizzes_passed)
        # Attempts and answers stay on erasure: regrading and completion statistics need them.
        register_personal_data("quiz_attempts", export=attempts_personal_data)
