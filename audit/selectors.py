"""Reads of the audit log."""

from dataclasses import dataclass

from .chain import ChainBreak, first_break
from .models import AuditEvent

CHAIN_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "data",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class ChainReport:
    problem: ChainBreak | None
    events: int
    head_seq: int | None
    head_hash: str | None


def audit_chain_verify(*, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Walk the whole chain in order, in constant memory, and report the first break.
    ``anchor`` (a number and hash recorded earlier, outside the database) also catches events
    cut from the end of the log, which no chain can show on its own."""
    rows = AuditEvent.objects.order_by("seq").values(*CHAIN_FIELDS).iterator(chunk_size=2000)
    problem, count, last = first_break(rows)
    if problem is None and anchor is not None:
        seq, expected = anchor
        found = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if found is None:
            problem = ChainBreak(seq, "deleted", f"event #{seq} of the anchor is missing: deleted")
        elif found != expected:
            problem = ChainBreak(seq, "changed", f"event #{seq} does not match the anchor")
    return ChainReport(
        problem=problem,
        events=count,
        head_seq=last["seq"] if last else None,
        head_hash=last["hash"] if last else None,
    )
