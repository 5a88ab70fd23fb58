"""allauth's emails carry the site's real name and public address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_password_reset_email_names_the_site_and_links_to_its_public_address(client, settings):
    settings.LMS_SITE_URL = "https://obuka.example.gov.rs"
    person = UserFactory(email="mila@example.gov")
    client.post(reverse("account_reset_password"), {"email": person.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("[ICT Training Centre] ")
    assert "ICT Training Centre" in message.body
    assert "obuka.example.gov.rs" in message.body
    assert "testserver" not in message.body and "127.0.0.1" not in message.body
    reset_links = [link for link in links(message) if "/accounts/password/reset/key/" in link]
    assert reset_links and all(
        link.startswith("https://obuka.example.gov.rs/accounts/password/reset/key/")
        for link in reset_links
    )
    # The link works on the site.
    path = reset_links[0].removeprefix("https://obuka.example.gov.rs")
    assert client.get(path, follow=True).status_code == 200


def test_verification_email_uses_the_configured_name_and_a_base_path(client, settings):
    settings.LMS_SITE_NAME = "Centar za obuku"
    settings.LMS_SITE_URL = "https://example.gov.rs/lms/"
    client.post(
        reverse("account_signup"),
        {
            "email": "nova@example.gov",
            "password1": "long-enough-passphrase-42",
            "password2": "long-enough-passphrase-42",
            "full_name": "Nova Novak",
            "preferred_language": "en",
        },
    )
    message = mail.outbox[0]
    assert message.subject.startswith("[Centar za obuku] ")
    assert "Hello from Centar za obuku" in message.body
    assert any(
        link.startswith("https://example.gov.rs/lms/accounts/confirm-email/")
        for link in links(message)
    )


def test_without_a_public_address_links_follow_the_request(client):
    person = UserFactory(email="mila@example.gov")
    client.post(reverse("account_reset_password"), {"email": person.email})
    assert any(
        link.startswith("http://testserver/accounts/password/reset/key/")
        for link in links(mail.outbox[0])
    )
