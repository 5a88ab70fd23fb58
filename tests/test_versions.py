"""``lms.versions``: an entry counts only under the exact versions it was stored for."""

import pytest
from django.core.cache import cache

from lms import versions

pytestmark = pytest.mark.django_db


def test_an_entry_is_stale_once_any_of_its_versions_moves_or_is_lost():
    both = ("test:a:version", "test:b:version")
    state, found = versions.fresh_entries(both, ["test:entry"])
    assert found == {} and len(state) == 2
    versions.store("test:entry", state, "built", 60)
    assert versions.fresh_entries(both, ["test:entry"]) == (state, {"test:entry": "built"})

    versions.bump("test:b:version")
    later, found = versions.fresh_entries(both, ["test:entry"])
    assert found == {} and later[0] == state[0] and later[1] != state[1]

    versions.store("test:entry", later, "rebuilt", 60)
    cache.delete("test:a:version")  # an evicted or cleared version key
    cleared, found = versions.fresh_entries(both, ["test:entry"])
    assert found == {} and cleared[0] != later[0]
    assert versions.current("test:a:version") == cleared[0]
