"""Read queries of the HR pages. Each runs a fixed number of queries whatever the number of
rows: progress, best score and certificate come as correlated subqueries on the one row query."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncWeek
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, User
from certificates.models import LIVE, Certificate
from courses.models import Course, Enrollment, EnrollmentSource, EnrollmentStatus, LessonProgress
from courses.selectors import (
    Progress,
    overdue_condition,
    required_lessons_done,
    required_lessons_total,
)
from courses.text import search_form
from lms.prepared import CompiledPerKey
from quizzes.models import Attempt, AttemptStatus

from . import permissions


class ReportStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"

    choices = [
        (NOT_STARTED, _("Not started")),
        (IN_PROGRESS, _("In progress")),
        (COMPLETED, _("Completed")),
        (OVERDUE, _("Overdue")),
    ]
    labels = dict(choices)


SORTS = {
    "name": ("user__full_name", "user__email", "course__title", "pk"),
    "unit": ("user__org_unit__path", "user__full_name", "pk"),
    "course": ("course__title", "user__full_name", "pk"),
    "status": ("report_status", "user__full_name", "pk"),
    "due": ("due_date", "user__full_name", "pk"),
    "completed": ("completed_at", "user__full_name", "pk"),
    "enrolled": ("enrolled_at", "pk"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class ReportFilters:
    unit: OrgUnit | None = None
    include_subunits: bool = True
    course: Course | None = None
    status: str = ""
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None
    completed_from: datetime.date | None = None
    completed_to: datetime.date | None = None
    query: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False

    def as_params(self) -> dict:
        """Plain values for a background job's parameters."""
        dates = ("due_from", "due_to", "completed_from", "completed_to")
        params = {
            "unit": self.unit.pk if self.unit else None,
            "include_subunits": self.include_subunits,
            "course": self.course.pk if self.course else None,
            "status": self.status,
            "query": self.query,
            "sort": self.sort,
            "descending": self.descending,
        }
        for name in dates:
            value = getattr(self, name)
            params[name] = value.isoformat() if value else None
        return params

    @classmethod
    def from_params(cls, params: dict) -> "ReportFilters":
        dates = {}
        for name in ("due_from", "due_to", "completed_from", "completed_to"):
            value = params.get(name)
            dates[name] = datetime.date.fromisoformat(value) if value else None
        return cls(
            unit=OrgUnit.objects.filter(pk=params.get("unit")).first()
            if params.get("unit")
            else None,
            include_subunits=bool(params.get("include_subunits", True)),
            course=Course.objects.filter(pk=params.get("course")).first()
            if params.get("course")
            else None,
            status=params.get("status") or "",
            query=params.get("query") or "",
            sort=params.get("sort") or DEFAULT_SORT,
            descending=bool(params.get("descending")),
            **dates,
        )


def _started(*, per_row: bool = False) -> Q:
    if per_row:
        # Scalar subqueries with LIMIT 1 rather than EXISTS: PostgreSQL may plan an EXISTS as a
        # hashed subplan over every lesson done in the table (130,000 rows on the bench data,
        # 15 to 30 ms) when it expects many rows in scope, although a page then evaluates the
        # status for 50 of them. A scalar subquery is one index probe per row evaluated. For
        # a whole export the hashed plan is the faster one (2.1 s against 1.6 s, 100,000 rows).
        lessons = LessonProgress.objects.filter(enrollment=OuterRef("pk")).order_by()
        attempts = Attempt.objects.filter(enrollment=OuterRef("pk")).order_by()
        return Q(IsNull(Subquery(lessons.values("pk")[:1]), False)) | Q(
            IsNull(Subquery(attempts.values("pk")[:1]), False)
        )
    lessons = LessonProgress.objects.filter(enrollment=OuterRef("pk"))
    attempts = Attempt.objects.filter(enrollment=OuterRef("pk"))
    return Q(Exists(lessons)) | Q(Exists(attempts))


