import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.permissions import user_roles
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, email="nova@example.gov", name="Đorđe Šćekić"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "long-enough-passphrase-42",
            "password2": "long-enough-passphrase-42",
            "full_name": name,
            "preferred_language": "sr-latn",
        },
    )


def _link_in(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_signup_verify_email_then_signed_in_as_learner(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nova@example.gov")
    assert user.full_name == "Đorđe Šćekić"
    assert user.preferred_language == "sr-latn"
    assert user_roles(user) == {"learner"}
    assert not EmailAddress.objects.get(user=user).verified

    # Not verified yet: signing in leads to the verification notice, not the LMS.
    client.logout()
    login = client.post(
        reverse("account_login"),
        {"login": "nova@example.gov", "password": "long-enough-passphrase-42"},
    )
    assert login["Location"] != reverse("courses:my_learning")

    confirm_url = _link_in(mail.outbox[-1])
    client.post(confirm_url)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("courses:my_learning")).status_code == 200


def test_signup_with_a_taken_email_does_not_reveal_it(client):
    existing = UserFactory(email="taken@example.gov", full_name="Original")
    response = _signup(client, email="taken@example.gov", name="Intruder")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="taken@example.gov").count() == 1
    existing.refresh_from_db()
    assert existing.full_name == "Original"
    # The owner of the address is told someone tried.
    assert mail.outbox[-1].to == ["taken@example.gov"]


def test_signup_without_a_name_rerenders_with_an_error(client):
    response = _signup(client, name="   ")
    assert response.status_code == 200
    assert "Enter your full name" in response.text or "This field is required" in response.text
    assert not User.objects.exists()


def test_sign_in_and_sign_out(client):
    user = UserFactory(email="ana@example.gov")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("courses:my_learning")
    assert client.get(reverse("courses:my_learning")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("courses:my_learning")).status_code == 302


def test_wrong_password_is_refused_and_rate_limited(client):
    user = UserFactory(email="ana@example.gov")
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.text
    response = client.post(url, {"login": user.email, "password": "wrong"})
    assert "Too many failed login attempts" in response.text
    # Even the right password waits until the limit expires.
    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_for_unknown_address_looks_the_same(client):
    UserFactory(email="known@example.gov")
    known = client.post(reverse("account_reset_password"), {"email": "known@example.gov"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.gov"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_reset_changes_the_password(client):
    user = UserFactory(email="known@example.gov")
    client.post(reverse("account_reset_password"), {"email": user.email})
    reset_url = _link_in(mail.outbox[-1])
    form_page = client.get(reset_url, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url
    client.post(
        action, {"password1": "brand-new-passphrase-9", "password2": "brand-new-passphrase-9"}
    )
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase-9")


def test_admin_sign_in_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_pages_use_the_project_layout(client):
    response = client.get(reverse("account_login"))
    assert 'class="site-header"' in response.text
    assert "/static/css/lms.css" in response.text


@pytest.mark.parametrize(("proxies", "limited"), [(0, True), (1, False)])
def test_sign_in_limits_count_per_visitor_behind_a_trusted_proxy(
    client, settings, proxies, limited
):
    """Behind a proxy every request comes from the proxy's address; with
    LMS_TRUSTED_PROXY_COUNT the limit counts the visitor's address from X-Forwarded-For."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    refused = []
    for n in range(12):
        response = client.post(
            reverse("account_login"),
            {"login": f"someone-{n}@example.gov", "password": "wrong-password-123"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}",
        )
        refused.append("Too many failed login attempts" in response.text)
    assert any(refused) is limited
