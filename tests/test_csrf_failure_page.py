"""A form sent without its CSRF cookie gets the site's own page, in the visitor's language."""

import pytest
from django.test import Client


def post_without_csrf_cookie(language: str):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    return client.post("/accounts/login/", {"login": "ana@example.gov", "password": "x"})


def test_the_page_says_what_happened_and_leads_back(db):
    response = post_without_csrf_cookie("en")

    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>The form could not be sent</h1>" in html
    assert "allow cookies for this site" in html
    assert 'href="/courses/"' in html
    # Not Django's own page, with its notes for developers.
    assert "CSRF verification failed" not in html


@pytest.mark.parametrize("language", ["sr", "sr-latn", "ko"])
def test_the_page_is_in_the_visitors_language(db, language):
    response = post_without_csrf_cookie(language)

    assert response.status_code == 403
    assert f'<html lang="{language}" dir="ltr">' in response.content.decode()
