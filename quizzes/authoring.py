"""Authoring writes for quizzes, questions and choices.

Used by the admin, the demo seeding and (later) the trainer's quiz editor. Each write validates
the model first, runs in its own transaction, and deletions are audited. A question somebody
has answered is never deleted, and its choices are not removed: the submitted attempts point at
them, and a change to a quiz must not alter attempts already submitted (``AuthoringError``
explains the refusal). Grading and attempts stay in ``quizzes/services.py``.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from courses.authoring import AuthoringError
from courses.models import Course, Module
from courses.permissions import can_author_course

from .answer_keys import keys_changed
from .models import CHOICE_KINDS, Choice, Question, QuestionKind, Quiz

__all__ = [
    "AuthoringError",
    "choice_create",
    "choice_delete",
    "choice_update",
    "question_archive",
    "question_create",
    "question_delete",
    "question_ensure_deletable",
    "question_move",
    "question_reorder",
    "question_restore",
    "question_save",
    "question_update",
    "questions_import",
    "quiz_create",
    "quiz_delete",
    "quiz_ensure_deletable",
    "quiz_update",
]

QUIZ_FIELDS = (
    "module",
    "title",
    "instructions",
    "position",
    "pass_mark",
    "attempt_limit",
    "time_limit_minutes",
    "grading_policy",
    "questions_per_attempt",
    "shuffle_questions",
    "shuffle_choices",
    "review_policy",
    "required_for_completion",
)
QUESTION_FIELDS = (
    "kind",
    "text",
    "points",
    "explanation",
    "partial_credit",
    "accepted_answers",
    "numeric_answer",
    "numeric_tolerance",
)


def _apply(instance: models.Model, data: Mapping[str, Any], allowed: Sequence[str]) -> list[str]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def quiz_create(*, course: Course, title: str, module: Module | None = None, **settings) -> Quiz:
    """Add a quiz to ``course``: a knowledge check in ``module``, or the final exam when there
    is none. ``settings`` are the quiz's rules (QUIZ_FIELDS); without a position the quiz goes
    last."""
    _apply(Quiz(), settings, QUIZ_FIELDS)  # refuses unknown names before anything is written
    if module is not None and module.course_id != course.pk:
        raise AuthoringError(_("The module belongs to another course."))
    quiz = Quiz(course=course, module=module, title=title, **settings)
    with transaction.atomic():
        if "position" not in settings:
            top = Quiz.objects.filter(course=course, module=module).aggregate(top=Max("position"))[
                "top"
            ]
            quiz.position = (top or 0) + 1
        quiz.full_clean()
        quiz.save()
    return quiz


def quiz_update(*, quiz: Quiz, data: Mapping[str, Any]) -> list[str]:
    """Change a quiz's rules; attempts already submitted keep their grade until a regrade."""
    changed = _apply(quiz, data, QUIZ_FIELDS)
    if not changed:
        return []
    quiz.full_clean()
    with transaction.atomic():
        quiz.save(update_fields=[*changed, "course"] if "module" in changed else changed)
    return changed


def quiz_ensure_deletable(*, quiz: Quiz) -> None:
    """Raise AuthoringError when somebody has attempted ``quiz``."""
    if quiz.attempts.exists():
        raise AuthoringError(
            _(
                "Learners have taken this quiz, so it cannot be deleted. Make passing it "
                "optional instead."
            )
        )


def quiz_delete(*, quiz: Quiz, actor: User | None) -> None:
    """Delete a quiz nobody has attempted. Audited."""
    quiz_ensure_deletable(quiz=quiz)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="quiz.delete",
            target=quiz.course,
            data={"quiz": quiz.pk, "title": quiz.title},
        )
        quiz.delete()


