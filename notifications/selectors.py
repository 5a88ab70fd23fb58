"""Reads for the notification pages, the bell and the calendar feed."""

from django.db.models import QuerySet

from courses.models import Enrollment, EnrollmentStatus

from .models import CalendarFeed, NotificationLog, OptOut


def notifications_for(*, user) -> QuerySet[NotificationLog]:
    """The person's notifications, newest first; everything shown comes from the row itself."""
    return NotificationLog.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return NotificationLog.objects.filter(recipient=user, read_at__isnull=True).count()


def opted_out_kinds(*, user) -> set[str]:
    return set(OptOut.objects.filter(user=user).values_list("kind", flat=True))


def calendar_owner(*, token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_enrollments(*, user) -> QuerySet[Enrollment]:
    """Open enrolments with a due date: what the learner's calendar shows."""
    return (
        Enrollment.objects.filter(user=user, status=EnrollmentStatus.ACTIVE, due_date__isnull=False)
        .select_related("course")
        .order_by("due_date", "pk")
    )
