"""Trying a quiz as a learner from the workspace: graded like an attempt, nothing recorded."""

import pytest
from django.urls import reverse

from quizzes import authoring as quiz_authoring
from quizzes.models import Answer, Attempt
from tests.factories import course_with_lessons
from tests.quizzes.factories import correct_answers, quiz_with_every_kind, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(trainer):
    return quiz_with_every_kind(course_with_lessons(trainers=[trainer]), pass_mark=70)


def test_the_preview_shows_every_question_without_the_answers(trainer_client, quiz):
    response = trainer_client.get(reverse("teaching:quiz_preview", args=[quiz.pk]))

    assert response.status_code == 200
    assert len(response.context["paper"]) == quiz.questions.count()
    assert "Correct answer:" not in response.text


def test_right_answers_pass_and_nothing_is_recorded(trainer_client, quiz):
    url = reverse("teaching:quiz_preview", args=[quiz.pk])

    response = trainer_client.post(url, {"seed": "7", **correct_answers(quiz)})

    result = response.context["result"]
    assert result.passed and result.score == result.max_score
    assert "Correct answer:" in response.text
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_wrong_and_malformed_answers_fail_with_messages_and_no_error(trainer_client, quiz):
    url = reverse("teaching:quiz_preview", args=[quiz.pk])
    answers = wrong_answers(quiz)
    numeric = quiz.questions.get(kind="numeric")
    single = quiz.questions.get(kind="single")
    answers[f"q-{numeric.pk}"] = ["about three"]
    answers[f"q-{single.pk}"] = ["999999", "abc"]

    response = trainer_client.post(url, {"seed": "not a number", **answers})

    assert response.status_code == 200
    assert not response.context["result"].passed
    paper = {q.id: q for q in response.context["paper"]}
    assert paper[numeric.pk].error and paper[single.pk].error
    assert not Attempt.objects.exists()


def test_the_preview_leaves_out_an_archived_question_as_a_new_attempt_would(
    trainer, trainer_client, quiz
):
    archived = quiz.questions.get(kind="numeric")
    quiz_authoring.question_archive(question=archived, actor=trainer)

    response = trainer_client.get(reverse("teaching:quiz_preview", args=[quiz.pk]))

    shown = {q.id for q in response.context["paper"]}
    assert archived.pk not in shown
    assert len(shown) == quiz.questions.count() - 1
