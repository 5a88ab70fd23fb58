import contextlib
import datetime
from unittest import mock

import pytest
from django.db import transaction

from accounts.roles import Role
from courses import tasks
from courses.models import (
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
)
from courses.services import (
    EnrollmentError,
    course_reevaluate_completions,
    course_schedule_completion_check,
    enrollment_create,
    enrollment_update_completion,
    enrollment_withdraw,
    lesson_complete,
)
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2030, 3, 31)


@pytest.fixture
def course():
    """Published, open to self-enrolment, with two required lessons in one module."""
    return course_with_lessons(lessons_per_module=2, modules=1)


def _lessons(course) -> list[Lesson]:
    return list(Lesson.objects.filter(course=course).order_by("module__position", "position"))


@pytest.fixture
def hr_officer():
    return UserFactory(roles=[Role.HR_OFFICER])


# enrollment_create


def test_a_learner_enrols_in_a_published_course(learner, course):
    enrollment = enrollment_create(user=learner, course=course)

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert (stored.user, stored.course) == (learner, course)
    assert stored.source == EnrollmentSource.SELF
    assert stored.status == EnrollmentStatus.ACTIVE
    assert stored.due_date is None
    assert stored.completed_at is None


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.ARCHIVED])
def test_enrolment_is_refused_in_a_course_that_is_not_published(learner, status):
    course = CourseFactory(status=status)

    with pytest.raises(EnrollmentError):
        enrollment_create(user=learner, course=course)

    assert not Enrollment.objects.filter(course=course).exists()


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.ARCHIVED])
def test_assignment_is_refused_in_a_course_that_is_not_published(learner, hr_officer, status):
    course = CourseFactory(status=status)

    with pytest.raises(EnrollmentError):
        enrollment_create(
            user=learner,
            course=course,
            source=EnrollmentSource.ASSIGNED,
            assigned_by=hr_officer,
            due_date=DUE,
        )

    assert not Enrollment.objects.filter(course=course).exists()


def test_self_enrolment_is_refused_when_the_course_is_assigned_only(learner):
    course = CourseFactory(self_enrollment=False)

    with pytest.raises(EnrollmentError):
        enrollment_create(user=learner, course=course)

    assert not Enrollment.objects.filter(course=course).exists()


def test_hr_may_assign_a_course_that_is_closed_to_self_enrolment(learner, hr_officer):
    course = CourseFactory(self_enrollment=False)

    enrollment = enrollment_create(
        user=learner,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        assigned_by=hr_officer,
        due_date=DUE,
    )

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.source == EnrollmentSource.ASSIGNED
    assert stored.assigned_by == hr_officer
    assert stored.due_date == DUE
    assert stored.status == EnrollmentStatus.ACTIVE


def test_enrolling_again_returns_the_same_enrollment(learner, course):
    first = enrollment_create(user=learner, course=course)

    second = enrollment_create(user=learner, course=course)

    assert second.pk == first.pk
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_assigning_a_course_the_learner_joined_makes_it_assigned_with_a_due_date(
    learner, hr_officer, course
):
    joined = enrollment_create(user=learner, course=course)

    assigned = enrollment_create(
        user=learner,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        assigned_by=hr_officer,
        due_date=DUE,
    )

    stored = Enrollment.objects.get(pk=joined.pk)
    assert assigned.pk == joined.pk
    assert (stored.source, stored.assigned_by, stored.due_date) == (
        EnrollmentSource.ASSIGNED,
        hr_officer,
        DUE,
    )


def test_enrolling_again_after_withdrawing_reactivates_and_keeps_progress(learner, course):
    first_lesson, _second_lesson = _lessons(course)
    enrollment = enrollment_create(user=learner, course=course)
    lesson_complete(enrollment=enrollment, lesson=first_lesson)
    enrollment_withdraw(enrollment=enrollment)

    again = enrollment_create(user=learner, course=course)

    stored = Enrollment.objects.get(pk=again.pk)
    assert again.pk == enrollment.pk
    assert stored.status == EnrollmentStatus.ACTIVE
    assert list(stored.lesson_progress.values_list("lesson_id", flat=True)) == [first_lesson.pk]


