from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    """The trainer's workspace at /teach/: their courses, and authoring through the services
    of courses and quizzes."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "teaching"
    verbose_name = _("Teaching")

    def ready(self):
        from jobs.registry import register_job_runner

        from . import regrade

        register_job_runner(regrade.REGRADE_KIND, regrade.run_regrade, queue="default")
