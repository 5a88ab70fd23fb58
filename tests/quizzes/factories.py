"""Quiz factories. They live beside the quiz tests until they move into ``tests/factories.py``."""

from decimal import Decimal

import factory

from quizzes.models import Choice, PartialCredit, Question, QuestionKind, Quiz
from tests.factories import CourseFactory

# Accepted answers of the short-text question built by ``quiz_with_every_kind``: the Latin
# spelling and the Serbian Cyrillic one.
SHORT_TEXT_ANSWERS = ["Đorđe Vajfert", "Ђорђе Вајферт"]
NUMERIC_ANSWER = Decimal("3.5")
NUMERIC_TOLERANCE = Decimal("0.1")


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    course = factory.SubFactory(CourseFactory)
    module = None
    title = factory.Sequence(lambda n: f"Quiz {n}")
    position = factory.Sequence(lambda n: n)
    pass_mark = 70
    # The model shuffles choices by default; tests that want a shuffled paper ask for one, so
    # every other test can rely on the authored order.
    shuffle_choices = False


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n)
    points = Decimal(1)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False
    position = factory.Sequence(lambda n: n)


def choice_question(
    quiz: Quiz,
    *,
    correct: tuple[bool, ...] = (True, False, False),
    kind: str = QuestionKind.SINGLE,
    **question_kwargs,
) -> Question:
    """A choice question whose choices, in position order, are right where ``correct`` says."""
    question = QuestionFactory(quiz=quiz, kind=kind, **question_kwargs)
    for position, is_correct in enumerate(correct, start=1):
        ChoiceFactory(question=question, is_correct=is_correct, position=position)
    return question


def true_false_question(quiz: Quiz, *, true_is_correct: bool = True, **question_kwargs):
    question = QuestionFactory(quiz=quiz, kind=QuestionKind.TRUE_FALSE, **question_kwargs)
    ChoiceFactory(question=question, text="True", is_correct=true_is_correct, position=1)
    ChoiceFactory(question=question, text="False", is_correct=not true_is_correct, position=2)
    return question


def quiz_with_every_kind(course, **quiz_kwargs) -> Quiz:
    """A quiz worth 10 points with one question of each kind, in this order:

    1. single choice, 1 point, the first of three choices is right;
    2. multiple choice, 3 points, proportional, the first three of five choices are right;
    3. true/false, 1 point, "True" is right;
    4. short text, 2 points, accepting ``SHORT_TEXT_ANSWERS``;
    5. numeric, 3 points, ``NUMERIC_ANSWER`` give or take ``NUMERIC_TOLERANCE``.
    """
    quiz = QuizFactory(course=course, **quiz_kwargs)
    choice_question(quiz, position=1, points=Decimal(1), explanation="Only the first is right.")
    choice_question(
        quiz,
        kind=QuestionKind.MULTIPLE,
        correct=(True, True, True, False, False),
        partial_credit=PartialCredit.PROPORTIONAL,
        position=2,
        points=Decimal(3),
    )
    true_false_question(quiz, position=3, points=Decimal(1))
    QuestionFactory(
        quiz=quiz,
        kind=QuestionKind.SHORT_TEXT,
        accepted_answers=SHORT_TEXT_ANSWERS,
        position=4,
        points=Decimal(2),
    )
    QuestionFactory(
        quiz=quiz,
        kind=QuestionKind.NUMERIC,
        numeric_answer=NUMERIC_ANSWER,
        numeric_tolerance=NUMERIC_TOLERANCE,
        position=5,
        points=Decimal(3),
    )
    return quiz


def questions_of(quiz: Quiz) -> list[Question]:
    return list(quiz.questions.order_by("position", "pk"))


def choice_ids(question: Question, *, correct: bool | None = None) -> list[int]:
    """The question's choice ids in position order; only the right (or wrong) ones if asked."""
    choices = question.choices.order_by("position", "pk")
    if correct is not None:
        choices = choices.filter(is_correct=correct)
    return list(choices.values_list("pk", flat=True))


def correct_answers(quiz: Quiz) -> dict[str, list[str]]:
    """Form data answering every question of ``quiz`` right, as the attempt page posts it."""
    data = {}
    for question in questions_of(quiz):
        if question.has_choices:
            values = [str(pk) for pk in choice_ids(question, correct=True)]
        elif question.kind == QuestionKind.SHORT_TEXT:
            values = [question.accepted_answers[0]]
        else:
            values = [str(question.numeric_answer)]
        data[f"q-{question.pk}"] = values
    return data


def wrong_answers(quiz: Quiz) -> dict[str, list[str]]:
    """Form data answering every question of ``quiz`` wrong, worth no points at all."""
    data = {}
    for question in questions_of(quiz):
        if question.has_choices:
            values = [str(choice_ids(question, correct=False)[0])]
        elif question.kind == QuestionKind.SHORT_TEXT:
            values = ["a wrong answer"]
        else:
            values = [str(question.numeric_answer + 1000)]
        data[f"q-{question.pk}"] = values
    return data
