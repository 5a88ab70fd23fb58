"""Entries in the shared cache that stay good until a version changes.

A version is a number kept without expiry under its own key; a change to what the entries are
made from sets a new one (``bump``, after the change commits), and every entry stored for an
older version then counts as missing. An entry is stored with the versions it was built under
(read before the data it is built from), so an entry built from data read just before a change
is stale as soon as the change's bump lands. One read (``fresh_entries``) gets the versions and
the entries together."""

import time
from collections.abc import Iterable

from django.core.cache import cache


def current(version_key: str) -> int:
    """The version under ``version_key``, set to a new one if there is none (a cleared cache:
    whatever another process stores under it after that was built after the clear)."""
    version = cache.get(version_key)
    if version is None:
        version = time.time_ns()
        cache.add(version_key, version, None)
        version = cache.get(version_key, version)
    return version


def bump(version_key: str) -> None:
    """Make every entry stored under the version at ``version_key`` stale."""
    cache.set(version_key, time.time_ns(), None)


def fresh_entries(version_keys: tuple[str, ...], keys: Iterable[str]) -> tuple[tuple, dict]:
    """The current versions at ``version_keys`` and the entries of ``keys`` stored under
    exactly those versions, in one cache round trip."""
    keys = list(keys)
    found = cache.get_many([*version_keys, *keys])
    versions = tuple(
        found[key] if found.get(key) is not None else current(key) for key in version_keys
    )
    fresh = {}
    for key in keys:
        stored = found.get(key)
        if stored is not None and stored[0] == versions:
            fresh[key] = stored[1]
    return versions, fresh


def store(key: str, versions: tuple, value, ttl: int) -> None:
    """Keep ``value`` under ``key`` for the ``versions`` that ``fresh_entries`` returned."""
    cache.set(key, (versions, value), ttl)
