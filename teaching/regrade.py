"""Regrading a quiz from the editor as a background job: the trainer sees how many attempts
it touches, confirms, and the job page shows the progress. The grading itself is
``quizzes.services.quiz_regrade`` (in batches, each its own transaction; scores and
completions follow the new grades, issued certificates stay, overrides stand, audited as
``quiz.regrade``)."""

from dataclasses import dataclass

from django.db import transaction

from audit.services import audit_record
from jobs import services as job_services
from jobs.models import BackgroundJob
from quizzes import services as quiz_services
from quizzes.models import Attempt, AttemptStatus, Quiz

from . import permissions

REGRADE_KIND = "quizzes.regrade"
_FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


@dataclass(frozen=True)
class RegradeScope:
    attempts: int
    overridden: int
    learners: int


def regrade_scope(*, quiz: Quiz) -> RegradeScope:
    """What a regrade would touch: finished attempts, those whose overridden grade stands,
    and the learners whose completion may change."""
    finished = Attempt.objects.filter(quiz=quiz, status__in=_FINISHED)
    return RegradeScope(
        attempts=finished.count(),
        overridden=finished.filter(overridden_at__isnull=False).count(),
        learners=finished.values("enrollment").distinct().count(),
    )


def quiz_request_regrade(*, quiz: Quiz, requester) -> BackgroundJob:
    """Queue a regrade of ``quiz`` for a person who authors its course. Audited."""
    if not permissions.can_author_course(requester, quiz.course):
        raise PermissionError("not allowed")
    with transaction.atomic():
        job = job_services.job_create(
            kind=REGRADE_KIND, requester=requester, params={"quiz_id": quiz.pk}
        )
        audit_record(
            actor=requester, action="quiz.regrade_request", target=quiz, data={"job": job.pk}
        )
    return job


def run_regrade(job: BackgroundJob):
    """The job's runner: regrade once, as the person who asked, moving the job's progress after
    each batch of attempts commits. A quiz deleted since leaves nothing to do."""
    quiz = Quiz.objects.filter(pk=job.params.get("quiz_id")).select_related("course").first()
    if quiz is None:
        job_services.job_start(job=job, total=0)
        return None, {"attempts": 0, "changed": 0}

    def progress(done: int, total: int) -> None:
        if done == 0:
            job_services.job_start(job=job, total=total)
        else:
            job_services.job_advance(job=job, by=done - job.progress)

    outcome = quiz_services.quiz_regrade(quiz=quiz, actor=job.requester, progress=progress)
    return None, outcome
