"""The catalogue's shared cache: the rendered list is the same for everyone in one language, so
it is kept until the catalogue changes (or for a few minutes at most)."""

import hashlib
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from django.core.cache import cache

CATALOGUE_TTL = 300
_VERSION_KEY = "courses:catalogue:version"
_CATEGORIES_KEY = "courses:catalogue:categories"


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


def catalogue_query(params: Mapping[str, str], page: int) -> str:
    """The query string of one catalogue page as the site's own links write it: the filters
    that are set, by form field name in the form's order, then the page number past the first.
    URL-encoded, so that no value can pass for another parameter."""
    pairs = [(name, value) for name, value in params.items() if value]
    if page != 1:
        pairs.append(("page", page))
    return urlencode(pairs)


def catalogue_page_key(language: str, query: str) -> str:
    """The cache key of one catalogue page: its language and its query string. Pages are
    stored only under the query string ``catalogue_query`` writes for the filters as parsed
    (with the catalogue's version beside them, ``catalogue_store``), so a request whose query
    string is written that way is answered without parsing it, and any other query string,
    junk parameters included, finds nothing under its own key and creates no entry."""
    return f"courses:catalogue:page:{_digest(f'{language}|{query}')}"


def catalogue_state(categories_loader: Callable[[], list]) -> tuple[int, list]:
    """The catalogue's version and the categories its filter offers, in one cache round trip.
    The categories are needed to parse the filters before the cached page can be looked up;
    they are kept with the version they were read for and reloaded when it changes."""
    found = cache.get_many([_VERSION_KEY, _CATEGORIES_KEY])
    version = found.get(_VERSION_KEY)
    if version is None:
        version = catalogue_version()
    stored = found.get(_CATEGORIES_KEY)
    if stored is not None and stored[0] == version:
        return version, stored[1]
    categories = list(categories_loader())
    cache.set(_CATEGORIES_KEY, (version, categories), CATALOGUE_TTL)
    return version, categories


def course_cache_key(slug: str) -> str:
    """A course with its contents (modules and lesson titles), shared by its lesson pages.
    The key names the shape of the entry (``v2``: the contents as plain data), so entries of an
    older shape left in the cache by the previous release are never read."""
    return f"courses:course:v2:{_digest(slug)}"


def course_page_cache_key(slug: str) -> str:
    """A course as its own page shows it: the contents above plus each module's lessons and
    quizzes and the course's quizzes, as model instances (``v1``: the shape of the entry)."""
    return f"courses:course-page:v1:{_digest(slug)}"


def anonymous_course_page_key(slug: str, language: str) -> str:
    """A course page's rendered content as an anonymous visitor sees it in one language, with
    the course's title: the same for every visitor, like a catalogue page."""
    return f"courses:course-page-anonymous:{_digest(f'{language}|{slug}')}"


def _digest(text: str) -> str:
    # Slugs are short, but a key must stay within every cache's length and character limits.
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def lesson_cache_key(lesson_id: int) -> str:
    """A lesson with its body, module and attachments, as its page shows it."""
    return f"courses:lesson:{lesson_id}"


def catalogue_entries(*keys: str) -> tuple[int, dict]:
    """The catalogue's version and those of ``keys`` stored for it, in one cache round trip.
    Entries are kept as (version, value), so one that an older version stored counts as
    missing."""
    found = cache.get_many([_VERSION_KEY, *keys])
    version = found.get(_VERSION_KEY)
    if version is None:
        version = catalogue_version()
    fresh = {}
    for key in keys:
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            fresh[key] = stored[1]
    return version, fresh


def catalogue_store(key: str, version: int, value) -> None:
    cache.set(key, (version, value), CATALOGUE_TTL)
