import random
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from courses.models import Enrollment, EnrollmentStatus, Lesson, LessonProgress
from courses.services import EnrollmentError, enrollment_withdraw, lesson_complete
from quizzes import services, tasks
from quizzes.models import Answer, Attempt, AttemptStatus, GradingPolicy, QuestionKind
from quizzes.selectors import counted_attempt
from quizzes.services import (
    QuizError,
    attempt_save,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
    quiz_regrade,
)
from tests.factories import EnrollmentFactory, UserFactory, course_with_lessons
from tests.quizzes.factories import (
    ChoiceFactory,
    QuestionFactory,
    QuizFactory,
    choice_ids,
    choice_question,
    correct_answers,
    questions_of,
    quiz_with_every_kind,
    true_false_question,
    wrong_answers,
)

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def course():
    """Published, with one required lesson."""
    return course_with_lessons(lessons_per_module=1, modules=1)


@pytest.fixture
def enrollment(learner, course):
    return EnrollmentFactory(user=learner, course=course)


@pytest.fixture
def quiz(course):
    """Ten points over one question of each kind, pass mark 70 %, no time limit."""
    return quiz_with_every_kind(course)


@pytest.fixture
def timed_quiz(course):
    return quiz_with_every_kind(course, time_limit_minutes=10)


def _stored(attempt: Attempt) -> Attempt:
    return Attempt.objects.get(pk=attempt.pk)


def _answers(attempt: Attempt) -> dict[int, Answer]:
    return {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}


def _finish_lessons(enrollment: Enrollment) -> None:
    for lesson in Lesson.objects.filter(course_id=enrollment.course_id):
        lesson_complete(enrollment=enrollment, lesson=lesson)


def _take(enrollment, quiz, data, *, now=None) -> Attempt:
    attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now)
    attempt, _saved = attempt_submit(attempt=attempt, data=data, now=now)
    return attempt


def _enrollment_status(enrollment: Enrollment) -> str:
    return Enrollment.objects.get(pk=enrollment.pk).status


# attempt_start


def test_starting_freezes_the_questions_and_their_choice_order(enrollment, quiz, now):
    attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now)

    stored = _stored(attempt)
    questions = questions_of(quiz)
    assert stored.question_ids == [q.pk for q in questions]
    assert stored.choice_order == {str(q.pk): choice_ids(q) for q in questions}
    assert (stored.number, stored.status) == (1, AttemptStatus.IN_PROGRESS)
    assert (stored.started_at, stored.deadline) == (now, None)
    assert stored.score is None


def test_a_time_limit_sets_the_deadline(enrollment, timed_quiz, now):
    attempt = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now)

    assert _stored(attempt).deadline == now + 10 * MINUTE


def test_starting_again_returns_the_open_attempt_with_the_same_paper(enrollment, quiz, now):
    quiz.shuffle_questions = quiz.shuffle_choices = True
    quiz.save()
    first = attempt_start(enrollment=enrollment, quiz=quiz, now=now, rng=random.Random(1))
    paper = (first.question_ids, first.choice_order)
    single = questions_of(quiz)[0]
    ChoiceFactory(question=single, position=0)
    QuestionFactory(quiz=quiz, position=0)

    again = attempt_start(enrollment=enrollment, quiz=quiz, now=now + MINUTE, rng=random.Random(2))

    stored = _stored(first)
    assert again.pk == first.pk
    assert (stored.question_ids, stored.choice_order) == paper
    assert (again.question_ids, again.choice_order) == paper
    assert stored.started_at == now
    assert Attempt.objects.filter(enrollment=enrollment).count() == 1


def test_a_quiz_draws_the_set_number_of_distinct_questions_from_its_pool(course, now):
    quiz = QuizFactory(course=course, questions_per_attempt=3)
    pool = [choice_question(quiz, position=n).pk for n in range(1, 7)]
    drawn = set()

    for seed in range(8):
        enrollment = EnrollmentFactory(course=course)
        attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now, rng=random.Random(seed))

        assert len(attempt.question_ids) == 3
        assert len(set(attempt.question_ids)) == 3
        # Without shuffling, the drawn questions keep the pool's order.
        assert attempt.question_ids == [pk for pk in pool if pk in attempt.question_ids]
        assert set(attempt.choice_order) == {str(pk) for pk in attempt.question_ids}
        drawn.update(attempt.question_ids)

    assert len(drawn) > 3, "every learner got the same questions"


def test_a_draw_larger_than_the_pool_takes_every_question(enrollment, course, now):
    quiz = QuizFactory(course=course, questions_per_attempt=5)
    pool = [choice_question(quiz, position=n).pk for n in range(1, 3)]

    attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now, rng=random.Random(0))

    assert attempt.question_ids == pool


def _shuffled_quiz(course):
    quiz = QuizFactory(course=course, shuffle_questions=True, shuffle_choices=True)
    for position in range(1, 7):
        choice_question(quiz, correct=(True, False, False, False, False), position=position)
    true_false_question(quiz, position=7)
    return quiz


