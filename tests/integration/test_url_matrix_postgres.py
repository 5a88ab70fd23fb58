"""The role × URL matrix again, on PostgreSQL: the same answers, and no 500, on both databases."""

import pytest

from tests.test_url_matrix import (  # noqa: F401 - pytest collects the imported tests and fixture
    test_a_privileged_person_without_mfa_is_sent_to_set_it_up,
    test_role_url_matrix,
    test_third_party_prefixes,
    world,
)

pytestmark = pytest.mark.django_db
