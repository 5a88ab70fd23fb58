"""The trainer builds a course in the workspace with two modules, three lessons and a quiz
imported from Aiken text, previews it as a learner (the course page, a lesson and the quiz),
publishes the course, and a learner completes it."""

import pytest
from playwright.sync_api import expect

from courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AIKEN = """Which electronic signature has the force of a handwritten one?
A. An advanced signature
B. A qualified signature
C. A scanned signature
ANSWER: B

What does a qualified time stamp prove?
A. When the document existed
B. Who wrote the document
ANSWER: A
"""


def _save_module(page, title: str) -> None:
    page.get_by_role("link", name="Add a module").click()
    page.locator("main").get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def _save_lesson(page, module: str, title: str, body: str) -> None:
    page.get_by_role("link", name=f"Add a lesson — {module}").click()
    page.locator("main").get_by_label("Title").fill(title)
    page.locator("main").get_by_label("Body").fill(body)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The lesson was saved.")).to_be_visible()


def test_trainer_builds_imports_previews_and_publishes_then_a_learner_completes(
    browser, live_server, settings
):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = False
    trainer = UserFactory(email="petar@example.gov", full_name="Petar Jović", roles=["trainer"])
    learner = UserFactory(email="ana@example.gov", full_name="Ана Марковић")

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, trainer.email, PASSWORD)
    page.get_by_role("link", name="Teaching").click()
    expect(page.get_by_role("heading", name="My courses")).to_be_visible()

    page.get_by_role("link", name="New course").click()
    page.locator("main").get_by_label("Title").fill("Electronic signatures")
    page.locator("main").get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_text("The course was created as a draft.")).to_be_visible()

    _save_module(page, "Signatures")
    _save_module(page, "Time stamps")
    _save_lesson(page, "Signatures", "Kinds of signature", "A **qualified** signature counts.")
    _save_lesson(page, "Signatures", "Certificates", "Issued by a qualified provider.")
    _save_lesson(page, "Time stamps", "Time stamps", "A time stamp proves *when*.")

    page.get_by_role("link", name="Add a quiz").click()
    page.locator("main").get_by_label("Title").fill("Final test")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Import questions").click()
    page.locator("main [name=text]").fill(AIKEN)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="2 questions can be imported")).to_be_visible()
    page.get_by_role("button", name="Import these questions").click()
    expect(page.get_by_text("2 questions were imported.")).to_be_visible()

    # The preview as a learner: the course page at the start, a lesson, then the quiz.
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role(
        "link", name="Electronic signatures"
    ).click()
    page.get_by_role("link", name="Preview as learner", exact=True).click()
    banner = page.get_by_test_id("preview-banner")
    expect(banner).to_contain_text("nothing is recorded")
    expect(page.get_by_test_id("progress-label")).to_have_text("0% · 0 of 3 required lessons")
    page.get_by_test_id("next-lesson").click()
    expect(page.get_by_role("heading", name="Kinds of signature", exact=True)).to_be_visible()
    expect(page.locator("main .lesson-body strong")).to_have_text("qualified")
    expect(page.get_by_role("button", name="Mark as done and continue")).to_be_disabled()
    page.get_by_role("link", name="Certificates →").click()
    expect(page.get_by_role("heading", name="Certificates", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role(
        "link", name="Electronic signatures"
    ).click()
    expect(page.get_by_test_id("preview-banner")).to_be_visible()
    page.get_by_role("link", name="Final test").click()
    page.locator("main").get_by_label("A qualified signature").check()
    page.locator("main").get_by_label("When the document existed").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    assert not Enrollment.objects.filter(user=trainer).exists()

    page.get_by_role("navigation", name="Breadcrumbs").get_by_role(
        "link", name="Electronic signatures"
    ).click()
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The course is published.")).to_be_visible()
    course = Course.objects.get(title="Electronic signatures")
    assert course.status == CourseStatus.PUBLISHED and course.published_at is not None
    assert not course.quizzes.get().attempts.exists()
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/courses/{course.slug}/")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("link", name="Kinds of signature").first.click()
    page.get_by_role("button", name="Mark as done and continue").click()
    expect(page.get_by_role("heading", name="Certificates", exact=True)).to_be_visible()
    page.get_by_role("button", name="Mark as done and continue").click()
    expect(page.get_by_role("heading", name="Time stamps", exact=True)).to_be_visible()
    page.get_by_role("button", name="Mark as done").first.click()

    page.goto(f"/courses/{course.slug}/")
    page.get_by_role("link", name="Final test").click()
    page.get_by_role("button", name="Start the quiz").click()
    page.locator("main").get_by_label("A qualified signature").check()
    page.locator("main").get_by_label("When the document existed").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Course completed.")).to_be_visible()
    context.close()

    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.status == EnrollmentStatus.COMPLETED
