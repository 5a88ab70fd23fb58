"""Bulk certificate work run as background jobs: a ZIP of a course's certificates within the
requester's scope, and a re-render of a course's certificates after a template change."""

import io
import logging
import zipfile

from django.db import transaction

from audit.services import audit_record
from courses.models import Course
from jobs import services as job_services
from jobs.models import BackgroundJob

from . import permissions, selectors, services
from .models import CertificateStatus

logger = logging.getLogger(__name__)

ZIP_KIND = "certificates.zip"
RERENDER_KIND = "certificates.rerender"
# Progress is written every few items, so a large job does not write a row per file.
PROGRESS_STEP = 10


def certificates_request_zip(*, course: Course, requester) -> BackgroundJob:
    """Queue a ZIP of the course's issued certificates that ``requester`` may see."""
    if not permissions.can_list_course_certificates(requester, course):
        raise PermissionError("not allowed")
    with transaction.atomic():
        job = job_services.job_create(
            kind=ZIP_KIND, requester=requester, params={"course_id": course.pk}
        )
        audit_record(
            actor=requester, action="certificate.bulk_zip", target=course, data={"job": job.pk}
        )
    return job


def certificates_request_rerender(*, course: Course, requester) -> BackgroundJob:
    """Queue a re-render of every issued certificate of ``course`` (administrators only)."""
    if not permissions.can_rerender_course(requester):
        raise PermissionError("not allowed")
    with transaction.atomic():
        job = job_services.job_create(
            kind=RERENDER_KIND, requester=requester, params={"course_id": course.pk}
        )
        audit_record(
            actor=requester,
            action="certificate.bulk_rerender",
            target=course,
            data={"job": job.pk},
        )
    return job


def _advance(job: BackgroundJob, pending: int) -> int:
    if pending >= PROGRESS_STEP:
        job_services.job_advance(job=job, by=pending)
        return 0
    return pending


def run_zip(job: BackgroundJob):
    course = Course.objects.get(pk=job.params["course_id"])
    certificates = list(
        selectors.course_certificates_in_scope(user=job.requester, course=course).filter(
            status=CertificateStatus.ISSUED
        )
    )
    job_services.job_start(job=job, total=len(certificates))
    buffer = io.BytesIO()
    failed = pending = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            try:
                with certificate.pdf.open("rb") as handle:
                    archive.writestr(certificate.download_filename(), handle.read())
            except (OSError, ValueError):
                logger.exception("certificate %s has no readable PDF", certificate.pk)
                failed += 1
            pending = _advance(job, pending + 1)
    return (f"certificates-{course.slug}.zip", buffer.getvalue()), {
        "files": len(certificates) - failed,
        "failed": failed,
    }


def run_rerender(job: BackgroundJob):
    course = Course.objects.get(pk=job.params["course_id"])
    ids = list(
        selectors.course_certificates_in_scope(user=job.requester, course=course)
        .filter(status=CertificateStatus.ISSUED)
        .values_list("pk", flat=True)
    )
    job_services.job_start(job=job, total=len(ids))
    failed = pending = 0
    for certificate_id in ids:
        try:
            services.certificate_rerender(certificate_id=certificate_id)
        except Exception:
            # One certificate's bad data or file is logged; the rest are still drawn.
            logger.exception("re-render of certificate %s failed", certificate_id)
            failed += 1
        pending = _advance(job, pending + 1)
    return None, {"rerendered": len(ids) - failed, "failed": failed}
