"""Content in another language than the page carries its own ``lang``."""

import re

import pytest
from django.urls import reverse

from tests.factories import CourseFactory, EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_course():
    return course_with_lessons(
        title="전자정부 기초", summary="공공 서비스", language="ko", lessons_per_module=1
    )


def test_html_element_has_lang_and_dir(client):
    for language in ["en", "sr", "sr-latn", "ko"]:
        client.post(reverse("set_language"), {"language": language})
        html = client.get(reverse("courses:catalogue")).text
        assert f'<html lang="{language}" dir="ltr">' in html


def test_catalogue_marks_a_korean_course_on_a_serbian_page(client, korean_course):
    CourseFactory(title="Serbian course", language="sr")
    client.post(reverse("set_language"), {"language": "sr"})
    html = client.get(reverse("courses:catalogue")).text
    assert re.search(r'<a href="/courses/[^"]+/" lang="ko">전자정부 기초</a>', html)
    assert '<p lang="ko">공공 서비스</p>' in html
    # Content in the page's own language needs no attribute.
    assert re.search(r'<a href="/courses/[^"]+/">Serbian course</a>', html)


def test_no_lang_attribute_when_the_page_is_in_the_courses_language(client, korean_course):
    client.post(reverse("set_language"), {"language": "ko"})
    html = client.get(reverse("courses:catalogue")).text
    assert re.search(r'<a href="/courses/[^"]+/">전자정부 기초</a>', html)


def test_course_lesson_and_my_learning_pages_mark_the_courses_language(
    learner_client, learner, korean_course
):
    EnrollmentFactory(user=learner, course=korean_course)
    course_page = learner_client.get(reverse("courses:detail", args=[korean_course.slug])).text
    assert '<h1 lang="ko">전자정부 기초</h1>' in course_page
    assert '<div class="description" lang="ko">' in course_page
    lesson = korean_course.lessons.first()
    lesson_page = learner_client.get(
        reverse("courses:lesson", args=[korean_course.slug, lesson.pk])
    ).text
    assert f'<h1 lang="ko">{lesson.title}</h1>' in lesson_page
    assert '<div class="lesson-body" lang="ko">' in lesson_page
    my_learning = learner_client.get(reverse("courses:my_learning")).text
    assert re.search(r'<a href="/courses/[^"]+/" lang="ko">전자정부 기초</a>', my_learning)
