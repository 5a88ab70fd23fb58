"""Reads for the notification pages, the bell and the calendar feed."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Window

from courses.models import Enrollment, EnrollmentStatus
from lms import boundary

from .models import CalendarFeed, NotificationLog, OptOut


def notifications_for(*, user) -> QuerySet[NotificationLog]:
    """The person's notifications, newest first; everything shown comes from the row itself."""
    return NotificationLog.objects.filter(recipient=user).order_by("-created_at", "-pk")


UNREAD = Q(read_at__isnull=True)
# Far beyond anyone's notifications, and within every database's OFFSET.
MAX_OFFSET = 2**31


def unread_count(*, user) -> int:
    return NotificationLog.objects.filter(UNREAD, recipient=user).count()


def notifications_page(*, logs: QuerySet[NotificationLog], number, per_page: int) -> Page:
    """``Paginator(logs, per_page).get_page(number)`` in one query rather than two: the rows
    of the page carry the total and the unread count of ``logs`` as window counts, so the
    paginator needs no ``COUNT(*)`` of its own. Each row has ``unread_total``, which for the
    person's notifications is the bell's count. A page past the end (no rows) goes the usual
    way: count, then the last page."""
    paginator = Paginator(logs, per_page)
    # The first page when no number is given; a number in plain digits within any list's
    # length; anything else ("x", "٣", a number past the database's OFFSET) goes the usual way.
    requested = 1 if number in (None, "") else boundary.parse_id(number)
    if requested is not None and (requested - 1) * per_page < MAX_OFFSET:
        start = (requested - 1) * per_page
        rows = list(
            logs.annotate(
                total=Window(Count("pk")), unread_total=Window(Count("pk", filter=UNREAD))
            )[start : start + per_page]
        )
        if rows:
            paginator.count = rows[0].total
            return Page(rows, requested, paginator)
    return paginator.get_page(number)


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