def test_shuffling_mixes_questions_and_choices_but_leaves_true_and_false_in_place(course, now):
    quiz = _shuffled_quiz(course)
    questions = questions_of(quiz)
    *choice_questions, true_false = questions

    attempt = attempt_start(
        enrollment=EnrollmentFactory(course=course), quiz=quiz, now=now, rng=random.Random(7)
    )

    authored_order = [q.pk for q in questions]
    assert sorted(attempt.question_ids) == sorted(authored_order)
    assert attempt.question_ids != authored_order
    orders = {q.pk: attempt.choice_order[str(q.pk)] for q in choice_questions}
    assert all(sorted(orders[q.pk]) == choice_ids(q) for q in choice_questions)
    assert any(orders[q.pk] != choice_ids(q) for q in choice_questions)
    assert attempt.choice_order[str(true_false.pk)] == choice_ids(true_false)


def test_the_same_seed_deals_the_same_paper_and_another_seed_a_different_one(course, now):
    quiz = _shuffled_quiz(course)

    papers = [
        attempt_start(
            enrollment=EnrollmentFactory(course=course), quiz=quiz, now=now, rng=random.Random(seed)
        )
        for seed in (3, 3, 4)
    ]

    first, same_seed, other_seed = ((p.question_ids, p.choice_order) for p in papers)
    assert same_seed == first
    assert other_seed != first


def test_the_shuffled_order_of_a_paper_does_not_change_its_score(course, now):
    """The same choices, ticked on papers dealt in different orders and posted in the order
    each paper shows them, score the same. A grader that read choices by position, or
    questions by their place on the paper, would give these papers different scores."""
    quiz = quiz_with_every_kind(course, shuffle_questions=True, shuffle_choices=True)
    multiple = next(q for q in questions_of(quiz) if q.kind == QuestionKind.MULTIPLE)
    ticked = {*choice_ids(multiple, correct=True)[:2], choice_ids(multiple, correct=False)[0]}
    answers = correct_answers(quiz)

    papers, scores = [], []
    for seed in (11, 12, 13):
        attempt = attempt_start(
            enrollment=EnrollmentFactory(course=course), quiz=quiz, now=now, rng=random.Random(seed)
        )
        shown = attempt.choice_order[str(multiple.pk)]
        data = {f"q-{qid}": answers[f"q-{qid}"] for qid in attempt.question_ids}
        data[f"q-{multiple.pk}"] = [str(cid) for cid in shown if cid in ticked]
        submitted, _saved = attempt_submit(attempt=attempt, data=data, now=now)
        papers.append((attempt.question_ids, shown))
        scores.append(submitted.score)

    assert len({repr(paper) for paper in papers}) == 3, "the seeds must deal different papers"
    # Eight of ten points: the multiple-choice question gives 3 × (2 right − 1 wrong) / 3 = 1.
    assert scores == [Decimal(8)] * 3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_without_shuffling_the_paper_keeps_the_authored_order(course, seed, now):
    quiz = _shuffled_quiz(course)
    quiz.shuffle_questions = quiz.shuffle_choices = False
    quiz.save()

    attempt = attempt_start(
        enrollment=EnrollmentFactory(course=course), quiz=quiz, now=now, rng=random.Random(seed)
    )

    questions = questions_of(quiz)
    assert attempt.question_ids == [q.pk for q in questions]
    assert attempt.choice_order == {str(q.pk): choice_ids(q) for q in questions}


def test_no_attempt_starts_after_the_last_allowed_one(enrollment, quiz, now):
    quiz.attempt_limit = 2
    quiz.save()
    _take(enrollment, quiz, wrong_answers(quiz), now=now)
    second = _take(enrollment, quiz, wrong_answers(quiz), now=now + MINUTE)
    assert second.number == 2

    with pytest.raises(QuizError):
        attempt_start(enrollment=enrollment, quiz=quiz, now=now + 2 * MINUTE)

    assert Attempt.objects.filter(enrollment=enrollment).count() == 2


def test_an_expired_open_attempt_is_closed_at_its_deadline_before_the_next_starts(
    enrollment, timed_quiz, now
):
    first = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now)
    attempt_save(attempt=first, data=correct_answers(timed_quiz), now=now + 5 * MINUTE)

    second = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now + 15 * MINUTE)

    closed = _stored(first)
    assert closed.status == AttemptStatus.EXPIRED
    assert closed.submitted_at == now + 10 * MINUTE
    assert (closed.score, closed.max_score, closed.passed) == (Decimal(10), Decimal(10), True)
    assert second.pk != first.pk
    assert (second.number, second.status) == (2, AttemptStatus.IN_PROGRESS)
    assert second.deadline == now + 25 * MINUTE


def test_an_expired_attempt_is_closed_even_when_no_attempt_is_left_to_start(
    enrollment, timed_quiz, now
):
    timed_quiz.attempt_limit = 1
    timed_quiz.save()
    first = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now)
    attempt_save(attempt=first, data=correct_answers(timed_quiz), now=now + 5 * MINUTE)

    with pytest.raises(QuizError):
        attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now + 15 * MINUTE)

    closed = _stored(first)
    assert closed.status == AttemptStatus.EXPIRED
    assert closed.submitted_at == now + 10 * MINUTE
    assert closed.score == Decimal(10)