def question_create(
    *,
    quiz: Quiz,
    kind: QuestionKind,
    text: str,
    points: Decimal = Decimal(1),
    choices: Sequence[tuple[str, bool]] = (),
    **fields,
) -> Question:
    """Add a question at the end of the quiz, with its choices as (text, correct) pairs.
    Choices given here must make a whole question: at least two, at least one correct, and
    exactly one for single-choice and true-or-false questions. With none, the choices are
    added afterwards (``choice_create``), as the admin's inline does."""
    _apply(Question(), fields, QUESTION_FIELDS)
    question = Question(quiz=quiz, kind=kind, text=text, points=points, **fields)
    if question.kind in CHOICE_KINDS:
        if choices:
            _check_choices(question.kind, choices)
    elif choices:
        raise AuthoringError(_("Only choice questions have choices."))
    with transaction.atomic():
        top = quiz.questions.aggregate(top=Max("position"))["top"] or 0
        question.position = top + 1
        question.full_clean()
        question.save()
        for position, (choice_text, correct) in enumerate(choices, start=1):
            choice = Choice(
                question=question, text=choice_text, is_correct=correct, position=position
            )
            choice.full_clean()
            choice.save()
    return question


def _check_choices(kind: str, choices: Sequence[tuple[str, bool]]) -> None:
    if len(choices) < 2:
        raise AuthoringError(_("A choice question needs at least two choices."))
    correct = sum(1 for _text, is_correct in choices if is_correct)
    if correct == 0:
        raise AuthoringError(_("Mark at least one choice as correct."))
    if kind in {QuestionKind.SINGLE, QuestionKind.TRUE_FALSE} and correct > 1:
        raise AuthoringError(_("This type of question has exactly one correct choice."))


def question_update(*, question: Question, data: Mapping[str, Any]) -> list[str]:
    """Change a question; attempts already submitted keep their grade until a regrade."""
    changed = _apply(question, data, QUESTION_FIELDS)
    if not changed:
        return []
    if "kind" in changed and question.answers.exists():
        raise AuthoringError(_("Learners have answered this question, so its type cannot change."))
    question.full_clean()
    with transaction.atomic():
        question.save(update_fields=changed)
    return changed


def question_save(
    *,
    quiz: Quiz,
    question: Question | None,
    data: Mapping[str, Any],
    choices: Sequence[tuple[int | None, str, bool]] = (),
) -> Question:
    """Create (``question`` None) or change a question together with its choices, given as
    (choice id or None for a new one, text, correct); an existing choice with empty text is
    removed. One transaction: when the resulting choices do not make a whole question (see
    ``question_create``), or a removal is refused, nothing is saved."""
    data = dict(data)
    with transaction.atomic():
        if question is None:
            kind, text = data.pop("kind"), data.pop("text")
            question = question_create(quiz=quiz, kind=kind, text=text, **data)
        else:
            question_update(question=question, data=data)
        if question.has_choices:
            existing = {c.pk: c for c in question.choices.all()}
            for pk, text, correct in choices:
                if pk is not None and pk not in existing:
                    raise AuthoringError(_("The list of choices is out of date; reload the page."))
                if pk is None:
                    if text:
                        choice_create(question=question, text=text, is_correct=correct)
                elif not text:
                    choice_delete(choice=existing[pk])
                elif (existing[pk].text, existing[pk].is_correct) != (text, correct):
                    choice_update(choice=existing[pk], text=text, is_correct=correct)
            problem = question_choice_problem(question=question)
            if problem:
                raise AuthoringError(problem)
        elif question.choices.exists():
            if question.answers.exists():
                raise AuthoringError(
                    _("Learners have answered this question, so its choices cannot be removed.")
                )
            question.choices.all().delete()
    return question


def _renumber_questions(ordered_ids: Sequence[int]) -> None:
    """Give the questions ``ordered_ids`` the positions 1, 2, ... in that order and make the
    cached answer keys and pools stale. The caller holds the rows' locks. (Questions have no
    unique position constraint, so one pass is enough.)"""
    for position, pk in enumerate(ordered_ids, start=1):
        Question.objects.filter(pk=pk).update(position=position)
    # QuerySet.update sends no signal; the cached pool holds the authored order.
    keys_changed()


