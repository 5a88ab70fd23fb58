"""The answer keys kept in the shared cache follow every change to a question or a choice."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes import answer_keys
from quizzes.models import Question, QuestionKind
from quizzes.services import attempt_start, attempt_submit
from tests.factories import EnrollmentFactory
from tests.quizzes.factories import (
    ChoiceFactory,
    QuestionFactory,
    QuizFactory,
    choice_question,
    correct_answers,
    quiz_with_every_kind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return quiz_with_every_kind(EnrollmentFactory().course)


def _enrolled(quiz):
    return EnrollmentFactory(course=quiz.course)


def test_the_keys_are_read_from_the_database_once(quiz):
    first = answer_keys.quiz_keys(quiz.pk)
    with CaptureQueriesContext(connection) as again:
        second = answer_keys.quiz_keys(quiz.pk)

    # The database cache (no REDIS_URL) answers in one query; the keys are not built again.
    assert not any("quizzes_" in q["sql"] for q in again.captured_queries)
    assert second == first
    assert [k.id for k in first.pool] == list(
        quiz.questions.order_by("position", "pk").values_list("pk", flat=True)
    )


def test_the_keys_agree_with_the_keys_built_from_the_models(quiz):
    from quizzes.services import question_key

    cached = answer_keys.quiz_keys(quiz.pk)

    assert cached.by_id == {q.pk: question_key(q) for q in quiz.questions.all()}
    for question in quiz.questions.all():
        assert list(cached.choice_order.get(question.pk, ())) == list(
            question.choices.order_by("position", "pk").values_list("pk", flat=True)
        )


def test_correcting_the_right_choice_changes_the_grade_of_the_next_submit():
    quiz = QuizFactory(course=EnrollmentFactory().course, pass_mark=100)
    question = choice_question(quiz, correct=(True, False, False))
    marked_right, actually_right, _other = question.choices.order_by("position")
    paper = {f"q-{question.pk}": [str(actually_right.pk)]}
    before, _ = attempt_submit(
        attempt=attempt_start(enrollment=_enrolled(quiz), quiz=quiz), data=paper
    )

    marked_right.is_correct, actually_right.is_correct = False, True
    marked_right.save()
    actually_right.save()
    after, _ = attempt_submit(
        attempt=attempt_start(enrollment=_enrolled(quiz), quiz=quiz), data=paper
    )

    assert (before.score, before.passed) == (0, False)
    assert (after.score, after.passed) == (1, True)


def test_changing_a_question_changes_the_grade(quiz):
    numeric = quiz.questions.get(kind=QuestionKind.NUMERIC)
    paper = correct_answers(quiz)
    answer_keys.quiz_keys(quiz.pk)  # cached before the change

    numeric.numeric_answer = Decimal(100)
    numeric.save()
    attempt, _ = attempt_submit(
        attempt=attempt_start(enrollment=_enrolled(quiz), quiz=quiz), data=paper
    )

    assert attempt.score == attempt.max_score - numeric.points


def test_a_question_added_later_is_drawn_and_a_deleted_one_is_not(quiz):
    answer_keys.quiz_keys(quiz.pk)
    added = QuestionFactory(quiz=quiz, kind=QuestionKind.SHORT_TEXT, accepted_answers=["x"])
    dropped = quiz.questions.filter(kind=QuestionKind.SINGLE).first()
    dropped.delete()

    attempt = attempt_start(enrollment=_enrolled(quiz), quiz=quiz)

    assert added.pk in attempt.question_ids
    assert dropped.pk not in attempt.question_ids


def test_a_choice_added_later_is_on_the_next_paper(quiz):
    question = quiz.questions.get(kind=QuestionKind.SINGLE)
    answer_keys.quiz_keys(quiz.pk)
    added = ChoiceFactory(question=question)

    attempt = attempt_start(enrollment=_enrolled(quiz), quiz=quiz)

    assert added.pk in attempt.choice_order[str(question.pk)]


def test_a_write_past_the_signals_is_caught_when_a_drawn_question_is_missing(quiz):
    """``bulk_create`` sends no signal; an attempt whose question the cached keys lack makes the
    submit read the keys again rather than skip the question."""
    answer_keys.quiz_keys(quiz.pk)
    (extra,) = Question.objects.bulk_create(
        [Question(quiz=quiz, kind=QuestionKind.SHORT_TEXT, text="Q?", accepted_answers=["da"])]
    )
    attempt = attempt_start(enrollment=_enrolled(quiz), quiz=quiz)
    attempt.question_ids = [*attempt.question_ids, extra.pk]
    attempt.save(update_fields=["question_ids"])

    submitted, _ = attempt_submit(
        attempt=attempt, data={**correct_answers(quiz), f"q-{extra.pk}": ["da"]}
    )

    assert submitted.score == submitted.max_score
    assert submitted.answers.get(question=extra).correct is True


def test_keys_changed_makes_every_entry_stale(quiz):
    stored = answer_keys.quiz_keys(quiz.pk)

    answer_keys.keys_changed()

    assert answer_keys.quiz_keys(quiz.pk).version != stored.version


def test_a_process_keeps_the_keys_it_used_while_their_version_stands(quiz):
    from django.core.cache import cache

    first = answer_keys.quiz_keys(quiz.pk)
    # Gone from the shared cache (evicted): this process still has them, current.
    cache.delete(answer_keys._entry_key(quiz.pk))
    with CaptureQueriesContext(connection) as again:
        second = answer_keys.quiz_keys(quiz.pk)

    assert second is first
    assert not any("quizzes_" in q["sql"] for q in again.captured_queries)


def test_a_change_made_in_another_process_replaces_this_process_copy(quiz):
    question = quiz.questions.order_by("pk").first()
    before = answer_keys.quiz_keys(quiz.pk).by_id[question.pk].points

    # Another process saved the question: the row and the shared version changed, not this
    # process's copy.
    Question.objects.filter(pk=question.pk).update(points=before + 7)
    answer_keys.keys_changed()

    assert answer_keys.quiz_keys(quiz.pk).by_id[question.pk].points == before + 7


def test_moving_a_question_in_the_editor_reorders_the_cached_pool(quiz):
    from quizzes.authoring import question_move

    before = [key.id for key in answer_keys.quiz_keys(quiz.pk).pool]
    moved = Question.objects.get(pk=before[1])
    assert question_move(question=moved, step=-1)

    after = [key.id for key in answer_keys.quiz_keys(quiz.pk).pool]
    assert after[:2] == [before[1], before[0]]


def test_reordering_the_questions_in_the_editor_reorders_the_cached_pool(quiz):
    from quizzes.authoring import question_reorder

    before = [key.id for key in answer_keys.quiz_keys(quiz.pk).pool]
    question_reorder(quiz=quiz, question_ids=before[::-1])

    assert [key.id for key in answer_keys.quiz_keys(quiz.pk).pool] == before[::-1]
