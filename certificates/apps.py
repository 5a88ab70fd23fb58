from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from courses.completion import register_completion_listener
        from courses.links import register_enrollment_links
        from jobs.registry import register_job_runner
        from notifications.registry import register_rule

        from . import bulk, notification_rules, selectors, services

        register_completion_listener(services.on_completion_change, carries_status=True)
        register_enrollment_links(selectors.certificate_links_for_enrollments)
        register_job_runner(bulk.ZIP_KIND, bulk.run_zip, queue="certificates")
        register_job_runner(bulk.RERENDER_KIND, bulk.run_rerender, queue="certificates")
        register_rule(notification_rules.CertificateIssuedRule())
        register_rule(notification_rules.CertificateExpiringRule())
