"""One sentence per notification, from ``notifications.messages``: the in-app list, the HTML
email and the text email say the same thing, in every language, with names escaped in HTML."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from notifications.emails import build_message
from notifications.kinds import Kind
from notifications.messages import item_link_label, item_message
from notifications.models import LogStatus, NotificationLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "Safety <b>&amp; \"quotes\" 'x'"
DUE = datetime.date(2026, 12, 8)

CONTEXTS = {
    Kind.ENROLMENT_CONFIRMATION: {"course": HOSTILE, "course_slug": "c", "due_date": "2026-12-08"},
    Kind.DUE_SOON: {
        "course": HOSTILE,
        "course_slug": "c",
        "due_date": "2026-12-08",
        "days_left": 2,
    },
    Kind.OVERDUE: {"course": HOSTILE, "course_slug": "c", "due_date": "2026-12-08"},
    Kind.INACTIVITY: {"course": HOSTILE, "course_slug": "c", "days_inactive": 21},
    Kind.CERTIFICATE_ISSUED: {"course": HOSTILE, "download_path": "/certificates/x/download/"},
    Kind.CERTIFICATE_EXPIRING: {"course": HOSTILE, "course_slug": "c", "expires_on": "2026-12-08"},
    Kind.ATTEMPT_CLOSED: {
        "course": HOSTILE,
        "course_slug": "c",
        "quiz": "Q<1>",
        "quiz_id": 3,
        "percent": "85.50",
    },
    Kind.HR_DIGEST: {"unit": "Unit <&>", "people": 5, "total": 7, "rows": []},
}

ENGLISH = {
    Kind.ENROLMENT_CONFIRMATION: f"You have been assigned “{HOSTILE}” (due date: 8 Dec 2026).",
    Kind.DUE_SOON: f"“{HOSTILE}” is due on 8 Dec 2026 (in 2 days).",
    Kind.OVERDUE: f"“{HOSTILE}” was due on 8 Dec 2026 and is not complete yet.",
    Kind.INACTIVITY: f"You have made no progress in “{HOSTILE}” for 21 days.",
    Kind.CERTIFICATE_ISSUED: f"Your certificate for “{HOSTILE}” is ready to download.",
    Kind.CERTIFICATE_EXPIRING: f"Your certificate for “{HOSTILE}” expires soon (on 8 Dec 2026). "
    "Renew it by taking the course again.",
    Kind.ATTEMPT_CLOSED: f"Your attempt at “Q<1>” ({HOSTILE}) reached its time limit and was "
    "graded as it stood: 85.50 %.",
    Kind.HR_DIGEST: "5 people in Unit <&> and the units below it have overdue training "
    "(7 courses).",
}


def _log(user, kind, n=0):
    return NotificationLog.objects.create(
        recipient=user,
        kind=kind,
        object_type="courses.enrollment",
        object_id=1000 + n,
        period=f"p{n}",
        context=CONTEXTS[kind],
        status=LogStatus.SENT,
    )


def _item(kind, **extra):
    item = {"kind": kind, **CONTEXTS[kind], **extra}
    for key in ("due_date", "expires_on"):
        if isinstance(item.get(key), str):
            item[key] = datetime.date.fromisoformat(item[key])
    return item


@pytest.mark.parametrize("kind", list(Kind))
def test_english_sentences(kind):
    with translation.override("en"):
        assert item_message(_item(kind)) == ENGLISH[kind]


@pytest.mark.parametrize("language", ["sr", "sr-latn", "ko"])
@pytest.mark.parametrize("kind", list(Kind))
def test_every_sentence_and_label_is_translated(language, kind):
    with translation.override("en"):
        english = item_message(_item(kind)), item_link_label(kind)
    with translation.override(language):
        translated = item_message(_item(kind)), item_link_label(kind)
    assert translated[0] != english[0]
    assert HOSTILE in translated[0] or kind == Kind.HR_DIGEST
    assert translated[1] != english[1]


def test_singular_forms_and_the_optional_parts():
    with translation.override("en"):
        assert item_message(_item(Kind.DUE_SOON, days_left=1)).endswith("(in 1 day).")
        assert item_message(_item(Kind.DUE_SOON, days_left=0)) == (
            f"“{HOSTILE}” is due today (8 Dec 2026)."
        )
        assert item_message(_item(Kind.ENROLMENT_CONFIRMATION, due_date=None)) == (
            f"You have been assigned “{HOSTILE}”."
        )
        assert item_message(_item(Kind.ATTEMPT_CLOSED, percent=None)).endswith("as it stood.")
        assert item_message(_item(Kind.HR_DIGEST, people=1)).startswith("1 person in Unit")
        assert item_message({"kind": "retired_kind"}) == ""
    with translation.override("sr"):
        assert "2 дана" in item_message(_item(Kind.DUE_SOON))
        assert "1 дан" in item_message(_item(Kind.DUE_SOON, days_left=1))


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn", "ko"])
def test_page_and_both_email_parts_say_the_same(client, language):
    user = UserFactory(preferred_language=language)
    logs = [_log(user, kind, n) for n, kind in enumerate(Kind)]
    client.force_login(user)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    message = build_message(user, logs)
    text = message.body
    email_html = message.alternatives[0][0]
    with translation.override(language):
        for log in logs:
            item = _item(log.kind)
            sentence, label = item_message(item), item_link_label(log.kind)
            assert f"<p>{escape(sentence)}</p>" in html
            assert f"{escape(sentence)}<br>" in email_html
            assert f"* {sentence}\n  {label}: https://lms.example.gov/" in text
            assert f">{escape(label)}</a>" in html and f">{escape(label)}</a>" in email_html
    assert HOSTILE not in html and HOSTILE not in email_html
