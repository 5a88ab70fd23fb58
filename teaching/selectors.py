"""Reads for the trainer's workspace: each page's data in a fixed number of queries."""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.permissions import is_administrator
from courses.models import (
    Attachment,
    Course,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
    Module,
)
from lms import boundary
from lms.prepared import prepared
from quizzes.models import Choice, Question, Quiz


class QuizLink(NamedTuple):
    pk: int
    title: str


@dataclass(frozen=True)
class WorkspaceCourse:
    course: Course  # only pk, slug, title, language and status loaded
    learners: int
    completed: int
    quizzes: list[QuizLink]

    @property
    def completion_rate(self) -> int:
        """Completed enrolments as a whole percentage of the current ones."""
        return round(100 * self.completed / self.learners) if self.learners else 0


def _count_of(rows: QuerySet, key: str) -> Coalesce:
    """How many of ``rows`` (filtered on the outer row through ``key``) there are, 0 for
    none: a correlated count the database answers from an index on ``key``."""
    counted = rows.order_by().values(key).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _enrolment_count(*statuses: str) -> Coalesce:
    # One count per course from the (course, status) index alone: a join to the enrolments
    # grouped by course read every enrolment row (3.1 ms against 0.9 ms on PostgreSQL for the
    # bench trainer's 8 courses of about 250 enrolments).
    rows = Enrollment.objects.filter(course_id=OuterRef("pk"), status__in=statuses)
    return _count_of(rows, "course_id")


def _workspace_courses(courses: QuerySet[Course]) -> QuerySet[Course]:
    return (
        courses.only("pk", "slug", "title", "language", "status")
        .annotate(
            learner_count=_enrolment_count(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED),
            completed_count=_enrolment_count(EnrollmentStatus.COMPLETED),
        )
        .order_by("-created_at", "-pk")
    )


def _workspace_quizzes(quizzes: QuerySet[Quiz]) -> QuerySet[Quiz]:
    return quizzes.order_by("position", "pk").values_list("course_id", "pk", "title")


# The workspace's two reads, for a trainer and for an administrator: compiled once per process.
@prepared("user_id")
def _trainer_courses(*, user_id: int) -> QuerySet[Course]:
    return _workspace_courses(Course.objects.filter(trainers=user_id))


@prepared("user_id")
def _trainer_quizzes(*, user_id: int) -> QuerySet[Quiz]:
    return _workspace_quizzes(Quiz.objects.filter(course__trainers=user_id))


@prepared()
def _all_courses() -> QuerySet[Course]:
    return _workspace_courses(Course.objects.all())


@prepared()
def _all_quizzes() -> QuerySet[Quiz]:
    return _workspace_quizzes(Quiz.objects.all())


def workspace_courses(*, user) -> list[WorkspaceCourse]:
    """The courses ``user`` authors (all of them for an administrator), newest first, with
    their learners (active or completed enrolments), completions and quizzes: two queries."""
    if is_administrator(user):
        courses, quiz_rows = _all_courses.run(), _all_quizzes.run()
    else:
        courses = _trainer_courses.run(user_id=user.pk)
        quiz_rows = _trainer_quizzes.run(user_id=user.pk)
    quizzes: dict[int, list[QuizLink]] = {course.pk: [] for course in courses}
    for course_id, pk, title in quiz_rows:
        if course_id in quizzes:  # not a course added between the two reads
            quizzes[course_id].append(QuizLink(pk, title))
    return [
        WorkspaceCourse(
            course=course,
            learners=course.learner_count,
            completed=course.completed_count,
            quizzes=quizzes[course.pk],
        )
        for course in courses
    ]


# Every page about one course checks its author with it: the course and its trainers, each
# statement compiled once per process. The prefetch built and compiled the trainers' statement
# on every request: 1.6 ms of CPU for the two reads, 0.8 ms now.
@prepared("pk")
def _authored_course(*, pk: int) -> QuerySet[Course]:
    return Course.objects.select_related("category").filter(pk=pk)[:1]


@prepared("course_id")
def _course_trainers(*, course_id: int) -> QuerySet[User]:
    return User.objects.filter(courses_taught=course_id)


