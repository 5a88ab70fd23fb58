"""The list's page, its total and the bell's count come from one query; a page number the
list does not have answers as Django's ``Paginator.get_page`` does."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import selectors
from notifications.models import NotificationLog

from .test_views import _log

pytestmark = pytest.mark.django_db

READ = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
URL = reverse("notifications:list")


@pytest.fixture
def twenty_five(learner):
    # 25 notifications, 4 of them unread: two pages of 20.
    for n in range(25):
        _log(learner, n, read_at=None if n % 7 == 0 else READ)
    return learner


def _notification_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries if "notifications_notificationlog" in q["sql"]]
    return response.content.decode(), sql


def test_a_full_page_its_total_and_the_bell_are_one_query(learner_client, twenty_five):
    html, sql = _notification_queries(learner_client, URL)
    assert len(sql) == 1
    assert "Page 1 of 2" in html
    assert 'class="bell-count">4<' in html
    assert html.count('<li class="notification') == 20


def test_the_last_page_is_one_query_too(learner_client, twenty_five):
    html, sql = _notification_queries(learner_client, f"{URL}?page=2")
    assert len(sql) == 1
    assert "Page 2 of 2" in html and html.count('<li class="notification') == 5
    assert 'class="bell-count">4<' in html


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("x", 1), ("", 1), ("0", 2), ("9", 2), ("-1", 2), ("²", 1), ("٣", 2), ("9" * 30, 2)],
)
def test_a_page_the_list_does_not_have_answers_as_get_page_does(
    learner_client, twenty_five, asked, shown
):
    html, _sql = _notification_queries(learner_client, f"{URL}?page={asked}")
    assert f"Page {shown} of 2" in html
    assert 'class="bell-count">4<' in html


def test_the_page_agrees_with_paginator(twenty_five):
    from django.core.paginator import Paginator

    logs = selectors.notifications_for(user=twenty_five)
    for number in (None, "1", "2", "3", "0", "abc", " 2 ", "٢", "9" * 30):
        ours = selectors.notifications_page(logs=logs, number=number, per_page=20)
        django = Paginator(logs, 20).get_page(number)
        assert ours.number == django.number
        assert ours.paginator.count == django.paginator.count == 25
        assert [log.pk for log in ours] == [log.pk for log in django]


def test_no_notifications(learner_client, learner):
    html, _sql = _notification_queries(learner_client, URL)
    assert "You have no notifications." in html
    assert "bell-count" not in html
    assert not NotificationLog.objects.exists()


def test_items_sharing_a_page_keep_their_own_links_and_dates(learner_client, learner):
    # ``present`` reuses an address or a date already written for an earlier item: only
    # when it is the same one.
    for n, (slug, due) in enumerate(
        [("a", "2026-12-08"), ("b", "2026-12-09"), ("a", "2026-12-09")]
    ):
        context = {"course": f"C{n}", "course_slug": slug, "due_date": due, "days_left": 7}
        _log(learner, n, context=context)
    html, _sql = _notification_queries(learner_client, URL)
    assert "“C0” is due on 8 Dec 2026" in html
    assert "“C1” is due on 9 Dec 2026" in html and "“C2” is due on 9 Dec 2026" in html
    assert html.count('href="/courses/a/"') == 2 and html.count('href="/courses/b/"') == 1
