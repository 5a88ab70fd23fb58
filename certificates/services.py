"""Writes and rules for certificates: creation on completion, issuing (rendering), revocation,
re-issue, the pending sweeper and recertification. Views, tasks and the admin call these."""

import datetime
import functools
import logging
import secrets
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.site import site_url
from audit.services import audit_record
from courses import services as course_services
from courses.completion import CompletionChange, StatusWrite
from courses.models import CourseStatus, Enrollment, EnrollmentStatus

from . import rendering
from .models import (
    LIVE,
    Certificate,
    CertificateStatus,
    CertificateTemplate,
    CourseCertificateSettings,
)

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L or U/V look-alikes: 29 symbols, 14 of them carry 68 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 14
PENDING_GRACE = datetime.timedelta(minutes=5)
RECERTIFICATION_LEAD = datetime.timedelta(days=60)


class CertificateError(Exception):
    """A rule refused the change; the message is for the person who asked."""


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """The code as typed, without its separators, upper case. A character no code has becomes
    "?", which matches nothing: the look-up still runs (its timing says nothing), and a NUL
    byte, which PostgreSQL cannot even compare, never reaches it."""
    code = raw.strip().upper().replace("-", "").replace(" ", "")[:32]
    return "".join(ch if ch in CODE_ALPHABET else "?" for ch in code)


def verification_url(code: str) -> str:
    return site_url(f"/v/{code}/")


def template_for_course(course_id: int) -> CertificateTemplate | None:
    """The course's chosen template, else the default one: one query."""
    found = list(CertificateTemplate.objects.raw(_template_choice_sql("t.*"), [course_id]))
    return found[0] if found else None


@functools.cache
def _template_choice_sql(select: str) -> str:
    """The rule of ``template_for_course`` as one SELECT of ``select`` (of the template ``t``)
    with the course's id as its parameter; a new certificate's insert runs it as a subquery.
    Plain SQL that both databases read: it is the same statement every time."""
    quote = transaction.get_connection().ops.quote_name
    template, chosen = CertificateTemplate._meta, CourseCertificateSettings._meta

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    # Only quoted names from the models' metadata go into the text; the value is a parameter.
    return (
        f"SELECT {select} FROM {quote(template.db_table)} t "  # noqa: S608
        f"LEFT JOIN {quote(chosen.db_table)} s ON s.{column(chosen, 'template')} = t.id "
        f"AND s.{column(chosen, 'course')} = %s "
        f"WHERE s.id IS NOT NULL OR t.{column(template, 'is_default')} "
        f"ORDER BY s.id IS NULL, t.{column(template, 'name')} LIMIT 1"
    )


def _enqueue(certificate_id: int) -> None:
    from .tasks import render_certificate

    render_certificate.delay_on_commit(certificate_id)


# -- creation --------------------------------------------------------------------------------


def on_completion_change(
    enrollment: Enrollment, change: CompletionChange, status_write: StatusWrite | None = None
) -> None:
    """The completion listener: runs inside the transaction that changed the enrollment. On
    PostgreSQL a completion's status write goes in the certificate's insert."""
    if change == CompletionChange.COMPLETED:
        certificate_create_pending(enrollment=enrollment, status_write=status_write)
        return
    live = Certificate.objects.filter(LIVE, enrollment=enrollment, cycle=enrollment.cycle).first()
    if live is not None:
        # The quizzes work promised that a regrade never takes a certificate back.
        audit_record(
            actor=None,
            action="certificate.kept_after_reopen",
            target=live,
            data={"enrollment": enrollment.pk, "status": live.status},
        )


