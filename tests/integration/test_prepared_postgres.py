"""The compiled-once statements (``lms.prepared``) on PostgreSQL: the same tests as on SQLite,
and there the locking read's lock clause and its refusal outside a transaction run too."""

from tests.test_prepared import *  # noqa: F403
