"""Attempt limits and single submission hold under real concurrent connections to PostgreSQL."""

import threading
import time
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from courses import services as course_services
from courses.models import Enrollment, EnrollmentStatus
from quizzes import services
from quizzes.models import Answer, Attempt, AttemptStatus, Quiz
from tests.factories import EnrollmentFactory
from tests.quizzes.factories import correct_answers, quiz_with_every_kind, wrong_answers

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(calls) -> tuple[list, list]:
    """Run each call in its own thread and connection, released together by a barrier.
    Returns the values and QuizErrors in call order, and any other exception."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)
    unexpected = []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except services.QuizError as exc:
            outcomes[index] = exc
        except Exception as exc:  # a failure in a thread must fail the test
            unexpected.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes, unexpected


def start_call(enrollment_id: int, quiz_id: int):
    """Each thread loads its own rows, as separate requests would."""

    def call():
        return services.attempt_start(
            enrollment=Enrollment.objects.get(pk=enrollment_id), quiz=Quiz.objects.get(pk=quiz_id)
        )

    return call


def test_two_starts_at_a_limit_of_one_create_one_attempt():
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course, attempt_limit=1)

    outcomes, unexpected = run_together([start_call(enrollment.pk, quiz.pk)] * 2)

    assert unexpected == []
    attempt = Attempt.objects.get(quiz=quiz, enrollment=enrollment)
    assert attempt.number == 1
    started = [o for o in outcomes if isinstance(o, Attempt)]
    assert started, outcomes
    assert all(o.pk == attempt.pk for o in started)
    assert all(isinstance(o, Attempt | services.QuizError) for o in outcomes)


def test_four_starts_with_one_attempt_left_create_at_most_one():
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course, attempt_limit=2)
    first = services.attempt_start(enrollment=enrollment, quiz=quiz)
    services.attempt_submit(attempt=first, data=wrong_answers(quiz))

    outcomes, unexpected = run_together([start_call(enrollment.pk, quiz.pk)] * 4)

    assert unexpected == []
    new = Attempt.objects.filter(quiz=quiz, enrollment=enrollment).exclude(pk=first.pk)
    assert new.count() == 1
    second = new.get()
    assert (second.number, second.status) == (2, AttemptStatus.IN_PROGRESS)
    started = [o for o in outcomes if isinstance(o, Attempt)]
    assert started, outcomes
    assert all(o.pk == second.pk for o in started)


def test_two_submits_of_one_attempt_grade_it_once():
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course)
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    base = timezone.now()
    tries = {
        "right": (correct_answers(quiz), base + timedelta(seconds=1), Decimal(10)),
        "wrong": (wrong_answers(quiz), base + timedelta(seconds=2), Decimal(0)),
    }

    def submit_call(data, now):
        def call():
            return services.attempt_submit(
                attempt=Attempt.objects.get(pk=attempt.pk), data=data, now=now
            )

        return call

    outcomes, unexpected = run_together([submit_call(d, now) for d, now, _ in tries.values()])

    assert unexpected == []
    errors = [o for o in outcomes if isinstance(o, services.QuizError)]
    assert len(errors) == 1, outcomes
    (winner,) = [name for name, o in zip(tries, outcomes, strict=True) if isinstance(o, tuple)]
    _data, now, score = tries[winner]
    attempt.refresh_from_db()
    # Everything stored is the winner's: its time, its answers, its score.
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.submitted_at == now
    assert (attempt.score, attempt.max_score) == (score, Decimal(10))
    answers = Answer.objects.filter(attempt=attempt)
    assert answers.count() == len(attempt.question_ids)
    assert {a.correct for a in answers} == {winner == "right"}
    assert {a.saved_at for a in answers} == {now}


def test_closing_at_the_deadline_and_a_late_submit_close_the_attempt_once():
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course, time_limit_minutes=10)
    attempt = services.attempt_start(
        enrollment=enrollment, quiz=quiz, now=timezone.now() - timedelta(minutes=30)
    )

    def late_submit():
        return services.attempt_submit(
            attempt=Attempt.objects.get(pk=attempt.pk), data=correct_answers(quiz)
        )

    outcomes, unexpected = run_together([services.attempts_close_expired, late_submit])

    assert unexpected == []
    closed, submitted = outcomes
    assert (closed == 1) != isinstance(submitted, tuple), outcomes
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == 0
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_regrade_runs_on_postgresql():
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course)
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    services.attempt_submit(attempt=attempt, data=correct_answers(quiz))

    outcome = services.quiz_regrade(quiz=quiz, actor=None)

    assert outcome == {"attempts": 1, "changed": 0}


def _withdraw_holding_the_lock(enrollment_id: int, locked: threading.Event):
    """Withdraw, and keep the transaction (and so the enrollment row lock) open for a second
    after the row is written, as a slow request would."""
    real_save = Enrollment.save
    withdrawing = threading.current_thread

    def call():
        me = withdrawing()

        def save(self, *args, **kwargs):
            real_save(self, *args, **kwargs)
            if threading.current_thread() is me:
                locked.set()
                time.sleep(1)

        with mock.patch.object(Enrollment, "save", save):
            return course_services.enrollment_withdraw(
                enrollment=Enrollment.objects.get(pk=enrollment_id)
            )

    return call


def _after(event: threading.Event, call):
    def wait_then_call():
        assert event.wait(timeout=10)
        return call()

    return wait_then_call


@pytest.mark.parametrize("write", ["start", "save", "submit"])
def test_an_attempt_write_racing_a_withdrawal_waits_for_it_and_is_refused(write):
    """The enrollment row lock that docs/quizzes.md promises: every attempt write locks the
    learner's enrollment, and so does withdrawal, so a write that arrives while a withdrawal is
    being committed waits for it and then sees the learner has left. Without the lock the write
    reads the enrollment as still active and goes through (start an attempt, store answers,
    submit and pass)."""
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course)
    attempt = None
    if write != "start":
        attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)

    def quiz_write():
        if write == "start":
            return start_call(enrollment.pk, quiz.pk)()
        fresh = Attempt.objects.get(pk=attempt.pk)
        if write == "save":
            return services.attempt_save(attempt=fresh, data=correct_answers(quiz))
        return services.attempt_submit(attempt=fresh, data=correct_answers(quiz))

    locked = threading.Event()
    outcomes, unexpected = run_together(
        [_withdraw_holding_the_lock(enrollment.pk, locked), _after(locked, quiz_write)]
    )

    assert unexpected == []
    withdrawn, written = outcomes
    assert withdrawn.status == EnrollmentStatus.WITHDRAWN
    assert isinstance(written, services.QuizError), written
    if write == "start":
        assert not Attempt.objects.exists()
    else:
        attempt.refresh_from_db()
        assert (attempt.status, attempt.passed) == (AttemptStatus.IN_PROGRESS, None)
        assert not Answer.objects.filter(attempt=attempt).exclude(choice_ids=[]).exists()


def test_answers_written_as_json_read_back_as_posted():
    """On PostgreSQL a paper is written as one JSON parameter, in the statement that also closes
    the attempt: what is read back is what was posted (choice lists, the Cyrillic text, the
    decimal number), with its points, the attempt's row holds its grade and status, and a
    second save replaces the first rather than adding rows."""
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course)
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    services.attempt_save(attempt=attempt, data=wrong_answers(quiz))
    right = correct_answers(quiz)
    attempt, saved = services.attempt_submit(attempt=attempt, data=right)

    assert saved.errors == {}
    stored = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    assert len(stored) == len(attempt.question_ids)
    for question_id, answer in stored.items():
        posted = right[f"q-{question_id}"]
        if answer.choice_ids:
            assert answer.choice_ids == sorted(int(v) for v in posted)
        elif answer.number is not None:
            assert answer.number == Decimal(posted[0])
        else:
            assert answer.text == posted[0]
        assert answer.correct is True and answer.points > 0
        # The time travels as its text, with its offset: read back as the same instant.
        assert answer.saved_at == attempt.submitted_at
    assert attempt.score == attempt.max_score == sum(a.points for a in stored.values())
    row = Attempt.objects.get(pk=attempt.pk)
    assert row.status == AttemptStatus.SUBMITTED and row.submitted_at == attempt.submitted_at
    assert (row.score, row.max_score, row.percent, row.passed) == (
        attempt.max_score,
        attempt.max_score,
        Decimal(100),
        True,
    )


def _page_post(user, attempt: Attempt, data: dict, action: str):
    """The attempt page's POST, as the browser sends it, in the calling thread's connection:
    the page's read of the attempt takes the row locks the services would take."""
    from django.test import Client
    from django.urls import reverse

    def call():
        client = Client()
        client.force_login(user)
        url = reverse(
            "quizzes:attempt", args=[attempt.quiz.course.slug, attempt.quiz_id, attempt.pk]
        )
        return client.post(url, {**data, "action": action})

    return call


