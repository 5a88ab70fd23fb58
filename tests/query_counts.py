"""Helpers for "this page runs the same number of queries however much data there is"."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    """The number of queries one successful GET of ``url`` runs with nothing cached."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def assert_query_count(client, django_assert_num_queries, url, expected: int) -> None:
    """GET ``url`` expecting exactly ``expected`` queries; on a mismatch pytest-django prints
    every query that ran. Nothing is cached, so the page's own queries are what is counted."""
    cache.clear()
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
