"""The quiz-side authoring services: validation of rules and choices, ordering, and the
refusals that keep submitted attempts as they were."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import AuditEvent
from courses.authoring import AuthoringError
from quizzes import authoring
from quizzes import services as quiz_services
from quizzes.models import Question, QuestionKind, Quiz
from tests.factories import EnrollmentFactory, ModuleFactory, UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The reasons are checked in English whatever language an earlier test left active.
    with translation.override("en"):
        yield


@pytest.fixture
def course():
    return course_with_lessons()


def test_quiz_create_appends_and_validates_its_rules(course):
    first = authoring.quiz_create(course=course, title="Final")
    second = authoring.quiz_create(course=course, title="Final 2", pass_mark=80)

    assert (first.position, second.position) == (1, 2)
    assert first.is_final_exam
    with pytest.raises(ValidationError) as error:
        authoring.quiz_create(course=course, title="Bad", pass_mark=140, time_limit_minutes=0)
    assert {"pass_mark", "time_limit_minutes"} <= set(error.value.message_dict)
    with pytest.raises(TypeError):
        authoring.quiz_create(course=course, title="Bad", colour="red")
    assert Quiz.objects.filter(course=course).count() == 2


def test_quiz_in_a_module_of_another_course_is_refused(course):
    with pytest.raises(AuthoringError):
        authoring.quiz_create(course=course, title="Check", module=ModuleFactory())


def test_quiz_update_changes_only_the_named_rules(course):
    quiz = authoring.quiz_create(course=course, title="Final")

    assert authoring.quiz_update(quiz=quiz, data={"pass_mark": 60, "title": "Final"}) == [
        "pass_mark"
    ]
    with pytest.raises(ValidationError):
        authoring.quiz_update(quiz=quiz, data={"attempt_limit": 0})


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        (QuestionKind.SINGLE, [("Only", True)], "two choices"),
        (QuestionKind.SINGLE, [("A", False), ("B", False)], "correct"),
        (QuestionKind.TRUE_FALSE, [("True", True), ("False", True)], "exactly one"),
        (QuestionKind.SHORT_TEXT, [("A", True), ("B", False)], "Only choice"),
    ],
)
def test_question_choices_are_checked(course, kind, choices, message):
    quiz = authoring.quiz_create(course=course, title="Final")

    with pytest.raises(AuthoringError, match=message):
        authoring.question_create(quiz=quiz, kind=kind, text="?", choices=choices)

    assert not quiz.questions.exists()


def test_question_create_with_choices_and_reorder(course):
    quiz = authoring.quiz_create(course=course, title="Final")
    first = authoring.question_create(
        quiz=quiz,
        kind=QuestionKind.MULTIPLE,
        text="Which are signatures?",
        choices=[("Qualified", True), ("Advanced", True), ("Scanned", False)],
        points=Decimal(2),
    )
    second = authoring.question_create(
        quiz=quiz,
        kind=QuestionKind.NUMERIC,
        text="How many?",
        numeric_answer=Decimal(3),
    )

    assert list(first.choices.values_list("text", "position")) == [
        ("Qualified", 1),
        ("Advanced", 2),
        ("Scanned", 3),
    ]
    assert authoring.question_move(question=second, step=-1)
    assert not authoring.question_move(question=second, step=-1)
    assert list(quiz.questions.values_list("pk", flat=True)) == [second.pk, first.pk]
    with pytest.raises(ValidationError):
        authoring.question_create(quiz=quiz, kind=QuestionKind.NUMERIC, text="?", points=0)


def test_an_answered_question_is_not_deleted_nor_its_choices_removed(course):
    quiz = authoring.quiz_create(course=course, title="Final", shuffle_choices=False)
    question = authoring.question_create(
        quiz=quiz, kind=QuestionKind.SINGLE, text="?", choices=[("A", True), ("B", False)]
    )
    enrollment = EnrollmentFactory(course=course)
    attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    correct = question.choices.get(is_correct=True)
    quiz_services.attempt_submit(attempt=attempt, data={f"q-{question.pk}": [str(correct.pk)]})
    trainer = UserFactory()

    with pytest.raises(AuthoringError):
        authoring.question_delete(question=question, actor=trainer)
    with pytest.raises(AuthoringError):
        authoring.choice_delete(choice=correct)
    with pytest.raises(AuthoringError):
        authoring.question_update(question=question, data={"kind": QuestionKind.MULTIPLE})
    with pytest.raises(AuthoringError):
        authoring.quiz_delete(quiz=quiz, actor=trainer)

    assert Question.objects.filter(pk=question.pk).exists()
    assert question.choices.count() == 2


def test_an_unanswered_question_is_deleted_and_audited(course):
    quiz = authoring.quiz_create(course=course, title="Final")
    question = authoring.question_create(
        quiz=quiz, kind=QuestionKind.SHORT_TEXT, text="?", accepted_answers=["x"]
    )

    authoring.question_delete(question=question, actor=None)
    authoring.quiz_delete(quiz=quiz, actor=None)

    assert AuditEvent.objects.filter(action="question.delete").exists()
    assert AuditEvent.objects.filter(action="quiz.delete").exists()
    assert not Quiz.objects.filter(pk=quiz.pk).exists()


def test_choices_can_be_added_and_changed(course):
    quiz = authoring.quiz_create(course=course, title="Final")
    question = authoring.question_create(
        quiz=quiz, kind=QuestionKind.SINGLE, text="?", choices=[("A", True), ("B", False)]
    )

    extra = authoring.choice_create(question=question, text="C")
    authoring.choice_update(choice=extra, text="C, reworded", is_correct=False)

    assert extra.position == 3
    assert question.choices.get(pk=extra.pk).text == "C, reworded"
    numeric = authoring.question_create(
        quiz=quiz, kind=QuestionKind.NUMERIC, text="?", numeric_answer=Decimal(1)
    )
    with pytest.raises(AuthoringError):
        authoring.choice_create(question=numeric, text="No")
