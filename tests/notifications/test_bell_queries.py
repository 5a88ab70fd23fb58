"""The bell in the header adds one query to a signed-in page, however many notifications there
are, and none to a page that is not signed in."""

import pytest
from django.urls import reverse

from notifications.context_processors import unread_notifications
from tests.query_counts import count_queries

from .test_views import _log

pytestmark = pytest.mark.django_db

BELL = "notifications.context_processors.unread_notifications"


def _without_bell(settings):
    templates = [dict(engine) for engine in settings.TEMPLATES]
    for engine in templates:
        options = dict(engine.get("OPTIONS", {}))
        options["context_processors"] = [
            p for p in options.get("context_processors", []) if p != BELL
        ]
        engine["OPTIONS"] = options
    settings.TEMPLATES = templates


@pytest.mark.parametrize("notifications", [0, 1, 30])
def test_the_bell_adds_one_query_to_a_signed_in_page(
    learner_client, learner, settings, notifications
):
    for n in range(notifications):
        _log(learner, n)
    url = reverse("courses:my_learning")
    with_bell = count_queries(learner_client, url)

    _without_bell(settings)
    without_bell = count_queries(learner_client, url)

    assert with_bell == without_bell + 1


def test_the_bell_adds_no_query_to_a_page_signed_out(client, settings):
    url = reverse("courses:catalogue")
    with_bell = count_queries(client, url)

    _without_bell(settings)

    assert count_queries(client, url) == with_bell


def test_the_count_is_not_read_when_no_template_shows_it(rf, learner, django_assert_num_queries):
    request = rf.get("/")
    request.user = learner
    with django_assert_num_queries(0):
        unread_notifications(request)
    with django_assert_num_queries(1):
        assert unread_notifications(request)["notifications_unread"] == 0
