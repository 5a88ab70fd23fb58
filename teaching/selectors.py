"""Reads for the trainer's workspace: each page's data in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.permissions import is_administrator
from courses.models import Attachment, Course, EnrollmentStatus, Lesson, Module
from quizzes.models import Choice, Question, Quiz


@dataclass(frozen=True)
class WorkspaceCourse:
    course: Course
    learners: int
    completed: int
    quizzes: list[Quiz]

    @property
    def completion_rate(self) -> int:
        """Completed enrolments as a whole percentage of the current ones."""
        return round(100 * self.completed / self.learners) if self.learners else 0


def workspace_courses(*, user) -> list[WorkspaceCourse]:
    """The courses ``user`` authors (all of them for an administrator), newest first, with
    their learners (active or completed enrolments), completions and quizzes: two queries."""
    courses: QuerySet[Course] = Course.objects.all()
    if not is_administrator(user):
        courses = courses.filter(trainers=user)
    current = Q(enrollments__status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED])
    courses = (
        courses.annotate(
            learner_count=Count("enrollments", filter=current, distinct=True),
            completed_count=Count(
                "enrollments",
                filter=Q(enrollments__status=EnrollmentStatus.COMPLETED),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "quizzes",
                queryset=Quiz.objects.only("pk", "title", "course_id", "module_id").order_by(
                    "position", "pk"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )
    return [
        WorkspaceCourse(
            course=course,
            learners=course.learner_count,
            completed=course.completed_count,
            quizzes=list(course.quizzes.all()),
        )
        for course in courses
    ]


def authored_course(*, pk: int) -> Course | None:
    """A course with its trainers, for the permission check."""
    return (
        Course.objects.prefetch_related("trainers").select_related("category").filter(pk=pk).first()
    )


def course_outline(*, course: Course) -> list[Module]:
    """The course's modules in order, each with its lessons (progress counted, so the page can
    say which ones cannot be deleted) and its quizzes: three queries."""
    lessons = Lesson.objects.annotate(progress_count=Count("progress")).order_by("position", "pk")
    return list(
        course.modules.order_by("position", "pk").prefetch_related(
            Prefetch("lessons", queryset=lessons),
            Prefetch("quizzes", queryset=Quiz.objects.order_by("position", "pk")),
        )
    )


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


def final_exams(*, course: Course) -> list[Quiz]:
    return list(course.quizzes.filter(module__isnull=True).order_by("position", "pk"))


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