# enrollment_withdraw


def test_a_learner_may_withdraw_from_a_course_they_joined(learner, course):
    enrollment = enrollment_create(user=learner, course=course)

    enrollment_withdraw(enrollment=enrollment)

    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.WITHDRAWN


def test_withdrawing_twice_leaves_the_enrollment_withdrawn(learner, course):
    enrollment = enrollment_create(user=learner, course=course)
    enrollment_withdraw(enrollment=enrollment)

    enrollment_withdraw(enrollment=enrollment)

    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.WITHDRAWN


def test_an_assigned_course_cannot_be_left(learner, hr_officer, course):
    enrollment = enrollment_create(
        user=learner,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        assigned_by=hr_officer,
        due_date=DUE,
    )

    with pytest.raises(EnrollmentError):
        enrollment_withdraw(enrollment=enrollment)

    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.ACTIVE


def test_a_completed_course_cannot_be_left(learner, course):
    enrollment = enrollment_create(user=learner, course=course)
    for lesson in _lessons(course):
        lesson_complete(enrollment=enrollment, lesson=lesson)
    assert enrollment.status == EnrollmentStatus.COMPLETED

    with pytest.raises(EnrollmentError):
        enrollment_withdraw(enrollment=enrollment)

    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED


# lesson_complete


def test_completing_a_lesson_twice_records_it_once(learner, course):
    lesson = _lessons(course)[0]
    enrollment = enrollment_create(user=learner, course=course)

    first = lesson_complete(enrollment=enrollment, lesson=lesson)
    second = lesson_complete(enrollment=enrollment, lesson=lesson)

    assert first.pk == second.pk
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).count() == 1


def test_a_lesson_of_another_course_is_refused(learner, course):
    enrollment = enrollment_create(user=learner, course=course)
    foreign_lesson = _lessons(course_with_lessons(lessons_per_module=1, modules=1))[0]

    with pytest.raises(EnrollmentError):
        lesson_complete(enrollment=enrollment, lesson=foreign_lesson)

    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()


def test_progress_is_refused_after_withdrawing(learner, course):
    enrollment = enrollment_create(user=learner, course=course)
    enrollment_withdraw(enrollment=enrollment)

    with pytest.raises(EnrollmentError):
        lesson_complete(enrollment=enrollment, lesson=_lessons(course)[0])

    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()


# Completion


def test_the_course_completes_when_every_required_lesson_is_done(learner, course):
    first_lesson, second_lesson = _lessons(course)
    enrollment = enrollment_create(user=learner, course=course)

    lesson_complete(enrollment=enrollment, lesson=first_lesson)

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.ACTIVE
    assert stored.completed_at is None

    lesson_complete(enrollment=enrollment, lesson=second_lesson)

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.COMPLETED
    assert stored.completed_at is not None
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.completed_at == stored.completed_at


def test_optional_lessons_do_not_count_towards_completion(learner):
    course = CourseFactory()
    module = ModuleFactory(course=course, position=1)
    required = LessonFactory(module=module, position=1, required=True)
    optional = LessonFactory(module=module, position=2, required=False)
    enrollment = enrollment_create(user=learner, course=course)

    lesson_complete(enrollment=enrollment, lesson=optional)
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.ACTIVE

    lesson_complete(enrollment=enrollment, lesson=required)
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED


def test_completing_the_required_lessons_is_enough_without_the_optional_ones(learner):
    course = CourseFactory()
    module = ModuleFactory(course=course, position=1)
    required = LessonFactory(module=module, position=1, required=True)
    LessonFactory(module=module, position=2, required=False)
    enrollment = enrollment_create(user=learner, course=course)

    lesson_complete(enrollment=enrollment, lesson=required)

    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED


