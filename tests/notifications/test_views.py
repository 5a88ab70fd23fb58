"""The pages: bell, list, read/unread, preferences, unsubscribe, calendar feed."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from notifications import services
from notifications.kinds import Kind
from notifications.models import CalendarFeed, LogStatus, NotificationLog, OptOut
from notifications.tokens import SALT, make_token
from tests.factories import UserFactory
from tests.query_counts import assert_query_count, count_queries

from .conftest import assigned

pytestmark = pytest.mark.django_db


def _log(user, n=0, **kwargs):
    defaults = {
        "kind": Kind.DUE_SOON,
        "object_type": "courses.enrollment",
        "object_id": 1000 + n,
        "period": f"7d:{n}",
        "context": {
            "course": f"Course «{n}»",
            "course_slug": "c",
            "due_date": "2026-12-08",
            "days_left": 7,
        },
        "status": LogStatus.SENT,
    }
    return NotificationLog.objects.create(recipient=user, **{**defaults, **kwargs})


def test_bell_shows_unread_count(learner_client, learner):
    _log(learner, 1)
    _log(learner, 2)
    _log(learner, 3, read_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    _log(UserFactory(), 4)
    html = learner_client.get(reverse("notifications:list")).content.decode()
    assert 'class="bell-count">2<' in html


def test_no_bell_count_when_everything_is_read(learner_client, learner):
    html = learner_client.get(reverse("courses:my_learning")).content.decode()
    assert "bell-count" not in html
    assert reverse("notifications:list") in html


def test_list_shows_only_own_notifications(learner_client, learner):
    _log(learner, 1)
    _log(UserFactory(), 2)
    html = learner_client.get(reverse("notifications:list")).content.decode()
    assert "Course «1»" in html
    assert "Course «2»" not in html


def test_mark_one_and_all_read(learner_client, learner):
    first, second = _log(learner, 1), _log(learner, 2)
    response = learner_client.post(reverse("notifications:mark_read"), {"id": first.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    learner_client.post(reverse("notifications:mark_read"))
    second.refresh_from_db()
    assert second.read_at is not None


def test_marking_someone_elses_notification_is_404(learner_client):
    other = _log(UserFactory(), 1)
    url = reverse("notifications:mark_read")
    assert learner_client.post(url, {"id": other.pk}).status_code == 404
    assert learner_client.post(url, {"id": "x1"}).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_pages_need_sign_in(client):
    for name in ("notifications:list", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert client.post(reverse("notifications:mark_read")).status_code == 302
    assert client.post(reverse("notifications:calendar_reset")).status_code == 302


def test_list_query_count_is_constant(learner_client, learner, django_assert_num_queries):
    for n in range(3):
        _log(learner, n)
    url = reverse("notifications:list")
    at_three = count_queries(learner_client, url)
    for n in range(3, 19):
        _log(learner, n)
    assert_query_count(learner_client, django_assert_num_queries, url, at_three)


def test_preferences_turn_optional_kinds_off_and_on(learner_client, learner):
    url = reverse("notifications:preferences")
    page = learner_client.get(url).content.decode()
    assert 'name="kind_inactivity"' in page
    assert 'name="kind_due_soon"' not in page  # mandatory: not a choice
    response = learner_client.post(url, {"kind_attempt_closed": "on", "time_zone": "Asia/Seoul"})
    assert response.status_code == 302
    off = set(OptOut.objects.filter(user=learner).values_list("kind", flat=True))
    assert Kind.INACTIVITY in off and Kind.ATTEMPT_CLOSED not in off
    assert Kind.DUE_SOON not in off
    learner.refresh_from_db()
    assert learner.time_zone == "Asia/Seoul"
    learner_client.post(url, {"kind_inactivity": "on", "kind_attempt_closed": "on"})
    assert not OptOut.objects.filter(user=learner, kind=Kind.INACTIVITY).exists()


def test_preferences_refuse_an_unknown_time_zone(learner_client, learner):
    response = learner_client.post(
        reverse("notifications:preferences"), {"time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    learner.refresh_from_db()
    assert learner.time_zone == ""


def test_one_click_unsubscribe_without_sign_in(client, learner):
    token = make_token(user_id=learner.pk, kinds=[Kind.INACTIVITY])
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert not OptOut.objects.exists()  # a link scanner's GET changes nothing
    # RFC 8058: a mail client posts this body, with no cookie and no CSRF token.
    csrf_client = client_class_enforcing_csrf()
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert OptOut.objects.filter(user=learner, kind=Kind.INACTIVITY).exists()
    again = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert OptOut.objects.filter(user=learner).count() == 1


def client_class_enforcing_csrf():
    from django.test import Client

    return Client(enforce_csrf_checks=True)


def test_tampered_or_expired_token_changes_nothing(client, learner, settings):
    token = make_token(user_id=learner.pk, kinds=[Kind.INACTIVITY])
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, "nonsense", make_token(user_id=learner.pk, kinds=[Kind.DUE_SOON])):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS = 1
    old = signing.dumps({"u": learner.pk, "k": [Kind.INACTIVITY]}, salt=SALT, compress=True)
    from unittest import mock

    later = datetime.datetime.now(tz=datetime.UTC).timestamp() + 3 * 86400
    with mock.patch("time.time", return_value=later):
        response = client.post(reverse("notifications:unsubscribe", args=[old]))
    assert response.status_code == 400
    assert not OptOut.objects.exists()


def test_calendar_feed_lists_due_dates(client, learner):
    enrollment = assigned(user=learner, due_in=10)
    assigned(user=UserFactory(), due_in=5)
    feed = services.calendar_feed_for(user=learner)
    response = client.get(reverse("notifications:calendar", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    assert events[0].decoded("dtstart") == enrollment.due_date
    assert enrollment.course.title in str(events[0]["summary"])
    assert str(events[0]["uid"]).startswith(f"enrollment-{enrollment.pk}@")


def test_calendar_reset_retires_the_old_address(learner_client, learner, client):
    old = services.calendar_feed_for(user=learner).token
    assert learner_client.post(reverse("notifications:calendar_reset")).status_code == 302
    new = CalendarFeed.objects.get(user=learner).token
    assert new != old
    assert client.get(reverse("notifications:calendar", args=[old])).status_code == 404
    assert client.get(reverse("notifications:calendar", args=[new])).status_code == 200


def test_unknown_calendar_token_is_404(client):
    assert client.get(reverse("notifications:calendar", args=["nope"])).status_code == 404


def test_preferences_page_shows_the_calendar_address(learner_client, learner):
    page = learner_client.get(reverse("notifications:preferences")).content.decode()
    token = CalendarFeed.objects.get(user=learner).token
    assert f"https://lms.example.gov/notifications/calendar/{token}.ics" in page
