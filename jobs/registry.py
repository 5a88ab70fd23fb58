"""Which function runs which kind of job. Higher apps register their runners in
``AppConfig.ready``, so this app never imports them.

A runner is called as ``runner(job)`` and reports through ``jobs.services``: it sets the total,
advances the progress and returns ``(filename, bytes)`` for a result file, or None.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import BackgroundJob

Runner = Callable[["BackgroundJob"], "tuple[str, bytes] | None"]


@dataclass(frozen=True)
class JobKind:
    runner: Runner
    queue: str = "default"


_kinds: dict[str, JobKind] = {}


def register_job_runner(kind: str, runner: Runner, *, queue: str = "default") -> None:
    _kinds[kind] = JobKind(runner=runner, queue=queue)


def job_kind(kind: str) -> JobKind:
    try:
        return _kinds[kind]
    except KeyError:
        raise LookupError(f"no runner registered for job kind {kind!r}") from None
