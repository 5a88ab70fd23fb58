"""Administrators manage users, org units, roles and courses in the Django admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import OrgUnit, User
from accounts.permissions import user_roles
from accounts.roles import Role
from courses.models import Attachment
from tests.factories import OrgUnitFactory, UserFactory, course_with_lessons, give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="admin@example.gov", roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    client.force_login(admin)
    return client


def test_admin_without_mfa_is_sent_to_set_it_up(client, settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = True
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_learner_cannot_open_the_admin(learner_client):
    response = learner_client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "Access denied" in response.text


def test_org_unit_created_in_admin_gets_a_path_below_its_parent(admin_client):
    ministry = OrgUnitFactory(name="Ministry")
    response = admin_client.post(
        reverse("admin:accounts_orgunit_add"),
        {"name": "Digital Sector", "code": "digital", "parent": ministry.pk},
    )
    assert response.status_code == 302
    sector = OrgUnit.objects.get(code="digital")
    assert sector.path.startswith(ministry.path)
    assert sector.depth == 1


def test_roles_are_set_in_admin(admin_client):
    person = UserFactory(email="ivana@example.gov")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    response = admin_client.post(
        url,
        {
            "email": person.email,
            "full_name": "Ивана Петровић",
            "preferred_language": "sr",
            "employee_number": "",
            "is_active": "on",
            "roles": ["learner", "hr_officer"],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(pk=person.pk)
    assert user_roles(person) == {"learner", "hr_officer"}
    assert person.full_name == "Ивана Петровић"


def _attachment_post(admin_client, lesson, upload):
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    return admin_client.post(
        url,
        {
            "module": lesson.module_id,
            "position": lesson.position,
            "title": lesson.title,
            "body": lesson.body,
            "video_url": "",
            "estimated_minutes": 10,
            "required": "on",
            "attachments-TOTAL_FORMS": 1,
            "attachments-INITIAL_FORMS": 0,
            "attachments-MIN_NUM_FORMS": 0,
            "attachments-MAX_NUM_FORMS": 1000,
            "attachments-0-title": "Handout",
            "attachments-0-file": upload,
            "attachments-0-lesson": lesson.pk,
        },
    )


def test_disallowed_attachment_is_refused_with_a_message(admin_client):
    lesson = course_with_lessons(lessons_per_module=1, modules=1).lessons.get()
    upload = SimpleUploadedFile("payload.html", b"<script>alert(1)</script>")
    response = _attachment_post(admin_client, lesson, upload)
    assert response.status_code == 200
    assert "cannot be attached" in response.text
    assert not Attachment.objects.exists()


def test_oversized_attachment_is_refused_with_a_message(admin_client, settings):
    settings.LMS_ATTACHMENT_MAX_BYTES = 1024
    lesson = course_with_lessons(lessons_per_module=1, modules=1).lessons.get()
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 4096)
    response = _attachment_post(admin_client, lesson, upload)
    assert response.status_code == 200
    assert "attachments may be at most" in response.text
    assert not Attachment.objects.exists()


def test_allowed_attachment_is_stored(admin_client):
    lesson = course_with_lessons(lessons_per_module=1, modules=1).lessons.get()
    upload = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide")
    response = _attachment_post(admin_client, lesson, upload)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.size == len(b"%PDF-1.4 guide")


def test_admin_course_list_opens(admin_client):
    course_with_lessons()
    assert admin_client.get(reverse("admin:courses_course_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:accounts_orgunit_changelist")).status_code == 200


def test_admin_is_named_after_the_site_in_the_readers_language(client, settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = False
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR], preferred_language="sr"))
    page = client.get("/admin/").content.decode()
    assert "Центар за ИКТ обуку · Администрација" in page
    assert "<title>" in page and "Центар за ИКТ обуку</title>" in page
