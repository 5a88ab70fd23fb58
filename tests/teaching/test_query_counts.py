"""The workspace's pages run the same number of queries at 5 and at 50 rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from tests.factories import EnrollmentFactory, LessonFactory, ModuleFactory, course_with_lessons
from tests.query_counts import assert_query_count, count_queries
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = pytest.mark.django_db


def _assert_constant(client, django_assert_num_queries, url, grow):
    grow(5)
    at_five = count_queries(client, url)
    grow(45)
    assert_query_count(client, django_assert_num_queries, url, at_five)


def test_my_courses(trainer_client, trainer, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
            QuizFactory(course=course)
            enrollment = EnrollmentFactory(course=course)
            services.lesson_complete(enrollment=enrollment, lesson=course.lessons.first())
            EnrollmentFactory(course=course)

    _assert_constant(trainer_client, django_assert_num_queries, reverse("teaching:home"), grow)


def test_course_outline(trainer_client, trainer, django_assert_num_queries):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    positions = iter(range(10, 1000))

    def grow(n):
        for _ in range(n):
            module = ModuleFactory(course=course, position=next(positions))
            lesson = LessonFactory(module=module, position=1)
            LessonFactory(module=module, position=2, required=False, archived_at=timezone.now())
            ModuleFactory(course=course, position=next(positions))  # without lessons
            QuizFactory(course=course, module=module)
            QuizFactory(course=course)  # a final exam
            services.lesson_complete(enrollment=EnrollmentFactory(course=course), lesson=lesson)

    url = reverse("teaching:course", args=[course.pk])
    _assert_constant(trainer_client, django_assert_num_queries, url, grow)


def test_quiz_editor(trainer_client, trainer, django_assert_num_queries):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    quiz = QuizFactory(course=course)

    def grow(n):
        for _ in range(n):
            choice_question(quiz)

    url = reverse("teaching:quiz", args=[quiz.pk])
    _assert_constant(trainer_client, django_assert_num_queries, url, grow)
