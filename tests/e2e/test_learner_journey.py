import re

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment, EnrollmentStatus
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, course_with_lessons

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_learner_enrols_reads_a_lesson_and_sees_progress_move(page):
    learner = UserFactory(email="ana@example.gov", full_name="Ана Марковић")
    course = course_with_lessons(
        lessons_per_module=1, modules=2, title="Information security basics", slug="infosec"
    )

    sign_in(page, learner.email, PASSWORD)
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()

    page.get_by_role("link", name="Catalogue", exact=True).click()
    page.get_by_label("Search").fill("security")
    page.get_by_role("button", name="Find courses").click()
    page.get_by_role("link", name="Information security basics").click()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("You are enrolled")).to_be_visible()
    progress = page.locator("progress#progress-course")
    expect(progress).to_have_attribute("value", "0")

    first, second = list(course.lessons.order_by("module__position"))
    page.get_by_role("link", name=first.title).first.click()
    expect(page.get_by_role("heading", name=first.title)).to_be_visible()
    expect(page.locator(".lesson-body")).to_contain_text("carefully")
    page.get_by_role("button", name="Mark as done and continue").click()

    expect(page.get_by_role("heading", name=second.title)).to_be_visible()
    expect(page.locator("progress#progress-lesson")).to_have_attribute("value", "50")
    expect(page.get_by_test_id("progress-label")).to_contain_text("1 of 2")

    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("Course completed")).to_be_visible()
    expect(page.locator("progress#progress-lesson")).to_have_attribute("value", "100")

    page.get_by_role("link", name="My learning", exact=True).click()
    expect(page.get_by_role("link", name="Information security basics")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Completed"))).to_be_visible()
    assert Enrollment.objects.get(user=learner, course=course).status == EnrollmentStatus.COMPLETED
