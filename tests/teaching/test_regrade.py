"""Regrading from the editor: a confirmation with the attempts it touches, then a background
job that regrades through the quiz service."""

from unittest import mock

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from jobs import services as job_services
from jobs.models import BackgroundJob, JobStatus
from quizzes import services as quiz_services
from teaching import regrade
from tests.factories import EnrollmentFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_question
from tests.teaching.conftest import privileged

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(trainer):
    course = course_with_lessons(trainers=[trainer])
    quiz = QuizFactory(course=course, pass_mark=100)
    question = choice_question(quiz, correct=(True, False))
    right, wrong = question.choices.order_by("position")
    for _ in range(2):
        attempt = quiz_services.attempt_start(
            enrollment=EnrollmentFactory(course=course), quiz=quiz
        )
        quiz_services.attempt_submit(attempt=attempt, data={f"q-{question.pk}": [str(wrong.pk)]})
    return quiz, right, wrong


def test_the_confirmation_says_what_the_regrade_touches(trainer_client, answered):
    quiz, _right, _wrong = answered

    response = trainer_client.get(reverse("teaching:quiz_regrade", args=[quiz.pk]))

    assert response.context["scope"] == regrade.RegradeScope(attempts=2, overridden=0, learners=2)
    assert "2 submitted attempts will be graded again" in response.text
    assert not BackgroundJob.objects.exists()


def test_confirming_runs_the_regrade_as_a_job(
    trainer_client, trainer, answered, django_capture_on_commit_callbacks
):
    quiz, right, wrong = answered
    # The trainer corrects the key: the second choice was the right one after all.
    right.is_correct, wrong.is_correct = False, True
    right.save()
    wrong.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(reverse("teaching:quiz_regrade", args=[quiz.pk]))

    job = BackgroundJob.objects.get(kind=regrade.REGRADE_KIND)
    assert response["Location"] == reverse("jobs:detail", args=[job.public_id])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.requester == trainer
    assert job.result_summary == {"attempts": 2, "changed": 2}
    assert all(a.passed for a in quiz.attempts.all())
    assert AuditEvent.objects.filter(action="quiz.regrade_request", actor=trainer).exists()
    assert AuditEvent.objects.filter(action="quiz.regrade", actor=trainer).exists()
    assert trainer_client.get(response["Location"]).status_code == 200


def test_another_trainer_cannot_regrade(client, answered):
    quiz, _right, _wrong = answered
    client.force_login(privileged("trainer"))

    assert client.post(reverse("teaching:quiz_regrade", args=[quiz.pk])).status_code == 404
    with pytest.raises(PermissionError):
        regrade.quiz_request_regrade(quiz=quiz, requester=privileged("trainer"))
    assert not BackgroundJob.objects.exists()


def test_the_job_progress_moves_after_each_batch(
    trainer_client, answered, settings, django_capture_on_commit_callbacks
):
    settings.LMS_REGRADE_BATCH_SIZE = 1
    quiz, _right, _wrong = answered
    seen = []
    real_advance = job_services.job_advance

    def advance(*, job, by=1):
        real_advance(job=job, by=by)
        job.refresh_from_db()
        seen.append((job.status, job.progress, job.total))

    with (
        mock.patch.object(job_services, "job_advance", advance),
        django_capture_on_commit_callbacks(execute=True),
    ):
        trainer_client.post(reverse("teaching:quiz_regrade", args=[quiz.pk]))

    assert seen == [(JobStatus.RUNNING, 1, 2), (JobStatus.RUNNING, 2, 2)]
    job = BackgroundJob.objects.get(kind=regrade.REGRADE_KIND)
    assert (job.status, job.progress, job.total) == (JobStatus.DONE, 2, 2)