def report_status_expression(*, today: datetime.date, per_row: bool = False) -> Case:
    """Completed, overdue (as ``courses.selectors.overdue_condition`` defines it), in progress
    (a lesson done or a quiz tried) or not started. ``per_row`` for a page of rows: see
    ``_started``."""
    return Case(
        When(status=EnrollmentStatus.COMPLETED, then=Value(ReportStatus.COMPLETED)),
        When(overdue_condition(today=today), then=Value(ReportStatus.OVERDUE)),
        When(_started(per_row=per_row), then=Value(ReportStatus.IN_PROGRESS)),
        default=Value(ReportStatus.NOT_STARTED),
        output_field=CharField(),
    )


def _best_score() -> Subquery:
    best = (
        Attempt.objects.filter(
            enrollment=OuterRef("pk"),
            status__in=[AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED],
        )
        .order_by()
        .values("enrollment")
        .annotate(best=Max("percent"))
        .values("best")
    )
    return Subquery(best)


def _certificate(field: str) -> Subquery:
    live = Certificate.objects.filter(LIVE, enrollment=OuterRef("pk")).order_by("-cycle", "-pk")
    return Subquery(live.values(field)[:1])


def _report_columns(rows: QuerySet[Enrollment], *, today: datetime.date, paged: bool):
    """``rows`` with the report's columns: the person, unit and course they are read with, and
    the annotations ``completion_rows`` names."""
    return (
        rows.select_related("user", "user__org_unit", "course")
        .only(
            "pk",
            "status",
            "due_date",
            "enrolled_at",
            "completed_at",
            "source",
            "cycle",
            "user__id",
            "user__full_name",
            "user__email",
            "user__employee_number",
            "user__org_unit__id",
            "user__org_unit__name",
            "user__org_unit__path",
            "course__id",
            "course__title",
            "course__slug",
        )
        .annotate(
            report_status=report_status_expression(today=today, per_row=paged),
            required_total=required_lessons_total("course"),
            required_done=required_lessons_done("pk"),
            best_score=_best_score(),
            certificate_serial=_certificate("serial"),
            certificate_status=_certificate("status"),
        )
    )


def completion_rows(
    *,
    actor: User,
    filters: ReportFilters,
    today: datetime.date | None = None,
    paged: bool = False,
) -> QuerySet[Enrollment]:
    """Person × course rows in ``actor``'s scope matching ``filters``, sorted, each annotated
    with ``report_status``, ``required_total``, ``required_done``, ``best_score``,
    ``certificate_serial`` and ``certificate_status``. ``paged`` when only a page of them is
    read (see ``_started``). The caller has already refused a unit
    or course outside the scope; the scope is applied again here all the same."""
    today = today or timezone.localdate()
    rows = _report_columns(permissions.enrollments_in_scope(actor), today=today, paged=paged)
    if filters.unit is not None:
        if filters.include_subunits:
            rows = rows.filter(user__org_unit__path__startswith=filters.unit.path)
        else:
            rows = rows.filter(user__org_unit=filters.unit)
    if filters.course is not None:
        rows = rows.filter(course=filters.course)
    if filters.status:
        rows = rows.filter(report_status=filters.status)
    if filters.due_from:
        rows = rows.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        rows = rows.filter(due_date__lte=filters.due_to)
    if filters.completed_from:
        rows = rows.filter(completed_at__date__gte=filters.completed_from)
    if filters.completed_to:
        rows = rows.filter(completed_at__date__lte=filters.completed_to)
    for word in search_form(filters.query).split():
        rows = rows.filter(user__search_text__contains=word)
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if filters.descending:
        order = tuple(f"-{field}" for field in order)
    return rows.order_by(*order)


def progress_from(*, done: int | None, total: int | None, status: str) -> Progress:
    """A report row's progress from its lesson counts and enrollment status."""
    return Progress(
        done=done or 0, total=total or 0, completed=status == EnrollmentStatus.COMPLETED
    )


def row_progress(row: Enrollment) -> Progress:
    return progress_from(done=row.required_done, total=row.required_total, status=row.status)


