"""The workspace offers "Archive instead" where deleting is refused, marks archived lessons and
questions in words with a Restore button, and archives only on a confirmed POST."""

import pytest
from django.urls import reverse

from courses import authoring
from courses.models import Lesson
from courses.services import lesson_complete
from quizzes import authoring as quiz_authoring
from quizzes.services import attempt_start, attempt_submit
from tests.factories import EnrollmentFactory, LessonFactory, ModuleFactory, course_with_lessons
from tests.query_counts import assert_query_count, count_queries
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def used_lesson(trainer):
    course = course_with_lessons(lessons_per_module=2, modules=1, trainers=[trainer])
    lesson = Lesson.objects.filter(course=course).order_by("position").first()
    lesson_complete(enrollment=EnrollmentFactory(course=course), lesson=lesson)
    return lesson


@pytest.fixture
def answered_question(trainer):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    quiz = QuizFactory(course=course)
    question = choice_question(quiz)
    choice_question(quiz)
    attempt = attempt_start(enrollment=EnrollmentFactory(course=course), quiz=quiz)
    attempt_submit(attempt=attempt, data={})
    return question


def test_the_outline_offers_archive_instead_of_delete_for_a_used_lesson(
    trainer_client, used_lesson
):
    outline = trainer_client.get(reverse("teaching:course", args=[used_lesson.course_id])).text

    archive_url = reverse("teaching:lesson_archive", args=[used_lesson.pk])
    assert archive_url in outline
    assert reverse("teaching:lesson_delete", args=[used_lesson.pk]) not in outline

    page = trainer_client.get(reverse("teaching:lesson_delete", args=[used_lesson.pk]))
    assert "Archive it instead" in page.text
    assert archive_url in page.text


def test_archiving_asks_first_then_marks_the_lesson_with_a_restore_button(
    trainer_client, used_lesson
):
    url = reverse("teaching:lesson_archive", args=[used_lesson.pk])

    confirm = trainer_client.get(url)
    used_lesson.refresh_from_db()
    assert confirm.status_code == 200
    assert used_lesson.archived_at is None

    response = trainer_client.post(url, follow=True)

    used_lesson.refresh_from_db()
    assert used_lesson.archived_at is not None
    assert "The lesson is archived" in response.text
    assert "Archived" in response.text
    restore_url = reverse("teaching:lesson_restore", args=[used_lesson.pk])
    assert restore_url in response.text
    # Trainers still edit it in the workspace.
    edit = trainer_client.get(reverse("teaching:lesson_edit", args=[used_lesson.pk]))
    assert edit.status_code == 200

    assert trainer_client.get(restore_url).status_code == 405
    trainer_client.post(restore_url)
    used_lesson.refresh_from_db()
    assert used_lesson.archived_at is None


def test_a_lesson_nobody_completed_is_still_deleted(trainer_client, trainer):
    course = course_with_lessons(lessons_per_module=2, modules=1, trainers=[trainer])
    lesson = Lesson.objects.filter(course=course).first()

    page = trainer_client.get(reverse("teaching:lesson_delete", args=[lesson.pk]))
    assert "Archive it instead" not in page.text
    trainer_client.post(reverse("teaching:lesson_delete", args=[lesson.pk]))

    assert not Lesson.objects.filter(pk=lesson.pk).exists()


def test_the_quiz_page_offers_archive_for_an_answered_question_and_restore_after(
    trainer_client, answered_question
):
    quiz_url = reverse("teaching:quiz", args=[answered_question.quiz_id])
    archive_url = reverse("teaching:question_archive", args=[answered_question.pk])
    restore_url = reverse("teaching:question_restore", args=[answered_question.pk])
    page = trainer_client.get(quiz_url).text
    assert archive_url in page
    assert reverse("teaching:question_delete", args=[answered_question.pk]) not in page
    delete_page = trainer_client.get(
        reverse("teaching:question_delete", args=[answered_question.pk])
    )
    assert archive_url in delete_page.text

    assert trainer_client.get(archive_url).status_code == 200
    response = trainer_client.post(archive_url, follow=True)

    answered_question.refresh_from_db()
    assert answered_question.archived_at is not None
    assert "left out of new attempts" in response.text
    assert restore_url in response.text
    trainer_client.post(restore_url)
    answered_question.refresh_from_db()
    assert answered_question.archived_at is None


def test_outline_queries_stay_constant_with_archived_lessons(
    trainer_client, trainer, django_assert_num_queries
):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    positions = iter(range(10, 1000))
    url = reverse("teaching:course", args=[course.pk])

    def grow(n):
        for _ in range(n):
            module = ModuleFactory(course=course, position=next(positions))
            lesson = LessonFactory(module=module, position=1)
            lesson_complete(enrollment=EnrollmentFactory(course=course), lesson=lesson)
            authoring.lesson_archive(lesson=lesson, actor=trainer)

    before = count_queries(trainer_client, url)
    grow(5)
    at_five = count_queries(trainer_client, url)
    grow(45)
    assert at_five == before
    assert_query_count(trainer_client, django_assert_num_queries, url, at_five)


def test_quiz_page_queries_stay_constant_with_archived_questions(
    trainer_client, trainer, django_assert_num_queries
):
    course = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    quiz = QuizFactory(course=course)
    choice_question(quiz)
    url = reverse("teaching:quiz", args=[quiz.pk])

    def grow(n):
        for _ in range(n):
            quiz_authoring.question_archive(question=choice_question(quiz), actor=trainer)

    before = count_queries(trainer_client, url)
    grow(5)
    at_five = count_queries(trainer_client, url)
    grow(45)
    assert at_five == before
    assert_query_count(trainer_client, django_assert_num_queries, url, at_five)
