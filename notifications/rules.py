"""The reminder rules of this app: due soon, overdue, inactivity, quiz attempt closed, HR digest.

Each rule reads every learner at once with one or two queries and decides the rest in Python:
which threshold a due date falls in, in the learner's own time zone. The ``period`` string makes
each reminder unique: "7d:2026-12-08" is the 7-day reminder for that due date, "w2:2026-12-08"
the third overdue reminder, "since:2026-11-01" one inactivity reminder per stretch of inactivity.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.conf import settings

from accounts.models import zone_or_default
from accounts.roles import Role
from courses.models import Enrollment, EnrollmentStatus
from courses.validators import parse_day_list

from .kinds import Kind
from .registry import Candidate

ENROLLMENT = "courses.enrollment"
ATTEMPT = "quizzes.attempt"
ORG_UNIT = "accounts.orgunit"


class _Zones:
    """The local date of one instant in each time zone, computed once per zone name."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self._dates: dict[str, datetime.date] = {}

    def today(self, name: str) -> datetime.date:
        day = self._dates.get(name)
        if day is None:
            day = self._dates[name] = self.now.astimezone(zone_or_default(name)).date()
        return day


def _course_days(value: str) -> list[int] | None:
    try:
        return parse_day_list(value) if value else None
    except ValueError:
        return None


def _active_enrollments():
    return Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, user__is_active=True)


def _enrollment_context(row: dict) -> dict:
    return {
        "course": row["course__title"],
        "course_slug": row["course__slug"],
        "due_date": row["due_date"].isoformat() if row.get("due_date") else None,
    }


_ENROLLMENT_FIELDS = (
    "pk",
    "user_id",
    "user__time_zone",
    "due_date",
    "course__title",
    "course__slug",
)


def _valid_active_enrollments(object_ids: set[int], **extra) -> set[int]:
    return set(
        _active_enrollments().filter(pk__in=object_ids, **extra).values_list("pk", flat=True)
    )


class DueSoonRule:
    """Assigned training due within one of the reminder thresholds (default 7 and 1 days).

    The threshold is the smallest one the days left fit in, so a learner assigned three days
    before the deadline gets the 7-day reminder once, then the 1-day one."""

    kind = Kind.DUE_SOON

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        default = list(settings.NOTIFICATIONS_DUE_SOON_DAYS)
        zones = _Zones(now)
        site_today = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
        # The widest threshold of any course bounds the query; a day of slack covers zones.
        widest = max(
            [*default, *[d for v in self._course_overrides() for d in (_course_days(v) or [])]]
        )
        rows = (
            _active_enrollments()
            .filter(
                due_date__gte=site_today - datetime.timedelta(days=1),
                due_date__lte=site_today + datetime.timedelta(days=widest + 1),
            )
            .values(*_ENROLLMENT_FIELDS, "course__due_soon_days")
        )
        for row in rows:
            today = zones.today(row["user__time_zone"])
            days_left = (row["due_date"] - today).days
            if days_left < 0:
                continue
            thresholds = _course_days(row["course__due_soon_days"]) or default
            fitting = [t for t in thresholds if days_left <= t]
            if not fitting:
                continue
            threshold = min(fitting)
            yield Candidate(
                recipient_id=row["user_id"],
                time_zone=row["user__time_zone"],
                kind=self.kind,
                object_type=ENROLLMENT,
                object_id=row["pk"],
                period=f"{threshold}d:{row['due_date'].isoformat()}",
                context={**_enrollment_context(row), "days_left": days_left},
            )

    @staticmethod
    def _course_overrides() -> list[str]:
        from courses.models import Course

        return list(
            Course.objects.exclude(due_soon_days="")
            .order_by()
            .values_list("due_soon_days", flat=True)
            .distinct()
        )

    def still_valid(self, object_ids: set[int]) -> set[int]:
        return _valid_active_enrollments(object_ids, due_date__isnull=False)


class OverdueRule:
    """Assigned training past its due date: the day after, then every week, at most N times."""

    kind = Kind.OVERDUE

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        repeat = settings.NOTIFICATIONS_OVERDUE_REPEAT_DAYS
        cap = settings.NOTIFICATIONS_OVERDUE_MAX_REMINDERS
        zones = _Zones(now)
        site_today = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
        oldest = site_today - datetime.timedelta(days=repeat * cap + 2)
        rows = (
            _active_enrollments()
            .filter(due_date__lt=site_today + datetime.timedelta(days=1), due_date__gte=oldest)
            .values(*_ENROLLMENT_FIELDS)
        )
        for row in rows:
            days_over = (zones.today(row["user__time_zone"]) - row["due_date"]).days
            if days_over < 1:
                continue
            number = (days_over - 1) // repeat
            if number >= cap:
                continue
            yield Candidate(
                recipient_id=row["user_id"],
                time_zone=row["user__time_zone"],
                kind=self.kind,
                object_type=ENROLLMENT,
                object_id=row["pk"],
                period=f"w{number}:{row['due_date'].isoformat()}",
                context={**_enrollment_context(row), "days_overdue": days_over},
            )

    def still_valid(self, object_ids: set[int]) -> set[int]:
        return _valid_active_enrollments(object_ids, due_date__isnull=False)