def test_the_completion_time_is_recorded_once(learner, hr_officer):
    course = CourseFactory()
    module = ModuleFactory(course=course, position=1)
    required = LessonFactory(module=module, position=1, required=True)
    optional = LessonFactory(module=module, position=2, required=False)
    enrollment = enrollment_create(user=learner, course=course)
    lesson_complete(enrollment=enrollment, lesson=required)
    completed_at = Enrollment.objects.get(pk=enrollment.pk).completed_at
    assert completed_at is not None

    lesson_complete(enrollment=enrollment, lesson=required)
    lesson_complete(enrollment=enrollment, lesson=optional)
    enrollment_create(user=learner, course=course)
    enrollment_create(
        user=learner,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        assigned_by=hr_officer,
        due_date=DUE,
    )
    assert enrollment_update_completion(enrollment=enrollment) is None
    assert course_reevaluate_completions(course_id=course.pk) == 0

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.status == EnrollmentStatus.COMPLETED
    assert stored.completed_at == completed_at


def test_reevaluation_completes_enrollments_after_a_required_lesson_becomes_optional(course):
    first_lesson, second_lesson = _lessons(course)
    halfway = enrollment_create(user=UserFactory(), course=course)
    lesson_complete(enrollment=halfway, lesson=first_lesson)
    not_started = enrollment_create(user=UserFactory(), course=course)
    withdrawn = enrollment_create(user=UserFactory(), course=course)
    lesson_complete(enrollment=withdrawn, lesson=first_lesson)
    enrollment_withdraw(enrollment=withdrawn)
    second_lesson.required = False
    second_lesson.save(update_fields=["required"])

    assert course_reevaluate_completions(course_id=course.pk) == 1

    statuses = dict(Enrollment.objects.filter(course=course).values_list("pk", "status"))
    assert statuses == {
        halfway.pk: EnrollmentStatus.COMPLETED,
        not_started.pk: EnrollmentStatus.ACTIVE,
        withdrawn.pk: EnrollmentStatus.WITHDRAWN,
    }
    assert course_reevaluate_completions(course_id=course.pk) == 0


def test_reevaluation_leaves_other_courses_alone(course):
    other = course_with_lessons(lessons_per_module=1, modules=1)
    other_enrollment = EnrollmentFactory(course=other)
    Lesson.objects.filter(course=other).update(required=False)

    course_reevaluate_completions(course_id=course.pk)

    assert Enrollment.objects.get(pk=other_enrollment.pk).status == EnrollmentStatus.ACTIVE


# The task and its scheduling


def test_the_reevaluation_task_completes_enrollments_through_the_service(course):
    first_lesson, second_lesson = _lessons(course)
    enrollment = enrollment_create(user=UserFactory(), course=course)
    lesson_complete(enrollment=enrollment, lesson=first_lesson)
    Lesson.objects.filter(pk=second_lesson.pk).update(required=False)

    assert tasks.reevaluate_completions(course.pk) == 1

    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.COMPLETED


def test_the_reevaluation_task_delegates_to_the_service():
    with mock.patch.object(
        tasks.services, "course_reevaluate_completions", return_value=3
    ) as service:
        result = tasks.reevaluate_completions.run(42)

    assert result == 3
    service.assert_called_once_with(course_id=42)


def test_the_reevaluation_task_has_a_stable_name():
    assert tasks.reevaluate_completions.name == "courses.reevaluate_completions"


def test_scheduling_a_completion_check_enqueues_only_after_commit(
    course, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.reevaluate_completions, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            course_schedule_completion_check(course_id=course.pk)
            delay.assert_not_called()

        assert len(callbacks) == 1
        delay.assert_called_once_with(course.pk)


def test_a_completion_check_scheduled_in_a_rolled_back_transaction_is_never_enqueued(
    course, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.reevaluate_completions, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        course_schedule_completion_check(course_id=course.pk)
        raise RuntimeError("the request failed after scheduling")

    assert callbacks == []
    delay.assert_not_called()
