"""Who may do what to courses, lessons and enrollments. Views, tasks and the admin call these."""

from accounts.permissions import can_view_person, is_administrator, is_hr_officer, is_trainer

from .models import Course, CourseStatus, Enrollment


def is_course_trainer(user, course: Course) -> bool:
    """Whether ``user`` teaches ``course``, using prefetched trainers when loaded."""
    if not user.is_authenticated:
        return False
    cache = getattr(course, "_prefetched_objects_cache", {})
    if "trainers" in cache:
        return any(t.pk == user.pk for t in cache["trainers"])
    return course.trainers.filter(pk=user.pk).exists()


def can_manage_course(user, course: Course) -> bool:
    return is_administrator(user) or is_course_trainer(user, course)


def can_author_course(user, course: Course) -> bool:
    """Change the course's content: administrators, and its trainers while they hold the
    trainer role (the workspace's rule, ``teaching.permissions``, and the authoring services'
    that take an actor)."""
    if not user.is_authenticated:
        return False
    if is_administrator(user):
        return True
    return is_trainer(user) and is_course_trainer(user, course)


def can_view_course(user, course: Course, enrollment: Enrollment | None = None) -> bool:
    """Published courses are open to all; archived ones to their learners; drafts to their
    trainers and administrators only."""
    if course.status == CourseStatus.PUBLISHED:
        return True
    if course.status == CourseStatus.ARCHIVED and enrollment is not None and enrollment.is_open:
        return True
    return can_manage_course(user, course)


def can_enrol_self(user, course: Course) -> bool:
    return user.is_authenticated and course.is_published and course.self_enrollment


def can_read_lessons(user, course: Course, enrollment: Enrollment | None) -> bool:
    if enrollment is not None and enrollment.user_id == user.pk and enrollment.is_open:
        return course.status != CourseStatus.DRAFT
    return can_manage_course(user, course)


def can_mark_lesson_done(user, enrollment: Enrollment | None) -> bool:
    return enrollment is not None and enrollment.user_id == user.pk and enrollment.is_open


def can_view_enrollment(user, enrollment: Enrollment) -> bool:
    """The learner, HR officers whose unit subtree holds the learner, the course's trainers and
    administrators."""
    if not user.is_authenticated:
        return False
    if enrollment.user_id == user.pk or is_administrator(user):
        return True
    if is_hr_officer(user) and can_view_person(user, enrollment.user):
        return True
    return is_course_trainer(user, enrollment.course)
