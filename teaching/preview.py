"""Taking a quiz as a learner would, without recording anything: the paper is built from the
quiz's questions and graded by the same pure grader (``quizzes.grading``), and no attempt or
answer row is written."""

import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lms import boundary
from quizzes import grading
from quizzes import selectors as quiz_selectors
from quizzes.models import CHOICE_KINDS, Choice, Question, QuestionKind, Quiz
from quizzes.selectors import PaperQuestion
from quizzes.services import question_key

MAX_TEXT = 500


@dataclass
class PreviewQuestion(PaperQuestion):
    correct: bool | None = None
    points_scored: Decimal | None = None
    correct_texts: tuple[str, ...] = ()
    explanation: str = ""


def _questions(quiz: Quiz) -> list[Question]:
    return list(
        # As a new attempt would draw them: archived questions are left out.
        quiz.questions.filter(quiz_selectors.live_questions_filter())
        .order_by("position", "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
    )


def _parse(question: Question, values: list[str]) -> tuple[grading.Response, str]:
    """The response the grader reads, and a message when the input is not usable."""
    values = [value for value in values if value.strip()]
    if question.kind in CHOICE_KINDS:
        allowed = {choice.pk for choice in question.choices.all()}
        chosen = {boundary.parse_id(value) for value in values}
        if None in chosen or not chosen <= allowed:
            return grading.Response(), _("That is not one of this question's choices.")
        if question.kind != QuestionKind.MULTIPLE and len(chosen) > 1:
            return grading.Response(), _("Choose only one answer.")
        return grading.Response(choice_ids=frozenset(chosen)), ""
    text = values[0].strip()[:MAX_TEXT] if values else ""
    problem = boundary.text_problem(text, max_length=MAX_TEXT)
    if problem:
        return grading.Response(), problem
    if question.kind == QuestionKind.NUMERIC and text:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return grading.Response(text=text), _("Enter a number.")
        if not number.is_finite():
            return grading.Response(text=text), _("Enter a number.")
        return grading.Response(text=text, number=number), ""
    return grading.Response(text=text), ""


def quiz_preview(
    *, quiz: Quiz, data=None, seed: int = 0
) -> tuple[list[PreviewQuestion], grading.Result | None]:
    """The whole question pool as the learner's paper (choices shuffled as the quiz says,
    with ``seed`` so a re-post keeps the order) and, with ``data`` (a QueryDict of posted
    answers), the grade the answers would get. Nothing is saved."""
    rng = random.Random(seed)  # noqa: S311 - the order of choices, not a secret
    questions = _questions(quiz)
    paper, responses = [], {}
    for number, question in enumerate(questions, start=1):
        choices = [(c.pk, c.text) for c in question.choices.all()]
        if quiz.shuffle_choices:
            rng.shuffle(choices)
        values = data.getlist(f"q-{question.pk}") if data is not None else []
        response, error = _parse(question, values)
        responses[question.pk] = response
        paper.append(
            PreviewQuestion(
                id=question.pk,
                number=number,
                kind=question.kind,
                text=question.text,
                points=question.points,
                choices=choices,
                selected=set(response.choice_ids),
                text_answer=response.text,
                error=error,
                explanation=question.explanation,
                correct_texts=tuple(c.text for c in question.choices.all() if c.is_correct)
                or tuple(str(a) for a in question.accepted_answers or ())
                or (
                    (format(question.numeric_answer.normalize(), "f"),)
                    if question.numeric_answer is not None
                    else ()
                ),
            )
        )
    if data is None:
        return paper, None
    keys = [question_key(question) for question in questions]
    result = grading.grade(keys, responses, pass_mark=quiz.pass_mark)
    for item in paper:
        graded = result.questions[item.id]
        item.correct, item.points_scored = graded.correct, graded.points
    return paper, result
