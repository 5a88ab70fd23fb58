"""Read queries for certificate pages, each a fixed number of queries however many rows."""

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_administrator, is_hr_officer
from courses.links import EnrollmentLink
from courses.permissions import is_course_trainer

from .models import LIVE, Certificate, CertificateStatus


def certificate_links_for_enrollments(enrollments) -> dict[int, list[EnrollmentLink]]:
    """The live certificate of each enrollment, for "My learning" and the course page."""
    ids = [e.pk for e in enrollments]
    links: dict[int, list[EnrollmentLink]] = {}
    certificates = Certificate.objects.filter(LIVE, enrollment_id__in=ids).only(
        "pk", "enrollment_id", "status", "serial", "expires_at", "revoked_at", "issued_at"
    )
    for certificate in certificates:
        if certificate.status == CertificateStatus.ISSUED:
            link = EnrollmentLink(
                label=_("Download certificate (PDF)"),
                url=reverse("certificates:download", args=[certificate.pk]),
                note=_("expired") if certificate.is_expired() else "",
            )
        elif certificate.status == CertificateStatus.PENDING:
            link = EnrollmentLink(
                label=_("Certificate"),
                url=reverse("certificates:detail", args=[certificate.pk]),
                note=_("being prepared"),
            )
        else:
            link = EnrollmentLink(
                label=_("Certificate"),
                url=reverse("certificates:detail", args=[certificate.pk]),
                note=certificate.get_status_display(),
            )
        links.setdefault(certificate.enrollment_id, []).append(link)
    return links


def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("enrollment__course", "enrollment__user")


def my_certificates(*, user) -> QuerySet:
    return _with_related(Certificate.objects.filter(LIVE, enrollment__user=user)).order_by(
        "-created_at", "-pk"
    )


def certificate_by_pk(*, pk: int) -> Certificate | None:
    return (
        Certificate.objects.select_related(
            "enrollment__course", "enrollment__user__org_unit", "template"
        )
        .filter(pk=pk)
        .first()
    )


def certificate_history(*, certificate: Certificate) -> QuerySet:
    """Every revision carrying the same serial, newest first."""
    return Certificate.objects.filter(serial=certificate.serial).order_by("-revision")


def certificate_for_verification(*, code: str) -> Certificate | None:
    """The current certificate for a verification code. Always one indexed query, found or
    not, so an unknown code costs what a known one does."""
    return (
        Certificate.objects.filter(LIVE, code=code)
        .select_related("enrollment__course")
        .only(
            "pk",
            "status",
            "holder_name",
            "course_title",
            "hours",
            "completed_on",
            "expires_at",
            "revoked_at",
            "serial",
            "enrollment__course__slug",
            "enrollment__course__language",
        )
        .first()
    )


def course_certificates_in_scope(*, user, course) -> QuerySet:
    """Live certificates of ``course`` that ``user`` may see: all of them for administrators
    and the course's trainers, the unit subtree's for an HR officer, none otherwise."""
    base = _with_related(Certificate.objects.filter(LIVE, enrollment__course=course))
    if is_administrator(user) or is_course_trainer(user, course):
        return base.order_by("serial", "pk")
    if is_hr_officer(user) and user.org_unit_id is not None:
        return base.filter(
            Q(enrollment__user__org_unit__path__startswith=user.org_unit.path)
        ).order_by("serial", "pk")
    return base.none()


def courses_with_certificates_for(*, user) -> QuerySet:
    """Courses whose certificate list ``user`` may open: every course with certificates for an
    administrator, those with certificates of people in the unit subtree for an HR officer, the
    courses they teach for a trainer."""
    from courses.models import Course

    if not user.is_authenticated:
        return Course.objects.none()
    if is_administrator(user):
        return Course.objects.filter(enrollments__certificates__isnull=False).distinct()
    if is_hr_officer(user) and user.org_unit_id is not None:
        in_scope = Certificate.objects.filter(
            LIVE, enrollment__user__org_unit__path__startswith=user.org_unit.path
        ).values("enrollment__course_id")
        return Course.objects.filter(pk__in=in_scope)
    return Course.objects.filter(trainers=user)
