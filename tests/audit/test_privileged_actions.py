"""Every privileged action writes an audit event through the service that performs it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from courses import services as course_services
from courses.models import CourseStatus, EnrollmentSource
from tests.factories import CourseFactory, OrgUnitFactory, UserFactory, give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    admin = UserFactory(email="admin@example.gov", roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    return admin


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_a_role_change_is_recorded_with_before_and_after(admin_user):
    person = UserFactory()
    account_services.user_set_roles(
        user=person, roles=[Role.LEARNER, Role.HR_OFFICER], actor=admin_user
    )
    [event] = [e for e in events("user.roles_set") if e.target_id == str(person.pk)]
    assert event.actor == admin_user
    assert event.target_type == "accounts.user"
    assert event.data == {"before": ["learner"], "after": ["hr_officer", "learner"]}


def test_setting_the_same_roles_again_records_nothing(admin_user):
    person = UserFactory(roles=[Role.TRAINER])
    before = AuditEvent.objects.count()
    account_services.user_set_roles(user=person, roles=[Role.TRAINER], actor=admin_user)
    assert AuditEvent.objects.count() == before


def test_a_new_learner_account_is_not_a_privileged_action():
    UserFactory()
    assert not events("user.roles_set")


def test_roles_changed_in_the_admin_are_recorded_with_the_admin_as_actor(admin_client, admin_user):
    unit = OrgUnitFactory()
    person = UserFactory(email="ivana@example.gov", full_name="Ивана")
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "full_name": "Ивана Петровић",
            "preferred_language": "sr",
            "org_unit": unit.pk,
            "employee_number": "",
            "is_active": "on",
            "roles": ["learner", "hr_officer"],
        },
    )
    assert response.status_code == 302
    [update] = events("user.update")
    assert update.actor == admin_user
    assert update.data == {
        "fields": ["full_name", "org_unit", "preferred_language"],
        "org_unit": [None, unit.pk],
        "preferred_language": ["en", "sr"],
    }
    # Personal data is named, never copied into the log.
    assert "Ивана" not in str(update.data)
    [roles] = [e for e in events("user.roles_set") if e.target_id == str(person.pk)]
    assert roles.actor == admin_user
    assert User.objects.get(pk=person.pk).org_unit == unit


def test_an_admin_save_that_changes_nothing_records_nothing(admin_client):
    person = UserFactory(email="ana@example.gov", full_name="Ana")
    before = AuditEvent.objects.count()
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "full_name": "Ana",
            "preferred_language": "en",
            "employee_number": "",
            "is_active": "on",
            "roles": ["learner"],
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


def test_a_person_created_in_the_admin_is_recorded(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.trainer@example.gov",
            "full_name": "Нови Тренер",
            "preferred_language": "sr",
            "roles": ["trainer"],
            "usable_password": "true",
            "password1": "a-long-enough-Passw0rd",
            "password2": "a-long-enough-Passw0rd",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(email="new.trainer@example.gov")
    assert person.check_password("a-long-enough-Passw0rd")
    [created] = events("user.create")
    assert created.target_id == str(person.pk)
    assert created.actor == admin_user
    [roles] = [e for e in events("user.roles_set") if e.target_id == str(person.pk)]
    assert roles.data["after"] == ["trainer"]


def test_a_password_set_in_the_admin_is_recorded(admin_client, admin_user):
    person = UserFactory()
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": "another-long-Passw0rd", "password2": "another-long-Passw0rd"},
    )
    assert response.status_code == 302
    [event] = events("user.password_set")
    assert (event.actor, event.target_id) == (admin_user, str(person.pk))
    assert event.data == {}


def test_people_cannot_be_deleted_in_the_admin(admin_client):
    person = UserFactory()
    response = admin_client.post(
        reverse("admin:accounts_user_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()


def test_org_units_created_and_moved_in_the_admin_are_recorded(admin_client, admin_user):
    ministry = OrgUnitFactory(code="ministry")
    other = OrgUnitFactory(code="other")
    admin_client.post(
        reverse("admin:accounts_orgunit_add"),
        {"name": "Sector", "code": "sector", "parent": ministry.pk},
    )
    [created] = [e for e in events("org_unit.create") if e.actor_id == admin_user.pk]
    assert created.data == {"code": "sector", "parent": ministry.pk}
    sector_id = int(created.target_id)
    admin_client.post(
        reverse("admin:accounts_orgunit_change", args=[sector_id]),
        {"name": "Sector", "code": "sector", "parent": other.pk},
    )
    [moved] = events("org_unit.update")
    assert moved.actor == admin_user
    assert moved.data == {"parent": [ministry.pk, other.pk]}


def test_publishing_and_archiving_in_the_admin_are_recorded(admin_client, admin_user):
    course = CourseFactory(status=CourseStatus.DRAFT)
    changelist = reverse("admin:courses_course_changelist")
    for action in ("publish", "archive"):
        response = admin_client.post(
            changelist, {"action": action, "_selected_action": [course.pk]}
        )
        assert response.status_code == 302
    published, archived = events("course.publish"), events("course.archive")
    assert [e.data for e in published] == [{"from": "draft", "to": "published"}]
    assert [e.data for e in archived] == [{"from": "published", "to": "archived"}]
    assert {e.actor for e in published + archived} == {admin_user}


def test_a_status_chosen_in_the_course_form_goes_through_the_service(admin_client, admin_user):
    course = CourseFactory(status=CourseStatus.DRAFT)
    trainer = UserFactory(roles=[Role.TRAINER])
    response = admin_client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        {
            "title": course.title,
            "slug": course.slug,
            "summary": "",
            "description": course.description,
            "category": course.category_id,
            "language": "en",
            "estimated_hours": "1",
            "self_enrollment": "on",
            "status": "published",
            "trainers": [trainer.pk],
            "modules-TOTAL_FORMS": "0",
            "modules-INITIAL_FORMS": "0",
            "modules-MIN_NUM_FORMS": "0",
            "modules-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert course.published_at is not None
    [event] = events("course.publish")
    assert event.actor == admin_user
    # So do the trainers chosen in it: they see every learner's progress in the course.
    [trainers] = events("course.trainers_set")
    assert trainers.actor == admin_user
    assert trainers.data == {"before": [], "after": [trainer.pk]}
    assert list(course.trainers.all()) == [trainer]


def test_setting_the_status_a_course_already_has_records_nothing():
    course = CourseFactory(status=CourseStatus.PUBLISHED)
    course_services.course_set_status(course=course, status=CourseStatus.PUBLISHED)
    assert not events("course.publish")


def test_an_hr_assignment_is_recorded_with_the_officer_as_actor():
    officer = UserFactory(roles=[Role.HR_OFFICER])
    person = UserFactory()
    course = CourseFactory(self_enrollment=False)
    due = datetime.date(2027, 3, 1)
    enrollment = course_services.enrollment_create(
        user=person,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        assigned_by=officer,
        due_date=due,
    )
    [event] = events("enrollment.assign")
    assert event.actor == officer
    assert (event.target_type, event.target_id) == ("courses.enrollment", str(enrollment.pk))
    assert event.data == {"user": person.pk, "course": course.pk, "due_date": "2027-03-01"}


def test_self_enrolment_is_not_audited(learner):
    course_services.enrollment_create(user=learner, course=CourseFactory())
    assert not events("enrollment.assign")


def test_the_chain_holds_after_a_mix_of_actions(admin_user):
    person = UserFactory()
    account_services.user_set_roles(user=person, roles=[Role.TRAINER], actor=admin_user)
    course_services.course_set_status(
        course=CourseFactory(status=CourseStatus.DRAFT),
        status=CourseStatus.PUBLISHED,
        actor=admin_user,
    )
    report = audit_chain_verify()
    assert report.problem is None
    assert report.events == AuditEvent.objects.count() >= 2


def test_the_log_is_read_only_in_the_admin_and_filters_by_actor_and_date(admin_client, admin_user):
    other = UserFactory(roles=[Role.HR_OFFICER])
    person = UserFactory()
    account_services.user_set_roles(user=person, roles=[Role.TRAINER], actor=admin_user)
    account_services.user_set_roles(user=person, roles=[Role.LEARNER], actor=other)
    changelist = reverse("admin:audit_auditevent_changelist")

    response = admin_client.get(changelist, {"actor": str(other.pk)})
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown and all(e.actor_id == other.pk for e in shown)

    today = timezone.localdate()
    response = admin_client.get(
        changelist, {"created_at__year": today.year, "created_at__month": today.month}
    )
    assert response.status_code == 200
    assert response.context["cl"].date_hierarchy == "created_at"

    event = AuditEvent.objects.first()
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"action": "changed"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403


def test_an_email_changed_in_the_admin_replaces_the_sign_in_address(admin_client):
    from allauth.account.models import EmailAddress
    from django.test import Client

    from tests.factories import PASSWORD

    person = UserFactory(email="old@example.gov", full_name="Ana")
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": "new@example.gov",
            "full_name": "Ana",
            "preferred_language": "en",
            "employee_number": "",
            "is_active": "on",
            "roles": ["learner"],
        },
    )
    assert response.status_code == 302
    old = Client().post(
        reverse("account_login"), {"login": "old@example.gov", "password": PASSWORD}
    )
    assert "_auth_user_id" not in old.client.session
    new = Client()
    new.post(reverse("account_login"), {"login": "new@example.gov", "password": PASSWORD})
    assert new.session.get("_auth_user_id") == str(person.pk)
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "primary")) == [
        ("new@example.gov", True)
    ]
    [event] = events("user.update")
    assert event.data == {"fields": ["email"]}


def test_the_log_in_the_admin_runs_the_same_queries_however_many_events(admin_client):
    from tests.query_counts import count_queries

    changelist = reverse("admin:audit_auditevent_changelist")

    def record(n):
        for _ in range(n):
            actor = UserFactory()
            account_services.user_set_roles(user=UserFactory(), roles=[Role.TRAINER], actor=actor)

    record(2)
    few = count_queries(admin_client, changelist)
    record(20)
    assert count_queries(admin_client, changelist) == few