def certificate_create_pending(
    *, enrollment: Enrollment, status_write: StatusWrite | None = None
) -> Certificate:
    """Create the pending certificate of a completed enrollment's cycle, with its serial and
    verification code, and queue its rendering once the transaction commits. One live
    certificate per enrollment and cycle, held by a database constraint: a second call returns
    the first one. ``status_write``: the completion's status UPDATE, sent in the insert's own
    statement on PostgreSQL (also when the certificate was there already); elsewhere left to
    the caller."""
    existing = Certificate.objects.filter(LIVE, enrollment=enrollment, cycle=enrollment.cycle)
    # No look-up first: the constraint answers "already there" (after a regrade reopened and
    # completed the enrollment again), and the usual case, a first completion, saves a query.
    completed_at = enrollment.completed_at or timezone.now()
    validity = enrollment.course.validity_months
    certificate = Certificate(
        enrollment=enrollment,
        cycle=enrollment.cycle,
        code=new_verification_code(),
        completed_on=timezone.localdate(completed_at),
        expires_at=completed_at + relativedelta(months=validity) if validity else None,
    )
    if transaction.get_connection().vendor == "postgresql":
        also = status_write.take() if status_write is not None else None
        created = _insert_pending(certificate, enrollment.course_id, also=also)
    else:
        created = _create_pending_portably(certificate, enrollment.course_id)
    if not created:
        # It was there already, another transaction created it first, or the code drawn is
        # taken (1 in 2**68).
        found = existing.first()
        if found is None:
            raise IntegrityError("The certificate's verification code is taken; try again.")
        return found
    _enqueue(certificate.pk)
    return certificate


def _serial(certificate: Certificate) -> str:
    return f"LMS-{certificate.completed_on.year}-{certificate.pk:06d}"


def _create_pending_portably(certificate: Certificate, course_id: int) -> bool:
    certificate.template = template_for_course(course_id)
    try:
        with transaction.atomic():
            certificate.save(force_insert=True)
            certificate.serial = _serial(certificate)
            certificate.save(update_fields=["serial"])
    except IntegrityError:
        return False
    return True


def _insert_pending(
    certificate: Certificate, course_id: int, *, also: tuple[str, list] | None = None
) -> bool:
    """``_create_pending_portably`` in one PostgreSQL statement: the id drawn first, so the serial
    (made from it as ``_serial`` makes it) goes in with the row, the template chosen by a
    subquery, and a conflict with a live certificate answered by DO NOTHING instead of an error
    caught in a savepoint. The insert, the serial, the template look-up and the savepoint had
    been five round trips inside every submit that completes a course. ``also``: another
    UPDATE and its parameters, run first in the same statement (the enrollment's completed
    status). False: nothing was inserted."""
    connection = transaction.get_connection()
    meta = Certificate._meta
    columns, values, params = [], [], []
    for model_field in meta.concrete_fields:
        columns.append(connection.ops.quote_name(model_field.column))
        if model_field.primary_key:
            values.append("new.id")
        elif model_field.name == "serial":
            # f"{id:06d}": padded to six digits, never cut.
            values.append(
                "'LMS-' || %s || '-' || lpad(new.id::text, greatest(6, length(new.id::text)), '0')"
            )
            params.append(str(certificate.completed_on.year))
        elif model_field.name == "template":
            values.append(f"({_template_choice_sql('t.id')})")
            params.append(course_id)
        else:
            value = model_field.pre_save(certificate, add=True)
            values.append("%s")
            params.append(model_field.get_db_prep_save(value, connection))
    table = connection.ops.quote_name(meta.db_table)
    # Names from the model; every value is a parameter.
    statement = (
        f"WITH new AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS id) "  # noqa: S608
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM new "
        "ON CONFLICT DO NOTHING RETURNING id, template_id, serial"
    )
    params = [meta.db_table, meta.pk.column, *params]
    if also is not None:
        # A data-modifying WITH runs to completion whether or not it is read, and whether or
        # not the insert conflicts.
        other_statement, other_params = also
        statement = f"WITH also_0 AS ({other_statement}), {statement.removeprefix('WITH ')}"
        params = [*other_params, *params]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        return False
    certificate.pk, certificate.template_id, certificate.serial = row
    certificate._state.adding = False
    return True


# -- issuing ---------------------------------------------------------------------------------


def _hours(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1)


def certificate_labels() -> rendering.Labels:
    """The printed words, in the language active now."""
    return rendering.Labels(
        heading=_("Certificate of completion"),
        certifies=_("This certifies that"),
        completed=_("has successfully completed the course"),
        hours=_("Hours"),
        date=_("Date of completion"),
        serial=_("Serial number"),
        verify=_("Verify this certificate at"),
        expires=_("Valid until"),
    )


