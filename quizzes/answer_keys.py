"""Each quiz's answer keys and question pool, built once from the database and kept in the shared
cache until a question or choice changes.

Starting an attempt needs the pool in its authored order with each question's choices;
submitting one needs every drawn question's ``grading.QuestionKey``. Both come from the same two
queries, so one cache entry per quiz holds both. An archived question
(``quizzes.authoring.question_archive``) is out of the pool, so no new attempt draws it, but its
key stays (``archived``, and ``by_id``) for the attempts that drew it before: they are graded and
regraded with it.

The entries carry the version of the keys they were built for; each process keeps the keys it
last used and checks them against the current version on every read. Any save or delete of a
question or choice (``quizzes.signals``) sets a new version at once and again when its
transaction commits: a request that read the old rows while the change was being committed
stores them under a version that is already stale. Writes that bypass model signals
(``QuerySet.update``, ``bulk_create``) must call ``keys_changed()`` themselves.
"""

import time
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db import transaction

from . import grading
from .models import Choice, Question

KEYS_TTL = 3600
_VERSION_KEY = "quizzes:keys:version"


def _entry_key(quiz_id: int) -> str:
    # "v2": entries carry the archived questions apart from the pool; an entry stored in the
    # earlier shape (every question in the pool) is never read back.
    return f"quizzes:keys:v2:quiz:{quiz_id}"


@dataclass(frozen=True)
class QuizKeys:
    """A quiz's questions as grading and drawing need them; no question text."""

    version: int
    pool: tuple[grading.QuestionKey, ...]  # what new attempts draw, in the authored order
    choice_order: dict[int, tuple[int, ...]]  # question id: its choice ids in authored order
    archived: tuple[grading.QuestionKey, ...] = ()  # drawn by older attempts only

    @cached_property
    def by_id(self) -> dict[int, grading.QuestionKey]:
        """Every question's key, archived ones included: what grading an attempt needs."""
        return {key.id: key for key in (*self.pool, *self.archived)}


def keys_version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = _new_version()
    return version


def _new_version() -> int:
    cache.add(_VERSION_KEY, time.time_ns(), None)
    return cache.get(_VERSION_KEY) or time.time_ns()


def keys_changed() -> None:
    """Make every cached answer key stale, now and once the current transaction commits."""
    cache.set(_VERSION_KEY, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, time.time_ns(), None))


def build_quiz_keys(quiz_id: int, *, version: int = 0) -> QuizKeys:
    """Read the quiz's questions and choices (two queries, no model instances)."""
    choices: dict[int, list[tuple[int, bool]]] = {}
    for choice_id, question_id, is_correct in (
        Choice.objects.filter(question__quiz_id=quiz_id)
        .order_by("question", "position", "pk")
        .values_list("pk", "question_id", "is_correct")
    ):
        choices.setdefault(question_id, []).append((choice_id, is_correct))
    pool, archived = [], []
    for (
        question_id,
        kind,
        points,
        partial_credit,
        accepted_answers,
        numeric_answer,
        numeric_tolerance,
        archived_at,
    ) in (
        Question.objects.filter(quiz_id=quiz_id)
        .order_by("position", "pk")
        .values_list(
            "pk",
            "kind",
            "points",
            "partial_credit",
            "accepted_answers",
            "numeric_answer",
            "numeric_tolerance",
            "archived_at",
        )
    ):
        own = choices.get(question_id, [])
        (pool if archived_at is None else archived).append(
            grading.QuestionKey(
                id=question_id,
                kind=kind,
                points=points,
                correct_choice_ids=frozenset(c for c, correct in own if correct),
                choice_ids=frozenset(c for c, _ in own),
                partial_credit=partial_credit,
                accepted_answers=tuple(str(a) for a in (accepted_answers or [])),
                numeric_answer=numeric_answer,
                numeric_tolerance=numeric_tolerance or Decimal(0),
            )
        )
    return QuizKeys(
        version=version,
        pool=tuple(pool),
        archived=tuple(archived),
        choice_order={qid: tuple(c for c, _ in own) for qid, own in choices.items()},
    )


# This process's copy of the keys last used, by quiz: a submit then reads only the version
# from the shared cache, not the whole entry (50 keys unpickled, their index rebuilt).
_LOCAL_QUIZZES = 256
_local: dict[int, QuizKeys] = {}


def _remember(quiz_id: int, keys: QuizKeys) -> QuizKeys:
    if quiz_id not in _local and len(_local) >= _LOCAL_QUIZZES:
        _local.pop(next(iter(_local)), None)  # the oldest one
    _local[quiz_id] = keys
    return keys


def quiz_keys(quiz_id: int, *, fresh: bool = False) -> QuizKeys:
    """The quiz's keys: this process's copy while the version it was built for is still the
    current one (one small read), else from the shared cache (one round trip), else built and
    stored. ``fresh`` reads the database whatever is cached (a regrade after a correction)."""
    local = None if fresh else _local.get(quiz_id)
    if local is not None and local.version == cache.get(_VERSION_KEY):
        return local
    key = _entry_key(quiz_id)
    found = {} if fresh else cache.get_many([_VERSION_KEY, key])
    version = found.get(_VERSION_KEY)
    stored = found.get(key)
    if version is not None and stored is not None and stored.version == version:
        return _remember(quiz_id, stored)
    if version is None:
        version = keys_version()
    built = build_quiz_keys(quiz_id, version=version)
    cache.set(key, built, KEYS_TTL)
    return _remember(quiz_id, built)
