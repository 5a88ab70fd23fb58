"""The Django admin adds enrollments only through ``reports.services.enrollment_assign``."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from courses.models import CourseStatus, Enrollment, EnrollmentSource
from tests.factories import (
    EnrollmentFactory,
    OrgUnitFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:courses_enrollment_add")


@pytest.fixture
def admin_user():
    admin = UserFactory(email="admin@example.gov", roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    return admin


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _post(client, course, people: str, due_date=None):
    return client.post(
        ADD,
        {
            "course": course.pk,
            "due_date": due_date.isoformat() if due_date else "",
            "people": people,
        },
    )


def test_the_admin_assigns_through_the_service(admin_client, admin_user):
    unit = OrgUnitFactory(name="Сектор")
    ana = UserFactory(email="ana@example.gov", org_unit=unit)
    marko = UserFactory(employee_number="E-42", org_unit=unit)
    course = course_with_lessons()
    due = timezone.localdate() + datetime.timedelta(days=30)

    assert admin_client.get(ADD).status_code == 200
    response = _post(admin_client, course, "ANA@example.gov\nE-42\n", due)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:courses_enrollment_changelist")
    enrollments = Enrollment.objects.filter(course=course).order_by("user_id")
    assert [e.user for e in enrollments] == [ana, marko]
    assert {(e.source, e.assigned_by, e.due_date) for e in enrollments} == {
        (EnrollmentSource.ASSIGNED, admin_user, due)
    }
    assert AuditEvent.objects.filter(action="enrollment.assign", actor=admin_user).count() == 2
    [batch] = AuditEvent.objects.filter(action="enrollment.assign_batch")
    assert batch.actor == admin_user and batch.data["created"] == 2


def test_a_line_matching_no_one_is_an_error_and_nothing_is_assigned(admin_client):
    UserFactory(email="ana@example.gov")
    course = course_with_lessons()
    response = _post(admin_client, course, "ana@example.gov\nnobody@example.gov")
    assert response.status_code == 200
    errors = response.context["form"].errors["people"]
    assert errors == [
        "Line 2 (nobody@example.gov): No active person in your units has this email or "
        "employee number."
    ]
    assert not Enrollment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="enrollment.").exists()


def test_refusals_of_the_service_show_on_the_form(admin_client):
    UserFactory(email="ana@example.gov")
    course = course_with_lessons()
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = _post(admin_client, course, "ana@example.gov", past)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["The due date is in the past."]
    draft = course_with_lessons(status=CourseStatus.DRAFT)
    response = _post(admin_client, draft, "ana@example.gov")
    assert response.status_code == 200 and "course" in response.context["form"].errors
    assert "people" in _post(admin_client, course, "").context["form"].errors
    assert not Enrollment.objects.exists()


def test_completed_people_are_left_alone_and_in_progress_get_the_new_date(admin_client):
    course = course_with_lessons()
    done = EnrollmentFactory(course=course, user=UserFactory(email="done@example.gov"))
    Enrollment.objects.filter(pk=done.pk).update(status="completed", completed_at=timezone.now())
    going = EnrollmentFactory(course=course, user=UserFactory(email="going@example.gov"))
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = _post(admin_client, course, "done@example.gov\ngoing@example.gov", due)
    assert response.status_code == 302
    going.refresh_from_db()
    done.refresh_from_db()
    assert going.due_date == due and done.due_date is None
    assert Enrollment.objects.filter(course=course).count() == 2


def test_enrollments_still_cannot_be_edited_in_the_admin(admin_client):
    enrollment = EnrollmentFactory()
    url = reverse("admin:courses_enrollment_change", args=[enrollment.pk])
    response = admin_client.post(url, {"status": "completed"})
    assert response.status_code in (200, 403)
    enrollment.refresh_from_db()
    assert enrollment.status != "completed"


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER, Role.HR_OFFICER])
def test_no_one_else_reaches_the_admin_add_page(client, role):
    person = UserFactory(roles=[role], org_unit=OrgUnitFactory())
    give_totp(person)
    client.force_login(person)
    response = client.post(
        ADD, {"course": course_with_lessons().pk, "people": person.email}, follow=False
    )
    assert response.status_code in (302, 403)
    assert not Enrollment.objects.exists()
