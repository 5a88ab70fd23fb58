from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses.completion import register_completion_rule

        from .selectors import required_quizzes_passed

        register_completion_rule(required_quizzes_passed)
