from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="courses.reevaluate_completions",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def reevaluate_completions(course_id: int) -> int:
    """Complete the active enrollments of a course that now meet its completion rule."""
    return services.course_reevaluate_completions(course_id=course_id)
