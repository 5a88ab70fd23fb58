"""The sentence and the link label of one notification, in the active language: the one place
they are written, for the in-app list and for both parts of the email.

The sentences were ``{% blocktranslate %}`` blocks of a template included once per item, which
cost the notifications page about 1.4 ms for 20 items. The message ids are the ones those
blocks produced (``%(name)s`` for each variable, ``%%`` for a literal percent sign), so the
catalogues keep their translations. The result is plain text: templates escape it.
"""

from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from .kinds import Kind


def _date(value, memo: dict) -> str:
    # What ``|date:"DATE_FORMAT"`` writes; nothing for a missing date.
    if not value:
        return ""
    text = memo.get(("date", value))
    if text is None:
        text = memo[("date", value)] = formats.date_format(value, "DATE_FORMAT")
    return text


def _fill(message, values: dict) -> str:
    """``message`` (a function returning the translated sentence, so that ``makemessages``
    finds the literal) with ``values`` written in, as ``{% blocktranslate %}`` writes them."""
    values = {name: str(formats.localize(value)) for name, value in values.items()}
    try:
        return message() % values
    except (KeyError, ValueError):
        # A translation with a broken placeholder: the English sentence, as the template did.
        with translation.override(None):
            return message() % values


def item_message(item: dict, *, memo: dict | None = None) -> str:
    """The sentence for one presented notification (``emails.present``). A value missing
    from the row's context reads as nothing, as a template variable would. ``memo`` keeps the
    dates written for earlier items in the same language."""
    memo = {} if memo is None else memo
    kind = item["kind"]
    course = item.get("course", "")
    if kind == Kind.ENROLMENT_CONFIRMATION:
        if item.get("due_date"):
            return _fill(
                lambda: gettext("You have been assigned “%(course)s” (due date: %(due)s)."),
                {"course": course, "due": _date(item["due_date"], memo)},
            )
        return _fill(lambda: gettext("You have been assigned “%(course)s”."), {"course": course})
    if kind == Kind.DUE_SOON:
        due = _date(item.get("due_date"), memo)
        days = item.get("days_left")
        if days == 0:
            return _fill(
                lambda: gettext("“%(course)s” is due today (%(due)s)."),
                {"course": course, "due": due},
            )
        return _fill(
            lambda: ngettext(
                "“%(course)s” is due on %(due)s (in %(days)s day).",
                "“%(course)s” is due on %(due)s (in %(days)s days).",
                days,
            ),
            {"course": course, "due": due, "days": days},
        )
    if kind == Kind.OVERDUE:
        return _fill(
            lambda: gettext("“%(course)s” was due on %(due)s and is not complete yet."),
            {"course": course, "due": _date(item.get("due_date"), memo)},
        )
    if kind == Kind.INACTIVITY:
        days = item.get("days_inactive")
        return _fill(
            lambda: ngettext(
                "You have made no progress in “%(course)s” for %(days)s day.",
                "You have made no progress in “%(course)s” for %(days)s days.",
                days,
            ),
            {"course": course, "days": days},
        )
    if kind == Kind.ATTEMPT_CLOSED:
        values = {"quiz": item.get("quiz", ""), "course": course}
        if item.get("percent"):
            return _fill(
                lambda: gettext(
                    "Your attempt at “%(quiz)s” (%(course)s) reached its time limit and was "
                    "graded as it stood: %(percent)s %%."
                ),
                {**values, "percent": item["percent"]},
            )
        return _fill(
            lambda: gettext(
                "Your attempt at “%(quiz)s” (%(course)s) reached its time limit and was "
                "graded as it stood."
            ),
            values,
        )
    if kind == Kind.CERTIFICATE_ISSUED:
        return _fill(
            lambda: gettext("Your certificate for “%(course)s” is ready to download."),
            {"course": course},
        )
    if kind == Kind.CERTIFICATE_EXPIRING:
        return _fill(
            lambda: gettext(
                "Your certificate for “%(course)s” expires soon (on %(expires)s). Renew it by "
                "taking the course again."
            ),
            {"course": course, "expires": _date(item.get("expires_on"), memo)},
        )
    if kind == Kind.HR_DIGEST:
        people = item.get("people")
        return _fill(
            lambda: ngettext(
                "%(people)s person in %(unit)s and the units below it has overdue training "
                "(%(total)s courses).",
                "%(people)s people in %(unit)s and the units below it have overdue training "
                "(%(total)s courses).",
                people,
            ),
            {"people": people, "unit": item.get("unit", ""), "total": item.get("total", "")},
        )
    return ""


def item_link_label(kind: str) -> str:
    """The words of the link each notification carries."""
    if kind == Kind.CERTIFICATE_ISSUED:
        return gettext("Download the certificate")
    if kind == Kind.ATTEMPT_CLOSED:
        return gettext("See the result")
    if kind == Kind.HR_DIGEST:
        return gettext("Open the notifications")
    return gettext("Open the course")
