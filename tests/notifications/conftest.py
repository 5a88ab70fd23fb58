import datetime
import zoneinfo

import pytest
from django.utils import timezone

from courses.models import EnrollmentSource
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

BELGRADE = zoneinfo.ZoneInfo("Europe/Belgrade")


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    settings.LMS_SITE_URL = "https://lms.example.gov"
    settings.NOTIFICATIONS_WINDOW_START_HOUR = 8
    settings.NOTIFICATIONS_WINDOW_END_HOUR = 20
    settings.NOTIFICATIONS_MAX_PER_MINUTE = 100_000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def noon():
    """10:00 UTC, noon in Belgrade: inside the default window."""
    return datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


def assigned(*, user=None, course=None, due_in: int | None, today=None, **kwargs):
    """An assigned, active enrolment due ``due_in`` days after ``today`` (Belgrade)."""
    today = today or datetime.date(2026, 12, 1)
    return EnrollmentFactory(
        user=user or UserFactory(),
        course=course or CourseFactory(),
        source=EnrollmentSource.ASSIGNED,
        due_date=None if due_in is None else today + datetime.timedelta(days=due_in),
        **kwargs,
    )


def days_ago(now, days):
    return now - datetime.timedelta(days=days)


__all__ = ["assigned", "days_ago", "timezone"]


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the sweep at ``now`` as beat would: the queued batches run when it commits, with
    the clock at ``now`` for the sending too."""
    from unittest import mock

    from notifications import services

    def run(now, **kwargs):
        with (
            mock.patch("django.utils.timezone.now", return_value=now),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return services.notifications_sweep(now=now, **kwargs)

    return run
