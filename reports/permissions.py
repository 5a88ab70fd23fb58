"""Who may open the HR pages and which enrollments, people and units each person sees.

HR officers see their unit and every unit below it, never a sibling; trainers see the
enrollments of the courses they teach; administrators see everything. Out-of-scope objects
answer 404 in the views, so their existence is not revealed.
"""

from django.db.models import Q, QuerySet

from accounts.models import OrgUnit, User
from accounts.permissions import (
    can_view_person,
    is_administrator,
    is_hr_officer,
    is_trainer,
    people_in_scope,
)
from courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus


def _is_scoped_hr(user) -> bool:
    return is_hr_officer(user) and user.org_unit_id is not None


def can_open_reports(user) -> bool:
    """The completion report, dashboard and exports: HR officers with a unit, trainers and
    administrators."""
    if not user.is_authenticated:
        return False
    return is_administrator(user) or _is_scoped_hr(user) or is_trainer(user)


def can_assign(user) -> bool:
    """Assigning training with a due date: HR officers with a unit and administrators."""
    return user.is_authenticated and (is_administrator(user) or _is_scoped_hr(user))


def can_view_person_report(user, person: User) -> bool:
    """The per-person page: an administrator, or an HR officer for people of their subtree."""
    if not can_assign(user):
        return False
    return can_view_person(user, person)


def enrollments_in_scope(user) -> QuerySet[Enrollment]:
    """The enrollments the report may show ``user`` (withdrawn ones are never shown)."""
    base = Enrollment.objects.exclude(status=EnrollmentStatus.WITHDRAWN)
    if not user.is_authenticated:
        return base.none()
    if is_administrator(user):
        return base
    condition = Q(pk__in=[])
    if _is_scoped_hr(user):
        condition |= Q(user__org_unit__path__startswith=user.org_unit.path)
    if is_trainer(user):
        # A subquery, not a join: a join on the trainers would repeat rows of co-taught courses.
        condition |= Q(course__in=Course.objects.filter(trainers=user).values("pk"))
    return base.filter(condition)


def units_in_scope(user) -> QuerySet[OrgUnit]:
    """The units the unit filter offers: the subtree for an HR officer, all for others."""
    if _is_scoped_hr(user) and not is_administrator(user):
        return OrgUnit.objects.subtree(user.org_unit)
    if can_open_reports(user):
        return OrgUnit.objects.all()
    return OrgUnit.objects.none()


def courses_in_scope(user) -> QuerySet[Course]:
    """The courses the course filter offers: the courses taught for a trainer who is not also
    HR or an administrator, every course otherwise."""
    if not can_open_reports(user):
        return Course.objects.none()
    if is_administrator(user) or _is_scoped_hr(user):
        return Course.objects.all()
    return Course.objects.filter(trainers=user)


def assignable_courses(user) -> QuerySet[Course]:
    if not can_assign(user):
        return Course.objects.none()
    return Course.objects.filter(status=CourseStatus.PUBLISHED)


def assignable_people(user) -> QuerySet[User]:
    """The people ``user`` may assign training to: the unit subtree (everyone for an
    administrator), active accounts only."""
    if not can_assign(user):
        return User.objects.none()
    return people_in_scope(user).filter(is_active=True)
