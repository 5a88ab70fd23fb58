"""Archiving a single question: no new attempt draws it and learners do not count it, while the
attempts that drew it are graded, regraded and reviewed with it, cached keys included."""

import random

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from courses.services import enrollment_create
from quizzes import answer_keys, authoring
from quizzes.models import Choice
from quizzes.selectors import attempt_review
from quizzes.services import QuizError, attempt_start, attempt_submit, quiz_regrade
from tests.factories import EnrollmentFactory, UserFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_ids, choice_question, questions_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return UserFactory(roles=[Role.TRAINER])


@pytest.fixture
def quiz(trainer):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    quiz = QuizFactory(course=course, pass_mark=100)
    for position in range(1, 4):
        choice_question(quiz, position=position, correct=(True, False))
    return quiz


def _right(question) -> list[str]:
    return [str(pk) for pk in choice_ids(question, correct=True)]


def _all_right(questions) -> dict[str, list[str]]:
    return {f"q-{q.pk}": _right(q) for q in questions}


def test_archiving_is_audited_and_only_for_the_course_authors(quiz, trainer):
    question = questions_of(quiz)[0]
    outsider = UserFactory(roles=[Role.TRAINER])

    with pytest.raises(PermissionDenied):
        authoring.question_archive(question=question, actor=outsider)
    with pytest.raises(PermissionDenied):
        authoring.question_archive(question=question, actor=UserFactory())
    assert authoring.question_archive(question=question, actor=trainer) is True
    assert authoring.question_archive(question=question, actor=trainer) is False
    with pytest.raises(PermissionDenied):
        authoring.question_restore(question=question, actor=outsider)
    assert authoring.question_restore(question=question, actor=trainer) is True

    events = AuditEvent.objects.filter(action__startswith="question.").order_by("seq")
    assert [(e.action, e.data["question"], e.actor_id) for e in events] == [
        ("question.archive", question.pk, trainer.pk),
        ("question.restore", question.pk, trainer.pk),
    ]


def test_a_new_attempt_never_draws_an_archived_question_even_from_cached_keys(quiz, trainer):
    archived = questions_of(quiz)[1]
    quiz.questions_per_attempt = 1
    quiz.save()
    # Keys built and cached before the archiving.
    assert archived.pk in {k.id for k in answer_keys.quiz_keys(quiz.pk).pool}

    authoring.question_archive(question=archived, actor=trainer)

    keys = answer_keys.quiz_keys(quiz.pk)
    assert archived.pk not in {k.id for k in keys.pool}
    assert archived.pk in keys.by_id
    drawn = set()
    for seed in range(30):
        attempt = attempt_start(
            enrollment=EnrollmentFactory(course=quiz.course), quiz=quiz, rng=random.Random(seed)
        )
        drawn.update(attempt.question_ids)
        assert str(archived.pk) not in attempt.choice_order
    assert drawn == {q.pk for q in questions_of(quiz)} - {archived.pk}


def test_a_pool_larger_than_the_questions_left_draws_every_remaining_one(quiz, trainer):
    quiz.questions_per_attempt = 3
    quiz.save()
    first, second, third = questions_of(quiz)
    authoring.question_archive(question=second, actor=trainer)

    attempt = attempt_start(enrollment=EnrollmentFactory(course=quiz.course), quiz=quiz)

    assert sorted(attempt.question_ids) == sorted([first.pk, third.pk])


def test_a_quiz_with_every_question_archived_starts_no_attempt(quiz, trainer):
    for question in questions_of(quiz):
        authoring.question_archive(question=question, actor=trainer)

    with pytest.raises(QuizError, match="no questions"):
        attempt_start(enrollment=EnrollmentFactory(course=quiz.course), quiz=quiz)


def test_an_attempt_started_before_the_archiving_is_graded_with_the_question(quiz, trainer):
    questions = questions_of(quiz)
    attempt = attempt_start(enrollment=EnrollmentFactory(course=quiz.course), quiz=quiz)
    answer_keys.quiz_keys(quiz.pk)  # cached with the question in the pool

    authoring.question_archive(question=questions[0], actor=trainer)
    attempt, _saved = attempt_submit(attempt=attempt, data=_all_right(questions))

    assert attempt.max_score == 3
    assert attempt.score == 3
    assert attempt.passed is True
    review = attempt_review(attempt)
    assert [item.question.pk for item in review] == attempt.question_ids
    assert review[0].answer.correct is True


def test_a_regrade_after_correcting_an_archived_question_changes_the_old_attempts(quiz, trainer):
    questions = questions_of(quiz)
    attempt = attempt_start(enrollment=EnrollmentFactory(course=quiz.course), quiz=quiz)
    attempt, _saved = attempt_submit(attempt=attempt, data=_all_right(questions))
    assert attempt.score == 3

    archived = questions[0]
    authoring.question_archive(question=archived, actor=trainer)
    # The key of the archived question was wrong: the other choice was right.
    right, wrong = archived.choices.order_by("position")
    Choice.objects.filter(pk=right.pk).update(is_correct=False)
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)

    outcome = quiz_regrade(quiz=quiz, actor=trainer)

    attempt.refresh_from_db()
    assert outcome == {"attempts": 1, "changed": 1}
    assert (attempt.score, attempt.max_score, attempt.passed) == (2, 3, False)


def test_learners_count_only_the_questions_left_and_still_review_an_archived_one(
    client, quiz, trainer
):
    learner = UserFactory()
    enrollment = enrollment_create(user=learner, course=quiz.course)
    questions = questions_of(quiz)
    attempt = attempt_start(enrollment=enrollment, quiz=quiz)
    attempt, _saved = attempt_submit(attempt=attempt, data=_all_right(questions))
    client.force_login(learner)
    detail_url = reverse("quizzes:detail", args=[quiz.course.slug, quiz.pk])
    assert client.get(detail_url).context["question_count"] == 3

    authoring.question_archive(question=questions[2], actor=trainer)

    response = client.get(detail_url)
    assert response.context["question_count"] == 2
    result = client.get(reverse("quizzes:result", args=[quiz.course.slug, quiz.pk, attempt.pk]))
    assert result.status_code == 200
    assert questions[2].text in result.text
