"""Certificates through real worker processes, Redis and PostgreSQL: exactly once with two
workers, a worker killed mid-batch, and a broker that lost every message."""

import datetime
import os
from collections import Counter

import pytest
import redis
from django.conf import settings

from certificates import services
from certificates.models import Certificate, CertificateStatus
from certificates.tasks import render_certificate
from courses.models import Enrollment, EnrollmentStatus
from courses.services import enrollment_create, lesson_complete
from tests.factories import UserFactory, course_with_lessons
from tests.integration.workers import Workers, wait_for


@pytest.fixture
def workers(transactional_db):
    pool = Workers()
    try:
        yield pool
    finally:
        pool.stop_all()


def _complete(course, count: int, prefix: str = "Learner") -> list[Enrollment]:
    lesson = course.lessons.get()
    enrollments = []
    for index in range(count):
        user = UserFactory(full_name=f"{prefix} Ђорђе Čačak 오현목 {index}")
        enrollment = enrollment_create(user=user, course=course)
        lesson_complete(enrollment=enrollment, lesson=lesson)
        enrollments.append(enrollment)
    return enrollments


def _pdf_files() -> Counter:
    found = Counter()
    for _root, _dirs, files in os.walk(settings.MEDIA_ROOT / "certificates"):
        for name in files:
            found[name] += 1
    return found


def _issued_count() -> int:
    return Certificate.objects.filter(status=CertificateStatus.ISSUED).count()


def test_two_workers_and_the_same_certificate_queued_twice_make_one_pdf(workers):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    course = course_with_lessons(lessons_per_module=1, modules=1)
    workers.start("w1")
    workers.start("w2")
    [enrollment] = _complete(course, 1)
    certificate = Certificate.objects.get(enrollment=enrollment)
    for _ in range(5):
        render_certificate.delay(certificate.pk)

    assert wait_for(lambda: _issued_count() == 1, timeout=60, workers=workers)
    # Let every duplicate message run through before counting.
    wait_for(lambda: False, timeout=3, workers=workers)
    stored = Certificate.objects.get(pk=certificate.pk)
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert stored.attempts == 1
    assert _pdf_files() == Counter({f"{stored.serial}.pdf": 1})
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="certificate.issue").count() == 1


def test_a_worker_killed_mid_batch_loses_no_certificate(workers):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollments = _complete(course, 200)
    assert Certificate.objects.filter(status=CertificateStatus.PENDING).count() == 200

    workers.start("victim")
    assert wait_for(lambda: _issued_count() >= 30, timeout=120, workers=workers)
    workers.kill("victim")
    assert _issued_count() < 200, "the batch finished before the kill; make it larger"

    workers.start("survivor")
    # The message the killed worker held stays unacknowledged in Redis until its visibility
    # timeout; the sweeper queues every certificate still pending.
    services.certificates_requeue_pending(older_than=datetime.timedelta(0))
    assert wait_for(lambda: _issued_count() == 200, timeout=180, workers=workers)

    completed = Enrollment.objects.filter(pk__in=[e.pk for e in enrollments])
    assert all(e.status == EnrollmentStatus.COMPLETED for e in completed)
    per_enrollment = Counter(
        Certificate.objects.filter(enrollment__in=completed).values_list("enrollment_id", flat=True)
    )
    assert len(per_enrollment) == 200 and set(per_enrollment.values()) == {1}
    files = _pdf_files()
    assert len(files) == 200 and set(files.values()) == {1}


def test_after_redis_lost_every_message_the_sweeper_issues_every_certificate(workers):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    _complete(course, 20)
    # No worker has run yet: every render message is in Redis, and now it is gone.
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    workers.start("w1")
    assert not wait_for(lambda: _issued_count() > 0, timeout=3, workers=workers)

    assert services.certificates_requeue_pending(older_than=datetime.timedelta(0)) == 20
    assert wait_for(lambda: _issued_count() == 20, timeout=120, workers=workers)