def test_two_submits_of_one_attempt_through_the_page_grade_it_once():
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course)
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    papers = {"right": correct_answers(quiz), "wrong": wrong_answers(quiz)}

    outcomes, unexpected = run_together(
        [_page_post(enrollment.user, attempt, paper, "submit") for paper in papers.values()]
    )

    assert unexpected == []
    assert [response.status_code for response in outcomes] == [302, 302]
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    answers = Answer.objects.filter(attempt=attempt)
    assert answers.count() == len(attempt.question_ids)
    # One paper's answers and its own grade: never a mix of the two.
    (right,) = {a.correct for a in answers}
    assert attempt.score == (Decimal(10) if right else Decimal(0))
    assert {a.saved_at for a in answers} == {attempt.submitted_at}


@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_page_post_racing_a_withdrawal_waits_for_it_and_writes_nothing(action):
    """The page reads the learner's enrollment before the withdrawal commits; its locked read of
    the attempt then waits for the withdrawal and sees the learner has left."""
    enrollment = EnrollmentFactory()
    quiz = quiz_with_every_kind(enrollment.course)
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    locked = threading.Event()

    outcomes, unexpected = run_together(
        [
            _withdraw_holding_the_lock(enrollment.pk, locked),
            _after(locked, _page_post(enrollment.user, attempt, correct_answers(quiz), action)),
        ]
    )

    assert unexpected == []
    withdrawn, response = outcomes
    assert withdrawn.status == EnrollmentStatus.WITHDRAWN
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed) == (AttemptStatus.IN_PROGRESS, None)
    assert not Answer.objects.filter(attempt=attempt).exclude(choice_ids=[]).exists()
