"""The order posted after a drag and drop: the whole list, checked, through the services."""

import pytest
from django.urls import reverse

from courses.models import Module
from tests.factories import UserFactory, course_with_lessons

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
