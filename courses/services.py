"""Writes and rules for courses, enrollments and progress. Views, tasks and the admin call these."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from . import completion, events
from .models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
)


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

    One enrollment per person and course: enrolling again returns the existing one, and a
    withdrawn enrollment becomes active again with its progress intact. An assignment makes
    the enrollment mandatory and sets its due date.
    """
    if course.status != CourseStatus.PUBLISHED:
        raise EnrollmentError(_("This course is not open for enrolment."))
    if source == EnrollmentSource.SELF and not course.self_enrollment:
        raise EnrollmentError(_("This course is assigned by HR; it cannot be joined directly."))
    with transaction.atomic():
        enrollment, created = Enrollment.objects.select_for_update().get_or_create(
            user=user,
            course=course,
            defaults={"source": source, "assigned_by": assigned_by, "due_date": due_date},
        )
        if created:
            if source == EnrollmentSource.ASSIGNED:
                events.enrollment_assigned(enrollment)
            return enrollment
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
        enrollment_evaluate_completion(enrollment=enrollment)
    return enrollment


def enrollment_withdraw(*, enrollment: Enrollment) -> Enrollment:
    """A learner may leave a course they joined themselves and have not completed.
    Assigned training stays until HR removes it. Progress is kept for a later return."""
    if enrollment.source == EnrollmentSource.ASSIGNED:
        raise EnrollmentError(_("This course was assigned to you and cannot be left."))
    if enrollment.status == EnrollmentStatus.COMPLETED:
        raise EnrollmentError(_("You have completed this course; it stays in your record."))
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        return enrollment
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save(update_fields=["status"])
    return enrollment


def lesson_complete(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """Record that the learner finished ``lesson``; doing it twice changes nothing.
    Then check whether the course is now complete."""
    if lesson.course_id != enrollment.course_id:
        raise EnrollmentError(_("This lesson is not part of the course."))
    if not enrollment.is_open:
        raise EnrollmentError(_("Enrol in the course to record progress."))
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(
                enrollment=enrollment, lesson=lesson
            )
            enrollment_touch(enrollment_id=enrollment.pk)
    except IntegrityError:
        # Two clicks raced; the other one recorded it.
        progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    enrollment_evaluate_completion(enrollment=enrollment)
    return progress


def enrollment_touch(*, enrollment_id: int, now: datetime.datetime | None = None) -> None:
    """Record learner activity (a lesson done, a quiz answered) for the inactivity reminder.
    One UPDATE, and only when the stored time is older, so concurrent writers never move it
    back."""
    now = now or timezone.now()
    Enrollment.objects.filter(pk=enrollment_id, last_activity_at__lt=now).update(
        last_activity_at=now
    )


def enrollment_evaluate_completion(*, enrollment: Enrollment) -> bool:
    """Mark the enrollment completed when every completion rule holds. Completion is recorded
    once: a completed enrollment keeps its first completion time. Returns True when this call
    completed it."""
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if locked.status != EnrollmentStatus.ACTIVE or not completion.is_complete(locked):
            return False
        locked.status = EnrollmentStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
    enrollment.status, enrollment.completed_at = locked.status, locked.completed_at
    return True


def course_reevaluate_completions(*, course_id: int) -> int:
    """After a course's required lessons change, complete every active enrollment that now
    meets the rule. Safe to run any number of times. Returns how many were completed."""
    completed = 0
    active = Enrollment.objects.filter(course_id=course_id, status=EnrollmentStatus.ACTIVE)
    for enrollment in active.iterator():
        completed += enrollment_evaluate_completion(enrollment=enrollment)
    return completed


def course_set_status(*, course: Course, status: CourseStatus) -> Course:
    """Publish, archive or return a course to draft; the first publication time is kept."""
    course.status = status
    fields = ["status"]
    if status == CourseStatus.PUBLISHED and course.published_at is None:
        course.published_at = timezone.now()
        fields.append("published_at")
    course.save(update_fields=fields)
    return course


def course_schedule_completion_check(*, course_id: int) -> None:
    """Re-check completions after the transaction commits, outside the request."""
    from .tasks import reevaluate_completions

    reevaluate_completions.delay_on_commit(course_id)


def enrollment_recheck_completion(*, enrollment: Enrollment) -> bool:
    """Bring a completion in line with the rules after grades changed (a quiz regrade): complete
    an enrollment that now meets them, and reopen a completed one that no longer does. Returns
    True when the status changed."""
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        meets_rules = completion.is_complete(locked)
        if locked.status == EnrollmentStatus.ACTIVE and meets_rules:
            locked.status, locked.completed_at = EnrollmentStatus.COMPLETED, timezone.now()
        elif locked.status == EnrollmentStatus.COMPLETED and not meets_rules:
            locked.status, locked.completed_at = EnrollmentStatus.ACTIVE, None
        else:
            return False
        locked.save(update_fields=["status", "completed_at"])
    enrollment.status, enrollment.completed_at = locked.status, locked.completed_at
    return True
