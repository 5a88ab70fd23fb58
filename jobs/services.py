"""Writes for background jobs: create and enqueue, advance, finish, fail, clean up."""

import datetime
import logging

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from .models import BackgroundJob, JobStatus
from .registry import job_kind

logger = logging.getLogger(__name__)

# How long a result file stays downloadable.
RESULT_LIFETIME = datetime.timedelta(days=2)


def job_create(*, kind: str, requester: User, params: dict | None = None) -> BackgroundJob:
    """Record a job for ``requester`` and run it on a worker once the transaction commits."""
    kind_spec = job_kind(kind)
    job = BackgroundJob.objects.create(kind=kind, requester=requester, params=params or {})
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.apply_async(args=[job.pk], queue=kind_spec.queue))
    return job


def job_start(*, job: BackgroundJob, total: int) -> BackgroundJob:
    job.status, job.total, job.progress = JobStatus.RUNNING, total, 0
    job.started_at = timezone.now()
    job.save(update_fields=["status", "total", "progress", "started_at"])
    return job


def job_advance(*, job: BackgroundJob, by: int = 1) -> None:
    """Count ``by`` more items done; one UPDATE, so the page sees it at once."""
    BackgroundJob.objects.filter(pk=job.pk).update(progress=F("progress") + by)
    job.progress += by


def job_finish(
    *, job: BackgroundJob, result: tuple[str, bytes | File] | None, summary: dict | None = None
) -> BackgroundJob:
    """Store the result (bytes, or an open file that is copied in chunks and then closed, for
    results too large to hold in memory) and mark the job done."""
    now = timezone.now()
    if result is not None:
        filename, content = result
        if isinstance(content, File):
            with content:
                job.result.save(filename, content, save=False)
        else:
            job.result.save(filename, ContentFile(content), save=False)
    job.status, job.finished_at = JobStatus.DONE, now
    job.progress = job.total
    job.expires_at = now + RESULT_LIFETIME
    job.result_summary = summary or {}
    job.save(
        update_fields=[
            "status",
            "finished_at",
            "progress",
            "expires_at",
            "result",
            "result_summary",
        ]
    )
    return job


def job_fail(*, job: BackgroundJob, error: str) -> BackgroundJob:
    job.status, job.error, job.finished_at = JobStatus.FAILED, error[:2000], timezone.now()
    job.expires_at = job.finished_at + RESULT_LIFETIME
    job.save(update_fields=["status", "error", "finished_at", "expires_at"])
    return job


def job_run(*, job_id: int) -> BackgroundJob | None:
    """Run a queued job once; a job already running, done or failed is left as it is, so a
    message delivered twice does the work once."""
    claimed = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = BackgroundJob.objects.get(pk=job_id)
    try:
        outcome = job_kind(job.kind).runner(job)
    except Exception as error:
        logger.exception("background job %s failed", job.public_id)
        return job_fail(job=job, error=f"{type(error).__name__}: {error}")
    result, summary = outcome if outcome is not None else (None, None)
    return job_finish(job=job, result=result, summary=summary)


def jobs_delete_expired_results(*, now: datetime.datetime | None = None) -> int:
    """Delete the result files of jobs past their expiry; the rows stay as history. Each job
    is handled on its own, so one storage error does not stop the sweep."""
    now = now or timezone.now()
    deleted = 0
    expired = BackgroundJob.objects.filter(expires_at__lte=now).exclude(result="")
    for job in expired.iterator():
        try:
            job.result.delete(save=False)
            BackgroundJob.objects.filter(pk=job.pk).update(result="")
            deleted += 1
        except OSError:
            logger.exception("could not delete the result of job %s", job.public_id)
    return deleted
