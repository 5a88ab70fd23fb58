"""Issuing rules: a pending certificate in the completion's transaction, exactly one issued
PDF whatever the task does, failures per row, sweeper, revocation, re-issue, recertification."""

import datetime
import re
from unittest import mock

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from certificates import services, tasks
from certificates.models import Certificate, CertificateStatus
from courses.models import Enrollment, EnrollmentStatus
from courses.services import enrollment_create, enrollment_update_completion, lesson_complete
from tests.certificates.helpers import complete_course, pdf_text
from tests.factories import UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def test_completion_creates_a_pending_certificate_and_queues_it_on_commit(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(tasks.render_certificate, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        enrollment = complete_course()
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.status == CertificateStatus.PENDING
    assert certificate.cycle == 1
    assert re.fullmatch(rf"LMS-{timezone.localdate().year}-\d{{6}}", certificate.serial)
    assert re.fullmatch(f"[{services.CODE_ALPHABET}]{{14}}", certificate.code)
    delay.assert_called_once_with(certificate.pk)


def test_a_new_certificate_takes_the_courses_chosen_template_else_the_default():
    from certificates.models import CertificateTemplate

    default = CertificateTemplate.objects.get(is_default=True)
    chosen = CertificateTemplate.objects.create(name="Agency look", organisation="Агенција")
    course = course_with_lessons(lessons_per_module=1, modules=1)
    services.course_set_certificate_template(course=course, template=chosen, actor=None)
    with_choice = complete_course(course=course)
    without = complete_course()
    assert Certificate.objects.get(enrollment=with_choice).template == chosen
    assert Certificate.objects.get(enrollment=without).template == default


def test_a_serial_past_six_digits_keeps_every_digit():
    from django.db import connection

    table = Certificate._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 1234566)", [table])
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, 1234566)", [table])
    certificate = Certificate.objects.get(enrollment=complete_course())
    assert certificate.pk == 1234567
    assert certificate.serial == f"LMS-{certificate.completed_on.year}-1234567"