# The report's columns, read as plain values (no model instances): the page and the exports.
REPORT_VALUE_FIELDS = (
    "user__full_name",
    "user__email",
    "user__employee_number",
    "user__org_unit__name",
    "course__title",
    "status",
    "report_status",
    "required_total",
    "required_done",
    "best_score",
    "enrolled_at",
    "due_date",
    "completed_at",
    "certificate_serial",
)
# The page also links each person, reads the unit's name as ``unit_name``
# (``completion_page_values``) and each course's counted lessons from
# ``courses.selectors.counted_lesson_totals`` by the row's ``course_id``.
PAGE_FIELDS = (
    "pk",
    "user_id",
    "course_id",
    *(
        name
        for name in REPORT_VALUE_FIELDS
        if name not in ("user__org_unit__name", "required_total")
    ),
    "unit_name",
)


def _unit_name() -> Subquery:
    unit = OrgUnit.objects.filter(pk=OuterRef("user__org_unit_id")).order_by()
    return Subquery(unit.values("name")[:1])


def completion_page_values(
    rows: QuerySet[Enrollment], *, first: int, stop: int, today: datetime.date
) -> QuerySet[dict]:
    """Rows ``first`` to ``stop`` of ``completion_rows(..., today=today, paged=True)`` as dicts
    of ``PAGE_FIELDS``, for ``rows.rows_html``.

    The page's rows are chosen first, by their ids in the sort's order, and only those rows are
    read with their columns: every per-row subquery then runs for the rows of the page alone,
    whatever the planner thinks a subquery costs (it evaluated the best score, over a table it
    believed empty, for every row in scope before sorting them). The unit's name is one of
    those subqueries rather than a join, for the same reason."""
    chosen = rows.values("pk")[first:stop]
    page = _report_columns(Enrollment.objects.filter(pk__in=chosen), today=today, paged=True)
    return page.annotate(unit_name=_unit_name()).order_by(*rows.query.order_by).values(*PAGE_FIELDS)


# The report page's statements (its rows with their count, or either alone), compiled once per
# reader's scope, filters, day and page in each process: building the queryset with its six
# annotations and compiling it took more of the page than the database did.
_PAGE_STATEMENTS = CompiledPerKey(size=512)

# The count's column on the page's rows.
_TOTAL = "report_total"


def completion_page(
    *, actor: User, filters: ReportFilters, number, per_page: int, today=None, tree_version=None
) -> Page:
    """One page of ``completion_page_values(completion_rows(..., paged=True))``, as
    ``Paginator(...).get_page(number)`` gives it. ``tree_version``: the organisation tree's
    version if the caller has just read it (``permissions.scope_key``)."""
    today = today or timezone.localdate()
    # The filters as plain values, the unit's path, which the sub-unit filter reads, and the
    # time zone the completion dates are compared in (a parameter of the statement).
    key = (
        permissions.scope_key(actor, tree_version=tree_version),
        tuple(sorted(filters.as_params().items())),
        filters.unit.path if filters.unit is not None else None,
        today,
        timezone.get_current_timezone_name(),
    )

    def build():
        return completion_rows(actor=actor, filters=filters, today=today, paged=True)

    def build_page(first: int, stop: int):
        return completion_page_values(build(), first=first, stop=stop, today=today)

    first = (number - 1) * per_page if isinstance(number, int) and number > 0 else None
    return Paginator(
        _CompiledRows(key, build, build_page, first=first, per_page=per_page), per_page
    ).get_page(number)


class _CompiledRows:
    """What ``Paginator`` asks of a queryset (its count, a slice) from compiled statements.

    The count is the rows' queryset's own, before ``values``: the columns joined for the page
    (the course, the unit) do not change how many rows there are, and the ORM leaves those
    joins and the unused per-row subqueries out of its count (1.6 → 0.4 ms on the server for
    574 rows in the benchmark). And it is sent inside the statement of the page asked for, as
    an uncorrelated subquery that PostgreSQL evaluates once: the page's rows and how many there
    are in one round trip. Only when that page has no rows (none match, or it is past the last
    page) is the count sent alone, and then the page that ``Paginator`` falls back to."""

    def __init__(self, key, build, build_page, *, first: int | None, per_page: int):
        self.key, self.build, self.build_page = key, build, build_page
        self.first, self.per_page = first, per_page
        self._fetched: list[dict] | None = None

    def count(self) -> int:
        if self.first is not None:
            statement = _PAGE_STATEMENTS.count_statement(self.key, self.build)
            if statement is not None:
                first, stop = self.first, self.first + self.per_page
                rows = _PAGE_STATEMENTS.rows(
                    (self.key, _TOTAL, first, stop), lambda: self._counted(statement, first, stop)
                )
                if rows:
                    self._fetched = rows
                    return rows[0][_TOTAL]
        return _PAGE_STATEMENTS.count(self.key, self.build)

    def _counted(self, statement: tuple[str, tuple], first: int, stop: int) -> QuerySet[dict]:
        sql, params = statement
        # The ORM's own compiled count, its values as parameters.
        total = RawSQL(sql, params, output_field=IntegerField())  # noqa: S611
        return self.build_page(first, stop).annotate(**{_TOTAL: total})

    def __getitem__(self, bounds: slice) -> list[dict]:
        start, stop = bounds.start, bounds.stop
        if self._fetched is not None and start == self.first:
            # The page fetched with the count; ``Paginator`` ends the last page at the count.
            return self._fetched[: stop - start]
        return _PAGE_STATEMENTS.rows((self.key, start, stop), lambda: self.build_page(start, stop))


