import pytest

from accounts.roles import Role
from tests.factories import UserFactory, give_totp


def privileged(*roles, **kwargs):
    user = UserFactory(roles=roles, **kwargs)
    give_totp(user)
    return user


@pytest.fixture
def trainer(db):
    return privileged(Role.TRAINER)


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    return client