def test_a_taken_code_is_an_error_and_leaves_no_certificate():
    enrollment = complete_course()
    taken = Certificate.objects.get(enrollment=enrollment).code
    other = enrollment_create(user=UserFactory(), course=enrollment.course)
    other.completed_at = timezone.now()
    from django.db import IntegrityError, transaction

    with (
        mock.patch.object(services, "new_verification_code", return_value=taken),
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        services.certificate_create_pending(enrollment=other)
    assert not Certificate.objects.filter(enrollment=other).exists()


def test_codes_avoid_look_alike_characters_and_carry_over_60_bits():
    import math

    assert not set("01OILU") & set(services.CODE_ALPHABET)
    assert services.CODE_LENGTH * math.log2(len(services.CODE_ALPHABET)) >= 60
    codes = {services.new_verification_code() for _ in range(200)}
    assert len(codes) == 200


def test_a_failing_listener_rolls_the_completion_back():
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = enrollment_create(user=UserFactory(), course=course)
    with (
        mock.patch.object(services, "certificate_create_pending", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.ACTIVE
    assert not Certificate.objects.exists()


def test_issuing_renders_stores_and_audits_once():
    enrollment = complete_course()
    certificate = Certificate.objects.get(enrollment=enrollment)

    first = services.certificate_issue(certificate_id=certificate.pk)
    again = services.certificate_issue(certificate_id=certificate.pk)
    tasks.render_certificate(certificate.pk)

    assert first.status == again.status == CertificateStatus.ISSUED
    stored = Certificate.objects.get(pk=certificate.pk)
    assert stored.issued_at is not None and stored.attempts == 1
    assert stored.holder_name == "Бранко Ружић"
    with stored.pdf.open("rb") as handle:
        assert "Бранко Ружић" in pdf_text(handle.read())
    folder = stored.pdf.storage.path(stored.pdf.name).rsplit("/", 1)[0]
    import os

    assert [n for n in os.listdir(folder) if n.startswith(stored.serial)] == [
        f"{stored.serial}.pdf"
    ]
    assert AuditEvent.objects.filter(action="certificate.issue").count() == 1


def test_a_second_completion_call_creates_no_second_certificate():
    enrollment = complete_course()
    services.certificate_create_pending(enrollment=enrollment)
    enrollment_update_completion(enrollment=enrollment)
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_the_database_refuses_a_second_live_certificate_for_a_cycle():
    from django.db import IntegrityError, transaction

    enrollment = complete_course()
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            enrollment=enrollment, cycle=1, code="X" * 14, completed_on=timezone.localdate()
        )


def test_bad_data_fails_that_row_with_the_reason_and_others_still_issue():
    broken = complete_course(user=UserFactory(full_name=""))
    fine = complete_course(user=UserFactory(full_name="오현목"))
    for certificate in Certificate.objects.all():
        tasks.render_certificate(certificate.pk)
    failed = Certificate.objects.get(enrollment=broken)
    assert failed.status == CertificateStatus.FAILED
    assert "no name" in failed.failure_reason
    assert Certificate.objects.get(enrollment=fine).status == CertificateStatus.ISSUED


def test_a_crash_mid_render_leaves_the_row_pending_for_a_retry():
    enrollment = complete_course()
    certificate = Certificate.objects.get(enrollment=enrollment)
    with (
        mock.patch("certificates.services.rendering.render_certificate", side_effect=OSError),
        pytest.raises(OSError),
    ):
        services.certificate_issue(certificate_id=certificate.pk)
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.PENDING
    services.certificate_issue(certificate_id=certificate.pk)
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ISSUED


def test_render_task_is_named_routed_and_retries_transient_errors():
    from django.conf import settings

    assert tasks.render_certificate.name == "certificates.render"
    assert settings.CELERY_TASK_ROUTES["certificates.*"]["queue"] == "certificates"
    assert tasks.render_certificate.acks_late is True
    assert OSError in tasks.render_certificate.autoretry_for


def test_sweeper_requeues_only_certificates_pending_too_long():
    enrollment = complete_course()
    certificate = Certificate.objects.get(enrollment=enrollment)
    with mock.patch.object(tasks.render_certificate, "delay") as delay:
        assert services.certificates_requeue_pending() == 0
        later = timezone.now() + datetime.timedelta(minutes=6)
        assert services.certificates_requeue_pending(now=later) == 1
        delay.assert_called_once_with(certificate.pk)
        # Queued again just now, so the next sweep leaves it alone.
        assert services.certificates_requeue_pending(now=later) == 0
    services.certificate_issue(certificate_id=certificate.pk)
    assert services.certificates_requeue_pending(now=later + datetime.timedelta(hours=1)) == 0


def _issued(**kwargs) -> Certificate:
    enrollment = complete_course(**kwargs)
    certificate = Certificate.objects.get(enrollment=enrollment)
    return services.certificate_issue(certificate_id=certificate.pk)


def test_revocation_needs_a_reason_and_is_audited():
    certificate = _issued()
    admin = UserFactory(roles=("administrator",))
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=certificate, actor=admin, reason="  ")
    revoked = services.certificate_revoke(certificate=certificate, actor=admin, reason="Exam fraud")
    assert revoked.status == CertificateStatus.REVOKED and revoked.revoked_at is not None
    event = AuditEvent.objects.get(action="certificate.revoke")
    assert event.actor == admin and event.data["reason"] == "Exam fraud"
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=revoked, actor=admin, reason="again")


def test_reissue_after_a_name_correction_keeps_serial_and_code_and_supersedes_the_old_pdf():
    certificate = _issued(user=UserFactory(full_name="Djordje Cacak"))
    admin = UserFactory(roles=("administrator",))
    user = certificate.enrollment.user
    user.full_name = "Đorđe Čačak"
    user.save(update_fields=["full_name"])

    replacement = services.certificate_reissue(certificate=certificate, actor=admin)
    services.certificate_issue(certificate_id=replacement.pk)

    old = Certificate.objects.get(pk=certificate.pk)
    new = Certificate.objects.get(pk=replacement.pk)
    assert old.status == CertificateStatus.SUPERSEDED and old.pdf
    assert (new.serial, new.code, new.revision) == (old.serial, old.code, 1)
    assert new.status == CertificateStatus.ISSUED and new.holder_name == "Đorđe Čačak"
    assert new.pdf.name != old.pdf.name
    with new.pdf.open("rb") as handle:
        assert "Đorđe Čačak" in pdf_text(handle.read())
    assert AuditEvent.objects.filter(action="certificate.reissue", actor=admin).exists()


