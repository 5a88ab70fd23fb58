"""A regrade confirmed in the workspace runs on a real Celery worker (``default`` queue, Redis,
PostgreSQL): the job finishes, the attempts carry the corrected grades and the learner's
enrolment completes; its progress moves batch by batch."""

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from courses.models import Enrollment, EnrollmentStatus
from courses.services import lesson_complete
from jobs.models import BackgroundJob, JobStatus
from quizzes import services as quiz_services
from quizzes.models import Attempt
from teaching.regrade import REGRADE_KIND
from tests.factories import EnrollmentFactory, UserFactory, course_with_lessons, give_totp
from tests.integration.workers import Workers, wait_for
from tests.quizzes.factories import QuizFactory, choice_question


@pytest.fixture
def workers(transactional_db):
    pool = Workers(queues="default")
    try:
        yield pool
    finally:
        pool.stop_all()


def test_a_regrade_job_runs_on_the_worker_and_completes_the_learner(workers):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    trainer = UserFactory(roles=[Role.TRAINER])
    give_totp(trainer)
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    quiz = QuizFactory(course=course, pass_mark=100)
    question = choice_question(quiz, correct=(True, False))
    right, wrong = question.choices.order_by("position")
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
    attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    quiz_services.attempt_submit(attempt=attempt, data={f"q-{question.pk}": [str(wrong.pk)]})
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.ACTIVE
    # The key was wrong: the learner's choice was the right one.
    right.is_correct, wrong.is_correct = False, True
    right.save()
    wrong.save()
    client = Client()
    client.force_login(trainer)
    workers.start("default-regrade")

    response = client.post(reverse("teaching:quiz_regrade", args=[quiz.pk]))

    job = BackgroundJob.objects.get(kind=REGRADE_KIND)
    assert response["Location"] == reverse("jobs:detail", args=[job.public_id])

    def finished():
        job.refresh_from_db()
        return job.status in (JobStatus.DONE, JobStatus.FAILED)

    assert wait_for(finished, timeout=120, workers=workers), job.status
    assert job.status == JobStatus.DONE, job.error
    assert job.result_summary == {"attempts": 1, "changed": 1}
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED


def _hold_lock(attempt_id: int, locked: threading.Event, release: threading.Event):
    """Lock one attempt's row on this thread's own connection until ``release`` is set."""
    try:
        with transaction.atomic():
            Attempt.objects.select_for_update().get(pk=attempt_id)
            locked.set()
            release.wait(timeout=180)
    finally:
        connection.close()


def test_the_job_shows_progress_between_batches(workers, monkeypatch):
    """One attempt a batch; the test holds the last attempt's row lock, so the worker stops
    before the last batch and the job row shows the batches done so far."""
    monkeypatch.setenv("LMS_REGRADE_BATCH_SIZE", "1")
    trainer = UserFactory(roles=[Role.TRAINER])
    give_totp(trainer)
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    quiz = QuizFactory(course=course, pass_mark=100)
    question = choice_question(quiz, correct=(True, False))
    right, wrong = question.choices.order_by("position")
    attempts = []
    for _ in range(3):
        enrollment = EnrollmentFactory(course=course)
        lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
        attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
        quiz_services.attempt_submit(attempt=attempt, data={f"q-{question.pk}": [str(wrong.pk)]})
        attempts.append(attempt)
    right.is_correct, wrong.is_correct = False, True
    right.save()
    wrong.save()
    client = Client()
    client.force_login(trainer)
    workers.start("default-regrade-batches")

    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(attempts[-1].pk, locked, release))
    holder.start()
    try:
        assert locked.wait(timeout=30)
        client.post(reverse("teaching:quiz_regrade", args=[quiz.pk]))
        job = BackgroundJob.objects.get(kind=REGRADE_KIND)

        def two_batches_done():
            job.refresh_from_db()
            return job.progress == 2

        assert wait_for(two_batches_done, timeout=120, workers=workers), job.progress
        assert (job.status, job.total) == (JobStatus.RUNNING, 3)
        assert Attempt.objects.get(pk=attempts[0].pk).passed is True
        assert Attempt.objects.get(pk=attempts[-1].pk).passed is False
    finally:
        release.set()
        holder.join(timeout=30)

    def finished():
        job.refresh_from_db()
        return job.status in (JobStatus.DONE, JobStatus.FAILED)

    assert wait_for(finished, timeout=120, workers=workers), job.status
    assert job.status == JobStatus.DONE, job.error
    assert (job.progress, job.result_summary) == (3, {"attempts": 3, "changed": 3})
    assert all(Attempt.objects.get(pk=a.pk).passed for a in attempts)