def test_a_quiz_of_another_course_is_refused(enrollment, now):
    foreign_quiz = quiz_with_every_kind(course_with_lessons(lessons_per_module=1, modules=1))

    with pytest.raises(QuizError):
        attempt_start(enrollment=enrollment, quiz=foreign_quiz, now=now)

    assert not Attempt.objects.exists()


def test_a_learner_who_withdrew_cannot_start(enrollment, quiz, now):
    enrollment_withdraw(enrollment=enrollment)

    with pytest.raises(QuizError):
        attempt_start(enrollment=enrollment, quiz=quiz, now=now)

    assert not Attempt.objects.exists()


def test_a_stale_enrollment_object_does_not_let_a_withdrawn_learner_start(enrollment, quiz, now):
    """The status is read under the row lock, not from the object the caller holds."""
    Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.WITHDRAWN)

    with pytest.raises(QuizError):
        attempt_start(enrollment=enrollment, quiz=quiz, now=now)

    assert not Attempt.objects.exists()


def test_a_learner_who_withdrew_cannot_save_an_open_attempt(enrollment, quiz, now):
    attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now)
    enrollment_withdraw(enrollment=Enrollment.objects.get(pk=enrollment.pk))

    with pytest.raises(QuizError, match="Enrol in the course"):
        attempt_save(attempt=attempt, data=correct_answers(quiz), now=now + MINUTE)

    assert not any(a.choice_ids or a.text for a in _answers(attempt).values())


def test_a_learner_who_withdrew_cannot_submit_and_pass(enrollment, quiz, now):
    attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now)
    attempt_save(attempt=attempt, data=correct_answers(quiz), now=now)
    enrollment_withdraw(enrollment=Enrollment.objects.get(pk=enrollment.pk))

    with pytest.raises(QuizError, match="Enrol in the course"):
        attempt_submit(attempt=attempt, data=correct_answers(quiz), now=now + MINUTE)

    stored = _stored(attempt)
    assert (stored.status, stored.passed) == (AttemptStatus.IN_PROGRESS, None)


def test_a_learner_who_withdrew_cannot_complete_a_lesson(enrollment, course):
    lesson = Lesson.objects.filter(course=course).first()
    stale = Enrollment.objects.get(pk=enrollment.pk)
    enrollment_withdraw(enrollment=enrollment)

    with pytest.raises(EnrollmentError):
        lesson_complete(enrollment=stale, lesson=lesson)

    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()


def test_a_quiz_without_questions_cannot_be_started(enrollment, course, now):
    with pytest.raises(QuizError):
        attempt_start(enrollment=enrollment, quiz=QuizFactory(course=course), now=now)

    assert not Attempt.objects.exists()


# attempt_save


@pytest.fixture
def attempt(enrollment, quiz, now):
    return attempt_start(enrollment=enrollment, quiz=quiz, now=now)


def test_saving_keeps_progress_and_a_later_save_changes_the_answer(attempt, quiz, now):
    single, _multiple, _true_false, short_text, _numeric = questions_of(quiz)
    right, wrong, _other = choice_ids(single)

    first = attempt_save(
        attempt=attempt,
        data={f"q-{single.pk}": [str(wrong)], f"q-{short_text.pk}": ["Beograd"]},
        now=now + MINUTE,
    )
    assert (first.errors, first.late) == ({}, False)
    answers = _answers(attempt)
    assert answers[single.pk].choice_ids == [wrong]
    assert answers[short_text.pk].text == "Beograd"

    attempt_save(
        attempt=attempt,
        data={f"q-{single.pk}": [str(right)], f"q-{short_text.pk}": ["Novi Sad"]},
        now=now + 2 * MINUTE,
    )

    answers = _answers(attempt)
    assert answers[single.pk].choice_ids == [right]
    assert answers[short_text.pk].text == "Novi Sad"
    assert answers[single.pk].saved_at == now + 2 * MINUTE
    assert Answer.objects.filter(attempt=attempt, question=single).count() == 1
    stored = _stored(attempt)
    assert (stored.status, stored.score) == (AttemptStatus.IN_PROGRESS, None)


def test_answers_may_come_as_the_posted_query_dict(attempt, quiz, now):
    single, multiple, true_false, short_text, numeric = questions_of(quiz)
    posted = QueryDict(mutable=True)
    for key, values in correct_answers(quiz).items():
        posted.setlist(key, values)
    posted["csrfmiddlewaretoken"] = "token"

    result = attempt_save(attempt=attempt, data=posted, now=now + MINUTE)

    assert result.errors == {}
    assert result.saved == 5
    answers = _answers(attempt)
    assert answers[single.pk].choice_ids == choice_ids(single, correct=True)
    assert answers[multiple.pk].choice_ids == choice_ids(multiple, correct=True)
    assert answers[true_false.pk].choice_ids == choice_ids(true_false, correct=True)
    assert answers[short_text.pk].text == "Đorđe Vajfert"
    assert answers[numeric.pk].number == Decimal("3.5")