def authored_course(*, pk: int) -> Course | None:
    """A course with its trainers, for the permission check: the course is what
    ``prefetch_related("trainers")`` gives, its trainers read without a query."""
    # An id past any row's (from the address) is no course; the database would refuse it.
    rows = _authored_course.run(pk=pk) if 0 < pk <= boundary.MAX_ID else []
    if not rows:
        return None
    course = rows[0]
    # What prefetch_related stores: the relation's queryset, its rows already read.
    trainers = course.trainers.get_queryset()
    trainers._result_cache = _course_trainers.run(course_id=pk)
    trainers._prefetch_done = True
    course._prefetched_objects_cache = {"trainers": trainers}
    return course


class OutlineLesson(NamedTuple):
    pk: int
    title: str
    estimated_minutes: int
    required: bool
    is_archived: bool
    progress_count: int  # learners who completed it: such a lesson cannot be deleted


@dataclass(frozen=True)
class OutlineModule:
    pk: int
    title: str
    lessons: list[OutlineLesson]
    quizzes: list[QuizLink]


@dataclass(frozen=True)
class CourseOutline:
    modules: list[OutlineModule]
    final_exams: list[QuizLink]


@prepared("course_id")
def _outline_rows(*, course_id: int) -> QuerySet[Module]:
    # Each module with its lessons joined (none: one row of NULLs), in order, and each lesson's
    # learners who completed it counted from the progress index alone.
    progress = LessonProgress.objects.filter(lesson_id=OuterRef("lessons__pk"))
    return (
        Module.objects.filter(course_id=course_id)
        .order_by("position", "pk", "lessons__position", "lessons__pk")
        # The count's subquery and the values share the one join to the lessons.
        .annotate(progress_count=_count_of(progress, "lesson_id"))
        .values_list(
            "pk",
            "title",
            "lessons__pk",
            "lessons__title",
            "lessons__estimated_minutes",
            "lessons__required",
            "lessons__archived_at",
            "progress_count",
        )
    )


@prepared("course_id")
def _outline_quizzes(*, course_id: int) -> QuerySet[Quiz]:
    # A module's quiz has its module's course (Quiz.save).
    return (
        Quiz.objects.filter(course_id=course_id)
        .order_by("position", "pk")
        .values_list("module_id", "pk", "title")
    )


def course_outline(*, course: Course) -> CourseOutline:
    """The course's modules in order, each with its lessons (progress counted, so the page can
    say which ones cannot be deleted) and its quizzes, and the course's final exams: two
    queries of plain values, compiled once, whatever the size of the course."""
    modules: dict[int, OutlineModule] = {}
    for module_id, module_title, *lesson in _outline_rows.run(course_id=course.pk):
        module = modules.get(module_id)
        if module is None:
            module = modules[module_id] = OutlineModule(module_id, module_title, [], [])
        pk, title, minutes, required, archived_at, done = lesson
        if pk is not None:
            module.lessons.append(
                OutlineLesson(pk, title, minutes, required, archived_at is not None, done)
            )
    final_exams: list[QuizLink] = []
    for module_id, pk, title in _outline_quizzes.run(course_id=course.pk):
        if module_id is None:
            final_exams.append(QuizLink(pk, title))
        elif module_id in modules:
            modules[module_id].quizzes.append(QuizLink(pk, title))
    return CourseOutline(modules=list(modules.values()), final_exams=final_exams)


def module_in_scope(*, pk: int) -> Module | None:
    return (
        Module.objects.select_related("course")
        .prefetch_related("course__trainers")
        .filter(pk=pk)
        .first()
    )


def lesson_in_scope(*, pk: int) -> Lesson | None:
    return (
        Lesson.objects.select_related("module", "course")
        .prefetch_related("course__trainers")
        .filter(pk=pk)
        .first()
    )


def quiz_in_scope(*, pk: int) -> Quiz | None:
    return (
        Quiz.objects.select_related("course", "module")
        .prefetch_related("course__trainers")
        .filter(pk=pk)
        .first()
    )


def quiz_questions(*, quiz: Quiz) -> list[Question]:
    """The quiz's questions in order with their choices and how many answers each has (so the
    editor can say which cannot be deleted): two queries."""
    return list(
        quiz.questions.annotate(answer_count=Count("answers"))
        .order_by("position", "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
    )


def question_in_scope(*, pk: int) -> Question | None:
    return (
        Question.objects.select_related("quiz__course")
        .prefetch_related("quiz__course__trainers")
        .filter(pk=pk)
        .first()
    )


def attachment_in_scope(*, pk: int) -> Attachment | None:
    return (
        Attachment.objects.select_related("lesson__course")
        .prefetch_related("lesson__course__trainers")
        .filter(pk=pk)
        .first()
    )
