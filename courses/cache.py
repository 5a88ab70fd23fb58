"""The catalogue's shared cache: the rendered list is the same for everyone in one language, so
it is kept until the catalogue changes (or for a few minutes at most)."""

import hashlib
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from django.db import transaction

from lms import versions

CATALOGUE_TTL = 300
CATALOGUE_VERSION_KEY = "courses:catalogue:version"
_CATEGORIES_KEY = "courses:catalogue:categories"


def catalogue_version() -> tuple:
    """The catalogue's version as ``catalogue_entries`` returns it."""
    return (versions.current(CATALOGUE_VERSION_KEY),)


def catalogue_changed(*, also_after_commit: bool = False) -> None:
    """Make every cached catalogue page stale; called whenever catalogue content changes.
    ``also_after_commit`` for a change inside a transaction: once now and once after the
    commit, since a page read while the change is uncommitted would store the old content
    under the new version."""
    versions.bump(CATALOGUE_VERSION_KEY)
    if also_after_commit:
        transaction.on_commit(catalogue_changed)


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


def catalogue_state(categories_loader: Callable[[], list]) -> tuple[tuple, list]:
    """The catalogue's version and the categories its filter offers, in one cache round trip.
    The categories are needed to parse the filters before the cached page can be looked up;
    they are kept with the version they were read for and reloaded when it changes."""
    version, found = catalogue_entries(_CATEGORIES_KEY)
    if _CATEGORIES_KEY in found:
        return version, found[_CATEGORIES_KEY]
    categories = list(categories_loader())
    catalogue_store(_CATEGORIES_KEY, version, categories)
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


def catalogue_entries(*keys: str) -> tuple[tuple, dict]:
    """The catalogue's version and those of ``keys`` stored for it, in one cache round trip
    (``lms.versions``): one that an older version stored counts as missing."""
    return versions.fresh_entries((CATALOGUE_VERSION_KEY,), keys)


def catalogue_store(key: str, version: tuple, value) -> None:
    versions.store(key, version, value, CATALOGUE_TTL)