def test_a_choice_of_another_question_is_refused_and_the_earlier_answer_kept(attempt, quiz, now):
    single, multiple, *_ = questions_of(quiz)
    right = choice_ids(single, correct=True)[0]
    attempt_save(attempt=attempt, data={f"q-{single.pk}": [str(right)]}, now=now + MINUTE)
    data = correct_answers(quiz)
    data[f"q-{single.pk}"] = [str(choice_ids(multiple)[0])]

    result = attempt_save(attempt=attempt, data=data, now=now + 2 * MINUTE)

    assert set(result.errors) == {single.pk}
    assert result.saved == 4
    kept = _answers(attempt)[single.pk]
    assert (kept.choice_ids, kept.saved_at) == ([right], now + MINUTE)
    assert _answers(attempt)[multiple.pk].saved_at == now + 2 * MINUTE


@pytest.mark.parametrize("value", ["abc", "-1", "1.0", "²", "99999999999999999999"])
def test_a_choice_value_that_is_no_choice_id_is_refused(attempt, quiz, now, value):
    single = questions_of(quiz)[0]

    result = attempt_save(attempt=attempt, data={f"q-{single.pk}": [value]}, now=now)

    assert set(result.errors) == {single.pk}
    assert single.pk not in _answers(attempt)


def test_a_repeated_choice_is_stored_once(attempt, quiz, now):
    multiple = questions_of(quiz)[1]
    first, second, *_ = choice_ids(multiple)

    result = attempt_save(
        attempt=attempt,
        data={f"q-{multiple.pk}": [str(second), str(first), str(second)]},
        now=now,
    )

    assert result.errors == {}
    assert _answers(attempt)[multiple.pk].choice_ids == [first, second]


@pytest.mark.parametrize("kind", [QuestionKind.SINGLE, QuestionKind.TRUE_FALSE])
def test_two_choices_for_a_one_answer_question_are_refused(attempt, quiz, now, kind):
    question = next(q for q in questions_of(quiz) if q.kind == kind)
    first, second, *_ = choice_ids(question)

    result = attempt_save(
        attempt=attempt, data={f"q-{question.pk}": [str(first), str(second)]}, now=now
    )

    assert set(result.errors) == {question.pk}
    assert question.pk not in _answers(attempt)


@pytest.mark.parametrize(
    "value", ["abc", "3.5.1", "1,234.5", "NaN", "nan", "sNaN", "Infinity", "-Infinity", "1e12"]
)
def test_a_numeric_answer_that_is_not_a_finite_number_is_refused(attempt, quiz, now, value):
    numeric = questions_of(quiz)[4]

    result = attempt_save(attempt=attempt, data={f"q-{numeric.pk}": [value]}, now=now)

    assert set(result.errors) == {numeric.pk}
    assert numeric.pk not in _answers(attempt)


@pytest.mark.parametrize(
    ("value", "number"),
    [("3,5", "3.5"), (" 3.5 ", "3.5"), ("-0,25", "-0.25"), ("1 000", "1000"), ("2e3", "2000")],
)
def test_a_numeric_answer_may_use_a_decimal_comma_and_spaces(attempt, quiz, now, value, number):
    numeric = questions_of(quiz)[4]

    result = attempt_save(attempt=attempt, data={f"q-{numeric.pk}": [value]}, now=now)

    assert result.errors == {}
    assert _answers(attempt)[numeric.pk].number == Decimal(number)


def test_a_short_answer_longer_than_the_limit_is_refused(attempt, quiz, now):
    short_text = questions_of(quiz)[3]

    result = attempt_save(attempt=attempt, data={f"q-{short_text.pk}": ["x" * 501]}, now=now)

    assert set(result.errors) == {short_text.pk}
    assert short_text.pk not in _answers(attempt)


@pytest.mark.parametrize("late_by", [timedelta(0), timedelta(seconds=1), 5 * MINUTE])
def test_nothing_is_saved_after_the_deadline(enrollment, timed_quiz, now, late_by):
    attempt = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now)
    single = questions_of(timed_quiz)[0]
    wrong = choice_ids(single, correct=False)[0]
    attempt_save(attempt=attempt, data={f"q-{single.pk}": [str(wrong)]}, now=now + MINUTE)
    data = correct_answers(timed_quiz)

    result = attempt_save(attempt=attempt, data=data, now=now + 10 * MINUTE + late_by)

    assert result.late is True
    assert (result.saved, result.errors) == (0, {})
    answers = _answers(attempt)
    assert answers[single.pk].choice_ids == [wrong]
    assert answers[single.pk].saved_at == now + MINUTE


def test_saving_just_before_the_deadline_counts(enrollment, timed_quiz, now):
    attempt = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now)

    result = attempt_save(
        attempt=attempt,
        data=correct_answers(timed_quiz),
        now=now + 10 * MINUTE - timedelta(seconds=1),
    )

    assert (result.late, result.saved) == (False, 5)


def test_a_submitted_attempt_cannot_be_saved(attempt, quiz, now):
    attempt_submit(attempt=attempt, data=wrong_answers(quiz), now=now)

    with pytest.raises(QuizError):
        attempt_save(attempt=attempt, data=correct_answers(quiz), now=now + MINUTE)

    assert _stored(attempt).score == Decimal(0)


