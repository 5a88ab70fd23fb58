"""The catalogue's shared cache: the rendered list is the same for everyone in one language, so
it is kept until the catalogue changes (or for a few minutes at most)."""

import hashlib
import time

from django.core.cache import cache

CATALOGUE_TTL = 300
_VERSION_KEY = "courses:catalogue:version"


def catalogue_version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(_VERSION_KEY, version, None)
        version = cache.get(_VERSION_KEY, version)
    return version


def catalogue_changed() -> None:
    """Make every cached catalogue page stale; called whenever catalogue content changes."""
    cache.set(_VERSION_KEY, time.time_ns(), None)


def catalogue_key(*, language: str, params) -> str:
    query = "&".join(f"{k}={v}" for k, values in sorted(params.lists()) for v in values)
    digest = hashlib.sha256(f"{language}|{query}".encode()).hexdigest()[:32]
    return f"courses:catalogue:{catalogue_version()}:{digest}"


def course_cache_key(slug: str) -> str:
    """A course's contents (modules and lesson titles), shared by its lesson pages."""
    digest = hashlib.sha256(slug.encode()).hexdigest()[:32]
    return f"courses:course:{catalogue_version()}:{digest}"
