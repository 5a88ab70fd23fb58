"""The course completion rule, in one place.

A course is complete when every rule returns True for the enrollment. This app contributes the
lesson rule; other apps (quizzes) add theirs with ``register_completion_rule`` in their
``AppConfig.ready``.

Apps that act on a completion (certificates) register a listener with
``register_completion_listener``. ``courses.services.enrollment_update_completion``, the only
writer of an enrollment's completed status, calls every listener inside its transaction, so
what a listener writes lands together with the completion or not at all.

A listener registered with ``carries_status=True`` is called first, with the completion's
status write not yet sent (a ``StatusWrite``): it may send it inside a statement of its own
(the certificate's insert does, on PostgreSQL), one round trip fewer in every submit that
completes a course. Whatever no listener took is sent before the other listeners run, so they
find the new status in the database.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q

from lms.prepared import prepared

if TYPE_CHECKING:
    from .models import Enrollment

CompletionRule = Callable[["Enrollment"], bool]


class CompletionChange(enum.StrEnum):
    COMPLETED = "completed"
    REOPENED = "reopened"


CompletionListener = Callable[..., None]


@dataclass
class StatusWrite:
    """An enrollment's new completion status as one UPDATE statement and its parameters, not
    sent yet. ``take()`` hands it to the one caller that sends it (as a data-modifying WITH of
    its own statement) and returns None afterwards; ``send()`` sends it unless it was taken."""

    statement: str
    params: list
    taken: bool = False

    def take(self) -> tuple[str, list] | None:
        if self.taken:
            return None
        self.taken = True
        return self.statement, self.params

    def send(self) -> None:
        if (write := self.take()) is not None:
            with transaction.get_connection().cursor() as cursor:
                cursor.execute(*write)


_extra_rules: list[CompletionRule] = []
_listeners: list[CompletionListener] = []
_carrying_listeners: list[CompletionListener] = []


def register_completion_rule(rule: CompletionRule) -> None:
    if rule not in _extra_rules:
        _extra_rules.append(rule)


def register_completion_listener(
    listener: CompletionListener, *, carries_status: bool = False
) -> None:
    """Call ``listener(enrollment, change)`` whenever an enrollment completes or reopens. With
    ``carries_status``, ``listener(enrollment, change, status_write)`` is called before the
    others, with the ``StatusWrite`` still to send (None when it was sent already); the
    enrollment instance has its new status either way."""
    registry = _carrying_listeners if carries_status else _listeners
    if listener not in registry:
        registry.append(listener)


def notify_listeners(
    enrollment: "Enrollment", change: CompletionChange, status_write: StatusWrite | None = None
) -> None:
    """Call the listeners of ``change``. ``status_write``: the status's UPDATE, offered to the
    listeners that carry it and sent after them if none took it, before the other listeners."""
    for listener in list(_carrying_listeners):
        listener(enrollment, change, status_write)
    if status_write is not None:
        status_write.send()
    for listener in list(_listeners):
        listener(enrollment, change)


def live_lessons_filter(prefix: str = "") -> Q:
    """Lessons learners see: every lesson that is not archived (``authoring.lesson_archive``).
    ``prefix`` reaches the lesson through a relation (``"lesson__"`` from a LessonProgress)."""
    return Q(**{f"{prefix}archived_at__isnull": True})


def counted_lessons_filter(prefix: str = "") -> Q:
    """Lessons that count towards progress and completion: the required ones learners see.
    Every count of lessons done or to do goes through this (or ``lesson_counts`` for rows
    already loaded): the progress bars, My learning, the HR report and the completion check."""
    return live_lessons_filter(prefix) & Q(**{f"{prefix}required": True})


def lesson_is_live(lesson) -> bool:
    """``live_lessons_filter`` for a lesson already loaded."""
    return lesson.archived_at is None


def lesson_counts(lesson) -> bool:
    """``counted_lessons_filter`` for a lesson already loaded (tests hold the two together)."""
    return lesson_is_live(lesson) and lesson.required


@prepared("course_id", "enrollment_id")
def _lesson_counts(*, course_id: int, enrollment_id: int):
    from .models import Lesson, LessonProgress

    # Both counts in one statement, grouped by the one course: no row when it counts no lesson.
    done_ids = LessonProgress.objects.filter(enrollment_id=enrollment_id).values("lesson_id")
    return (
        Lesson.objects.filter(counted_lessons_filter(), course_id=course_id)
        .values("course_id")
        .annotate(required=Count("pk"), done=Count("pk", filter=Q(pk__in=done_ids)))
        .values_list("required", "done")
        .order_by()
    )


def required_lessons_done(enrollment) -> bool:
    # The completion check runs inside every passing submit: its statement is compiled once.
    counts = _lesson_counts.run(course_id=enrollment.course_id, enrollment_id=enrollment.pk)
    return not counts or counts[0][1] >= counts[0][0]


def completion_rules() -> list[CompletionRule]:
    return [required_lessons_done, *_extra_rules]


def is_complete(enrollment) -> bool:
    return all(rule(enrollment) for rule in completion_rules())
