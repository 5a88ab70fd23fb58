"""Building one message for one person from their notification rows: the plain-text and HTML
parts in the person's language, direct links, and the unsubscribe headers of RFC 8058."""

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from accounts.site import site_name
from accounts.site import site_url as public_url

from .kinds import MANDATORY_REASON, Kind, is_mandatory
from .messages import item_link_label, item_message
from .tokens import make_token

# Reminders are sent by workers, with no request to take an address from: without
# LMS_SITE_URL their links point at the address `make run` serves (docs/notifications.md).
UNCONFIGURED_SITE_URL = "http://localhost:8000/"


def site_url(path: str, request=None) -> str:
    """An absolute address for ``path``: on LMS_SITE_URL (accounts.site), else on the request's
    host, else on the development address."""
    if settings.LMS_SITE_URL or request is not None:
        return public_url(path, request)
    return urljoin(UNCONFIGURED_SITE_URL, path.lstrip("/"))


def language_for(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (user.preferred_language or "").lower()
    return language if language in codes else settings.LANGUAGE_CODE


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _path(kind: str, context: dict) -> str:
    try:
        if kind == Kind.ATTEMPT_CLOSED and context.get("attempt_id"):
            return reverse(
                "quizzes:result",
                args=[context["course_slug"], context["quiz_id"], context["attempt_id"]],
            )
        if kind == Kind.CERTIFICATE_ISSUED and context.get("download_path"):
            return context["download_path"]
        if kind == Kind.HR_DIGEST:
            return reverse("notifications:list")
        if context.get("course_slug"):
            return reverse("courses:detail", args=[context["course_slug"]])
    except NoReverseMatch:
        pass
    return reverse("notifications:list")


# The columns ``present`` reads: a list of notifications loads only these.
PRESENTED_FIELDS = ("id", "kind", "object_id", "context", "created_at", "read_at")


# Each kind's label (lazy, so in the language active when shown).
_LABELS = dict(Kind.choices)


def present(log, *, absolute: bool = True, memo: dict | None = None) -> dict:
    """What a template needs to show one notification (email item or in-app entry), with its
    sentence and link label in the active language. An email needs absolute links; the in-app
    list, served on the site itself, takes the path. ``memo``, one dict shared by the items of
    one list or one message (one language), keeps the addresses and dates already written for
    an earlier item: a person's notifications often name the same course and due date."""
    memo = {} if memo is None else memo
    context = dict(log.context or {})
    rows = [
        {**row, "due_date": _date(row.get("due_date"))} for row in context.pop("rows", []) or []
    ]
    if log.kind == Kind.ATTEMPT_CLOSED:
        context.setdefault("attempt_id", log.object_id)
    key = (
        "path",
        log.kind,
        *(
            str(context.get(name))
            for name in ("course_slug", "quiz_id", "attempt_id", "download_path")
        ),
    )
    path = memo.get(key)
    if path is None:
        path = memo[key] = _path(log.kind, context)
    item = {
        "id": log.pk,
        "kind": log.kind,
        "label": _LABELS.get(log.kind, log.kind),
        "mandatory": is_mandatory(log.kind),
        "created_at": log.created_at,
        "unread": log.read_at is None,
        "url": site_url(path) if absolute else path,
        "rows": rows,
        **context,
        "due_date": _date(context.get("due_date")),
        "expires_on": _date(context.get("expires_on")),
    }
    item["message"] = item_message(item, memo=memo)
    item["link_label"] = item_link_label(log.kind)
    return item


def build_message(recipient, logs) -> EmailMultiAlternatives:
    """One email listing every notification in ``logs``, all for ``recipient``."""
    language = language_for(recipient)
    with translation.override(language):
        memo = {}
        items = [present(log, memo=memo) for log in logs]
        optional = sorted({item["kind"] for item in items if not item["mandatory"]})
        unsubscribe_url = None
        if optional:
            token = make_token(user_id=recipient.pk, kinds=optional)
            unsubscribe_url = site_url(reverse("notifications:unsubscribe", args=[token]))
        context = {
            "recipient": recipient,
            "items": items,
            "count": len(items),
            "has_mandatory": any(item["mandatory"] for item in items),
            "mandatory_reason": MANDATORY_REASON,
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": site_url(reverse("notifications:preferences")),
            "list_url": site_url(reverse("notifications:list")),
            "language": language,
            "site_name": site_name(),
        }
        subject = " ".join(render_to_string("notifications/email/subject.txt", context).split())
        # The same "[site name]" prefix as the sign-in emails (accounts/adapter.py).
        subject = f"[{context['site_name']}] {subject}"
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    headers = {"Auto-Submitted": "auto-generated", "Content-Language": language}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
