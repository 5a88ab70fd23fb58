"""The audit log is a hash chain; audit_verify finds the first changed, inserted or deleted row."""

import itertools
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.chain import GENESIS, event_hash
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from audit.services import audit_record
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """Five events by one actor on one course."""
    actor = UserFactory()
    course = CourseFactory()
    start = AuditEvent.objects.count()
    events = [
        audit_record(actor=actor, action="course.publish", target=course, data={"n": n})
        for n in range(5)
    ]
    assert [e.seq for e in events] == list(range(start + 1, start + 6))
    return events


def _verify_fails(*args) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", *args)
    return str(excinfo.value)


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_each_event_links_to_the_one_before(chain):
    first = AuditEvent.objects.order_by("seq").first()
    assert first.seq == 1
    assert first.prev_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in chain}) == len(chain)


def test_an_intact_chain_verifies_and_prints_its_head(chain, capsys):
    call_command("audit_verify")
    head = chain[-1]
    assert f"head {head.seq}:{head.hash}" in capsys.readouterr().out


def test_data_is_stored_as_it_was_hashed(chain):
    actor = UserFactory()
    event = audit_record(
        actor=actor, action="x.y", target=actor, data={"when": chain[0].created_at, "ids": (1, 2)}
    )
    event.refresh_from_db()
    assert event.data["ids"] == [1, 2]
    assert audit_chain_verify().problem is None


def test_a_changed_detail_is_reported(chain):
    _sql(
        "UPDATE audit_auditevent SET data = %s WHERE seq = %s",
        [json.dumps({"n": 99}), chain[2].seq],
    )
    message = _verify_fails()
    assert f"event #{chain[2].seq} was changed" in message


def test_a_changed_actor_is_reported(chain):
    other = UserFactory()
    _sql("UPDATE audit_auditevent SET actor_id = %s WHERE seq = %s", [other.pk, chain[1].seq])
    assert f"event #{chain[1].seq} was changed" in _verify_fails()


def test_a_changed_time_is_reported(chain):
    event = chain[3]
    AuditEvent.objects.filter(pk=event.pk).update(created_at=event.created_at - timedelta(hours=1))
    assert f"event #{event.seq} was changed" in _verify_fails()


def test_a_deleted_event_is_reported(chain):
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [chain[2].seq])
    assert f"event #{chain[2].seq} is missing: deleted" in _verify_fails()


def test_deleting_the_first_events_is_reported(chain):
    _sql("DELETE FROM audit_auditevent WHERE seq <= %s", [2])
    assert "events #1–#2 are missing: deleted" in _verify_fails()


def test_an_inserted_event_with_a_made_up_hash_is_reported(chain):
    head = chain[-1]
    _sql(
        "INSERT INTO audit_auditevent (seq, created_at, action, target_type, target_id, data,"
        " prev_hash, hash) VALUES (%s, %s, 'course.publish', 'courses.course', '1', '{}', %s, %s)",
        [head.seq + 1, head.created_at, head.hash, "f" * 64],
    )
    assert f"event #{head.seq + 1} was changed" in _verify_fails()


def test_an_event_slipped_into_the_middle_is_reported(chain):
    """A forger who knows the hash function renumbers the later events to make room and
    writes a well-formed event: the next event no longer follows it."""
    middle = chain[2]
    _sql("UPDATE audit_auditevent SET seq = seq + 1000 WHERE seq >= %s", [middle.seq])
    _sql("UPDATE audit_auditevent SET seq = seq - 999 WHERE seq >= %s", [middle.seq + 1000])
    forged = {
        "seq": middle.seq,
        "created_at": middle.created_at,
        "actor_id": None,
        "action": "course.publish",
        "target_type": "courses.course",
        "target_id": "1",
        "data": {},
        "prev_hash": chain[1].hash,
    }
    digest = event_hash(**forged)
    _sql(
        "INSERT INTO audit_auditevent (seq, created_at, action, target_type, target_id, data,"
        " prev_hash, hash) VALUES (%s, %s, 'course.publish', 'courses.course', '1', '{}', %s, %s)",
        [middle.seq, middle.created_at, chain[1].hash, digest],
    )
    # The renumbered events no longer match their own hashes (the number is hashed).
    assert f"event #{middle.seq + 1} was changed" in _verify_fails()


