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


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_privileged_person_without_totp_cannot_change_their_email(client, role):
    user = _signed_in(client, role)

    page = client.get(reverse("account_email"))
    added = client.post(
        reverse("account_email"), {"action_add": "", "email": "attacker@example.org"}
    )

    assert page.status_code == 302
    assert page["Location"] == reverse("mfa_activate_totp")
    assert added.status_code == 302
    assert added["Location"] == reverse("mfa_activate_totp")
    assert not user.emailaddress_set.filter(email="attacker@example.org").exists()


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_privileged_person_without_totp_cannot_change_their_password(client, role, password):
    user = _signed_in(client, role)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "N3w-passw0rd!x", "password2": "N3w-passw0rd!x"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    user.refresh_from_db()
    assert user.check_password(password)


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize(
    "name",
    ["account_signup", "mfa_generate_recovery_codes", "socialaccount_connections"],
)
def test_other_account_pages_wait_for_totp_too(client, name):
    _signed_in(client, Role.TRAINER)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
def test_the_mfa_overview_opens_without_totp(client):
    _signed_in(client, Role.TRAINER)

    response = client.get(reverse("mfa_index"))

    assert response.status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_a_learner_changes_their_email_without_totp(client):
    user = _signed_in(client, Role.LEARNER)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new-address@example.org"}
    )

    assert response.status_code == 302
    assert user.emailaddress_set.filter(email="new-address@example.org").exists()
