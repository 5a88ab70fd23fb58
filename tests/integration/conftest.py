"""The integration tier runs against real PostgreSQL and Redis (DATABASE_URL, REDIS_URL)."""

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.conftest import require_service


@pytest.fixture(autouse=True, scope="session")
def _real_services():
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (set DATABASE_URL to a postgres:// address)")
    if not settings.REDIS_URL:
        require_service("Redis (set REDIS_URL)")
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3)
        client.ping()
    except redis.RedisError:
        require_service(f"Redis at {settings.REDIS_URL}")
    # A new test database numbers its rows from 1 again: entries cached by an earlier run (a
    # quiz's answer keys, a course's contents) would be taken for the new rows'.
    client.flushdb()