def question_move(*, question: Question, step: int) -> bool:
    """Move a question one place up (-1) or down (+1) in its quiz."""
    with transaction.atomic():
        ids = list(
            Question.objects.select_for_update()
            .filter(quiz_id=question.quiz_id)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        index = ids.index(question.pk)
        target = index + step
        if not 0 <= target < len(ids):
            return False
        ids[index], ids[target] = ids[target], ids[index]
        _renumber_questions(ids)
    return True


def question_reorder(*, quiz: Quiz, question_ids: Sequence[int]) -> None:
    """Put the quiz's questions in the order ``question_ids`` gives (after a drag and drop); it
    must name each of them exactly once, so a stale page or another quiz's question changes
    nothing. Attempts already started keep the questions they drew."""
    with transaction.atomic():
        current = list(
            Question.objects.select_for_update(of=("self",))
            .filter(quiz=quiz)
            .values_list("pk", flat=True)
        )
        if sorted(current) != sorted(question_ids) or len(set(question_ids)) != len(question_ids):
            raise AuthoringError(_("The list of questions is out of date; reload the page."))
        _renumber_questions(list(question_ids))


def question_ensure_deletable(*, question: Question) -> None:
    """Raise AuthoringError when somebody has answered ``question``."""
    if question.answers.exists():
        raise AuthoringError(
            _(
                "Learners have answered this question, so it cannot be deleted without "
                "changing their attempts. Archive it instead: new attempts leave it out, and "
                "the attempts that had it keep it."
            )
        )


def question_delete(*, question: Question, actor: User | None) -> None:
    """Delete a question nobody has answered. Audited."""
    question_ensure_deletable(question=question)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="question.delete",
            target=question.quiz,
            data={"question": question.pk},
        )
        question.delete()


def _set_question_archived(*, question: Question, actor: User, archived: bool) -> bool:
    if not can_author_course(actor, question.quiz.course):
        raise PermissionDenied("Not an author of this course.")
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if (locked.archived_at is not None) == archived:
            question.archived_at = locked.archived_at
            return False
        question.archived_at = timezone.now() if archived else None
        # The save's signal makes the cached answer keys stale, now and after commit.
        question.save(update_fields=["archived_at"])
        audit_record(
            actor=actor,
            action="question.archive" if archived else "question.restore",
            target=question.quiz,
            data={"question": question.pk},
        )
    return True


def question_archive(*, question: Question, actor: User) -> bool:
    """Take a question out of the quiz's pool without deleting it: new attempts never draw it
    and the question count learners see leaves it out (a pool size larger than what is left
    draws every remaining question, as for any quiz with too few questions). Attempts that drew
    it keep it: they are graded, regraded and reviewed with it. Only the course's authors;
    audited. False when it was archived already."""
    return _set_question_archived(question=question, actor=actor, archived=True)


def question_restore(*, question: Question, actor: User) -> bool:
    """Put an archived question back in the pool, where it was. Audited; False when it was not
    archived."""
    return _set_question_archived(question=question, actor=actor, archived=False)


def questions_import(
    *, quiz: Quiz, questions: Sequence[Mapping[str, Any]], actor: User | None
) -> list[Question]:
    """Add questions, each given as the keyword arguments of ``question_create`` (kind, text,
    choices, points, ...), at the end of the quiz: all of them or, when one is refused, none.
    Audited as one import."""
    with transaction.atomic():
        created = [question_create(quiz=quiz, **dict(fields)) for fields in questions]
        if created:
            audit_record(
                actor=actor,
                action="quiz.import_questions",
                target=quiz,
                data={"questions": len(created)},
            )
    return created


def choice_create(*, question: Question, text: str, is_correct: bool = False) -> Choice:
    if not question.has_choices:
        raise AuthoringError(_("Only choice questions have choices."))
    with transaction.atomic():
        top = question.choices.aggregate(top=Max("position"))["top"] or 0
        choice = Choice(question=question, text=text, is_correct=is_correct, position=top + 1)
        choice.full_clean()
        choice.save()
    return choice


def choice_update(*, choice: Choice, text: str, is_correct: bool) -> Choice:
    """Reword a choice or change whether it is correct; a regrade applies the change to
    attempts already submitted."""
    choice.text, choice.is_correct = text, is_correct
    choice.full_clean()
    choice.save(update_fields=["text", "is_correct"])
    return choice


def question_choice_problem(*, question: Question) -> str | None:
    """What is wrong with the choices of a choice question, or None."""
    if not question.has_choices:
        return None
    try:
        _check_choices(question.kind, [(c.text, c.is_correct) for c in question.choices.all()])
    except AuthoringError as error:
        return str(error)
    return None


def choice_delete(*, choice: Choice) -> None:
    """Remove a choice from a question nobody has answered."""
    if choice.question.answers.exists():
        raise AuthoringError(
            _("Learners have answered this question, so its choices cannot be removed.")
        )
    choice.delete()