def test_a_failed_certificate_is_tried_again_after_the_name_is_filled_in():
    enrollment = complete_course(user=UserFactory(full_name=""))
    certificate = services.certificate_issue(
        certificate_id=Certificate.objects.get(enrollment=enrollment).pk
    )
    assert certificate.status == CertificateStatus.FAILED
    enrollment.user.full_name = "오현목"
    enrollment.user.save(update_fields=["full_name"])
    again = services.certificate_reissue(
        certificate=certificate, actor=UserFactory(roles=("administrator",))
    )
    assert again.pk == certificate.pk
    assert services.certificate_issue(certificate_id=again.pk).status == CertificateStatus.ISSUED


def test_reopened_enrollment_keeps_its_issued_certificate_and_it_is_audited():
    certificate = _issued()
    enrollment = certificate.enrollment
    with mock.patch("courses.completion.is_complete", return_value=False):
        change = enrollment_update_completion(enrollment=enrollment, allow_reopen=True)
    assert change == "reopened"
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ISSUED
    assert AuditEvent.objects.filter(action="certificate.kept_after_reopen").exists()


def test_validity_sets_expiry_and_recertification_opens_a_new_cycle_that_issues_anew():
    course = course_with_lessons(lessons_per_module=1, modules=1, validity_months=24)
    certificate = _issued(course=course)
    enrollment = certificate.enrollment
    assert certificate.expires_at is not None
    assert (certificate.expires_at - enrollment.completed_at).days in range(729, 733)

    # Nothing to do far from the expiry date.
    assert services.certificates_start_recertification() == 0
    near_expiry = certificate.expires_at - datetime.timedelta(days=30)
    assert services.certificates_start_recertification(now=near_expiry) == 1
    assert services.certificates_start_recertification(now=near_expiry) == 0

    second = Enrollment.objects.get(user=enrollment.user, course=course, cycle=2)
    assert second.status == EnrollmentStatus.ACTIVE
    assert second.due_date == timezone.localdate(certificate.expires_at) - datetime.timedelta(
        days=1
    )
    assert not second.lesson_progress.exists()

    lesson_complete(enrollment=second, lesson=course.lessons.get())
    new = Certificate.objects.get(enrollment=second)
    assert new.cycle == 2 and new.serial != certificate.serial
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ISSUED


def test_expired_certificate_verifies_as_expired():
    certificate = _issued(course=course_with_lessons(1, 1, validity_months=12))
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert Certificate.objects.get(pk=certificate.pk).verification_state == "expired"


def test_labels_follow_the_learners_preferred_language():
    for language, word in [("sr", "Сертификат"), ("ko", "수료증"), ("sr-latn", "Sertifikat")]:
        user = UserFactory(full_name="오현목", preferred_language=language)
        certificate = _issued(user=user)
        with certificate.pdf.open("rb") as handle:
            text = pdf_text(handle.read())
        assert "오현목" in text
        assert word in text and "Certificate of completion" not in text


def test_an_unexpected_library_error_fails_the_row_instead_of_retrying_forever():
    enrollment = complete_course()
    certificate = Certificate.objects.get(enrollment=enrollment)
    with mock.patch(
        "certificates.services.rendering.render_certificate", side_effect=KeyError("glyph")
    ):
        failed = services.certificate_issue(certificate_id=certificate.pk)
    assert failed.status == CertificateStatus.FAILED
    assert "glyph" in failed.failure_reason
    later = timezone.now() + datetime.timedelta(hours=1)
    assert services.certificates_requeue_pending(now=later) == 0