def test_an_appended_event_that_skips_its_predecessor_is_reported(chain):
    head = chain[-1]
    forged = {
        "seq": head.seq + 1,
        "created_at": head.created_at,
        "actor_id": None,
        "action": "course.publish",
        "target_type": "courses.course",
        "target_id": "1",
        "data": {},
        "prev_hash": chain[0].hash,
    }
    _sql(
        "INSERT INTO audit_auditevent (seq, created_at, action, target_type, target_id, data,"
        " prev_hash, hash) VALUES (%s, %s, 'course.publish', 'courses.course', '1', '{}', %s, %s)",
        [head.seq + 1, head.created_at, chain[0].hash, event_hash(**forged)],
    )
    message = _verify_fails()
    assert f"event #{head.seq + 1} does not follow event #{head.seq}" in message


def test_an_anchor_catches_events_cut_from_the_end(chain):
    anchor = f"{chain[-1].seq}:{chain[-1].hash}"
    call_command("audit_verify", "--anchor", anchor)
    _sql("DELETE FROM audit_auditevent WHERE seq >= %s", [chain[-2].seq])
    assert audit_chain_verify().problem is None  # the chain alone cannot tell
    assert f"event #{chain[-1].seq} of the anchor is missing" in _verify_fails("--anchor", anchor)


def test_a_malformed_anchor_is_refused(chain):
    assert "NUMBER:HASH" in _verify_fails("--anchor", "²:abc")


def test_events_cannot_be_changed_or_deleted_through_the_orm(chain):
    event = AuditEvent.objects.get(pk=chain[0].pk)
    event.action = "other"
    with pytest.raises(ValueError, match="never changed"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()


def test_the_backfill_links_existing_events_in_time_order(chain):
    """The migration's back-fill, run over events without a chain, rebuilds a valid one."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("audit.migrations.0002_hash_chain")
    _sql("UPDATE audit_auditevent SET seq = seq + 100000, hash = 'x' || id, prev_hash = ''")
    migration.backfill_chain(apps, None)
    report = audit_chain_verify()
    assert report.problem is None
    assert report.events == AuditEvent.objects.count()
    ordered = list(AuditEvent.objects.order_by("seq").values_list("pk", flat=True))
    assert ordered == list(
        AuditEvent.objects.order_by("created_at", "pk").values_list("pk", flat=True)
    )


def test_details_are_stored_in_a_form_every_database_returns_unchanged():
    actor = UserFactory()
    event = audit_record(
        actor=actor,
        action="x.y",
        target=actor,
        data={"big": 1e16, "ratio": 0.1, "text": "a\x00b", "nested": {"n": [1, 2.5]}},
    )
    event.refresh_from_db()
    assert event.data == {
        "big": "1e+16",
        "ratio": "0.1",
        "text": "a\ufffdb",
        "nested": {"n": [1, "2.5"]},
    }
    assert audit_chain_verify().problem is None


def test_the_nightly_check_logs_a_break_as_an_error(chain, caplog):
    from audit.tasks import verify_chain

    with caplog.at_level("INFO", logger="audit.tasks"):
        assert verify_chain() is True
    assert f"head {chain[-1].seq}:{chain[-1].hash}" in caplog.text
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [chain[1].seq])
    caplog.clear()
    assert verify_chain() is False
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert f"event #{chain[1].seq} is missing" in record.getMessage()


def test_the_nightly_check_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "audit.verify_chain" in tasks


def test_an_unsaved_target_is_refused():
    from courses.models import Course

    with pytest.raises(ValueError, match="save the target first"):
        audit_record(actor=None, action="x.y", target=Course(title="Unsaved"))
    assert not AuditEvent.objects.exists()
