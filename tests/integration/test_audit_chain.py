"""Concurrent writers on real PostgreSQL connections extend the audit chain without forking it."""

import threading

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from audit.services import audit_record
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 8
EVENTS_EACH = 15


def test_concurrent_writers_never_fork_the_chain():
    actor = UserFactory()
    course = CourseFactory()
    barrier = threading.Barrier(WRITERS)
    failures = []

    def write(writer: int):
        try:
            barrier.wait(timeout=10)
            for n in range(EVENTS_EACH):
                # Each event in its own transaction that also does other work first, as a
                # privileged action would.
                with transaction.atomic():
                    course.__class__.objects.filter(pk=course.pk).exists()
                    audit_record(
                        actor=actor,
                        action="course.publish",
                        target=course,
                        data={"writer": writer, "n": n},
                    )
        except Exception as exc:  # a failure in a thread must fail the test
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"

    assert failures == []
    total = WRITERS * EVENTS_EACH
    assert AuditEvent.objects.count() == total
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    # No two events claim the same predecessor: a fork would.
    assert AuditEvent.objects.values("prev_hash").distinct().count() == total
    report = audit_chain_verify()
    assert report.problem is None
    assert report.events == total


def test_without_the_lock_the_unique_number_still_refuses_a_fork():
    """Two events with the same number cannot both be stored."""
    from django.db import IntegrityError

    actor = UserFactory()
    first = audit_record(actor=actor, action="x.y", target=actor)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent(
            seq=first.seq,
            created_at=first.created_at,
            action="x.y",
            target_type="accounts.user",
            target_id=str(actor.pk),
            prev_hash=first.prev_hash,
            hash="e" * 64,
        ).save(force_insert=True)


def test_details_round_trip_through_jsonb_without_breaking_the_chain():
    actor = UserFactory()
    audit_record(
        actor=actor,
        action="x.y",
        target=actor,
        data={"big": 1e16, "text": "a\x00b", "ћирилица": "한국어", "n": 12345678901234567890},
    )
    assert audit_chain_verify().problem is None
