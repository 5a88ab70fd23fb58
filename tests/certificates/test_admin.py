"""Certificate templates in the Django admin: saving goes through the service and the audit
log, one default at a time, and certificates cannot be added or deleted there."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from certificates.models import CertificateTemplate
from tests.factories import UserFactory, course_with_lessons, give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    client.force_login(admin)
    return client


def _template_form(**overrides):
    data = {
        "name": "Ministry",
        "title": "",
        "organisation": "Министарство",
        "signatory1_name": "Ана Јовић",
        "signatory1_title": "Директорка",
        "signatory2_name": "",
        "signatory2_title": "",
        "primary_colour": "#123456",
        "accent_colour": "#654321",
    }
    return {**data, **overrides}


def test_new_default_template_takes_the_mark_and_is_audited(admin_client):
    old_default = CertificateTemplate.objects.get(is_default=True)
    response = admin_client.post(
        reverse("admin:certificates_certificatetemplate_add"), _template_form(is_default="on")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = CertificateTemplate.objects.get(name="Ministry")
    assert new.is_default and not CertificateTemplate.objects.get(pk=old_default.pk).is_default
    event = AuditEvent.objects.get(action="certificate.template_save")
    assert event.target_id == str(new.pk) and "organisation" in event.data["changed"]


def test_a_bad_colour_re_renders_the_form_and_saves_nothing(admin_client):
    response = admin_client.post(
        reverse("admin:certificates_certificatetemplate_add"),
        _template_form(primary_colour="red"),
    )
    assert response.status_code == 200
    assert not CertificateTemplate.objects.filter(name="Ministry").exists()


def test_course_template_choice_in_the_admin_is_audited(admin_client):
    course = course_with_lessons(1, 1)
    template = CertificateTemplate.objects.create(name="Other", organisation="Other")
    response = admin_client.post(
        reverse("admin:certificates_coursecertificatesettings_add"),
        {"course": course.pk, "template": template.pk},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="certificate.template_choose").count() == 1


def test_certificates_cannot_be_added_or_deleted_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:certificates_certificate_add")).status_code == 403
    assert admin_client.get(reverse("admin:certificates_certificate_changelist")).status_code == 200
