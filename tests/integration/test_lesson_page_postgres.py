"""The lesson page's one-statement read of the enrollment and its lessons done, on PostgreSQL
(its JSON aggregate differs from SQLite's)."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.courses.test_selectors import assert_same_as_the_two_selectors, enrollment_cases
from tests.factories import EnrollmentFactory, course_with_lessons


@pytest.mark.django_db
def test_the_enrollment_with_its_lessons_done_agrees_with_the_two_selectors(learner):
    assert connection.vendor == "postgresql"
    for course in enrollment_cases(learner):
        assert_same_as_the_two_selectors(learner, course)


@pytest.mark.django_db
def test_the_lesson_page_marks_the_lessons_done(learner_client, learner):
    course = course_with_lessons(lessons_per_module=2, modules=1)
    EnrollmentFactory(user=learner, course=course)
    first, second = course.lessons.order_by("position")
    learner_client.post(reverse("courses:lesson_done", args=[course.slug, first.pk]))
    html = learner_client.get(reverse("courses:lesson", args=[course.slug, second.pk])).text
    assert html.count('<li class="done">') == 1
    assert "50% · 1 of 2 required lessons" in html
