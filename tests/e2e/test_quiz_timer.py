import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes import services as quiz_services
from quizzes.models import Attempt
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, EnrollmentFactory, UserFactory
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_screen_readers_hear_one_warning_when_a_minute_is_left(page):
    learner = UserFactory(email="ana@example.gov")
    quiz = QuizFactory(title="Timed check", time_limit_minutes=10)
    choice_question(quiz, position=1)
    enrollment = EnrollmentFactory(user=learner, course=quiz.course)
    attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    sign_in(page, learner.email, PASSWORD)
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()

    # Sixty-eight seconds left: below the five-minute warning, a few ticks above the last one.
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + datetime.timedelta(seconds=68)
    )
    page.goto(f"/courses/{quiz.course.slug}/quizzes/{quiz.pk}/attempts/{attempt.pk}/")
    warning = page.locator("#countdown-warning")
    expect(warning).to_have_attribute("role", "alert")
    expect(warning).to_have_text("")
    expect(warning).to_have_text(
        "One minute left. Your answers are submitted when the time runs out.", timeout=20_000
    )
    expect(page.locator("#countdown")).to_have_class("countdown countdown-urgent")
