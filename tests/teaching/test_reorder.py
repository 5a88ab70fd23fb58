"""The order posted after a drag and drop: the whole list, checked, through the services."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from courses.models import Module
from quizzes.models import Question
from quizzes.services import attempt_start
from tests.factories import EnrollmentFactory, UserFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_question
from tests.teaching.conftest import privileged

pytestmark = pytest.mark.django_db


def test_modules_and_lessons_take_the_posted_order(trainer_client, trainer):
    course = course_with_lessons(lessons_per_module=3, modules=3, trainers=[trainer])
    a, b, c = course.modules.order_by("position")
    x, y, z = a.lessons.order_by("position")

    trainer_client.post(
        reverse("teaching:module_order", args=[course.pk]), {"order": f"{c.pk},{a.pk},{b.pk}"}
    )
    trainer_client.post(
        reverse("teaching:lesson_order", args=[a.pk]), {"order": f"{z.pk},{x.pk},{y.pk}"}
    )

    assert list(course.modules.values_list("pk", "position")) == [(c.pk, 1), (a.pk, 2), (b.pk, 3)]
    assert list(a.lessons.values_list("pk", flat=True)) == [z.pk, x.pk, y.pk]


@pytest.mark.parametrize("order", ["", "1,2", "x,y,z", "9" * 40, "{a},{a},{b}", "{a},{b}"])
def test_an_incomplete_or_malformed_order_changes_nothing(trainer_client, trainer, order):
    course = course_with_lessons(lessons_per_module=1, modules=3, trainers=[trainer])
    ids = list(course.modules.values_list("pk", flat=True))
    a, b, _c = ids

    response = trainer_client.post(
        reverse("teaching:module_order", args=[course.pk]),
        {"order": order.format(a=a, b=b)},
        follow=True,
    )

    assert response.status_code == 200
    assert "out of date" in response.text
    assert list(course.modules.values_list("pk", flat=True)) == ids


def test_another_courses_modules_cannot_be_slipped_in(trainer_client, trainer):
    course = course_with_lessons(lessons_per_module=1, modules=2, trainers=[trainer])
    other = course_with_lessons(lessons_per_module=1, modules=1)
    a, b = course.modules.values_list("pk", flat=True)
    stranger = other.modules.get().pk

    trainer_client.post(
        reverse("teaching:module_order", args=[course.pk]), {"order": f"{b},{a},{stranger}"}
    )

    assert Module.objects.get(pk=stranger).course == other
    assert list(course.modules.values_list("pk", flat=True)) == [a, b]


def test_outsiders_get_404(client, trainer):
    course = course_with_lessons(lessons_per_module=1, modules=2, trainers=[trainer])
    a, b = course.modules.values_list("pk", flat=True)
    client.force_login(UserFactory())

    response = client.post(
        reverse("teaching:module_order", args=[course.pk]), {"order": f"{b},{a}"}
    )

    assert response.status_code == 404
    assert list(course.modules.values_list("pk", flat=True)) == [a, b]


@pytest.fixture
def quiz(trainer):
    quiz = QuizFactory(course=course_with_lessons(trainers=[trainer]), shuffle_questions=False)
    for _ in range(3):
        choice_question(quiz)
    return quiz


def _question_ids(quiz):
    return list(quiz.questions.order_by("position", "pk").values_list("pk", flat=True))


def test_questions_take_the_posted_order_and_new_attempts_follow_it(trainer_client, quiz):
    a, b, c = _question_ids(quiz)
    enrollment = EnrollmentFactory(course=quiz.course)

    response = trainer_client.post(
        reverse("teaching:question_order", args=[quiz.pk]), {"order": f"{c},{a},{b}"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("teaching:quiz", args=[quiz.pk])
    assert list(quiz.questions.order_by("position").values_list("pk", "position")) == [
        (c, 1),
        (a, 2),
        (b, 3),
    ]
    # The pool a learner draws from is the new order (the cached keys were made stale).
    attempt = attempt_start(enrollment=enrollment, quiz=quiz)
    assert list(attempt.question_ids) == [c, a, b]


def test_the_quiz_page_offers_drag_and_drop_with_the_move_buttons(trainer_client, quiz):
    response = trainer_client.get(reverse("teaching:quiz", args=[quiz.pk]))

    order_url = reverse("teaching:question_order", args=[quiz.pk])
    assert f'data-reorder-url="{order_url}"' in response.text
    assert "js/reorder.js" in response.text
    for pk in _question_ids(quiz):
        assert f'id="question-{pk}" data-id="{pk}"' in response.text
    assert 'value="down"' in response.text  # the keyboard fallback stays


@pytest.mark.parametrize("order", ["", "1,2", "x,y,z", "9" * 40, "{a},{a},{b}", "{a},{b}"])
def test_an_incomplete_or_malformed_question_order_changes_nothing(trainer_client, quiz, order):
    ids = _question_ids(quiz)
    a, b, _c = ids

    response = trainer_client.post(
        reverse("teaching:question_order", args=[quiz.pk]),
        {"order": order.format(a=a, b=b)},
        follow=True,
    )

    assert response.status_code == 200
    assert "out of date" in response.text
    assert _question_ids(quiz) == ids


def test_another_quizs_question_cannot_be_slipped_in(trainer_client, trainer, quiz):
    other = QuizFactory(course=course_with_lessons(trainers=[trainer]))
    stranger = choice_question(other)
    a, b, c = _question_ids(quiz)

    trainer_client.post(
        reverse("teaching:question_order", args=[quiz.pk]), {"order": f"{c},{b},{a},{stranger.pk}"}
    )

    assert Question.objects.get(pk=stranger.pk).quiz == other
    assert _question_ids(quiz) == [a, b, c]


@pytest.mark.parametrize("role", [None, Role.HR_OFFICER, Role.TRAINER])
def test_outsiders_cannot_reorder_questions(client, quiz, role):
    ids = _question_ids(quiz)
    client.force_login(privileged(role) if role else UserFactory())

    response = client.post(
        reverse("teaching:question_order", args=[quiz.pk]),
        {"order": ",".join(str(pk) for pk in ids[::-1])},
    )

    assert response.status_code == 404
    assert _question_ids(quiz) == ids
