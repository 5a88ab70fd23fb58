"""The course page's main action once enrolled, and the site's page for a GET on an action."""

import re

import pytest
from django.urls import reverse

from courses import services
from tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def main_action(html: str) -> tuple[str, str] | None:
    found = re.search(
        r'<a class="button" href="([^"]+)" data-testid="next-lesson">([^<]+)</a>', html
    )
    return (found.group(1), found.group(2)) if found else None


def lessons_in_order(course):
    return list(course.lessons.order_by("module__position", "position"))


def test_after_enrolling_the_course_page_offers_start(learner_client, learner):
    course = course_with_lessons()
    learner_client.post(reverse("courses:enrol", args=[course.slug]))
    html = learner_client.get(reverse("courses:detail", args=[course.slug])).text
    first = lessons_in_order(course)[0]
    assert main_action(html) == (reverse("courses:lesson", args=[course.slug, first.pk]), "Start")


def test_course_page_continues_where_the_learner_left_off(learner_client, learner):
    course = course_with_lessons()
    enrollment = EnrollmentFactory(user=learner, course=course)
    lessons = lessons_in_order(course)
    services.lesson_complete(enrollment=enrollment, lesson=lessons[0])
    services.lesson_complete(enrollment=enrollment, lesson=lessons[2])
    html = learner_client.get(reverse("courses:detail", args=[course.slug])).text
    assert main_action(html) == (
        reverse("courses:lesson", args=[course.slug, lessons[1].pk]),
        "Continue where you left off",
    )


def test_optional_lessons_come_after_the_required_ones(learner_client, learner):
    course = course_with_lessons(lessons_per_module=2, modules=1)
    optional, required = lessons_in_order(course)
    optional.required = False
    optional.save()
    EnrollmentFactory(user=learner, course=course)
    html = learner_client.get(reverse("courses:detail", args=[course.slug])).text
    assert main_action(html)[0] == reverse("courses:lesson", args=[course.slug, required.pk])


def test_no_main_action_when_every_lesson_is_read_or_not_enrolled(learner_client, learner, client):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    assert main_action(client.get(reverse("courses:detail", args=[course.slug])).text) is None
    enrollment = EnrollmentFactory(user=learner, course=course)
    services.lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
    html = learner_client.get(reverse("courses:detail", args=[course.slug])).text
    assert main_action(html) is None


@pytest.mark.parametrize(
    ("action", "back"),
    [
        ("enrol", "detail"),
        ("leave", "detail"),
        ("lesson_done", "lesson"),
    ],
)
def test_get_on_a_post_only_address_shows_the_sites_page_with_a_way_back(
    learner_client, learner, action, back
):
    course = course_with_lessons()
    lesson = lessons_in_order(course)[0]
    EnrollmentFactory(user=learner, course=course)
    args = [course.slug, lesson.pk] if back == "lesson" else [course.slug]
    response = learner_client.get(reverse(f"courses:{action}", args=args))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.text
    assert "<h1>This address cannot be opened directly</h1>" in html
    assert f'<a class="button" href="{reverse(f"courses:{back}", args=args)}">' in html
    assert "site-header" in html  # the site's own layout, not an empty page


def test_405_page_is_translated(client):
    client.post(reverse("set_language"), {"language": "ko"})
    response = client.get(reverse("set_language"))
    assert response.status_code == 405
    assert '<html lang="ko" dir="ltr">' in response.text
    # With nowhere better to go, the way back is the catalogue.
    assert f'<a class="button" href="{reverse("courses:catalogue")}">' in response.text


def test_get_on_start_attempt_shows_the_quiz_as_the_way_back(learner_client, learner):
    from tests.quizzes.factories import quiz_with_every_kind

    course = course_with_lessons()
    EnrollmentFactory(user=learner, course=course)
    quiz = quiz_with_every_kind(course)
    response = learner_client.get(reverse("quizzes:start", args=[course.slug, quiz.pk]))
    assert response.status_code == 405
    assert f'href="{reverse("quizzes:detail", args=[course.slug, quiz.pk])}"' in response.text
