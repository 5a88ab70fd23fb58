"""Read queries for the learner pages. Each returns everything its page shows, so the page runs
the same number of queries however many courses, lessons or enrollments there are."""

import copy
import datetime
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.sql.constants import LOUTER
from django.utils import timezone

from accounts.models import User
from lms.prepared import prepared

from .cache import (
    CATALOGUE_TTL,
    catalogue_entries,
    catalogue_store,
    course_cache_key,
    course_page_cache_key,
    lesson_cache_key,
)
from .completion import counted_lessons_filter, lesson_counts, live_lessons_filter
from .models import (
    Attachment,
    Category,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
    Module,
)
from .text import search_form


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    completed: bool

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        if self.total == 0:
            return 0
        return min(100, round(100 * self.done / self.total))


def _counted_lessons() -> QuerySet:
    return Lesson.objects.filter(counted_lessons_filter())


def _counted_progress() -> QuerySet:
    return LessonProgress.objects.filter(counted_lessons_filter("lesson__"))


def required_lessons_total(course_ref: str = "course") -> Coalesce:
    """How many lessons of the course count towards completion (``counted_lessons_filter``:
    the required ones that are not archived), as an expression over the enrollment or course
    row named by ``course_ref``. "My learning" and the HR completion report both show progress
    from this and ``required_lessons_done`` (or from ``annotate_lesson_counts``, which joins
    the same counts)."""
    counted = (
        _counted_lessons()
        .filter(course=OuterRef(course_ref))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# (catalogue version, when read, {course id: counted lessons}) of this process.
_counted_totals: tuple | None = None


def counted_lesson_totals(*, version: tuple) -> Mapping[int, int]:
    """Every course's ``required_lessons_total``, by course id (a course without counted
    lessons is missing: 0), for a page that shows many rows' progress. Kept per process under
    the catalogue's version ``version`` (``courses.cache.catalogue_version``, which every
    saved, archived, reordered or deleted lesson changes) and for ``CATALOGUE_TTL`` seconds at
    most, as the catalogue's own cached pages are; one grouped read of the index of counted
    lessons when it is not."""
    global _counted_totals
    kept, now = _counted_totals, time.monotonic()
    if kept is not None and kept[0] == version and now - kept[1] < CATALOGUE_TTL:
        return kept[2]
    counts = _counted_lessons().order_by().values("course").annotate(n=Count("pk"))
    totals = dict(counts.values_list("course", "n"))
    _counted_totals = (version, now, totals)
    return totals


def required_lessons_done(enrollment_ref: str = "pk") -> Coalesce:
    """How many counted (required) lessons the enrollment named by ``enrollment_ref`` has done.

    The lessons are looked for among those of the enrollment's own course, which are the only
    ones progress is recorded for (``services.lesson_complete``): PostgreSQL then finds each
    lesson in the index of counted lessons per course (``lesson_counted_per_course``) without
    reading the lesson table, about a third of the subquery on the report's page."""
    course_ref = "course" if enrollment_ref == "pk" else f"{enrollment_ref}__course"
    done = (
        _counted_progress()
        .filter(enrollment=OuterRef(enrollment_ref), lesson__course=OuterRef(course_ref))
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(done, output_field=IntegerField()), 0)


class _GroupedCountJoin:
    """``LEFT OUTER JOIN (<grouped count query>) alias ON parent.column = alias.key``: a derived
    table joined once, for ``annotate_lesson_counts``. It provides what ``Query.alias_map``
    asks of a join (``django.db.models.sql.datastructures.Join``)."""

    filtered_relation = None
    nullable = True

    def __init__(self, counts: QuerySet, *, key: str, parent_alias: str, parent_column: str):
        self.counts = counts
        self.key = key
        self.parent_alias = parent_alias
        self.parent_column = parent_column
        self.table_name = f"counted_{key}"
        self.table_alias = self.table_name
        self.join_type = LOUTER

    def as_sql(self, compiler, connection):
        sql, params = self.counts.query.get_compiler(connection=connection).as_sql()
        quote = compiler.quote_name_unless_alias
        return (
            f"{self.join_type} ({sql}) {quote(self.table_alias)} ON "
            f"({quote(self.parent_alias)}.{quote(self.parent_column)} = "
            f"{quote(self.table_alias)}.{quote(self.key)})"
        ), tuple(params)

    def relabeled_clone(self, change_map):
        clone = copy.copy(self)
        clone.parent_alias = change_map.get(self.parent_alias, self.parent_alias)
        clone.table_alias = change_map.get(self.table_alias, self.table_alias)
        return clone

    @property
    def identity(self):
        return (self.__class__, self.table_name, self.parent_alias, self.parent_column)

    def __eq__(self, other):
        if not isinstance(other, _GroupedCountJoin):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def promote(self):
        return self.relabeled_clone({})

    def demote(self):
        # Always an outer join: a row without counted lessons still counts zero.
        return self.relabeled_clone({})


class _JoinedCount(Expression):
    """The ``n`` column of a ``_GroupedCountJoin``, zero where the join found no row."""

    output_field = IntegerField()

    def __init__(self, alias: str):
        super().__init__()
        self.alias = alias

    def as_sql(self, compiler, connection):
        quote = compiler.quote_name_unless_alias
        return f"COALESCE({quote(self.alias)}.{quote('n')}, 0)", ()

    def relabeled_clone(self, change_map):
        return _JoinedCount(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self):
        return [self]


def annotate_lesson_counts(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """``enrollments`` annotated with ``required_total`` and ``required_done``, the values of
    ``required_lessons_total`` and ``required_lessons_done``, computed as sets: the counted
    lessons grouped by course and the counted lessons done grouped by enrollment, each joined
    once, which PostgreSQL can hash-join instead of running two subqueries per row. For reading
    every row (exports); a page of rows is cheaper with the per-row subqueries, which the
    database computes only for the rows it returns. Apply it after the filters: the done
    counts are grouped over the enrollments ``enrollments`` selects at this point."""
    enrollments = enrollments.all()
    query = enrollments.query
    # A slice of the rows restricts the counts no further than the rows it is cut from.
    scope = enrollments.all()
    scope.query.clear_limits()
    chosen = scope.order_by().values("pk")
    base = query.get_initial_alias()
    totals = _counted_lessons().order_by().values("course").annotate(n=Count("pk"))
    done = (
        _counted_progress()
        .filter(enrollment__in=chosen)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
    )
    total_alias = query.join(
        _GroupedCountJoin(totals, key="course", parent_alias=base, parent_column="course_id")
    )
    done_alias = query.join(
        _GroupedCountJoin(done, key="enrollment", parent_alias=base, parent_column="id")
    )
    return enrollments.annotate(
        required_total=_JoinedCount(total_alias), required_done=_JoinedCount(done_alias)
    )


def overdue_condition(*, today: datetime.date) -> Q:
    """The one definition of "overdue": an enrollment still in progress whose due date has
    passed. A completed or withdrawn enrollment is never overdue."""
    return Q(status=EnrollmentStatus.ACTIVE, due_date__lt=today)


def overdue_annotation(*, today: datetime.date) -> ExpressionWrapper:
    """``overdue_condition`` as a boolean column, for pages that show it per row."""
    return ExpressionWrapper(overdue_condition(today=today), output_field=BooleanField())


def _trainer_names() -> QuerySet:
    return User.objects.only("id", "full_name", "email").order_by("full_name", "email")


def catalogue_courses(*, query: str = "", category: str = "", language: str = "") -> QuerySet:
    """Published courses matching the search words (any script) and filters."""
    # A correlated count runs only for the rows on the page and keeps the paginator's COUNT plain.
    lesson_count = (
        Lesson.objects.filter(live_lessons_filter(), course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    courses = (
        Course.objects.filter(status=CourseStatus.PUBLISHED)
        .select_related("category")
        .defer("description", "description_html", "search_text")
        .prefetch_related(Prefetch("trainers", queryset=_trainer_names()))
        .annotate(lesson_count=Coalesce(Subquery(lesson_count, output_field=IntegerField()), 0))
        .order_by("title", "pk")
    )
    for word in search_form(query).split():
        courses = courses.filter(search_text__contains=word)
    if category:
        courses = courses.filter(category__slug=category)
    if language:
        courses = courses.filter(language=language)
    return courses


def catalogue_categories() -> QuerySet:
    return Category.objects.filter(courses__status=CourseStatus.PUBLISHED).distinct()


class ContentsLesson(NamedTuple):
    """A lesson as the contents list, the pager and the progress bar see it."""

    pk: int
    title: str
    required: bool
    # The contents hold live lessons only; ``lesson_counts`` reads this as a model's field.
    archived_at: None = None


class ContentsModule(NamedTuple):
    pk: int
    title: str
    lessons: tuple[ContentsLesson, ...]


def course_by_slug(*, slug: str, with_quizzes: bool = True) -> Course | None:
    """The course with its trainers and its contents (``course.contents``: the modules and
    their live lessons in order, as plain data), or None. With quizzes, ``course.modules``
    is loaded too, with each module's lessons and quizzes, for the course page. Both come from
    the shared cache, which any change to a course, module, lesson or quiz makes stale (the
    quizzes app's signals call ``cache.catalogue_changed`` for its quizzes)."""
    if not with_quizzes:
        return course_and_lesson(slug=slug)[0]
    key = course_page_cache_key(slug)
    version, found = catalogue_entries(key)
    course = found.get(key)
    if course is None:
        course = _load_course(slug=slug, with_quizzes=True)
        # A missing course is not stored: made-up addresses create no entries.
        if course is not None:
            catalogue_store(key, version, course)
    return course


def course_and_lesson(
    *, slug: str, lesson_id: int | None = None
) -> tuple[Course | None, Lesson | None]:
    """The course as ``course_by_slug(with_quizzes=False)`` gives it and, with ``lesson_id``,
    that lesson of it as ``lesson_in_course`` gives it; both from the shared cache in one round
    trip, each loaded and stored on a miss."""
    course_key = course_cache_key(slug)
    lesson_key = lesson_cache_key(lesson_id) if lesson_id is not None else None
    version, found = catalogue_entries(course_key, *([lesson_key] if lesson_key else []))
    course = found.get(course_key)
    if course is None:
        course = _load_course(slug=slug, with_quizzes=False)
        if course is None:
            return None, None
        catalogue_store(course_key, version, course)
    if lesson_key is None:
        return course, None
    lesson = found.get(lesson_key)
    if lesson is None:
        lesson = _load_lesson(lesson_id)
        # Stored even when missing (False), so that a wrong id costs no query either.
        catalogue_store(lesson_key, version, lesson or False)
    if not lesson or lesson.course_id != course.pk:
        return course, None
    return course, lesson


def _live_lessons_in_order() -> QuerySet:
    # Archived lessons are left out of every learner page (contents, navigation, progress).
    return Lesson.objects.filter(live_lessons_filter()).order_by("position", "pk")


def _load_course(*, slug: str, with_quizzes: bool) -> Course | None:
    courses = Course.objects.select_related("category").filter(slug=slug)
    trainers = Prefetch("trainers", queryset=_trainer_names())
    if with_quizzes:
        # The course page lists each module's lessons (by title: the body is read on the
        # lesson's own page) and quizzes, and the course's own quizzes. Quizzes come by their
        # relation names, so this app does not import the quizzes app.
        lessons = _live_lessons_in_order().defer("body", "body_html")
        modules = Module.objects.order_by("position", "pk").prefetch_related(
            Prefetch("lessons", queryset=lessons), "quizzes"
        )
        course = courses.prefetch_related(
            trainers, "quizzes", Prefetch("modules", queryset=modules)
        ).first()
        if course is not None:
            course.contents = tuple(
                ContentsModule(
                    module.pk,
                    module.title,
                    tuple(ContentsLesson(x.pk, x.title, x.required) for x in module.lessons.all()),
                )
                for module in course.modules.all()
            )
        return course
    course = courses.prefetch_related(trainers).first()
    if course is None:
        return None
    # Plain data rather than model instances: the lesson pages read the course from the cache
    # on every request, and tuples unpickle several times faster than thirty model instances.
    lessons_by_module: dict[int, list[ContentsLesson]] = {}
    for module_id, pk, title, required in (
        _live_lessons_in_order()
        .filter(module__course=course)
        .values_list("module_id", "pk", "title", "required")
    ):
        lessons_by_module.setdefault(module_id, []).append(ContentsLesson(pk, title, required))
    course.contents = tuple(
        ContentsModule(pk, title, tuple(lessons_by_module.get(pk, ())))
        for pk, title in Module.objects.filter(course=course)
        .order_by("position", "pk")
        .values_list("pk", "title")
    )
    return course


def current_enrollments(*, user_id: int, course_id: int) -> QuerySet[Enrollment]:
    """The user's enrollments in the course, the current one first: the latest certification
    cycle is the one the learner is working on."""
    return Enrollment.objects.filter(user_id=user_id, course_id=course_id).order_by("-cycle")


# Every course, lesson and quiz page reads the learner's enrollment: compiled once.
@prepared("user_id", "course_id")
def _enrollment_query(*, user_id: int, course_id: int) -> QuerySet[Enrollment]:
    return current_enrollments(user_id=user_id, course_id=course_id)[:1]


def enrollment_for(*, user, course: Course) -> Enrollment | None:
    """The learner's enrollment in the course (its latest cycle), or None."""
    if not user.is_authenticated:
        return None
    rows = _enrollment_query.run(user_id=user.pk, course_id=course.pk)
    return rows[0] if rows else None


def completed_lesson_ids(*, enrollment: Enrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(
        LessonProgress.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True)
    )


class _JSONArray(Aggregate):
    """The values as one JSON array."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


@prepared("user_id", "course_id")
def _enrollment_with_done_query(*, user_id: int, course_id: int) -> QuerySet[Enrollment]:
    # The ids of the lessons done as one JSON array beside the row (NULL when none is done).
    done = (
        LessonProgress.objects.filter(enrollment_id=OuterRef("pk"))
        .order_by()
        .values("enrollment_id")
        .annotate(ids=_JSONArray("lesson_id"))
        .values("ids")
    )
    return current_enrollments(user_id=user_id, course_id=course_id).annotate(
        completed_lesson_ids=Subquery(done, output_field=JSONField())
    )[:1]


def enrollment_and_completed_lesson_ids(*, user, course: Course) -> tuple[Enrollment | None, set]:
    """``enrollment_for`` and ``completed_lesson_ids`` of it, in one query, compiled once: every
    signed-in lesson page runs it (tests hold it to the two selectors)."""
    if not user.is_authenticated:
        return None, set()
    rows = _enrollment_with_done_query.run(user_id=user.pk, course_id=course.pk)
    if not rows:
        return None, set()
    return rows[0], set(rows[0].completed_lesson_ids or ())


def course_progress(
    *, course: Course, enrollment: Enrollment | None, done_ids: set[int]
) -> Progress:
    """Progress from a course loaded by ``course_by_slug`` and the learner's finished lessons."""
    required = [
        lesson.pk
        for module in course.contents
        for lesson in module.lessons
        if lesson_counts(lesson)
    ]
    return Progress(
        done=sum(1 for pk in required if pk in done_ids),
        total=len(required),
        completed=enrollment is not None and enrollment.status == EnrollmentStatus.COMPLETED,
    )


def lesson_in_course(*, course: Course, lesson_id: int) -> Lesson | None:
    """The lesson with its module and attachments, only if it belongs to ``course`` and is not
    archived."""
    lesson = _load_lesson(lesson_id)
    return lesson if lesson is not None and lesson.course_id == course.pk else None


def _load_lesson(lesson_id: int) -> Lesson | None:
    return (
        Lesson.objects.filter(live_lessons_filter())
        .select_related("module")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("title")))
        .filter(pk=lesson_id)
        .first()
    )


def ordered_lessons(course: Course) -> list[ContentsLesson]:
    """Every lesson of a course loaded by ``course_by_slug`` (archived ones are not loaded), in
    reading order."""
    return [lesson for module in course.contents for lesson in module.lessons]


def next_lesson_to_read(*, course: Course, done_ids: set[int]) -> ContentsLesson | None:
    """Where a learner picks up a course loaded by ``course_by_slug``: the first required lesson
    not yet done, else the first optional one not done, else None (everything read)."""
    lessons = ordered_lessons(course)
    for lesson in lessons:
        if lesson_counts(lesson) and lesson.pk not in done_ids:
            return lesson
    return next((lesson for lesson in lessons if lesson.pk not in done_ids), None)


def my_enrollments(*, user, today: datetime.date | None = None) -> QuerySet:
    """The learner's current and completed courses, soonest due first, with progress counts
    and whether each is overdue."""
    today = today or timezone.localdate()
    return (
        Enrollment.objects.filter(user=user)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .select_related("course", "course__category")
        .annotate(
            required_total=required_lessons_total("course"),
            required_done=required_lessons_done("pk"),
            is_overdue=overdue_annotation(today=today),
        )
        .alias(
            finished=Case(
                When(status=EnrollmentStatus.COMPLETED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("finished", F("due_date").asc(nulls_last=True), "-enrolled_at")
    )


def enrollment_progress(enrollment: Enrollment) -> Progress:
    """Progress of an enrollment annotated by ``my_enrollments`` or ``enrollment_with_progress``."""
    return Progress(
        done=enrollment.required_done,
        total=enrollment.required_total,
        completed=enrollment.status == EnrollmentStatus.COMPLETED,
    )


def enrollment_with_progress(*, pk: int) -> Enrollment | None:
    return (
        Enrollment.objects.select_related("user", "user__org_unit", "course", "assigned_by")
        .annotate(
            required_total=required_lessons_total("course"),
            required_done=required_lessons_done("pk"),
        )
        .filter(pk=pk)
        .first()
    )


def _iso(value):
    return value.isoformat() if value else None


def enrollments_personal_data(user) -> list[dict]:
    """A person's enrolments with the lessons they completed, for their data download."""
    enrollments = (
        Enrollment.objects.filter(user=user)
        .select_related("course")
        .prefetch_related(
            Prefetch(
                "lesson_progress",
                queryset=LessonProgress.objects.select_related("lesson").order_by(
                    "completed_at", "pk"
                ),
            )
        )
        .order_by("enrolled_at", "pk")
    )
    return [
        {
            "course": {"slug": e.course.slug, "title": e.course.title},
            "source": e.source,
            "status": e.status,
            "due_date": _iso(e.due_date),
            "enrolled_at": _iso(e.enrolled_at),
            "completed_at": _iso(e.completed_at),
            "lessons_completed": [
                {"lesson": p.lesson.title, "completed_at": _iso(p.completed_at)}
                for p in e.lesson_progress.all()
            ],
        }
        for e in enrollments
    ]
