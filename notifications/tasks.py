from celery import shared_task
from django.db import OperationalError

from . import services
from .kinds import Kind


@shared_task(
    name="notifications.sweep",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def sweep(kinds: list[str] | None = None) -> dict:
    """Find the reminders due now, log each once, queue the sending in batches."""
    result = services.notifications_sweep(kinds=kinds)
    return {"inserted": result.inserted, "recipients": result.recipients}


@shared_task(
    name="notifications.send_hr_digest",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def send_hr_digest() -> dict:
    """The weekly digest for HR officers; the hourly sweep also sends it to anyone whose
    window was closed when this ran."""
    result = services.notifications_sweep(kinds=[Kind.HR_DIGEST])
    return {"inserted": result.inserted, "recipients": result.recipients}


@shared_task(
    name="notifications.send_batch",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def send_batch(recipient_ids: list[int]) -> dict:
    """Send each of these people (at most 100) one message with what waits for them."""
    result = services.notifications_send(recipient_ids=[int(pk) for pk in recipient_ids])
    return {"messages": result.messages, "failed": result.failed, "retry": result.retry}
