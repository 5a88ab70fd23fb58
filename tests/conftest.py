import os

import pytest

from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A slow hasher protects real passwords; tests need no such protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def learner(db):
    return UserFactory(full_name="Ђорђе Љубић")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def require_service(name: str) -> None:
    """Under CI a missing service fails the run; locally the tier is skipped."""
    message = f"{name} is not reachable"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
