"""Quiz pages run the same number of queries at 5 and at 50 questions or attempts."""

from decimal import Decimal
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from quizzes import services
from quizzes.models import QuestionKind, Quiz, ReviewPolicy
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    OrgUnitFactory,
    UserFactory,
    give_totp,
)
from tests.query_counts import assert_query_count, count_queries
from tests.quizzes.factories import (
    QuestionFactory,
    QuizFactory,
    choice_question,
    correct_answers,
    true_false_question,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def _assert_same(client, django_assert_num_queries, small_url, large_url):
    at_five = count_queries(client, small_url)
    assert_query_count(client, django_assert_num_queries, large_url, at_five)


def add_questions(quiz: Quiz, n: int, positions=None) -> None:
    """``n`` questions cycling through every kind."""
    positions = positions or count(1)
    for i in range(n):
        position = next(positions)
        match i % 5:
            case 0:
                choice_question(quiz, position=position)
            case 1:
                choice_question(quiz, kind=QuestionKind.MULTIPLE, correct=(True, True, False))
            case 2:
                true_false_question(quiz, position=position)
            case 3:
                QuestionFactory(
                    quiz=quiz, kind=QuestionKind.SHORT_TEXT, accepted_answers=["Вајферт"]
                )
            case _:
                QuestionFactory(quiz=quiz, kind=QuestionKind.NUMERIC, numeric_answer=Decimal(7))


def answered_attempt(enrollment, quiz, *, submit: bool):
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    if submit:
        services.attempt_submit(attempt=attempt, data=correct_answers(quiz))
    else:
        services.attempt_save(attempt=attempt, data=correct_answers(quiz))
    return attempt


@pytest.fixture
def course():
    return CourseFactory(slug="counted")


@pytest.fixture
def enrollment(learner, course):
    return EnrollmentFactory(user=learner, course=course)


@pytest.fixture
def trainer_client(client, course):
    trainer = UserFactory(roles=[Role.TRAINER])
    give_totp(trainer)
    course.trainers.add(trainer)
    client.force_login(trainer)
    return client


def paper_url(name, enrollment, n, *, submit=False, **quiz_kwargs) -> str:
    """A quiz of ``n`` questions with the learner's answered attempt at it."""
    quiz = QuizFactory(course=enrollment.course, shuffle_choices=True, **quiz_kwargs)
    add_questions(quiz, n)
    attempt = answered_attempt(enrollment, quiz, submit=submit)
    return reverse(f"quizzes:{name}", args=[quiz.course.slug, quiz.pk, attempt.pk])


def test_attempt_page(learner_client, enrollment, django_assert_num_queries):
    _assert_same(
        learner_client,
        django_assert_num_queries,
        paper_url("attempt", enrollment, 5, time_limit_minutes=30),
        paper_url("attempt", enrollment, 50, time_limit_minutes=30),
    )


def test_result_page_with_full_review(learner_client, enrollment, django_assert_num_queries):
    _assert_same(
        learner_client,
        django_assert_num_queries,
        paper_url("result", enrollment, 5, submit=True, review_policy=ReviewPolicy.FULL),
        paper_url("result", enrollment, 50, submit=True, review_policy=ReviewPolicy.FULL),
    )


def test_trainer_review_of_one_attempt(trainer_client, enrollment, django_assert_num_queries):
    _assert_same(
        trainer_client,
        django_assert_num_queries,
        paper_url("review", enrollment, 5, submit=True),
        paper_url("review", enrollment, 50, submit=True),
    )


def test_quiz_page(learner_client, enrollment, django_assert_num_queries):
    quiz = QuizFactory(course=enrollment.course)
    positions = count(1)
    url = reverse("quizzes:detail", args=[quiz.course.slug, quiz.pk])

    def grow(n):
        add_questions(quiz, n, positions)
        for _ in range(n):
            answered_attempt(enrollment, quiz, submit=True)

    grow(5)
    at_five = count_queries(learner_client, url)
    grow(45)
    assert_query_count(learner_client, django_assert_num_queries, url, at_five)
    assert quiz.attempts.count() == 50


def test_trainer_report(trainer_client, course, django_assert_num_queries):
    quiz = QuizFactory(course=course)
    positions = count(1)
    units = [OrgUnitFactory(), OrgUnitFactory()]
    url = reverse("quizzes:report", args=[course.slug, quiz.pk])

    def grow(n):
        add_questions(quiz, n, positions)
        for i in range(n):
            user = UserFactory(org_unit=units[i % 2] if i % 3 else None)
            enrollment = EnrollmentFactory(user=user, course=course)
            answered_attempt(enrollment, quiz, submit=bool(i % 4))

    grow(5)
    at_five = count_queries(trainer_client, url)
    grow(45)
    assert_query_count(trainer_client, django_assert_num_queries, url, at_five)
    assert quiz.attempts.count() == 50


def _saves_and_submit_queries(n) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A course and learner of its own, so both papers are graded in the same situation.
    enrollment = EnrollmentFactory(course=CourseFactory())
    quiz = QuizFactory(course=enrollment.course)
    add_questions(quiz, n)
    attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
    answers = correct_answers(quiz)
    with CaptureQueriesContext(connection) as first_save:
        services.attempt_save(attempt=attempt, data=answers)
    with CaptureQueriesContext(connection) as submit:
        services.attempt_submit(attempt=attempt, data=answers)
    return len(first_save.captured_queries), len(submit.captured_queries)


def test_saving_and_submitting_a_paper_do_not_grow_with_its_questions(db):
    assert _saves_and_submit_queries(5) == _saves_and_submit_queries(50)


@pytest.mark.parametrize("action", ["save", "submit"])
def test_the_papers_post_reads_the_enrollment_with_the_attempt(learner_client, enrollment, action):
    """Saving or submitting a paper sends as many statements at 50 questions as at 5, and the
    learner's enrollment comes with the locked read of the attempt, not in a read of its own."""
    sent = []
    for n in (5, 50):
        quiz = QuizFactory(course=enrollment.course, pass_mark=Decimal(100))
        add_questions(quiz, n)
        attempt = services.attempt_start(enrollment=enrollment, quiz=quiz)
        url = reverse("quizzes:attempt", args=[quiz.course.slug, quiz.pk, attempt.pk])
        # Wrong answers: the submit does not pass, so no completion check joins in.
        data = {**wrong_answers(quiz), "action": action}
        with CaptureQueriesContext(connection) as queries:
            response = learner_client.post(url, data)
        assert response.status_code == 302
        sent.append([q["sql"] for q in queries.captured_queries])
    assert len(sent[0]) == len(sent[1])
    own_reads = [sql for sql in sent[1] if sql.startswith('SELECT "courses_enrollment".')]
    assert own_reads == []
    (locked,) = [sql for sql in sent[1] if ' FROM "quizzes_attempt"' in sql]
    assert 'INNER JOIN "courses_enrollment"' in locked