# attempt_submit


def test_submitting_grades_the_attempt_and_records_the_result(attempt, quiz, now):
    submitted, saved = attempt_submit(
        attempt=attempt, data=correct_answers(quiz), now=now + 3 * MINUTE
    )

    stored = _stored(attempt)
    assert (saved.saved, saved.late, saved.errors) == (5, False, {})
    assert stored.status == AttemptStatus.SUBMITTED
    assert stored.submitted_at == now + 3 * MINUTE
    assert (stored.score, stored.max_score) == (Decimal(10), Decimal(10))
    assert (stored.percent, stored.passed) == (Decimal(100), True)
    assert (submitted.score, submitted.passed) == (stored.score, stored.passed)
    points = {q.pk: q.points for q in questions_of(quiz)}
    assert {qid: (a.points, a.correct) for qid, a in _answers(attempt).items()} == {
        qid: (value, True) for qid, value in points.items()
    }


def _activity(enrollment: Enrollment):
    return Enrollment.objects.values_list("last_activity_at", flat=True).get(pk=enrollment.pk)


_WRITES = {
    "save": lambda attempt, data, when: attempt_save(attempt=attempt, data=data, now=when),
    "submit": lambda attempt, data, when: attempt_submit(attempt=attempt, data=data, now=when),
    # A refused answer takes the submit's other path: the paper first, then the grading.
    "submit-with-a-refused-answer": lambda attempt, data, when: attempt_submit(
        attempt=attempt, data=data | _refused(attempt), now=when
    ),
}


@pytest.mark.parametrize("write", _WRITES.values(), ids=_WRITES.keys())
def test_saving_and_submitting_record_the_learners_activity(write, attempt, enrollment, quiz, now):
    """The inactivity reminder reads this time; the quiz writes it in its answers' statement."""
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now - 30 * MINUTE)
    write(attempt, correct_answers(quiz), now + MINUTE)
    assert _activity(enrollment) == now + MINUTE


@pytest.mark.parametrize("write", _WRITES.values(), ids=_WRITES.keys())
def test_a_write_stamped_earlier_never_moves_the_activity_back(
    write, attempt, enrollment, quiz, now
):
    later = now + 10 * MINUTE
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=later)
    write(attempt, correct_answers(quiz), now + MINUTE)
    assert _activity(enrollment) == later


def _refused(attempt: Attempt) -> dict[str, list[str]]:
    """One answer the paper refuses: a choice id that is none of the question's."""
    question_id = next(int(qid) for qid, choices in attempt.choice_order.items() if choices)
    return {f"q-{question_id}": ["999999999"]}


@pytest.mark.parametrize(("pass_mark", "passed"), [(80, True), (81, False)])
def test_a_partly_right_attempt_passes_at_exactly_the_pass_mark(
    enrollment, course, now, pass_mark, passed
):
    quiz = quiz_with_every_kind(course, pass_mark=pass_mark)
    single, multiple, true_false, short_text, numeric = questions_of(quiz)
    attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now)
    right_multiple = choice_ids(multiple, correct=True)
    data = {
        f"q-{single.pk}": [str(choice_ids(single, correct=False)[0])],  # 0 of 1
        f"q-{multiple.pk}": [str(pk) for pk in right_multiple[:2]],  # 2 of 3
        f"q-{true_false.pk}": [str(choice_ids(true_false, correct=True)[0])],  # 1 of 1
        f"q-{short_text.pk}": ["  ђорђе   ВАЈФЕРТ "],  # 2 of 2
        f"q-{numeric.pk}": ["3,6"],  # 3 of 3, at the edge of the tolerance
    }

    attempt_submit(attempt=attempt, data=data, now=now)

    stored = _stored(attempt)
    assert (stored.score, stored.max_score) == (Decimal(8), Decimal(10))
    assert (stored.percent, stored.passed) == (Decimal(80), passed)
    assert _answers(attempt)[multiple.pk].points == Decimal(2)


def test_submitting_without_data_grades_the_saved_answers(attempt, quiz, now):
    single = questions_of(quiz)[0]
    right = choice_ids(single, correct=True)[0]
    attempt_save(attempt=attempt, data={f"q-{single.pk}": [str(right)]}, now=now)

    attempt_submit(attempt=attempt, now=now + MINUTE)

    stored = _stored(attempt)
    assert (stored.score, stored.percent, stored.passed) == (Decimal(1), Decimal(10), False)


def test_an_attempt_is_submitted_once(attempt, quiz, now):
    attempt_submit(attempt=attempt, data=wrong_answers(quiz), now=now + MINUTE)

    with pytest.raises(QuizError):
        attempt_submit(attempt=attempt, data=correct_answers(quiz), now=now + 2 * MINUTE)

    stored = _stored(attempt)
    assert (stored.score, stored.passed) == (Decimal(0), False)
    assert stored.submitted_at == now + MINUTE


