"""axe-core's WCAG 2.1 A and AA rules on every page in ``tests/e2e/pages.py``, in every language.

Zero violations is the bar: a failure lists each broken rule with the selectors it hit.
"""

import pytest
from django.conf import settings
from django.test import Client

from accounts.services import user_set_preferred_language
from tests.e2e.accessibility import (
    axe_source,
    axe_violations,
    describe_violations,
    sideways_overflow,
)
from tests.e2e.pages import LANGUAGES, PAGES, build_site

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


@pytest.fixture(scope="module")
def role_contexts(browser, live_server):
    """One browser context per role, reused by every check; each check signs it in afresh."""
    contexts = {}
    yield lambda role: contexts.setdefault(
        role, browser.new_context(base_url=live_server.url, locale="en-GB")
    )
    for context in contexts.values():
        context.close()


def session_cookie(user, url: str) -> dict:
    """A signed-in session for ``user``, as the sign-in page would leave it in the browser."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("checked", PAGES, ids=lambda p: p.name)
def test_page_has_no_wcag_violations(checked, language, role_contexts, live_server, settings):
    if checked.urlconf:
        settings.ROOT_URLCONF = checked.urlconf
    site = build_site()
    context = role_contexts(checked.role)
    context.clear_cookies()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if checked.role is not None:
        # A signed-in person sees the site in their preferred language, whatever the cookie says.
        user = site.user_for(checked.role)
        user_set_preferred_language(user=user, language=language)
        cookies.append(session_cookie(user, live_server.url))
    context.add_cookies(cookies)

    page = context.new_page()
    try:
        path = checked.path(site)
        response = page.goto(path)
        assert response.status == checked.status, f"{path} answered {response.status}"
        if checked.then is not None:
            checked.then(page, site)
        assert page.evaluate("() => document.documentElement.lang") == language
        violations = axe_violations(page)
        overflow = sideways_overflow(page)
    finally:
        page.close()
    if violations:
        pytest.fail(
            f"{len(violations)} WCAG rule(s) broken on {checked.name} ({path}) in {language}:\n"
            + describe_violations(violations),
            pytrace=False,
        )
    assert not overflow, f"at 320 px, {checked.name} scrolls sideways: " + "; ".join(overflow)


def test_axe_runs_under_a_strict_content_security_policy(browser, live_server):
    """The site's CSP (script-src 'self') must not stop the checks: axe goes in through the
    DevTools protocol, which the policy does not govern, while the page's own inline scripts
    stay blocked."""
    context = browser.new_context(base_url=live_server.url)

    def with_csp(route):
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    context.route("**/*", with_csp)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        inline_ran = page.evaluate(
            """() => {
                const script = document.createElement('script');
                script.textContent = 'window.inlineScriptRan = true';
                document.head.append(script);
                return window.inlineScriptRan === true;
            }"""
        )
        assert inline_ran is False, "the test policy is not in force"
        assert axe_source()
        assert axe_violations(page) == []
        assert page.evaluate("() => typeof axe.version") == "string"
    finally:
        context.close()


def test_a_broken_page_fails_with_the_rule_and_the_element(page):
    """The check can fail: a sign-in field stripped of its label (and of the placeholder that
    would stand in for one) is reported by rule and place, and so is a page without an h1."""
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            document.querySelector('label[for=id_login]').remove();
            document.querySelector('#id_login').removeAttribute('placeholder');
            document.querySelector('h1').remove();
        }"""
    )
    violations = axe_violations(page)
    assert sorted(v["id"] for v in violations) == ["label", "page-has-heading-one"]
    report = describe_violations(violations)
    assert "- label (critical): Form elements must have labels" in report
    assert "at #id_login" in report