_image_storages: dict[int, object] = {}


@functools.lru_cache(maxsize=64)
def _stored_image(storage_id: int, name: str, version: str) -> bytes:
    with _image_storages[storage_id].open(name, "rb") as handle:
        return handle.read()


def _read(field, *, version: str) -> bytes | None:
    """A template image's bytes, read from storage once per process and template version
    (``updated_at`` moves on every save of the template, so a replaced image is read again
    even where the storage overwrites files under the same name)."""
    if not field:
        return None
    _image_storages[id(field.storage)] = field.storage
    return _stored_image(id(field.storage), field.name, version)


def certificate_data(
    *,
    template: CertificateTemplate | None,
    holder_name: str,
    course_title: str,
    hours: Decimal | None,
    completed_on: datetime.date,
    expires_on: datetime.date | None,
    serial: str,
    code: str,
    language: str,
) -> rendering.CertificateData:
    """Plain data for the renderer, with labels and dates in ``language``."""
    with translation.override(language):
        labels = certificate_labels()
        heading = template.title if template is not None and template.title else labels.heading
        labels = rendering.Labels(**{**labels.__dict__, "heading": heading})
        completed = formats.date_format(completed_on, "DATE_FORMAT")
        expires = formats.date_format(expires_on, "DATE_FORMAT") if expires_on else ""
        hours_text = _hours(hours)
    signatories = []
    organisation = _("ICT Training Centre")
    primary, accent, logo = "#1f3a5f", "#b08d2e", None
    if template is not None:
        organisation = template.organisation or organisation
        primary, accent = template.primary_colour, template.accent_colour
        version = template.updated_at.isoformat() if template.updated_at else ""
        logo = _read(template.logo, version=version)
        for index in (1, 2):
            name = getattr(template, f"signatory{index}_name")
            if name:
                signatories.append(
                    rendering.Signatory(
                        name=name,
                        title=getattr(template, f"signatory{index}_title"),
                        signature=_read(
                            getattr(template, f"signatory{index}_image"), version=version
                        ),
                    )
                )
    return rendering.CertificateData(
        holder_name=holder_name,
        course_title=course_title,
        hours=hours_text,
        completed_on=completed,
        expires_on=expires,
        serial=serial,
        verify_url=verification_url(code),
        organisation=organisation,
        labels=labels,
        signatories=tuple(signatories),
        logo=logo,
        primary_colour=primary,
        accent_colour=accent,
    )


def _render(certificate: Certificate, *, snapshot: bool) -> bytes:
    enrollment = certificate.enrollment
    if not snapshot:
        certificate.holder_name = (enrollment.user.full_name or "").strip()
        certificate.course_title = enrollment.course.title
        certificate.hours = enrollment.course.estimated_hours
    data = certificate_data(
        template=certificate.template,
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        hours=certificate.hours,
        completed_on=certificate.completed_on,
        expires_on=timezone.localdate(certificate.expires_at) if certificate.expires_at else None,
        serial=certificate.serial,
        code=certificate.code,
        language=enrollment.user.preferred_language or settings.LANGUAGE_CODE,
    )
    return rendering.render_certificate(data)


def _store_pdf(certificate: Certificate, content: bytes) -> None:
    """Write the PDF under a name fixed by serial and revision, replacing what a crashed earlier
    try left there, so a certificate never has two files."""
    suffix = f"-r{certificate.revision}" if certificate.revision else ""
    filename = f"{certificate.serial}{suffix}.pdf"
    path = certificate.pdf.field.generate_filename(certificate, filename)
    storage = certificate.pdf.storage
    if storage.exists(path):
        storage.delete(path)
    certificate.pdf.save(filename, ContentFile(content), save=False)


def _locked(certificate_id: int) -> Certificate | None:
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("enrollment__user", "enrollment__course", "template")
        .filter(pk=certificate_id)
        .first()
    )