@dataclass(frozen=True)
class UnitCompletion:
    unit_id: int
    name: str
    depth: int
    enrolled: int
    completed: int
    overdue: int

    @property
    def rate(self) -> int:
        return round(100 * self.completed / self.enrolled) if self.enrolled else 0


def unit_completion(
    *, actor: User, course: Course | None, today: datetime.date | None = None
) -> list[UnitCompletion]:
    """Per unit in scope (its own members): enrolled, completed and overdue counts for
    ``course``, or for every assigned (mandatory) course when ``course`` is None. Two
    queries: the units, and one grouped count."""
    today = today or timezone.localdate()
    rows = permissions.enrollments_in_scope(actor)
    rows = rows.filter(course=course) if course else rows.filter(source=EnrollmentSource.ASSIGNED)
    counts = {
        row["user__org_unit"]: row
        for row in rows.order_by()
        .values("user__org_unit")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(status=EnrollmentStatus.COMPLETED)),
            overdue=Count("pk", filter=overdue_condition(today=today)),
        )
    }
    result = []
    for unit in permissions.units_in_scope(actor).only("pk", "name", "depth", "path"):
        found = counts.get(unit.pk)
        if found is None:
            continue
        result.append(
            UnitCompletion(
                unit_id=unit.pk,
                name=unit.name,
                depth=unit.depth,
                enrolled=found["enrolled"],
                completed=found["completed"],
                overdue=found["overdue"],
            )
        )
    return result


@dataclass(frozen=True)
class WeekCount:
    week: datetime.date
    completed: int


def completions_per_week(
    *, actor: User, course: Course | None, weeks: int = 12, today: datetime.date | None = None
) -> list[WeekCount]:
    """Completions in each of the last ``weeks`` weeks (Monday first), zero weeks included."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    rows = permissions.enrollments_in_scope(actor).filter(
        status=EnrollmentStatus.COMPLETED, completed_at__date__gte=first
    )
    rows = rows.filter(course=course) if course else rows.filter(source=EnrollmentSource.ASSIGNED)
    counted = {}
    for row in (
        rows.order_by()
        .annotate(week=TruncWeek("completed_at"))
        .values("week")
        .annotate(n=Count("pk"))
    ):
        week = row["week"]
        week = week.date() if isinstance(week, datetime.datetime) else week
        counted[week] = counted.get(week, 0) + row["n"]
    return [
        WeekCount(
            week=first + datetime.timedelta(weeks=index),
            completed=counted.get(first + datetime.timedelta(weeks=index), 0),
        )
        for index in range(weeks)
    ]


def person_enrollments(*, actor: User, person: User) -> QuerySet[Enrollment]:
    return completion_rows(actor=actor, filters=ReportFilters(sort="enrolled")).filter(user=person)


def person_attempts(*, person: User) -> QuerySet[Attempt]:
    return (
        Attempt.objects.filter(enrollment__user=person)
        .select_related("quiz", "enrollment__course")
        .order_by("-started_at")
    )


def person_certificates(*, person: User) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(LIVE, enrollment__user=person)
        .select_related("enrollment__course")
        .order_by("-created_at")
    )
