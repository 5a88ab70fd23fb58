"""The certificate reminder rules (certificates/notification_rules.py), registered with the
notifications sweep by the certificates app."""

import datetime

import pytest

from accounts.roles import Role
from certificates.models import Certificate, CertificateStatus
from certificates.notification_rules import CertificateExpiringRule, CertificateIssuedRule
from certificates.services import certificate_revoke
from notifications.kinds import Kind
from notifications.registry import rules
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _certificate(now, **kwargs):
    enrollment = EnrollmentFactory()
    defaults = {
        "enrollment": enrollment,
        "code": f"code-{enrollment.pk}",
        "status": CertificateStatus.ISSUED,
        "course_title": enrollment.course.title,
        "completed_on": now.date(),
        "issued_at": now,
    }
    return Certificate.objects.create(**{**defaults, **kwargs})


def test_issued_certificate_is_announced_with_its_download_link(noon):
    cert = _certificate(noon, issued_at=noon - datetime.timedelta(hours=2))
    _certificate(noon, status=CertificateStatus.PENDING, issued_at=None)
    _certificate(noon, issued_at=noon - datetime.timedelta(days=30))
    candidates = list(CertificateIssuedRule().candidates(now=noon))
    assert [(c.object_id, c.kind) for c in candidates] == [(cert.pk, Kind.CERTIFICATE_ISSUED)]
    assert candidates[0].context["download_path"].endswith(f"/{cert.pk}/pdf/")


def test_expiring_certificate_thresholds(noon, settings):
    settings.NOTIFICATIONS_CERTIFICATE_EXPIRY_DAYS = [60, 14]
    in_50 = _certificate(noon, expires_at=noon + datetime.timedelta(days=50))
    in_10 = _certificate(noon, expires_at=noon + datetime.timedelta(days=10))
    _certificate(noon, expires_at=noon + datetime.timedelta(days=90))
    _certificate(noon, expires_at=noon - datetime.timedelta(days=1))
    found = {c.object_id: c.period for c in CertificateExpiringRule().candidates(now=noon)}
    assert set(found) == {in_50.pk, in_10.pk}
    assert found[in_50.pk].startswith("60d:")
    assert found[in_10.pk].startswith("14d:")


def test_revoked_certificate_is_no_longer_valid(noon):
    cert = _certificate(noon)
    rule = CertificateIssuedRule()
    assert rule.still_valid({cert.pk}) == {cert.pk}
    certificate_revoke(certificate=cert, actor=UserFactory(roles=[Role.ADMINISTRATOR]), reason="x")
    assert rule.still_valid({cert.pk}) == set()


def test_the_certificates_app_registers_both_rules():
    kinds = {rule.kind for rule in rules()}
    assert {Kind.CERTIFICATE_ISSUED, Kind.CERTIFICATE_EXPIRING} <= kinds
