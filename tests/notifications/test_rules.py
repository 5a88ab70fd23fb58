"""The reminder rules: which enrolments are due soon, overdue or inactive, and the period key
that makes each reminder happen once."""

import datetime

import pytest

from accounts.roles import Role
from courses.models import EnrollmentStatus
from notifications.kinds import Kind
from notifications.rules import (
    AttemptClosedRule,
    DueSoonRule,
    HRDigestRule,
    InactivityRule,
    OverdueRule,
)
from tests.factories import CourseFactory, EnrollmentFactory, OrgUnitFactory, UserFactory

from .conftest import assigned, days_ago

pytestmark = pytest.mark.django_db


def _periods(rule, now):
    return {(c.object_id, c.period) for c in rule.candidates(now=now)}


def test_due_soon_uses_the_smallest_threshold_the_days_left_fit(noon):
    in_5 = assigned(due_in=5)
    in_1 = assigned(due_in=1)
    today = assigned(due_in=0)
    far = assigned(due_in=8)
    assigned(due_in=None)
    found = _periods(DueSoonRule(), noon)
    assert (in_5.pk, f"7d:{in_5.due_date}") in found
    assert (in_1.pk, f"1d:{in_1.due_date}") in found
    assert (today.pk, f"1d:{today.due_date}") in found
    assert far.pk not in {pk for pk, _ in found}


def test_due_soon_course_override(noon):
    course = CourseFactory(due_soon_days="10,3")
    in_9 = assigned(course=course, due_in=9)
    in_9_default = assigned(due_in=9)
    found = _periods(DueSoonRule(), noon)
    assert (in_9.pk, f"10d:{in_9.due_date}") in found
    assert in_9_default.pk not in {pk for pk, _ in found}


def test_due_soon_skips_finished_and_inactive_people(noon):
    done = assigned(due_in=2)
    done.status, done.completed_at = EnrollmentStatus.COMPLETED, noon
    done.save()
    gone = assigned(due_in=2)
    gone.user.is_active = False
    gone.user.save()
    assert _periods(DueSoonRule(), noon) == set()


def test_due_date_counts_in_the_learners_time_zone():
    # 16:00 UTC on 1 December is already 2 December in Seoul (01:00), still 1 December here.
    evening = datetime.datetime(2026, 12, 1, 16, 0, tzinfo=datetime.UTC)
    seoul = UserFactory(time_zone="Asia/Seoul")
    enrollment = assigned(user=seoul, due_in=1)
    candidate = next(iter(DueSoonRule().candidates(now=evening)))
    assert candidate.object_id == enrollment.pk
    assert candidate.context["days_left"] == 0


def test_overdue_the_day_after_then_weekly_up_to_the_cap(noon, settings):
    settings.NOTIFICATIONS_OVERDUE_MAX_REMINDERS = 3
    cases = {d: assigned(due_in=-d) for d in (0, 1, 7, 8, 15, 22, 40)}
    found = dict(_periods(OverdueRule(), noon))
    assert cases[0].pk not in found
    assert found[cases[1].pk].startswith("w0:")
    assert found[cases[7].pk].startswith("w0:")
    assert found[cases[8].pk].startswith("w1:")
    assert found[cases[15].pk].startswith("w2:")
    assert cases[22].pk not in found  # the fourth would pass the cap of three
    assert cases[40].pk not in found


def test_inactivity_one_reminder_per_stretch(noon, settings):
    settings.NOTIFICATIONS_INACTIVITY_DAYS = 14
    idle = EnrollmentFactory(last_activity_at=days_ago(noon, 15))
    busy = EnrollmentFactory(last_activity_at=days_ago(noon, 3))
    short = EnrollmentFactory(
        course=CourseFactory(inactivity_days=2), last_activity_at=days_ago(noon, 3)
    )
    found = dict(_periods(InactivityRule(), noon))
    assert found[idle.pk] == f"since:{idle.last_activity_at.date()}"
    assert short.pk in found
    assert busy.pk not in found


def test_attempt_closed_at_deadline(noon):
    from quizzes.models import Attempt, AttemptStatus
    from tests.quizzes.factories import QuizFactory

    quiz = QuizFactory()
    enrollment = EnrollmentFactory(course=quiz.course)
    closed = Attempt.objects.create(
        quiz=quiz,
        enrollment=enrollment,
        number=1,
        started_at=days_ago(noon, 1),
        deadline=days_ago(noon, 1),
        submitted_at=days_ago(noon, 1),
        status=AttemptStatus.EXPIRED,
        percent=40,
        passed=False,
    )
    Attempt.objects.create(
        quiz=quiz,
        enrollment=enrollment,
        number=2,
        started_at=days_ago(noon, 1),
        submitted_at=days_ago(noon, 1),
        status=AttemptStatus.SUBMITTED,
    )
    candidates = list(AttemptClosedRule().candidates(now=noon))
    assert [(c.object_id, c.recipient_id) for c in candidates] == [(closed.pk, enrollment.user_id)]
    assert candidates[0].context["quiz"] == quiz.title


def test_hr_digest_covers_the_subtree_never_a_sibling(noon):
    ministry = OrgUnitFactory(name="Ministry")
    sector = OrgUnitFactory(name="Sector", parent=ministry)
    department = OrgUnitFactory(name="Department", parent=sector)
    sibling = OrgUnitFactory(name="Sibling", parent=ministry)
    officer = UserFactory(org_unit=sector, roles=[Role.HR_OFFICER])
    late_below = assigned(user=UserFactory(org_unit=department, full_name="Ана"), due_in=-3)
    assigned(user=UserFactory(org_unit=sibling), due_in=-3)
    assigned(user=UserFactory(org_unit=department), due_in=3)
    candidates = list(HRDigestRule().candidates(now=noon))
    assert len(candidates) == 1
    digest = candidates[0]
    assert digest.recipient_id == officer.pk
    assert digest.kind == Kind.HR_DIGEST
    assert digest.period == "2026-W49"
    assert digest.context["total"] == 1
    assert digest.context["rows"][0]["name"] == "Ана"
    assert digest.context["rows"][0]["due_date"] == late_below.due_date.isoformat()


def test_hr_digest_not_sent_when_nobody_is_overdue(noon):
    unit = OrgUnitFactory()
    UserFactory(org_unit=unit, roles=[Role.HR_OFFICER])
    assigned(user=UserFactory(org_unit=unit), due_in=3)
    assert list(HRDigestRule().candidates(now=noon)) == []


def test_rules_run_a_fixed_number_of_queries(noon, django_assert_max_num_queries):
    for n in range(30):
        assigned(due_in=n % 10 - 3, last_activity_at=noon - datetime.timedelta(days=20))
    for rule in (DueSoonRule(), OverdueRule(), InactivityRule(), HRDigestRule()):
        with django_assert_max_num_queries(3):
            list(rule.candidates(now=noon))
