"""Which language a page is in: the person's preference, the switcher, the browser."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.language import language_from_browser, supported_language
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    start = response.text.index("<html lang=") + len('<html lang="')
    return response.text[start : response.text.index('"', start)]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("sr-Latn-RS,sr;q=0.8", "sr-latn"),
        ("sr-Latn", "sr-latn"),
        ("sr-RS,en;q=0.5", "sr"),
        ("sr-Cyrl-RS", "sr"),
        ("ko-KR,ko;q=0.9,en-US;q=0.8", "ko"),
        ("hr-HR,en;q=0.5", "sr-latn"),
        ("de-DE,ko;q=0.7,en;q=0.3", "ko"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR", None),
        ("", None),
    ],
)
def test_browser_languages_map_to_the_sites(header, expected):
    assert language_from_browser(header) == expected


def test_unknown_codes_are_not_supported():
    assert supported_language("klingon") is None
    assert supported_language(None) is None
    assert supported_language("SR_latn") == "sr-latn"


@pytest.mark.parametrize(
    ("header", "expected"), [("sr-Latn-RS", "sr-latn"), ("sr-RS", "sr"), ("ko-KR", "ko")]
)
def test_visitor_gets_the_language_the_browser_asks_for(client, header, expected):
    response = client.get(reverse("courses:catalogue"), headers={"accept-language": header})
    assert page_language(response) == expected
    assert response["Content-Language"] == expected


def test_visitors_switcher_choice_is_kept_in_the_cookie_and_beats_the_browser(client):
    response = client.post(reverse("set_language"), {"language": "sr-latn", "next": "/courses/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sr-latn"
    page = client.get(reverse("courses:catalogue"), headers={"accept-language": "ko"})
    assert page_language(page) == "sr-latn"


def test_preferred_language_applies_from_sign_in_on(client):
    person = UserFactory(email="ana@example.gov", preferred_language="ko")
    # A visitor's earlier choice in this browser gives way to the person's own language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert page_language(response) == "ko"
    assert page_language(client.get(reverse("courses:catalogue"))) == "ko"


def test_changing_the_language_on_the_profile_changes_the_site(learner_client, learner):
    learner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = learner_client.post(
        reverse("profile"), {"full_name": learner.full_name, "preferred_language": "sr"}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sr"
    assert page_language(learner_client.get(reverse("profile"))) == "sr"
    learner_client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert page_language(learner_client.get(reverse("courses:catalogue"))) == "sr"


def test_switcher_stores_the_choice_on_the_signed_in_person(learner_client, learner, client):
    learner_client.post(reverse("set_language"), {"language": "ko", "next": "/courses/"})
    learner.refresh_from_db()
    assert learner.preferred_language == "ko"
    # Another device, with a browser asking for English, follows the person.
    client.force_login(learner)
    page = client.get(reverse("courses:catalogue"), headers={"accept-language": "en"})
    assert page_language(page) == "ko"


def test_switcher_with_an_unknown_language_changes_nothing(learner_client, learner):
    learner_client.post(reverse("set_language"), {"language": "xx-YY"})
    learner.refresh_from_db()
    assert learner.preferred_language == "en"
    assert page_language(learner_client.get(reverse("courses:catalogue"))) == "en"


def test_switcher_on_a_get_shows_the_405_page(client):
    response = client.get(reverse("set_language"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
