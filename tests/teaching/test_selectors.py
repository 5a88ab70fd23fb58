"""The workspace's reads: what the pages show, from statements compiled once that give what
their querysets give."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from courses.models import EnrollmentStatus
from courses.permissions import is_course_trainer
from teaching import selectors
from teaching.selectors import QuizLink
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    LessonProgressFactory,
    ModuleFactory,
    UserFactory,
)
from tests.prepared_rows import same_rows
from tests.quizzes.factories import QuizFactory

from .conftest import privileged

pytestmark = pytest.mark.django_db


def _course_with_outline(trainer):
    course = CourseFactory(trainers=[trainer])
    # Positions, not ids, give the order.
    second = ModuleFactory(course=course, position=2, title="Second")
    first = ModuleFactory(course=course, position=1, title="First")
    empty = ModuleFactory(course=course, position=3, title="Empty")
    late = LessonFactory(module=first, position=2, title="Late", required=False)
    early = LessonFactory(module=first, position=1, title="Early", estimated_minutes=25)
    archived = LessonFactory(module=second, position=1, archived_at=timezone.now())
    for _ in range(3):
        LessonProgressFactory(enrollment=EnrollmentFactory(course=course), lesson=early)
    LessonProgressFactory(enrollment=EnrollmentFactory(course=course), lesson=archived)
    second_quiz = QuizFactory(course=course, module=first, position=2, title="Two")
    first_quiz = QuizFactory(course=course, module=first, position=1, title="One")
    exam = QuizFactory(course=course, module=None, title="Exam")
    # Another course's module, lesson and quiz stay out.
    other = LessonFactory(module=ModuleFactory(position=0))
    QuizFactory(course=other.course)
    return course, (first, second, empty), (early, late, archived), (first_quiz, second_quiz, exam)


def test_the_outline_has_the_modules_lessons_and_quizzes_in_order(trainer):
    course, (first, second, empty), (early, late, archived), quizzes = _course_with_outline(trainer)
    first_quiz, second_quiz, exam = quizzes

    with CaptureQueriesContext(connection) as queries:
        outline = selectors.course_outline(course=course)

    assert len(queries) == 2
    assert [m.pk for m in outline.modules] == [first.pk, second.pk, empty.pk]
    assert [m.title for m in outline.modules] == ["First", "Second", "Empty"]
    one, two, three = outline.modules
    assert one.lessons == [
        (early.pk, "Early", 25, True, False, 3),
        (late.pk, "Late", late.estimated_minutes, False, False, 0),
    ]
    assert two.lessons == [(archived.pk, archived.title, 10, True, True, 1)]
    assert three.lessons == [] and three.quizzes == []
    assert one.quizzes == [QuizLink(first_quiz.pk, "One"), QuizLink(second_quiz.pk, "Two")]
    assert outline.final_exams == [QuizLink(exam.pk, "Exam")]


def test_the_outline_statements_give_what_their_querysets_give(trainer):
    course, *_ = _course_with_outline(trainer)
    assert len(same_rows(selectors._outline_rows, course_id=course.pk)) == 4
    assert len(same_rows(selectors._outline_quizzes, course_id=course.pk)) == 3
    assert same_rows(selectors._outline_rows, course_id=course.pk + 1000) == []


def test_the_authored_course_comes_with_its_trainers_as_a_prefetch_would(trainer):
    co_trainer = privileged(Role.TRAINER, full_name="Ana Anić")
    course = CourseFactory(trainers=[trainer, co_trainer])
    CourseFactory(trainers=[UserFactory()])  # someone else's course and trainer

    with CaptureQueriesContext(connection) as queries:
        found = selectors.authored_course(pk=course.pk)
        trainers = list(found.trainers.all())
        assert is_course_trainer(trainer, found) and is_course_trainer(co_trainer, found)
        assert not is_course_trainer(UserFactory.build(pk=10**6), found)
    assert len(queries) == 2

    expected = (
        type(course)
        .objects.prefetch_related("trainers")
        .select_related("category")
        .get(pk=course.pk)
    )
    assert trainers == list(expected.trainers.all())
    assert found.category == expected.category
    # The relation still queries as itself when asked something else.
    assert set(found.trainers.values_list("pk", flat=True)) == {trainer.pk, co_trainer.pk}
    assert list(found.trainers.filter(pk=co_trainer.pk)) == [co_trainer]
    assert selectors.authored_course(pk=course.pk + 1000) is None
    assert selectors.authored_course(pk=2**63) is None  # past the key range: no query
    same_rows(selectors._authored_course, pk=course.pk)
    same_rows(selectors._course_trainers, course_id=course.pk)


def test_the_workspace_counts_current_and_completed_enrolments(trainer):
    course = CourseFactory(trainers=[trainer])
    EnrollmentFactory(course=course)
    EnrollmentFactory(course=course, status=EnrollmentStatus.COMPLETED, completed_at=timezone.now())
    EnrollmentFactory(course=course, status=EnrollmentStatus.WITHDRAWN)
    empty = CourseFactory(trainers=[trainer])
    quiz = QuizFactory(course=course, title="Q")
    CourseFactory()  # not theirs

    rows = selectors.workspace_courses(user=trainer)

    assert [row.course.pk for row in rows] == [empty.pk, course.pk]  # newest first
    newest, oldest = rows
    assert (newest.learners, newest.completed, newest.quizzes) == (0, 0, [])
    assert (oldest.learners, oldest.completed) == (2, 1) and oldest.completion_rate == 50
    assert oldest.quizzes == [QuizLink(quiz.pk, "Q")]
    same_rows(selectors._trainer_courses, user_id=trainer.pk)
    same_rows(selectors._trainer_quizzes, user_id=trainer.pk)


def test_an_administrator_sees_every_course_in_the_workspace():
    admin = privileged(Role.ADMINISTRATOR)
    courses = [CourseFactory(trainers=[UserFactory()]), CourseFactory()]
    quiz = QuizFactory(course=courses[0])

    rows = selectors.workspace_courses(user=admin)

    assert {row.course.pk for row in rows} == {course.pk for course in courses}
    by_pk = {row.course.pk: row for row in rows}
    assert by_pk[courses[0].pk].quizzes == [QuizLink(quiz.pk, quiz.title)]
    same_rows(selectors._all_courses)
    same_rows(selectors._all_quizzes)
