import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MY_LEARNING = "/courses/my/"
PRIVILEGED = [Role.TRAINER, Role.HR_OFFICER, Role.ADMINISTRATOR]


@pytest.fixture
def mfa_required(settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = True


@pytest.fixture
def mfa_not_required(settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = False


def _signed_in(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    return user


def test_my_learning_is_the_page_under_test():
    assert reverse("courses:my_learning") == MY_LEARNING


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_privileged_person_without_totp_is_sent_to_set_it_up(client, role):
    _signed_in(client, role)

    response = client.get(MY_LEARNING)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
def test_recovery_codes_alone_do_not_count_as_totp(client):
    user = _signed_in(client, Role.TRAINER)
    RecoveryCodes.activate(user)
    assert Authenticator.objects.filter(user=user).exists()

    response = client.get(MY_LEARNING)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
def test_a_learner_is_not_sent_to_set_up_totp(client):
    _signed_in(client, Role.LEARNER)

    response = client.get(MY_LEARNING)

    assert response.status_code == 200


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_privileged_person_with_totp_opens_the_page(client, role):
    user = _signed_in(client, role)
    TOTP.activate(user, generate_totp_secret())

    response = client.get(MY_LEARNING)

    assert response.status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_a_privileged_person_without_totp_can_still_sign_out(client):
    _signed_in(client, Role.ADMINISTRATOR)

    confirmation = client.get(reverse("account_logout"))
    signed_out = client.post(reverse("account_logout"))

    assert confirmation.status_code == 200
    assert signed_out.status_code == 302
    assert signed_out["Location"] != reverse("mfa_activate_totp")
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("mfa_required")
def test_the_totp_set_up_page_itself_is_not_redirected_to_itself(client):
    _signed_in(client, Role.HR_OFFICER)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.get("Location") != reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_not_required")
@pytest.mark.parametrize("role", [Role.LEARNER, *PRIVILEGED])
def test_nobody_is_redirected_when_mfa_is_not_required(client, role):
    _signed_in(client, role)

    response = client.get(MY_LEARNING)

    assert response.status_code == 200
