"""Writes and rules for courses, enrollments and progress. Views, tasks and the admin call these."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record

from . import completion, events, selectors
from .models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
)

logger = logging.getLogger(__name__)


class EnrollmentError(Exception):
    """A rule refused the change; the message is for the person who asked."""


def enrollment_create(
    *,
    user: User,
    course: Course,
    source: EnrollmentSource = EnrollmentSource.SELF,
    assigned_by: User | None = None,
    due_date: datetime.date | None = None,
) -> Enrollment:
    """Enrol ``user`` in a published course. Self-enrolment needs the course to allow it.

    One enrollment per person, course and certification cycle: enrolling again returns the
    current (latest) cycle's enrollment, and a withdrawn enrollment becomes active again with
    its progress intact. An assignment makes the enrollment mandatory and sets its due date,
    and is recorded in the audit log with the person who assigned it as the actor.
    """
    if course.status != CourseStatus.PUBLISHED:
        raise EnrollmentError(_("This course is not open for enrolment."))
    if source == EnrollmentSource.SELF and not course.self_enrollment:
        raise EnrollmentError(_("This course is assigned by HR; it cannot be joined directly."))
    with transaction.atomic():
        enrollment = _current_enrollment_locked(user=user, course=course)
        if enrollment is None:
            try:
                with transaction.atomic():
                    enrollment = Enrollment.objects.create(
                        user=user,
                        course=course,
                        source=source,
                        assigned_by=assigned_by,
                        due_date=due_date,
                    )
            except IntegrityError:
                # A second request enrolled the same person a moment ago.
                enrollment = _current_enrollment_locked(user=user, course=course)
            else:
                if source == EnrollmentSource.ASSIGNED:
                    _audit_assignment(enrollment, assigned_by=assigned_by, due_date=due_date)
                    events.enrollment_assigned(enrollment)
                return enrollment
        if source == EnrollmentSource.ASSIGNED:
            _audit_assignment(enrollment, assigned_by=assigned_by, due_date=due_date)
        fields = []
        if enrollment.status == EnrollmentStatus.WITHDRAWN:
            enrollment.status = EnrollmentStatus.ACTIVE
            enrollment.source = source
            fields += ["status", "source"]
        if source == EnrollmentSource.ASSIGNED:
            enrollment.source = source
            enrollment.assigned_by = assigned_by
            enrollment.due_date = due_date
            fields += ["source", "assigned_by", "due_date"]
        if fields:
            enrollment.save(update_fields=sorted(set(fields)))
        if source == EnrollmentSource.ASSIGNED and enrollment.status == EnrollmentStatus.ACTIVE:
            events.enrollment_assigned(enrollment)
    if enrollment.status == EnrollmentStatus.ACTIVE:
        enrollment_update_completion(enrollment=enrollment)
    return enrollment


def _current_enrollment_locked(*, user: User, course: Course) -> Enrollment | None:
    return (
        selectors.current_enrollments(user_id=user.pk, course_id=course.pk)
        .select_for_update()
        .first()
    )


def enrollment_start_next_cycle(
    *, enrollment: Enrollment, due_date: datetime.date | None
) -> Enrollment | None:
    """Re-enrol the learner of a completed enrollment in the course's next certification cycle,
    due by ``due_date`` (before the current certificate expires). The new cycle starts with no
    progress; the completed cycle and its certificate stay as history. Only the latest cycle
    moves on, and only once: returns None when a later cycle exists already."""
    with transaction.atomic():
        latest = _current_enrollment_locked(user=enrollment.user, course=enrollment.course)
        if latest is None or latest.pk != enrollment.pk:
            return None
        if latest.status != EnrollmentStatus.COMPLETED:
            return None
        try:
            with transaction.atomic():
                return Enrollment.objects.create(
                    user_id=latest.user_id,
                    course_id=latest.course_id,
                    cycle=latest.cycle + 1,
                    source=latest.source,
                    assigned_by_id=latest.assigned_by_id,
                    due_date=due_date,
                )
        except IntegrityError:
            return None


def _audit_assignment(enrollment: Enrollment, *, assigned_by, due_date) -> None:
    audit_record(
        actor=assigned_by,
        action="enrollment.assign",
        target=enrollment,
        data={
            "user": enrollment.user_id,
            "course": enrollment.course_id,
            "due_date": due_date.isoformat() if due_date else None,
        },
    )


def enrollment_withdraw(*, enrollment: Enrollment) -> Enrollment:
    """A learner may leave a course they joined themselves and have not completed.
    Assigned training stays until HR removes it. Progress is kept for a later return."""
    if enrollment.source == EnrollmentSource.ASSIGNED:
        raise EnrollmentError(_("This course was assigned to you and cannot be left."))
    if enrollment.status == EnrollmentStatus.COMPLETED:
        raise EnrollmentError(_("You have completed this course; it stays in your record."))
    with transaction.atomic():
        # The same row lock the quiz services take, so no attempt write races the withdrawal.
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if locked.status == EnrollmentStatus.COMPLETED:
            raise EnrollmentError(_("You have completed this course; it stays in your record."))
        if locked.status != EnrollmentStatus.WITHDRAWN:
            locked.status = EnrollmentStatus.WITHDRAWN
            locked.save(update_fields=["status"])
    enrollment.status = locked.status
    return enrollment


def lesson_complete(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """Record that the learner finished ``lesson``; doing it twice changes nothing.
    Then check whether the course is now complete."""
    if lesson.course_id != enrollment.course_id:
        raise EnrollmentError(_("This lesson is not part of the course."))
    try:
        with transaction.atomic():
            # Read the status under the row lock: the enrollment passed in may be stale.
            locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
            enrollment.status = locked.status
            if not locked.is_open:
                raise EnrollmentError(_("Enrol in the course to record progress."))
            progress, _created = LessonProgress.objects.get_or_create(
                enrollment=enrollment, lesson=lesson
            )
            enrollment_touch(enrollment_id=enrollment.pk)
    except IntegrityError:
        # Two clicks raced; the other one recorded it.
        progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    enrollment_update_completion(enrollment=enrollment)
    return progress


def enrollment_touch(*, enrollment_id: int, now: datetime.datetime | None = None) -> None:
    """Record learner activity (a lesson done, a quiz answered) for the inactivity reminder.
    One UPDATE, and only when the stored time is older, so concurrent writers never move it
    back."""
    statement, params = enrollment_touch_statement(enrollment_id=enrollment_id, now=now)
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(statement, params)


_ENROLLMENT_TABLE = Enrollment._meta.db_table
_ACTIVITY_COLUMN = Enrollment._meta.get_field("last_activity_at").column


def enrollment_touch_statement(
    *, enrollment_id: int, now: datetime.datetime | None = None
) -> tuple[str, list]:
    """``enrollment_touch`` as one UPDATE statement and its parameters, for a caller that runs
    it inside a statement of its own (a quiz submit writes its answers, the attempt and the
    activity in one round trip, as a data-modifying WITH on PostgreSQL)."""
    now = now or timezone.now()
    value = transaction.get_connection().ops.adapt_datetimefield_value(now)
    # Built from the model's own table and column names; every value is a parameter.
    statement = (
        f"UPDATE {_ENROLLMENT_TABLE} SET {_ACTIVITY_COLUMN} = %s "  # noqa: S608
        f"WHERE id = %s AND {_ACTIVITY_COLUMN} < %s"
    )
    return statement, [value, enrollment_id, value]


def enrollment_update_completion(
    *, enrollment: Enrollment, allow_reopen: bool = False, already_locked: bool = False
) -> completion.CompletionChange | None:
    """The only writer of an enrollment's completed status.

    An active enrollment that meets every completion rule becomes completed, once: a completed
    enrollment keeps its first completion time. With ``allow_reopen`` (after a quiz regrade) a
    completed enrollment that no longer meets the rules becomes active again. The completion
    listeners run inside the same transaction. Returns what changed, or None.

    ``already_locked``: the caller's transaction holds the enrollment's row lock and
    ``enrollment`` is the row as read under it (a quiz submit), so it is neither locked nor
    read again, and no savepoint is taken.
    """
    if already_locked:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("already_locked needs the caller's transaction and row lock")
        change = _update_completion(enrollment, allow_reopen)
    else:
        with transaction.atomic():
            # The course comes with the lock (the certificate listener reads its validity);
            # only the enrollment's row is locked.
            locked = (
                Enrollment.objects.select_for_update(of=("self",))
                .select_related("course")
                .get(pk=enrollment.pk)
            )
            change = _update_completion(locked, allow_reopen)
        enrollment.status, enrollment.completed_at = locked.status, locked.completed_at
    return change


def _update_completion(
    locked: Enrollment, allow_reopen: bool
) -> completion.CompletionChange | None:
    if locked.status == EnrollmentStatus.ACTIVE:
        if not completion.is_complete(locked):
            return None
        change = completion.CompletionChange.COMPLETED
        locked.status, locked.completed_at = EnrollmentStatus.COMPLETED, timezone.now()
    elif locked.status == EnrollmentStatus.COMPLETED and allow_reopen:
        if completion.is_complete(locked):
            return None
        change = completion.CompletionChange.REOPENED
        locked.status, locked.completed_at = EnrollmentStatus.ACTIVE, None
    else:
        return None
    # Sent by the listener that carries it (the certificate's insert), or else before the rest.
    completion.notify_listeners(locked, change, _status_write(locked))
    return change


_STATUS_COLUMN = Enrollment._meta.get_field("status").column
_COMPLETED_AT_COLUMN = Enrollment._meta.get_field("completed_at").column


def _status_write(enrollment: Enrollment) -> completion.StatusWrite:
    """The enrollment's status and completion time as the UPDATE ``save(update_fields=...)``
    would send (no signal listens to an enrollment's save)."""
    ops = transaction.get_connection().ops
    # Built from the model's own table and column names; every value is a parameter.
    statement = (
        f"UPDATE {_ENROLLMENT_TABLE} SET {_STATUS_COLUMN} = %s, "  # noqa: S608
        f"{_COMPLETED_AT_COLUMN} = %s WHERE id = %s"
    )
    completed_at = ops.adapt_datetimefield_value(enrollment.completed_at)
    return completion.StatusWrite(statement, [str(enrollment.status), completed_at, enrollment.pk])


def course_reevaluate_completions(*, course_id: int) -> int:
    """After a course's required lessons change, complete every active enrollment that now
    meets the rule. Safe to run any number of times. Each enrollment stands on its own: one that
    cannot be evaluated is logged and skipped. Returns how many were completed."""
    completed = 0
    active = Enrollment.objects.filter(course_id=course_id, status=EnrollmentStatus.ACTIVE)
    for enrollment in active.order_by("pk").iterator():
        try:
            completed += enrollment_update_completion(enrollment=enrollment) is not None
        except Exception:
            logger.exception("Could not re-evaluate enrollment %s; skipped", enrollment.pk)
    return completed


_STATUS_ACTIONS = {
    CourseStatus.PUBLISHED: "course.publish",
    CourseStatus.ARCHIVED: "course.archive",
    CourseStatus.DRAFT: "course.return_to_draft",
}


def course_set_status(*, course: Course, status: CourseStatus, actor: User | None = None) -> Course:
    """Publish, archive or return a course to draft; the first publication time is kept. A
    change of status is recorded in the audit log."""
    status = CourseStatus(status)
    with transaction.atomic():
        before = (
            Course.objects.select_for_update().values_list("status", flat=True).get(pk=course.pk)
        )
        course.status = status
        fields = ["status"]
        if status == CourseStatus.PUBLISHED and course.published_at is None:
            course.published_at = timezone.now()
            fields.append("published_at")
        course.save(update_fields=fields)
        if before != status:
            audit_record(
                actor=actor,
                action=_STATUS_ACTIONS[status],
                target=course,
                data={"from": before, "to": status.value},
            )
    return course


def course_set_trainers(*, course: Course, trainers, actor: User | None = None) -> Course:
    """Set who teaches ``course``. Trainers see every learner's progress and attempts in it, so
    a change is recorded in the audit log."""
    wanted = {t.pk for t in trainers}
    with transaction.atomic():
        before = set(course.trainers.values_list("pk", flat=True))
        if before != wanted:
            course.trainers.set(sorted(wanted))
            audit_record(
                actor=actor,
                action="course.trainers_set",
                target=course,
                data={"before": sorted(before), "after": sorted(wanted)},
            )
    return course


def course_schedule_completion_check(*, course_id: int) -> None:
    """Re-check completions after the transaction commits, outside the request."""
    from .tasks import reevaluate_completions

    reevaluate_completions.delay_on_commit(course_id)
