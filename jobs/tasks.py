from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="jobs.run",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def run_job(job_id: int) -> None:
    services.job_run(job_id=job_id)


@shared_task(name="jobs.delete_expired_results")
def delete_expired_results() -> int:
    return services.jobs_delete_expired_results()