def certificate_issue(*, certificate_id: int) -> Certificate | None:
    """Render and store the PDF of a pending certificate and mark it issued. Safe to run any
    number of times and by several workers at once: the row lock lets one of them render, the
    others find it issued. Data that cannot make a certificate fails this row with the reason
    recorded; storage and database errors propagate, leaving it pending for a retry."""
    with transaction.atomic():
        certificate = _locked(certificate_id)
        if certificate is None or certificate.status != CertificateStatus.PENDING:
            return certificate
        certificate.attempts += 1
        try:
            content = _render(certificate, snapshot=False)
        except (OSError, DatabaseError):
            raise  # transient: the task retries, the row stays pending
        except Exception as error:
            # Anything else is this row's data (a RenderError, or a library refusing it): fail
            # this certificate with the reason, so the sweeper does not queue it forever.
            reason = str(error) if isinstance(error, rendering.RenderError) else repr(error)
            certificate.status = CertificateStatus.FAILED
            certificate.failure_reason = reason[:2000]
            certificate.save(update_fields=["status", "failure_reason", "attempts"])
            logger.warning("certificate %s could not be issued: %s", certificate.pk, reason)
            return certificate
        _store_pdf(certificate, content)
        certificate.status = CertificateStatus.ISSUED
        certificate.issued_at = timezone.now()
        certificate.failure_reason = ""
        certificate.save(
            update_fields=[
                "status",
                "issued_at",
                "pdf",
                "holder_name",
                "course_title",
                "hours",
                "failure_reason",
                "attempts",
            ]
        )
        audit_record(
            actor=None,
            action="certificate.issue",
            target=certificate,
            data={"serial": certificate.serial, "revision": certificate.revision},
        )
    return certificate


def certificate_rerender(*, certificate_id: int) -> Certificate | None:
    """Draw an issued certificate again with its course's current template (after a template
    change); what it says stays as first printed."""
    with transaction.atomic():
        certificate = _locked(certificate_id)
        if certificate is None or certificate.status != CertificateStatus.ISSUED:
            return certificate
        certificate.template = template_for_course(certificate.enrollment.course_id)
        _store_pdf(certificate, _render(certificate, snapshot=True))
        certificate.save(update_fields=["template", "pdf"])
    return certificate


def certificates_requeue_pending(
    *, older_than: datetime.timedelta = PENDING_GRACE, now: datetime.datetime | None = None
) -> int:
    """Queue again every certificate still pending after ``older_than``, so a broker that lost
    its messages loses no certificate. Rendering twice is harmless. Returns how many."""
    now = now or timezone.now()
    stale = list(
        Certificate.objects.filter(
            status=CertificateStatus.PENDING, queued_at__lte=now - older_than
        ).values_list("pk", flat=True)
    )
    if stale:
        Certificate.objects.filter(pk__in=stale).update(queued_at=now)
    from .tasks import render_certificate

    # The sweep runs outside any transaction; the rows it queues are committed already.
    for certificate_id in stale:
        render_certificate.delay(certificate_id)
    return len(stale)


# -- revocation and re-issue -------------------------------------------------------------------


def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate; the reason is recorded privately and audited, the verification
    page shows only that and when it was revoked."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Give the reason for the revocation."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status not in {CertificateStatus.ISSUED, CertificateStatus.PENDING}:
            raise CertificateError(_("Only a current certificate can be revoked."))
        locked.status, locked.revoked_at = CertificateStatus.REVOKED, timezone.now()
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_reason"])
        audit_record(
            actor=actor,
            action="certificate.revoke",
            target=locked,
            data={"serial": locked.serial, "reason": reason},
        )
    return locked


