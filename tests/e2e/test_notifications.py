"""In the browser: the bell and its count, the list, preferences, one-click unsubscribe from an
email's link, and the calendar feed."""

import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from notifications import services
from notifications.kinds import Kind
from notifications.models import OptOut
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from tests.notifications.conftest import assigned, days_ago

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mail(settings, live_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LMS_SITE_URL = live_server.url
    settings.NOTIFICATIONS_WINDOW_START_HOUR, settings.NOTIFICATIONS_WINDOW_END_HOUR = 0, 24
    settings.NOTIFICATIONS_MAX_PER_MINUTE = 100_000


def test_bell_list_preferences_unsubscribe_and_calendar(page, live_server):
    from django.utils import timezone

    learner = UserFactory(email="mina@example.gov", full_name="Мина Јовић")
    due = assigned(user=learner, due_in=3, today=timezone.localdate())
    idle = assigned(user=learner, due_in=None)
    idle.last_activity_at = days_ago(timezone.now(), 30)
    idle.save(update_fields=["last_activity_at"])
    services.notifications_sweep()
    [message] = mail.outbox

    sign_in(page, learner.email, PASSWORD)
    bell = page.locator("a.bell")
    expect(bell.locator(".bell-count")).to_contain_text("2")
    bell.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(
        page.get_by_text(re.compile(f"“{due.course.title}” is due on .* \\(in 3 days\\)"))
    ).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("a.bell .bell-count")).to_have_count(0)

    # Preferences: turn the quiz notice off, keep the inactivity reminder.
    page.get_by_role("link", name="Notification settings").click()
    page.get_by_label("Quiz attempt closed at its time limit").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification settings were saved.")).to_be_visible()
    assert set(OptOut.objects.filter(user=learner).values_list("kind", flat=True)) == {
        Kind.ATTEMPT_CLOSED
    }

    # The calendar address on the page serves the learner's due dates.
    calendar_url = page.get_by_label("Calendar address").input_value()
    response = page.request.get(calendar_url)
    assert response.ok
    events = list(Calendar.from_ical(response.body()).walk("VEVENT"))
    assert {event.decoded("dtstart") for event in events} >= {due.due_date}

    # The email's unsubscribe link works signed out, and a second click is harmless.
    page.context.clear_cookies()
    link = re.search(r"(http\S+/notifications/unsubscribe/\S+/)", message.body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    page.goto(link)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    assert OptOut.objects.filter(user=learner, kind=Kind.INACTIVITY).count() == 1

    # A tampered link shows a clear page.
    page.goto(link[:-5] + "xxxx/")
    expect(page.get_by_role("heading", name="This unsubscribe link is not valid")).to_be_visible()
