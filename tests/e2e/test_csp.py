"""The browser enforces the policy, and reports a violation in the console where the autouse
hook in conftest.py looks for it."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_browser_refuses_an_injected_inline_script_and_reports_it(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    reported = []
    page.on("console", lambda message: reported.append(message.text))
    try:
        page.goto("/courses/")
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "document.body.dataset.injected = 'ran'";
                document.head.appendChild(script);
            }"""
        )
        page.wait_for_timeout(200)
        assert page.evaluate("() => document.body.dataset.injected") is None
    finally:
        context.close()
    assert any("Content Security Policy" in text for text in reported), reported
