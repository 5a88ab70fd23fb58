from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.permissions import user_roles
from accounts.roles import Role
from courses.models import CourseStatus, EnrollmentStatus
from courses.permissions import can_view_course, can_view_enrollment
from courses.selectors import course_by_slug
from tests.factories import CourseFactory, EnrollmentFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return SimpleNamespace(
        learner=UserFactory(full_name="Ђорђе Љубић"),
        trainer=UserFactory(roles=[Role.TRAINER]),
        other_trainer=UserFactory(roles=[Role.TRAINER]),
        admin=UserFactory(roles=[Role.ADMINISTRATOR]),
        hr=UserFactory(roles=[Role.HR_OFFICER], org_unit=OrgUnitFactory()),
        anonymous=AnonymousUser(),
    )


def _course(people, status):
    course = CourseFactory(status=status, trainers=[people.trainer])
    CourseFactory(trainers=[people.other_trainer])
    return course


# can_view_course


def test_a_published_course_is_open_to_everyone(people):
    course = _course(people, CourseStatus.PUBLISHED)

    for user in vars(people).values():
        assert can_view_course(user, course), user


def test_a_draft_is_open_to_its_trainers_and_administrators_only(people):
    course = _course(people, CourseStatus.DRAFT)

    assert can_view_course(people.trainer, course)
    assert can_view_course(people.admin, course)
    assert not can_view_course(people.other_trainer, course)
    assert not can_view_course(people.hr, course)
    assert not can_view_course(people.learner, course)
    assert not can_view_course(people.anonymous, course)


def test_a_draft_stays_closed_to_a_learner_with_an_enrollment(people):
    course = _course(people, CourseStatus.DRAFT)
    enrollment = EnrollmentFactory(user=people.learner, course=course)

    assert not can_view_course(people.learner, course, enrollment)


@pytest.mark.parametrize("status", [EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED])
def test_an_archived_course_stays_open_to_its_learners(people, status):
    course = _course(people, CourseStatus.ARCHIVED)
    enrollment = EnrollmentFactory(
        user=people.learner,
        course=course,
        status=status,
        completed_at=timezone.now() if status == EnrollmentStatus.COMPLETED else None,
    )

    assert can_view_course(people.learner, course, enrollment)


def test_an_archived_course_is_closed_to_a_learner_who_withdrew(people):
    course = _course(people, CourseStatus.ARCHIVED)
    enrollment = EnrollmentFactory(
        user=people.learner, course=course, status=EnrollmentStatus.WITHDRAWN
    )

    assert not can_view_course(people.learner, course, enrollment)


def test_an_archived_course_is_closed_to_others_but_open_to_its_managers(people):
    course = _course(people, CourseStatus.ARCHIVED)

    assert not can_view_course(people.learner, course)
    assert not can_view_course(people.anonymous, course)
    assert not can_view_course(people.other_trainer, course)
    assert can_view_course(people.trainer, course)
    assert can_view_course(people.admin, course)


def test_a_draft_loaded_with_its_trainers_is_checked_without_queries(
    people, django_assert_num_queries
):
    course = course_by_slug(slug=_course(people, CourseStatus.DRAFT).slug)
    user_roles(people.trainer)  # a request reads the roles once, before any check

    with django_assert_num_queries(0):
        assert can_view_course(people.trainer, course)


# can_view_enrollment


@pytest.fixture
def enrollment_in_sector_a():
    """A learner in a department of sector A, enrolled in a course taught by a trainer."""
    ministry = OrgUnitFactory()
    sector_a = OrgUnitFactory(parent=ministry)
    sector_b = OrgUnitFactory(parent=ministry)
    trainer = UserFactory(roles=[Role.TRAINER])
    course = CourseFactory(trainers=[trainer])
    learner = UserFactory(org_unit=OrgUnitFactory(parent=sector_a), full_name="오현목")
    return SimpleNamespace(
        enrollment=EnrollmentFactory(user=learner, course=course),
        trainer=trainer,
        hr_of_sector_a=UserFactory(roles=[Role.HR_OFFICER], org_unit=sector_a),
        hr_of_ministry=UserFactory(roles=[Role.HR_OFFICER], org_unit=ministry),
        hr_of_sector_b=UserFactory(roles=[Role.HR_OFFICER], org_unit=sector_b),
        colleague_in_sector_a=UserFactory(org_unit=sector_a),
    )


def test_a_learner_may_view_their_own_enrollment(enrollment_in_sector_a):
    enrollment = enrollment_in_sector_a.enrollment

    assert can_view_enrollment(enrollment.user, enrollment)


def test_hr_may_view_an_enrollment_in_their_unit_subtree(enrollment_in_sector_a):
    setup = enrollment_in_sector_a

    assert can_view_enrollment(setup.hr_of_sector_a, setup.enrollment)
    assert can_view_enrollment(setup.hr_of_ministry, setup.enrollment)


def test_hr_of_a_sibling_unit_may_not_view_an_enrollment(enrollment_in_sector_a):
    setup = enrollment_in_sector_a

    assert not can_view_enrollment(setup.hr_of_sector_b, setup.enrollment)


def test_a_trainer_may_view_an_enrollment_in_their_course_only(enrollment_in_sector_a):
    setup = enrollment_in_sector_a
    other_trainer = UserFactory(roles=[Role.TRAINER])
    CourseFactory(trainers=[other_trainer])

    assert can_view_enrollment(setup.trainer, setup.enrollment)
    assert not can_view_enrollment(other_trainer, setup.enrollment)


def test_another_learner_may_not_view_an_enrollment(enrollment_in_sector_a):
    setup = enrollment_in_sector_a
    enrolled_in_the_same_course = EnrollmentFactory(course=setup.enrollment.course).user

    assert not can_view_enrollment(setup.colleague_in_sector_a, setup.enrollment)
    assert not can_view_enrollment(enrolled_in_the_same_course, setup.enrollment)


def test_an_administrator_may_view_any_enrollment(enrollment_in_sector_a):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])

    assert can_view_enrollment(admin, enrollment_in_sector_a.enrollment)


def test_an_anonymous_visitor_may_not_view_an_enrollment(enrollment_in_sector_a):
    assert not can_view_enrollment(AnonymousUser(), enrollment_in_sector_a.enrollment)
