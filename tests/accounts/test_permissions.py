from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.permissions import can_view_person, people_in_scope
from accounts.roles import Role
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    """A ministry with two sectors, each with a department, and a second organisation."""
    ministry = OrgUnitFactory()
    sector_a = OrgUnitFactory(parent=ministry)
    department_a = OrgUnitFactory(parent=sector_a)
    sector_b = OrgUnitFactory(parent=ministry)
    department_b = OrgUnitFactory(parent=sector_b)
    other_organisation = OrgUnitFactory()
    return SimpleNamespace(
        hr_a=UserFactory(roles=[Role.HR_OFFICER], org_unit=sector_a),
        admin=UserFactory(roles=[Role.ADMINISTRATOR], org_unit=department_b),
        in_ministry=UserFactory(org_unit=ministry),
        in_sector_a=UserFactory(org_unit=sector_a),
        in_department_a=UserFactory(org_unit=department_a, full_name="Ђорђе Љубић"),
        in_sector_b=UserFactory(org_unit=sector_b),
        in_department_b=UserFactory(org_unit=department_b, full_name="오현목"),
        elsewhere=UserFactory(org_unit=other_organisation),
        without_unit=UserFactory(),
    )


def test_an_administrator_sees_everyone(org):
    assert set(people_in_scope(org.admin)) == set(User.objects.all())


def test_an_hr_officer_sees_their_unit_and_every_unit_below_it(org):
    assert set(people_in_scope(org.hr_a)) == {org.hr_a, org.in_sector_a, org.in_department_a}


def test_an_hr_officer_never_sees_a_sibling_unit_a_parent_or_another_organisation(org):
    scope = people_in_scope(org.hr_a)

    for outsider in (
        org.in_sector_b,
        org.in_department_b,
        org.in_ministry,
        org.elsewhere,
        org.without_unit,
    ):
        assert outsider not in scope


def test_an_hr_officer_without_a_unit_sees_only_themselves():
    officer = UserFactory(roles=[Role.HR_OFFICER])
    UserFactory(org_unit=OrgUnitFactory())

    assert list(people_in_scope(officer)) == [officer]


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER])
def test_a_learner_or_trainer_sees_only_themselves(org, role):
    person = UserFactory(roles=[role], org_unit=org.in_sector_a.org_unit)

    assert list(people_in_scope(person)) == [person]


def test_an_anonymous_visitor_sees_nobody(org):
    assert not people_in_scope(AnonymousUser()).exists()


def test_can_view_person_allows_oneself(org):
    assert can_view_person(org.in_department_b, org.in_department_b)


def test_can_view_person_allows_an_administrator_everyone(org):
    assert can_view_person(org.admin, org.elsewhere)
    assert can_view_person(org.admin, org.without_unit)


def test_can_view_person_allows_an_hr_officer_their_subtree_only(org):
    assert can_view_person(org.hr_a, org.in_sector_a)
    assert can_view_person(org.hr_a, org.in_department_a)
    assert not can_view_person(org.hr_a, org.in_sector_b)
    assert not can_view_person(org.hr_a, org.in_department_b)
    assert not can_view_person(org.hr_a, org.in_ministry)
    assert not can_view_person(org.hr_a, org.elsewhere)
    assert not can_view_person(org.hr_a, org.without_unit)


def test_can_view_person_refuses_a_learner_another_person(org):
    assert not can_view_person(org.in_department_a, org.in_sector_a)
    assert not can_view_person(org.in_sector_a, org.in_department_a)


def test_can_view_person_refuses_an_anonymous_visitor(org):
    assert not can_view_person(AnonymousUser(), org.in_department_a)


def test_can_view_person_agrees_with_people_in_scope(org):
    everyone = list(User.objects.select_related("org_unit"))
    for viewer in (org.admin, org.hr_a, org.in_department_a):
        scope = set(people_in_scope(viewer))
        for person in everyone:
            assert can_view_person(viewer, person) == (person in scope), (viewer, person)
