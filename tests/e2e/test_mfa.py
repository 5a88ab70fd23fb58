import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_trainer_must_set_up_totp_then_signs_in_with_a_code(page, settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = True
    trainer = UserFactory(email="trainer@example.gov", roles=[Role.TRAINER])

    sign_in(page, trainer.email, PASSWORD)
    # Any page the trainer opens leads to the authenticator set-up first.
    page.goto("/courses/my/")
    expect(page.get_by_text("requires two-factor authentication")).to_be_visible()
    # allauth asks for the password again before any change to sign-in methods.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activate").click()
    assert Authenticator.objects.filter(user=trainer, type=Authenticator.Type.TOTP).exists()

    page.goto("/courses/my/")
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, trainer.email, PASSWORD)
    expect(page.get_by_text("enter an authenticator code")).to_be_visible()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