def certificate_reissue(*, certificate: Certificate, actor) -> Certificate:
    """Issue a certificate again with the learner's current name (after a correction). An
    issued one is kept as superseded and a new revision with the same serial and code takes its
    place; one that failed is simply tried again."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == CertificateStatus.FAILED:
            locked.status, locked.failure_reason = CertificateStatus.PENDING, ""
            locked.queued_at = timezone.now()
            locked.save(update_fields=["status", "failure_reason", "queued_at"])
            replacement = locked
        elif locked.status == CertificateStatus.ISSUED:
            locked.status = CertificateStatus.SUPERSEDED
            locked.save(update_fields=["status"])
            replacement = Certificate.objects.create(
                enrollment_id=locked.enrollment_id,
                cycle=locked.cycle,
                template=template_for_course(locked.enrollment.course_id),
                serial=locked.serial,
                revision=locked.revision + 1,
                code=locked.code,
                completed_on=locked.completed_on,
                expires_at=locked.expires_at,
            )
        else:
            raise CertificateError(_("Only an issued or failed certificate can be issued again."))
        audit_record(
            actor=actor,
            action="certificate.reissue",
            target=replacement,
            data={"serial": locked.serial, "replaces": locked.pk, "revision": replacement.revision},
        )
        _enqueue(replacement.pk)
    return replacement


# -- expiry and recertification --------------------------------------------------------------


def certificates_start_recertification(
    *, now: datetime.datetime | None = None, lead: datetime.timedelta = RECERTIFICATION_LEAD
) -> int:
    """Re-enrol the holders of certificates expiring within ``lead`` in the course's next
    cycle, due the day before the certificate expires. Each certificate is handled on its own;
    one that fails is logged and the rest go on. Returns how many cycles were started."""
    now = now or timezone.now()
    due = Certificate.objects.filter(
        status=CertificateStatus.ISSUED,
        expires_at__isnull=False,
        expires_at__lte=now + lead,
        enrollment__status=EnrollmentStatus.COMPLETED,
        enrollment__course__status=CourseStatus.PUBLISHED,
    ).select_related("enrollment__user", "enrollment__course")
    started = 0
    for certificate in due.iterator():
        try:
            expires_on = timezone.localdate(certificate.expires_at)
            next_cycle = course_services.enrollment_start_next_cycle(
                enrollment=certificate.enrollment,
                due_date=max(timezone.localdate(now), expires_on - datetime.timedelta(days=1)),
            )
        except Exception:
            logger.exception("recertification of certificate %s failed", certificate.pk)
            continue
        started += next_cycle is not None
    return started


# -- templates -------------------------------------------------------------------------------


def course_set_certificate_template(*, course, template: CertificateTemplate | None, actor) -> None:
    """Choose the template of a course's future certificates; None returns to the default."""
    with transaction.atomic():
        if template is None:
            CourseCertificateSettings.objects.filter(course=course).delete()
        else:
            CourseCertificateSettings.objects.update_or_create(
                course=course, defaults={"template": template}
            )
        audit_record(
            actor=actor,
            action="certificate.template_choose",
            target=course,
            data={"template": template.pk if template else None},
        )


SAMPLE_NAMES = ("Бранко Ружић", "Đorđe Čačak", "오현목")


def certificate_template_preview(*, template: CertificateTemplate, language: str) -> bytes:
    """A sample certificate drawn with ``template``: a Cyrillic name, with the Latin-with-
    diacritics and Hangul samples as signatories when the template has none, so every script
    the centre prints shows up on one page."""
    data = certificate_data(
        template=template,
        holder_name=SAMPLE_NAMES[0],
        course_title="Дигитална управа · Digitalna uprava · 디지털 정부",
        hours=Decimal("12"),
        completed_on=timezone.localdate(),
        expires_on=None,
        serial="LMS-0000-000000",
        code="SAMPLE" + "2" * (CODE_LENGTH - 6),
        language=language,
    )
    if not data.signatories:
        data = rendering.CertificateData(
            **{
                **data.__dict__,
                "signatories": (
                    rendering.Signatory(name=SAMPLE_NAMES[1], title=_("Director")),
                    rendering.Signatory(name=SAMPLE_NAMES[2], title=_("Head of training")),
                ),
            }
        )
    return rendering.render_certificate(data)


def certificate_template_save(*, template: CertificateTemplate, actor, changed: list[str]) -> None:
    """Save a template edited by an administrator; the fields changed go to the audit log.
    Making one the default takes the mark from the previous default in the same transaction."""
    with transaction.atomic():
        if template.is_default:
            CertificateTemplate.objects.filter(is_default=True).exclude(pk=template.pk).update(
                is_default=False
            )
        template.save()
        audit_record(
            actor=actor,
            action="certificate.template_save",
            target=template,
            data={"changed": sorted(changed)},
        )