def test_a_submission_after_the_deadline_is_graded_as_it_stood_at_the_deadline(
    enrollment, timed_quiz, now
):
    attempt = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now)
    single, *others = questions_of(timed_quiz)
    right = choice_ids(single, correct=True)[0]
    attempt_save(attempt=attempt, data={f"q-{single.pk}": [str(right)]}, now=now + MINUTE)

    submitted, saved = attempt_submit(
        attempt=attempt, data=correct_answers(timed_quiz), now=now + 12 * MINUTE
    )

    stored = _stored(attempt)
    assert saved.late is True
    assert stored.status == AttemptStatus.EXPIRED
    assert stored.submitted_at == stored.deadline == now + 10 * MINUTE
    assert (stored.score, stored.max_score, stored.passed) == (Decimal(1), Decimal(10), False)
    assert submitted.status == AttemptStatus.EXPIRED
    answers = _answers(attempt)
    assert answers[single.pk].choice_ids == [right]
    for question in others:
        late = answers[question.pk]
        assert (late.choice_ids, late.text, late.number) == ([], "", None)
        assert late.saved_at == now + MINUTE


# attempts_close_expired and its task


def test_closing_expired_attempts_closes_only_those_whose_time_ran_out(course, timed_quiz, now):
    untimed_quiz = quiz_with_every_kind(course)
    away = attempt_start(
        enrollment=EnrollmentFactory(course=course), quiz=timed_quiz, now=now - 20 * MINUTE
    )
    attempt_save(attempt=away, data=correct_answers(timed_quiz), now=now - 15 * MINUTE)
    still_working = attempt_start(
        enrollment=EnrollmentFactory(course=course), quiz=timed_quiz, now=now - 5 * MINUTE
    )
    untimed = attempt_start(
        enrollment=EnrollmentFactory(course=course), quiz=untimed_quiz, now=now - 60 * MINUTE
    )

    assert attempts_close_expired(now=now) == 1

    closed = _stored(away)
    assert closed.status == AttemptStatus.EXPIRED
    assert closed.submitted_at == now - 10 * MINUTE
    assert (closed.score, closed.passed) == (Decimal(10), True)
    assert _stored(still_working).status == AttemptStatus.IN_PROGRESS
    assert _stored(untimed).status == AttemptStatus.IN_PROGRESS


def test_closing_expired_attempts_twice_closes_them_once(enrollment, timed_quiz, now):
    attempt = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now - 20 * MINUTE)
    attempts_close_expired(now=now)
    first_close = _stored(attempt)

    assert attempts_close_expired(now=now + MINUTE) == 0

    again = _stored(attempt)
    assert (again.status, again.submitted_at, again.score) == (
        first_close.status,
        first_close.submitted_at,
        first_close.score,
    )


def _store_unreadable_number(attempt: Attempt, quiz) -> None:
    """The row the old parser let through on SQLite: 10**12 does not fit DecimalField(18, 6),
    so every later read of the attempt's answers raises."""
    numeric = next(q for q in questions_of(quiz) if q.kind == QuestionKind.NUMERIC)
    Answer.objects.filter(attempt=attempt, question=numeric).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO quizzes_answer (attempt_id, question_id, choice_ids, text, number,"
            " saved_at) VALUES (%s, %s, '[]', '', '1000000000000', %s)",
            [attempt.pk, numeric.pk, timezone.now()],
        )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL refuses the bad row")
def test_one_attempt_that_cannot_be_graded_does_not_keep_the_others_open(
    course, timed_quiz, now, caplog
):
    bad = attempt_start(
        enrollment=EnrollmentFactory(course=course), quiz=timed_quiz, now=now - 30 * MINUTE
    )
    _store_unreadable_number(bad, timed_quiz)
    others = [
        attempt_start(
            enrollment=EnrollmentFactory(course=course), quiz=timed_quiz, now=now - 20 * MINUTE
        )
        for _ in range(2)
    ]

    assert attempts_close_expired(now=now) == 2

    assert _stored(bad).status == AttemptStatus.IN_PROGRESS
    assert [_stored(a).status for a in others] == [AttemptStatus.EXPIRED] * 2
    assert f"Could not close expired attempt {bad.pk}" in caplog.text


def test_a_failure_in_one_attempt_is_logged_and_the_sweep_goes_on(course, timed_quiz, now, caplog):
    """The same, whatever the failure: any error while grading one attempt stays with it."""
    attempts = [
        attempt_start(
            enrollment=EnrollmentFactory(course=course), quiz=timed_quiz, now=now - 20 * MINUTE
        )
        for _ in range(3)
    ]
    real_grade = services._grade

    def grade(attempt, **kwargs):
        if attempt.pk == attempts[1].pk:
            raise RuntimeError("broken row")
        return real_grade(attempt, **kwargs)

    with mock.patch.object(services, "_grade", side_effect=grade):
        assert attempts_close_expired(now=now) == 2

    assert [_stored(a).status for a in attempts] == [
        AttemptStatus.EXPIRED,
        AttemptStatus.IN_PROGRESS,
        AttemptStatus.EXPIRED,
    ]
    assert "broken row" in caplog.text


