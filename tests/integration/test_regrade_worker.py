"""A regrade confirmed in the workspace runs on a real Celery worker (``default`` queue, Redis,
PostgreSQL): the job finishes, the attempts carry the corrected grades and the learner's
enrolment completes."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from courses.models import Enrollment, EnrollmentStatus
from courses.services import lesson_complete
from jobs.models import BackgroundJob, JobStatus
from quizzes import services as quiz_services
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
