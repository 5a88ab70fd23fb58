"""A regrade works through the attempts in batches, each committed on its own, so the job's
progress moves; one enrolment's attempts are never split; running it again changes nothing."""

import pytest
from django.db import connection

from audit.models import AuditEvent
from courses.models import Enrollment, EnrollmentStatus, Lesson
from courses.services import lesson_complete
from quizzes.models import Attempt
from quizzes.services import attempt_start, attempt_submit, quiz_regrade
from tests.factories import EnrollmentFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_question


def _take(enrollment, quiz, choice) -> Attempt:
    attempt = attempt_start(enrollment=enrollment, quiz=quiz)
    question = quiz.questions.get()
    attempt, _saved = attempt_submit(attempt=attempt, data={f"q-{question.pk}": [str(choice.pk)]})
    return attempt


def _answered_with_a_wrong_key():
    """Four learners answered the second choice, which the key marked wrong; the first learner
    tried twice. The key is then corrected: the second choice was right."""
    course = course_with_lessons(lessons_per_module=1, modules=1)
    quiz = QuizFactory(course=course, pass_mark=100)
    question = choice_question(quiz, correct=(True, False))
    marked_right, actually_right = question.choices.order_by("position")
    enrollments = [EnrollmentFactory(course=course) for _ in range(4)]
    for enrollment in enrollments:
        for lesson in Lesson.objects.filter(course=course):
            lesson_complete(enrollment=enrollment, lesson=lesson)
    attempts = [_take(e, quiz, actually_right) for e in enrollments]
    attempts.insert(1, _take(enrollments[0], quiz, actually_right))
    marked_right.is_correct, actually_right.is_correct = False, True
    marked_right.save()
    actually_right.save()
    return quiz, enrollments, attempts


@pytest.mark.django_db(transaction=True)
def test_each_batch_commits_before_the_progress_moves():
    quiz, enrollments, attempts = _answered_with_a_wrong_key()
    seen = []

    def progress(done, total):
        # Called between batches: no transaction is open, so each batch is already committed.
        seen.append((done, total, connection.in_atomic_block))

    outcome = quiz_regrade(quiz=quiz, actor=None, batch_size=2, progress=progress)

    assert outcome == {"attempts": 5, "changed": 5}
    # The first learner's two attempts make the first batch; then two learners, then one.
    assert seen == [(0, 5, False), (2, 5, False), (4, 5, False), (5, 5, False)]
    events = AuditEvent.objects.filter(action="quiz.regrade").order_by("pk")
    assert [(e.data["batch"], e.data["batches"], e.data["attempts"]) for e in events] == [
        (1, 3, 2),
        (2, 3, 2),
        (3, 3, 1),
    ]
    assert {c["attempt"] for c in events[0].data["changed"]} == {attempts[0].pk, attempts[1].pk}
    assert all(Attempt.objects.get(pk=a.pk).passed for a in attempts)
    assert {e.status for e in Enrollment.objects.filter(pk__in=[e.pk for e in enrollments])} == {
        EnrollmentStatus.COMPLETED
    }


@pytest.mark.django_db
def test_the_batch_size_comes_from_the_setting(settings):
    settings.LMS_REGRADE_BATCH_SIZE = 1
    quiz, _enrollments, _attempts = _answered_with_a_wrong_key()

    quiz_regrade(quiz=quiz, actor=None)

    # One batch a learner: the first learner's two attempts stay together.
    events = AuditEvent.objects.filter(action="quiz.regrade")
    assert sorted(e.data["attempts"] for e in events) == [1, 1, 1, 2]


@pytest.mark.django_db
def test_running_it_again_changes_nothing():
    quiz, enrollments, attempts = _answered_with_a_wrong_key()
    quiz_regrade(quiz=quiz, actor=None, batch_size=2)
    completed = {
        e.pk: e.completed_at for e in Enrollment.objects.filter(pk__in=[e.pk for e in enrollments])
    }

    again = quiz_regrade(quiz=quiz, actor=None, batch_size=3)

    assert again == {"attempts": 5, "changed": 0}
    assert completed == {
        e.pk: e.completed_at for e in Enrollment.objects.filter(pk__in=[e.pk for e in enrollments])
    }
    assert all(Attempt.objects.get(pk=a.pk).passed for a in attempts)


@pytest.mark.django_db
def test_a_quiz_without_finished_attempts_records_one_empty_regrade():
    quiz = QuizFactory()
    seen = []

    outcome = quiz_regrade(quiz=quiz, actor=None, progress=lambda *args: seen.append(args))

    assert outcome == {"attempts": 0, "changed": 0}
    assert seen == [(0, 0)]
    event = AuditEvent.objects.get(action="quiz.regrade")
    assert (event.data["attempts"], event.data["batches"]) == (0, 1)
