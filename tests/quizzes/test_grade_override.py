"""A trainer overrides the grade of a finished attempt; the override is audited and survives
regrading, and the course completion follows it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from courses.models import EnrollmentStatus
from quizzes import services
from quizzes.models import Attempt
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory, give_totp
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    trainer = UserFactory(roles=[Role.TRAINER])
    give_totp(trainer)
    return trainer


@pytest.fixture
def failed(trainer):
    """A failed attempt (0 of 2 points) at the only requirement of a course without lessons."""
    course = CourseFactory(trainers=[trainer])
    quiz = QuizFactory(course=course, pass_mark=50)
    first = choice_question(quiz)
    choice_question(quiz)
    enrollment = EnrollmentFactory(course=course)
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    wrong = first.choices.filter(is_correct=False).first()
    attempt, _saved = services.attempt_submit(
        attempt=attempt, data={f"q-{first.pk}": [str(wrong.pk)]}
    )
    assert (attempt.score, attempt.passed) == (Decimal("0.00"), False)
    return attempt


def _review_url(attempt, name="review"):
    return reverse(
        f"quizzes:{name}",
        kwargs={
            "slug": attempt.quiz.course.slug,
            "quiz_id": attempt.quiz_id,
            "attempt_id": attempt.pk,
        },
    )


def test_an_override_sets_the_score_and_passing_follows_the_pass_mark(failed, trainer):
    attempt = services.attempt_override_grade(
        attempt=failed, score=Decimal("1"), reason="Short answer marked by hand", actor=trainer
    )
    assert (attempt.score, attempt.percent, attempt.passed) == (
        Decimal("1.00"),
        Decimal("50.00"),
        True,
    )
    assert attempt.overridden_by == trainer
    assert attempt.override_reason == "Short answer marked by hand"


def test_a_passing_override_completes_the_course_and_a_failing_one_reopens_it(failed, trainer):
    services.attempt_override_grade(attempt=failed, score=Decimal("2"), reason="x", actor=trainer)
    failed.enrollment.refresh_from_db()
    assert failed.enrollment.status == EnrollmentStatus.COMPLETED
    services.attempt_override_grade(attempt=failed, score=Decimal("0.5"), reason="y", actor=trainer)
    failed.enrollment.refresh_from_db()
    assert failed.enrollment.status == EnrollmentStatus.ACTIVE


def test_an_override_is_audited(failed, trainer):
    services.attempt_override_grade(attempt=failed, score=Decimal("1"), reason="x", actor=trainer)
    event = AuditEvent.objects.get(action="attempt.grade_override")
    assert event.actor == trainer
    assert (event.target_type, event.target_id) == ("quizzes.attempt", str(failed.pk))
    assert event.data == {
        "old_score": "0.00",
        "new_score": "1.00",
        "old_passed": False,
        "new_passed": True,
    }


def test_regrading_keeps_the_override(failed, trainer):
    services.attempt_override_grade(attempt=failed, score=Decimal("2"), reason="x", actor=trainer)
    services.quiz_regrade(quiz=failed.quiz, actor=trainer)
    attempt = Attempt.objects.get(pk=failed.pk)
    assert (attempt.score, attempt.passed) == (Decimal("2.00"), True)
    regrade = AuditEvent.objects.get(action="quiz.regrade")
    assert regrade.data["kept_overrides"] == [failed.pk]


@pytest.mark.parametrize(
    ("score", "reason", "message"),
    [
        (Decimal("2.01"), "x", "between 0 and 2.00"),
        (Decimal("-1"), "x", "between 0 and 2.00"),
        (Decimal("1"), "   ", "Give a reason"),
    ],
)
def test_a_bad_override_is_refused_and_changes_nothing(failed, trainer, score, reason, message):
    with pytest.raises(services.QuizError, match=message):
        services.attempt_override_grade(attempt=failed, score=score, reason=reason, actor=trainer)
    attempt = Attempt.objects.get(pk=failed.pk)
    assert (attempt.score, attempt.overridden_at) == (Decimal("0.00"), None)
    assert not AuditEvent.objects.filter(action="attempt.grade_override").exists()


def test_an_open_attempt_cannot_be_overridden(trainer):
    course = CourseFactory(trainers=[trainer])
    quiz = QuizFactory(course=course)
    choice_question(quiz)
    attempt = services.attempt_start(enrollment=EnrollmentFactory(course=course), quiz=quiz)
    with pytest.raises(services.QuizError, match="submitted attempt"):
        services.attempt_override_grade(
            attempt=attempt, score=Decimal("1"), reason="x", actor=trainer
        )


def test_the_trainer_overrides_on_the_review_page(client, failed, trainer):
    client.force_login(trainer)
    page = client.get(_review_url(failed))
    assert page.status_code == 200
    assert "Override the grade" in page.text

    response = client.post(
        _review_url(failed, "override"), {"score": "1.5", "reason": "Marked by hand"}
    )
    assert response.status_code == 302
    assert response["Location"] == _review_url(failed)
    page = client.get(_review_url(failed))
    assert "Grade overridden by" in page.text
    assert "Marked by hand" in page.text
    assert Attempt.objects.get(pk=failed.pk).score == Decimal("1.50")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"score": "3", "reason": "x"}, "between 0 and 2.00"),
        ({"score": "abc", "reason": "x"}, "Enter a number"),
        ({"score": "1", "reason": ""}, "This field is required"),
        ({"score": "1", "reason": "bad\x00byte"}, "Null characters are not allowed"),
        ({"score": "1", "reason": "bell\x07"}, "control characters"),
        ({"score": "1", "reason": "x" * 501}, "at most 500 characters"),
    ],
)
def test_a_bad_form_re_renders_with_the_error_and_changes_nothing(
    client, failed, trainer, data, error
):
    client.force_login(trainer)
    response = client.post(_review_url(failed, "override"), data)
    assert response.status_code == 400
    assert error in response.text
    assert Attempt.objects.get(pk=failed.pk).overridden_at is None


def test_another_trainer_gets_404_and_changes_nothing(client, failed):
    other = UserFactory(roles=[Role.TRAINER])
    give_totp(other)
    client.force_login(other)
    response = client.post(_review_url(failed, "override"), {"score": "2", "reason": "x"})
    assert response.status_code == 404
    assert Attempt.objects.get(pk=failed.pk).overridden_at is None
