import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment, EnrollmentStatus
from quizzes.models import QuestionKind, ReviewPolicy
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    UserFactory,
)
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def procurement_course():
    """A course whose only requirement is its timed final exam: the one lesson is optional."""
    course = CourseFactory(title="Public procurement", slug="procurement")
    LessonFactory(module=ModuleFactory(course=course, position=1), position=1, required=False)
    exam = QuizFactory(
        course=course,
        title="Procurement final exam",
        time_limit_minutes=10,
        review_policy=ReviewPolicy.FULL,
        pass_mark=70,
    )
    law = QuestionFactory(
        quiz=exam,
        position=1,
        text="Which act governs public procurement?",
        explanation="The Public Procurement Act sets every tender rule.",
    )
    for position, (text, is_correct) in enumerate(
        [("The Public Procurement Act", True), ("The Labour Act", False)], start=1
    ):
        ChoiceFactory(question=law, text=text, is_correct=is_correct, position=position)
    QuestionFactory(
        quiz=exam,
        position=2,
        kind=QuestionKind.NUMERIC,
        text="How many days may a tender stay open at most?",
        numeric_answer=Decimal(30),
        explanation="Thirty days is the ceiling for an open tender.",
    )
    return course, exam


def test_learner_passes_the_timed_final_exam_and_completes_the_course(page):
    learner = UserFactory(email="milan@example.gov", full_name="Милан Петровић")
    course, exam = procurement_course()
    EnrollmentFactory(user=learner, course=course)

    sign_in(page, learner.email, PASSWORD)
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    page.goto(f"/courses/{course.slug}/")
    page.get_by_role("link", name="Procurement final exam").click()
    expect(page.get_by_role("heading", name="Procurement final exam")).to_be_visible()
    expect(page.get_by_text("10 minutes")).to_be_visible()

    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator("#countdown")).to_be_visible()
    # The script has taken over the server's seconds and counts down in minutes and seconds.
    expect(page.locator("#countdown-value")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))

    page.get_by_label("The Public Procurement Act").check()
    page.get_by_label("Your answer (a number)").fill("30")
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_test_id("score")).to_have_text("2.00 of 2.00 points (100.00%)")
    expect(page.get_by_test_id("verdict")).to_have_text("Passed")
    expect(page.get_by_text("Course completed.")).to_be_visible()
    # Full review: the right choice is marked, the numeric answer and explanations are shown.
    expect(page.locator("li.right-answer")).to_have_count(1)
    expect(page.locator("li.right-answer")).to_contain_text("The Public Procurement Act")
    expect(page.locator("li.right-answer .badge")).to_have_text("correct answer")
    expect(page.get_by_text("Correct answer: 30")).to_be_visible()
    expect(page.get_by_text("The Public Procurement Act sets every tender rule.")).to_be_visible()
    expect(page.get_by_text("Thirty days is the ceiling for an open tender.")).to_be_visible()

    page.get_by_role("link", name="Back to the course").click()
    expect(page.get_by_text(re.compile(r"^Completed on "))).to_be_visible()
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.completed_at is not None
    assert exam.attempts.get().passed is True
