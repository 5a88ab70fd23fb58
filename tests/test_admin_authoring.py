"""The admin writes courses, modules, lessons, quizzes, questions and choices through the
authoring services: published_at is set, positions stay consistent, and deleting something in
a learner's record is refused with the reason."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from courses.models import Course, CourseStatus, Lesson, Module
from courses.services import lesson_complete
from quizzes import services as quiz_services
from quizzes.models import Question
from tests.factories import (
    CategoryFactory,
    EnrollmentFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = pytest.mark.django_db

MANAGEMENT = {
    "TOTAL_FORMS": "0",
    "INITIAL_FORMS": "0",
    "MIN_NUM_FORMS": "0",
    "MAX_NUM_FORMS": "1000",
}


def management(prefix, **counts):
    values = {**MANAGEMENT, **{k: str(v) for k, v in counts.items()}}
    return {f"{prefix}-{key}": value for key, value in values.items()}


@pytest.fixture
def admin_user():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    return admin


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_course_added_and_published_in_the_admin_gets_published_at(admin_client, admin_user):
    category = CategoryFactory()
    response = admin_client.post(
        reverse("admin:courses_course_add"),
        {
            "title": "Електронски потпис",
            "slug": "e-potpis",
            "summary": "",
            "description": "**Увод**",
            "category": category.pk,
            "language": "sr",
            "estimated_hours": "2",
            "self_enrollment": "on",
            "status": "published",
            **management("modules", TOTAL_FORMS=2),
            "modules-0-title": "Први модул",
            "modules-1-title": "Други модул",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    course = Course.objects.get(slug="e-potpis")
    assert course.status == CourseStatus.PUBLISHED and course.published_at is not None
    assert "<strong>Увод</strong>" in course.description_html
    assert list(course.modules.values_list("title", "position")) == [
        ("Први модул", 1),
        ("Други модул", 2),
    ]
    assert AuditEvent.objects.filter(action="course.create", actor=admin_user).exists()


def test_a_duplicate_slug_in_the_admin_is_a_field_error(admin_client):
    course = course_with_lessons()
    response = admin_client.post(
        reverse("admin:courses_course_add"),
        {
            "title": "Again",
            "slug": course.slug,
            "language": "en",
            "estimated_hours": "1",
            "status": "draft",
            **management("modules"),
        },
    )

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors


def test_deleting_a_lesson_with_progress_is_refused_in_the_admin(admin_client):
    course = course_with_lessons()
    lesson = Lesson.objects.filter(course=course).first()
    lesson_complete(enrollment=EnrollmentFactory(course=course), lesson=lesson)

    url = reverse("admin:courses_lesson_delete", args=[lesson.pk])

    assert "archive it instead" in admin_client.get(url).text.lower()
    # The admin answers a POST by showing the same refusal again.
    assert "archive it instead" in admin_client.post(url, {"post": "yes"}).text.lower()
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_deleting_a_lesson_inline_with_progress_keeps_it(admin_client):
    course = course_with_lessons(lessons_per_module=2, modules=1)
    module = course.modules.get()
    done, other = module.lessons.order_by("position")
    lesson_complete(enrollment=EnrollmentFactory(course=course), lesson=done)
    data = {"title": module.title, **management("lessons", TOTAL_FORMS=2, INITIAL_FORMS=2)}
    for index, lesson in enumerate((done, other)):
        data |= {
            f"lessons-{index}-id": lesson.pk,
            f"lessons-{index}-module": module.pk,
            f"lessons-{index}-title": lesson.title,
            f"lessons-{index}-required": "on",
            f"lessons-{index}-estimated_minutes": "10",
            f"lessons-{index}-DELETE": "on",
        }

    response = admin_client.post(
        reverse("admin:courses_module_change", args=[module.pk]), data, follow=True
    )

    assert list(module.lessons.values_list("pk", "position")) == [(done.pk, 1)]
    assert "cannot be deleted" in response.text


def test_a_module_added_in_the_admin_goes_last(admin_client):
    course = course_with_lessons(modules=2)
    response = admin_client.post(
        reverse("admin:courses_module_add"),
        {"course": course.pk, "title": "Трећи", **management("lessons")},
    )

    assert response.status_code == 302
    assert Module.objects.get(title="Трећи").position == 3


def test_questions_and_choices_in_the_admin_go_through_the_services(admin_client):
    quiz = QuizFactory(course=course_with_lessons())
    response = admin_client.post(
        reverse("admin:quizzes_question_add"),
        {
            "quiz": quiz.pk,
            "kind": "single",
            "text": "Који потпис је квалификован?",
            "points": "1",
            "explanation": "",
            "partial_credit": "all",
            "accepted_answers": "[]",
            "numeric_answer": "",
            "numeric_tolerance": "0",
            **management("choices", TOTAL_FORMS=2),
            "choices-0-text": "Квалификовани",
            "choices-0-is_correct": "on",
            "choices-1-text": "Скенирани",
        },
    )

    assert response.status_code == 302
    question = Question.objects.get(quiz=quiz)
    assert list(question.choices.values_list("text", "is_correct", "position")) == [
        ("Квалификовани", True, 1),
        ("Скенирани", False, 2),
    ]


def test_deleting_an_answered_question_is_refused_in_the_admin(admin_client):
    course = course_with_lessons()
    quiz = QuizFactory(course=course)
    question = choice_question(quiz)
    attempt = quiz_services.attempt_start(enrollment=EnrollmentFactory(course=course), quiz=quiz)
    quiz_services.attempt_submit(attempt=attempt, data={f"q-{question.pk}": []})

    url = reverse("admin:quizzes_question_delete", args=[question.pk])

    assert "cannot be deleted" in admin_client.get(url).text
    # The admin answers a POST by showing the same refusal again.
    assert "cannot be deleted" in admin_client.post(url, {"post": "yes"}).text
    assert Question.objects.filter(pk=question.pk).exists()


def test_the_admin_archives_and_restores_lessons_and_questions_through_the_services(admin_client):
    course = course_with_lessons()
    lesson = Lesson.objects.filter(course=course).first()
    quiz = QuizFactory(course=course)
    question = choice_question(quiz)
    lessons_url = reverse("admin:courses_lesson_changelist")
    questions_url = reverse("admin:quizzes_question_changelist")

    admin_client.post(lessons_url, {"action": "archive", "_selected_action": [lesson.pk]})
    admin_client.post(questions_url, {"action": "archive", "_selected_action": [question.pk]})

    lesson.refresh_from_db()
    question.refresh_from_db()
    assert lesson.archived_at is not None
    assert question.archived_at is not None
    assert {"lesson.archive", "question.archive"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    # Shown on the change pages, not editable there.
    page = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk]))
    assert "archived_at" not in page.context["adminform"].form.fields
    assert "Archived at" in page.text

    admin_client.post(lessons_url, {"action": "restore", "_selected_action": [lesson.pk]})
    admin_client.post(questions_url, {"action": "restore", "_selected_action": [question.pk]})
    lesson.refresh_from_db()
    question.refresh_from_db()
    assert lesson.archived_at is None
    assert question.archived_at is None
