"""List and learner pages run the same number of queries at 5 and at 50 rows."""

import pytest
from django.urls import reverse

from courses import services
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    UserFactory,
    course_with_lessons,
)
from tests.query_counts import assert_query_count, count_queries

pytestmark = pytest.mark.django_db


def _assert_constant(client, django_assert_num_queries, url, grow):
    grow(5)
    at_five = count_queries(client, url)
    grow(45)
    assert_query_count(client, django_assert_num_queries, url, at_five)


def test_catalogue(client, django_assert_num_queries, settings):
    settings.LMS_CATALOGUE_PAGE_SIZE = 100
    trainer = UserFactory()

    def grow(n):
        for _ in range(n):
            course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])

    url = reverse("courses:catalogue") + "?q=course&language=en"
    _assert_constant(client, django_assert_num_queries, url, grow)


def test_course_page(learner_client, learner, django_assert_num_queries):
    course = CourseFactory(slug="growing", trainers=[UserFactory(), UserFactory()])
    enrollment = EnrollmentFactory(user=learner, course=course)
    position = iter(range(1, 1000))

    def grow(n):
        for _ in range(n):
            module = ModuleFactory(course=course, position=next(position))
            lesson = LessonFactory(module=module, position=1)
            services.lesson_complete(enrollment=enrollment, lesson=lesson)
            LessonFactory(module=module, position=2)

    _assert_constant(
        learner_client, django_assert_num_queries, reverse("courses:detail", args=["growing"]), grow
    )


def test_lesson_page(learner_client, learner, django_assert_num_queries):
    course = CourseFactory(slug="lessons")
    first = ModuleFactory(course=course, position=0)
    lesson = LessonFactory(module=first, position=0)
    enrollment = EnrollmentFactory(user=learner, course=course)
    services.lesson_complete(enrollment=enrollment, lesson=lesson)
    position = iter(range(1, 1000))

    def grow(n):
        for _ in range(n):
            other = LessonFactory(module=first, position=next(position))
            services.lesson_complete(enrollment=enrollment, lesson=other)

    url = reverse("courses:lesson", args=["lessons", lesson.pk])
    _assert_constant(learner_client, django_assert_num_queries, url, grow)


def test_my_learning(learner_client, learner, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            course = course_with_lessons(lessons_per_module=2, modules=1)
            enrollment = EnrollmentFactory(user=learner, course=course)
            services.lesson_complete(enrollment=enrollment, lesson=course.lessons.first())

    _assert_constant(
        learner_client, django_assert_num_queries, reverse("courses:my_learning"), grow
    )
