"""The audit log's hash chain, as pure functions over plain values (no ORM).

Each event's hash covers its own content and the hash of the event before it, so changing,
inserting or deleting a row breaks the chain from that row on. ``first_break`` walks events in
chain order and names the first place where the chain does not hold.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

# The hash of the (absent) event before the first one.
GENESIS = "0" * 64
# Bumped if the hashed content ever changes, so old and new events stay verifiable.
VERSION = 1


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    data: Mapping,
    prev_hash: str,
) -> str:
    """SHA-256 over a canonical JSON form of the event and its predecessor's hash."""
    payload = json.dumps(
        [
            VERSION,
            seq,
            canonical_time(created_at),
            actor_id,
            action,
            target_type,
            target_id,
            data,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    kind: str  # "changed", "deleted" or "inserted"
    message: str


def first_break(events: Iterable[Mapping]) -> tuple[ChainBreak | None, int, Mapping | None]:
    """Walk ``events`` (mappings with the AuditEvent fields, in ascending ``seq``) and return
    the first break, how many events were read, and the last event read."""
    previous = None
    count = 0
    for event in events:
        count += 1
        seq = event["seq"]
        expected_prev_seq = previous["seq"] + 1 if previous else 1
        expected_prev_hash = previous["hash"] if previous else GENESIS
        if seq != expected_prev_seq:
            first_missing = expected_prev_seq
            return (
                ChainBreak(
                    seq=first_missing,
                    kind="deleted",
                    message=(
                        f"events #{first_missing}–#{seq - 1} are missing: deleted"
                        if seq - 1 > first_missing
                        else f"event #{first_missing} is missing: deleted"
                    ),
                ),
                count,
                event,
            )
        recomputed = event_hash(
            seq=seq,
            created_at=event["created_at"],
            actor_id=event["actor_id"],
            action=event["action"],
            target_type=event["target_type"],
            target_id=event["target_id"],
            data=event["data"],
            prev_hash=event["prev_hash"],
        )
        if recomputed != event["hash"]:
            return (
                ChainBreak(
                    seq=seq,
                    kind="changed",
                    message=f"event #{seq} was changed: its content does not match its hash",
                ),
                count,
                event,
            )
        if event["prev_hash"] != expected_prev_hash:
            where = f"event #{seq - 1}" if previous else "the start of the log"
            return (
                ChainBreak(
                    seq=seq,
                    kind="inserted",
                    message=(
                        f"event #{seq} does not follow {where}: it was inserted, or the event "
                        "before it was rewritten"
                    ),
                ),
                count,
                event,
            )
        previous = event
    return None, count, previous