class InactivityRule:
    """Enrolled, not finished, and no lesson or quiz activity for N days (default 14, a course
    may set its own). One reminder per stretch of inactivity: new activity starts a new one."""

    kind = Kind.INACTIVITY

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        from courses.models import Course

        default = settings.NOTIFICATIONS_INACTIVITY_DAYS
        overrides = list(
            Course.objects.filter(inactivity_days__isnull=False)
            .order_by()
            .values_list("inactivity_days", flat=True)
            .distinct()
        )
        shortest = min([default, *overrides])
        rows = (
            _active_enrollments()
            .filter(last_activity_at__lte=now - datetime.timedelta(days=shortest))
            .values(*_ENROLLMENT_FIELDS, "last_activity_at", "course__inactivity_days")
        )
        for row in rows:
            days = row["course__inactivity_days"] or default
            idle = now - row["last_activity_at"]
            if idle < datetime.timedelta(days=days):
                continue
            yield Candidate(
                recipient_id=row["user_id"],
                time_zone=row["user__time_zone"],
                kind=self.kind,
                object_type=ENROLLMENT,
                object_id=row["pk"],
                period=f"since:{row['last_activity_at'].date().isoformat()}",
                context={**_enrollment_context(row), "days_inactive": idle.days},
            )

    def still_valid(self, object_ids: set[int]) -> set[int]:
        return _valid_active_enrollments(object_ids)


class AttemptClosedRule:
    """A quiz attempt the learner left open was closed and graded at its time limit."""

    kind = Kind.ATTEMPT_CLOSED

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        from quizzes.models import Attempt, AttemptStatus

        since = now - datetime.timedelta(days=settings.NOTIFICATIONS_ATTEMPT_CLOSED_LOOKBACK_DAYS)
        rows = Attempt.objects.filter(
            status=AttemptStatus.EXPIRED,
            submitted_at__gte=since,
            enrollment__user__is_active=True,
        ).values(
            "pk",
            "quiz_id",
            "quiz__title",
            "percent",
            "passed",
            "enrollment__user_id",
            "enrollment__user__time_zone",
            "enrollment__course__title",
            "enrollment__course__slug",
        )
        for row in rows:
            yield Candidate(
                recipient_id=row["enrollment__user_id"],
                time_zone=row["enrollment__user__time_zone"],
                kind=self.kind,
                object_type=ATTEMPT,
                object_id=row["pk"],
                period="closed",
                context={
                    "course": row["enrollment__course__title"],
                    "course_slug": row["enrollment__course__slug"],
                    "quiz": row["quiz__title"],
                    "quiz_id": row["quiz_id"],
                    "percent": str(row["percent"]) if row["percent"] is not None else None,
                    "passed": bool(row["passed"]),
                },
            )

    def still_valid(self, object_ids: set[int]) -> set[int]:
        from quizzes.models import Attempt

        return set(Attempt.objects.filter(pk__in=object_ids).values_list("pk", flat=True))


DIGEST_MAX_ROWS = 50


class HRDigestRule:
    """Once a week, each HR officer gets the overdue people of their unit subtree (never a
    sibling unit's). No one overdue, no digest. Two queries for all officers together."""

    kind = Kind.HR_DIGEST

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        from accounts.models import User

        officers = list(
            User.objects.filter(
                is_active=True, groups__name=Role.HR_OFFICER, org_unit__isnull=False
            ).values("pk", "time_zone", "org_unit_id", "org_unit__path", "org_unit__name")
        )
        if not officers:
            return
        site_today = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
        overdue = list(
            _active_enrollments()
            .filter(due_date__lt=site_today, user__org_unit__isnull=False)
            .order_by("due_date", "user__full_name", "pk")
            .values(
                "user__full_name",
                "user__email",
                "user__org_unit__path",
                "user__org_unit__name",
                "course__title",
                "due_date",
            )
        )
        year, week, _day = site_today.isocalendar()
        for officer in officers:
            prefix = officer["org_unit__path"]
            mine = [row for row in overdue if row["user__org_unit__path"].startswith(prefix)]
            if not mine:
                continue
            yield Candidate(
                recipient_id=officer["pk"],
                time_zone=officer["time_zone"],
                kind=self.kind,
                object_type=ORG_UNIT,
                object_id=officer["org_unit_id"],
                period=f"{year}-W{week:02d}",
                context={
                    "unit": officer["org_unit__name"],
                    "total": len(mine),
                    "people": len({row["user__email"] for row in mine}),
                    "rows": [
                        {
                            "name": row["user__full_name"] or row["user__email"],
                            "unit": row["user__org_unit__name"],
                            "course": row["course__title"],
                            "due_date": row["due_date"].isoformat(),
                        }
                        for row in mine[:DIGEST_MAX_ROWS]
                    ],
                },
            )

    def still_valid(self, object_ids: set[int]) -> set[int]:
        from accounts.models import OrgUnit

        return set(OrgUnit.objects.filter(pk__in=object_ids).values_list("pk", flat=True))


def enrolment_candidate(enrollment) -> Candidate:
    """The confirmation of an assignment, made by the listener when HR assigns a course. A new
    due date is a new assignment and confirmed again; the same one is not."""
    due = enrollment.due_date.isoformat() if enrollment.due_date else None
    return Candidate(
        recipient_id=enrollment.user_id,
        time_zone=enrollment.user.time_zone,
        kind=Kind.ENROLMENT_CONFIRMATION,
        object_type=ENROLLMENT,
        object_id=enrollment.pk,
        period=f"due:{due or '-'}",
        context={
            "course": enrollment.course.title,
            "course_slug": enrollment.course.slug,
            "due_date": due,
            "assigned_by": str(enrollment.assigned_by) if enrollment.assigned_by_id else "",
        },
    )


class EnrolmentConfirmationValidity:
    """The confirmation has no sweep query (the assignment listener makes it) but is checked
    before sending like every other kind."""

    kind = Kind.ENROLMENT_CONFIRMATION

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        return ()

    def still_valid(self, object_ids: set[int]) -> set[int]:
        return _valid_active_enrollments(object_ids)


def builtin_rules() -> list:
    return [
        EnrolmentConfirmationValidity(),
        DueSoonRule(),
        OverdueRule(),
        InactivityRule(),
        AttemptClosedRule(),
        HRDigestRule(),
    ]
