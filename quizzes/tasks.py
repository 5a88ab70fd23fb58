from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="quizzes.close_expired_attempts",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def close_expired_attempts() -> int:
    """Grade attempts whose time ran out while the learner was away."""
    return services.attempts_close_expired()