def test_an_expired_attempt_that_passes_completes_the_course(enrollment, timed_quiz, now):
    _finish_lessons(enrollment)
    attempt = attempt_start(enrollment=enrollment, quiz=timed_quiz, now=now - 20 * MINUTE)
    attempt_save(attempt=attempt, data=correct_answers(timed_quiz), now=now - 15 * MINUTE)

    attempts_close_expired(now=now)

    assert _enrollment_status(enrollment) == EnrollmentStatus.COMPLETED


def test_the_task_closes_attempts_whose_time_ran_out(enrollment, timed_quiz):
    attempt = attempt_start(
        enrollment=enrollment, quiz=timed_quiz, now=timezone.now() - 60 * MINUTE
    )

    assert tasks.close_expired_attempts.run() == 1

    assert _stored(attempt).status == AttemptStatus.EXPIRED


def test_the_task_delegates_to_the_service():
    with mock.patch.object(tasks.services, "attempts_close_expired", return_value=4) as service:
        result = tasks.close_expired_attempts.run()

    assert result == 4
    service.assert_called_once_with()


def test_the_task_has_the_name_the_beat_schedule_uses(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks.close_expired_attempts.name == "quizzes.close_expired_attempts"
    assert tasks.close_expired_attempts.name in scheduled


# Completion


def test_the_course_completes_only_once_the_required_quiz_is_passed(enrollment, quiz, now):
    _finish_lessons(enrollment)
    assert _enrollment_status(enrollment) == EnrollmentStatus.ACTIVE

    _take(enrollment, quiz, wrong_answers(quiz), now=now)
    assert _enrollment_status(enrollment) == EnrollmentStatus.ACTIVE

    _take(enrollment, quiz, correct_answers(quiz), now=now + MINUTE)
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.COMPLETED
    assert stored.completed_at is not None


def test_a_pass_that_completes_the_course_reads_the_enrollment_once(enrollment, quiz, now):
    """The submit has locked the enrollment; the completion check works on that row instead of
    locking and reading it again."""
    _finish_lessons(enrollment)
    attempt = attempt_start(enrollment=enrollment, quiz=quiz, now=now)
    with CaptureQueriesContext(connection) as captured:
        attempt_submit(attempt=attempt, data=correct_answers(quiz), now=now + MINUTE)

    # The enrollment's columns are read once: with the attempt, in the statement locking both.
    enrollment_reads = [
        q["sql"]
        for q in captured
        if q["sql"].startswith("SELECT") and '"courses_enrollment"."status"' in q["sql"]
    ]
    assert len(enrollment_reads) == 1
    assert '"quizzes_attempt"."status"' in enrollment_reads[0]
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.COMPLETED and stored.completed_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_completion_check_on_a_locked_row_needs_a_transaction(enrollment):
    from courses.services import enrollment_update_completion

    with pytest.raises(RuntimeError):
        enrollment_update_completion(enrollment=enrollment, already_locked=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", [attempt_save, attempt_submit])
def test_a_write_on_an_attempt_said_to_be_locked_needs_the_callers_transaction(
    write, enrollment, quiz
):
    attempt = attempt_start(enrollment=enrollment, quiz=quiz)
    with pytest.raises(RuntimeError):
        write(attempt=attempt, data=correct_answers(quiz), already_locked=True)
    assert _stored(attempt).status == AttemptStatus.IN_PROGRESS
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_passing_the_quiz_first_completes_the_course_with_the_last_lesson(enrollment, quiz, now):
    _take(enrollment, quiz, correct_answers(quiz), now=now)
    assert _enrollment_status(enrollment) == EnrollmentStatus.ACTIVE

    _finish_lessons(enrollment)

    assert _enrollment_status(enrollment) == EnrollmentStatus.COMPLETED


def test_an_optional_quiz_does_not_hold_back_completion(enrollment, course, quiz, now):
    quiz_with_every_kind(course, required_for_completion=False)
    _take(enrollment, quiz, correct_answers(quiz), now=now)

    _finish_lessons(enrollment)

    assert _enrollment_status(enrollment) == EnrollmentStatus.COMPLETED


def test_every_required_quiz_must_be_passed(enrollment, course, quiz, now):
    second_quiz = quiz_with_every_kind(course)
    _finish_lessons(enrollment)

    _take(enrollment, quiz, correct_answers(quiz), now=now)
    assert _enrollment_status(enrollment) == EnrollmentStatus.ACTIVE

    _take(enrollment, second_quiz, correct_answers(second_quiz), now=now)
    assert _enrollment_status(enrollment) == EnrollmentStatus.COMPLETED


@pytest.mark.parametrize(
    ("policy", "counted_number", "status"),
    [
        (GradingPolicy.HIGHEST, 1, EnrollmentStatus.COMPLETED),
        (GradingPolicy.LAST, 2, EnrollmentStatus.ACTIVE),
    ],
)
def test_the_grading_policy_decides_which_attempt_counts(
    enrollment, course, now, policy, counted_number, status
):
    quiz = quiz_with_every_kind(course, grading_policy=policy)
    _take(enrollment, quiz, correct_answers(quiz), now=now)
    _take(enrollment, quiz, wrong_answers(quiz), now=now + MINUTE)

    _finish_lessons(enrollment)

    counted = counted_attempt(quiz, list(Attempt.objects.filter(quiz=quiz)))
    assert counted.number == counted_number
    assert counted.passed is (counted_number == 1)
    assert _enrollment_status(enrollment) == status


@pytest.mark.parametrize("policy", [GradingPolicy.HIGHEST, GradingPolicy.LAST])
def test_completion_is_recorded_once(enrollment, course, now, policy):
    quiz = quiz_with_every_kind(course, grading_policy=policy)
    _finish_lessons(enrollment)
    _take(enrollment, quiz, correct_answers(quiz), now=now)
    completed_at = Enrollment.objects.get(pk=enrollment.pk).completed_at
    assert completed_at is not None

    _take(enrollment, quiz, correct_answers(quiz), now=now + MINUTE)
    _take(enrollment, quiz, wrong_answers(quiz), now=now + 2 * MINUTE)

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert (stored.status, stored.completed_at) == (EnrollmentStatus.COMPLETED, completed_at)


# quiz_regrade


@pytest.fixture
def trainer(course):
    trainer = UserFactory(roles=[Role.TRAINER])
    course.trainers.add(trainer)
    return trainer


def test_regrading_after_fixing_the_right_choice_updates_scores_and_completions(
    course, trainer, now
):
    quiz = QuizFactory(course=course, pass_mark=100)
    question = choice_question(quiz, correct=(True, False, False))
    marked_right, actually_right, _other = question.choices.order_by("position")
    lucky = EnrollmentFactory(course=course)
    unlucky = EnrollmentFactory(course=course)
    still_working = EnrollmentFactory(course=course)
    for enrollment in (lucky, unlucky):
        _finish_lessons(enrollment)
    lucky_attempt = _take(lucky, quiz, {f"q-{question.pk}": [str(marked_right.pk)]}, now=now)
    unlucky_attempt = _take(unlucky, quiz, {f"q-{question.pk}": [str(actually_right.pk)]}, now=now)
    open_attempt = attempt_start(enrollment=still_working, quiz=quiz, now=now)
    attempt_save(attempt=open_attempt, data={f"q-{question.pk}": [str(actually_right.pk)]}, now=now)
    assert _enrollment_status(lucky) == EnrollmentStatus.COMPLETED
    assert _enrollment_status(unlucky) == EnrollmentStatus.ACTIVE
    marked_right.is_correct, actually_right.is_correct = False, True
    marked_right.save()
    actually_right.save()

    outcome = quiz_regrade(quiz=quiz, actor=trainer)

    assert outcome == {"attempts": 2, "changed": 2}
    lucky_now, unlucky_now = _stored(lucky_attempt), _stored(unlucky_attempt)
    assert (lucky_now.score, lucky_now.percent, lucky_now.passed) == (0, 0, False)
    assert (unlucky_now.score, unlucky_now.percent, unlucky_now.passed) == (1, 100, True)
    assert lucky_now.status == AttemptStatus.SUBMITTED
    assert _answers(unlucky_attempt)[question.pk].correct is True
    reopened = Enrollment.objects.get(pk=lucky.pk)
    assert (reopened.status, reopened.completed_at) == (EnrollmentStatus.ACTIVE, None)
    completed = Enrollment.objects.get(pk=unlucky.pk)
    assert completed.status == EnrollmentStatus.COMPLETED
    assert completed.completed_at is not None
    untouched = _stored(open_attempt)
    assert (untouched.status, untouched.score) == (AttemptStatus.IN_PROGRESS, None)
    event = AuditEvent.objects.get(action="quiz.regrade")
    assert event.actor == trainer
    assert (event.target_type, event.target_id) == ("quizzes.quiz", str(quiz.pk))
    # The reopened enrollment keeps the certificate its first completion created, audited;
    # the newly completed one gets its own.
    from certificates.models import Certificate

    kept = Certificate.objects.get(enrollment=lucky)
    assert kept.status == "pending"
    assert AuditEvent.objects.filter(
        action="certificate.kept_after_reopen", target_id=str(kept.pk)
    ).exists()
    assert Certificate.objects.filter(enrollment=unlucky).count() == 1
    assert event.data["attempts"] == 2
    assert event.data["completion_changes"] == 2
    assert {change["attempt"] for change in event.data["changed"]} == {
        lucky_attempt.pk,
        unlucky_attempt.pk,
    }


def test_regrading_again_changes_nothing_and_keeps_the_completion_time(
    enrollment, quiz, trainer, now
):
    _finish_lessons(enrollment)
    attempt = _take(enrollment, quiz, correct_answers(quiz), now=now)
    completed_at = Enrollment.objects.get(pk=enrollment.pk).completed_at

    outcome = quiz_regrade(quiz=quiz, actor=trainer)

    assert outcome == {"attempts": 1, "changed": 0}
    assert _stored(attempt).score == Decimal(10)
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert (stored.status, stored.completed_at) == (EnrollmentStatus.COMPLETED, completed_at)
    event = AuditEvent.objects.get(action="quiz.regrade")
    assert (event.actor, event.data["changed"], event.data["completion_changes"]) == (
        trainer,
        [],
        0,
    )
