"""The learner's due dates as an iCalendar (RFC 5545) feed."""

import datetime
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from .emails import language_for, site_url


def build_calendar(*, user, enrollments) -> bytes:
    """All-day events on each due date, with a reminder the day before. UIDs are stable, so a
    calendar that subscribes updates an event when HR moves the date."""
    host = urlsplit(site_url("/")).hostname or "lms"
    now = timezone.now()
    with translation.override(language_for(user)):
        calendar = Calendar()
        calendar.add("prodid", "-//ICT Training Centre//LMS//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Training due dates"))
        for enrollment in enrollments:
            link = site_url(reverse("courses:detail", args=[enrollment.course.slug]))
            event = Event()
            event.add("uid", f"enrollment-{enrollment.pk}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", enrollment.due_date)
            event.add("dtend", enrollment.due_date + datetime.timedelta(days=1))
            event.add("summary", _("Training due: %(course)s") % {"course": enrollment.course})
            event.add(
                "description",
                _("Complete “%(course)s” by this date. %(link)s")
                % {"course": enrollment.course, "link": link},
            )
            event.add("url", link)
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description",
                _("Training due tomorrow: %(course)s") % {"course": enrollment.course},
            )
            alarm.add("trigger", datetime.timedelta(days=-1))
            event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()
