"""Co-trainers from the workspace: trainers only, audited, and nobody locks themselves out."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import UserFactory, course_with_lessons
from tests.teaching.conftest import privileged

pytestmark = pytest.mark.django_db


def test_a_trainer_adds_a_co_trainer(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer])
    colleague = privileged(Role.TRAINER)

    response = trainer_client.post(
        reverse("teaching:course_trainers", args=[course.pk]),
        {"trainers": [trainer.pk, colleague.pk]},
    )

    assert response.status_code == 302
    assert set(course.trainers.all()) == {trainer, colleague}
    assert AuditEvent.objects.get(action="course.trainers_set").actor == trainer


def test_a_learner_cannot_be_made_a_trainer_and_nobody_removes_themselves(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer])
    colleague = privileged(Role.TRAINER)
    learner = UserFactory()
    url = reverse("teaching:course_trainers", args=[course.pk])

    response = trainer_client.post(url, {"trainers": [trainer.pk, learner.pk]})
    assert "trainers" in response.context["form"].errors
    response = trainer_client.post(url, {"trainers": [colleague.pk]})
    assert "trainers" in response.context["form"].errors
    response = trainer_client.post(url, {})
    assert "trainers" in response.context["form"].errors

    assert list(course.trainers.all()) == [trainer]
