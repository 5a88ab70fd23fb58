"""The one writer of the audit log."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .chain import GENESIS, event_hash
from .models import AuditEvent

# The key of the PostgreSQL advisory lock that serialises writers of the chain ("AUDT").
CHAIN_LOCK_KEY = 0x41554454


def _lock_chain() -> None:
    """Hold the chain's lock until the surrounding transaction ends. SQLite allows one writer
    at a time anyway, and the unique ``seq`` refuses a fork on any database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _plain(value):
    """``value`` in the form every database gives back unchanged, so what is hashed is what is
    read later: the JSON round trip above turns dates, decimals and tuples into strings and
    lists; floats become text (PostgreSQL's jsonb would print 1e16 as an integer), and NUL
    characters, which jsonb refuses, become U+FFFD."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    return value


def audit_record(
    *, actor, action: str, target: models.Model, data: dict | None = None
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target``, appended to the hash chain.

    Call it inside the transaction that makes the change, so the change and its record land
    together or not at all, and call it last: the chain's lock is held until that transaction
    commits. ``data`` holds ids, codes and field names, never names or email addresses, so
    erasing a person leaves the chain intact (the events show the pseudonym through ``actor``).
    """
    if target.pk is None:
        raise ValueError("Audit events are about stored objects; save the target first.")
    data = _plain(json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)))
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        _lock_chain()
        head = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        seq = head["seq"] + 1 if head else 1
        prev_hash = head["hash"] if head else GENESIS
        event = AuditEvent(
            seq=seq,
            created_at=timezone.now(),
            actor_id=actor_id,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            data=data,
            prev_hash=prev_hash,
        )
        event.hash = event_hash(
            seq=seq,
            created_at=event.created_at,
            actor_id=actor_id,
            action=action,
            target_type=event.target_type,
            target_id=event.target_id,
            data=data,
            prev_hash=prev_hash,
        )
        event.save(force_insert=True)
    return event
