"""The reminder rules the sweep runs, registered by the apps that own their data.

A rule is a small object with a ``kind`` and a ``candidates(now=...)`` method that finds every
notification of its kind due right now with a few set-based queries (never one per learner)
and yields ``Candidate`` rows. The sweep logs and sends them; the unique key
(recipient, kind, object, period) keeps each one to a single message however often the sweep
runs. A rule may also answer ``still_valid(object_ids)`` so that a row whose object vanished or
changed between selection and sending is skipped.

This app registers its own rules in ``NotificationsConfig.ready``; the certificates app
registers the certificate rules in its own ``ready`` (see ``certificates/notification_rules.py``).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Candidate:
    recipient_id: int
    time_zone: str
    kind: str
    object_type: str
    object_id: int
    period: str
    context: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple:
        return (self.recipient_id, self.kind, self.object_type, self.object_id, self.period)


class Rule(Protocol):
    kind: str

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]: ...

    def still_valid(self, object_ids: set[int]) -> set[int]: ...


_rules: dict[str, Rule] = {}


def register_rule(rule: Rule) -> None:
    """Add (or replace) the rule for ``rule.kind``."""
    _rules[rule.kind] = rule


def unregister_rule(kind: str) -> None:
    _rules.pop(kind, None)


def rules() -> list[Rule]:
    return list(_rules.values())


def rule_for(kind: str) -> Rule | None:
    return _rules.get(kind)
