"""Browser check with the real worker: complete a course in Chromium and the certificate's PDF
link appears within seconds; the download is a PDF, and its QR code's page says valid."""

import os
import time

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate, CertificateStatus
from tests.e2e.conftest import LAUNCH_OPTIONS, require_chromium, sign_in
from tests.factories import PASSWORD, UserFactory, course_with_lessons
from tests.integration.workers import Workers

# Playwright's sync API runs an event loop in this thread; the ORM calls around it are plain.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, settings):
    require_chromium()
    from playwright.sync_api import sync_playwright

    settings.LMS_SITE_URL = live_server.url
    # The look-up limit counts per address and minute in the shared Redis; the tests before this
    # one look certificates up from this same address, and on a fast machine within its minute.
    settings.LMS_VERIFY_RATE_LIMIT = 10_000
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**LAUNCH_OPTIONS)
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def worker(page, transactional_db):
    pool = Workers()
    pool.start("browser")
    try:
        yield pool
    finally:
        pool.stop_all()


def test_completing_a_course_gives_a_pdf_within_seconds(page, worker):
    learner = UserFactory(email="branko@example.gov", full_name="Бранко Ружић")
    course = course_with_lessons(
        lessons_per_module=1, modules=1, title="Дигитална управа", slug="digital-gov"
    )
    lesson = course.lessons.get()

    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/courses/{course.slug}/")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("link", name=lesson.title).first.click()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Course completed")).to_be_visible()
    completed_at = time.monotonic()

    link = page.get_by_role("link", name="Download certificate (PDF)")
    while time.monotonic() - completed_at < 20:
        page.goto("/courses/my/")
        if link.count():
            break
        worker.assert_alive()
        time.sleep(0.5)
    expect(link).to_be_visible()
    elapsed = time.monotonic() - completed_at
    assert elapsed < 20, f"the PDF link took {elapsed:.1f} s"

    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    certificate = Certificate.objects.get(enrollment__user=learner)
    assert certificate.status == CertificateStatus.ISSUED
    from tests.certificates.helpers import decode_qr

    [url] = decode_qr(response.body())
    page.goto(url)
    expect(page.get_by_text("Valid certificate")).to_be_visible()
    expect(page.get_by_text("Бранко Ружић")).to_be_visible()
