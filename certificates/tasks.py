from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="certificates.render",
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def render_certificate(certificate_id: int) -> str | None:
    """Render a pending certificate; a certificate already issued is left as it is."""
    certificate = services.certificate_issue(certificate_id=certificate_id)
    return certificate.status if certificate is not None else None


@shared_task(name="certificates.requeue_pending")
def requeue_pending() -> int:
    return services.certificates_requeue_pending()


@shared_task(name="certificates.start_recertification")
def start_recertification() -> int:
    return services.certificates_start_recertification()
