from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from jobs.registry import register_job_runner

        from . import exports

        register_job_runner(exports.EXPORT_KIND, exports.run_export_job, queue="reports")
