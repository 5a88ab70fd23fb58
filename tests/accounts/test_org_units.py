import pytest

from accounts.models import OrgUnit, User
from accounts.services import org_unit_create, org_unit_update
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _segment(unit: OrgUnit) -> str:
    return f"{unit.pk:08d}."


def _tree_snapshot() -> list[tuple]:
    return list(
        OrgUnit.objects.order_by("pk").values_list(
            "pk", "name", "code", "parent_id", "path", "depth"
        )
    )


def test_org_unit_create_without_parent_starts_an_organisation():
    ministry = org_unit_create(name="Министарство финансија", code="mf")

    ministry.refresh_from_db()
    assert ministry.path == _segment(ministry)
    assert ministry.depth == 0
    assert ministry.parent is None
    assert ministry.root_id == ministry.pk


def test_org_unit_create_below_a_parent_extends_its_path_and_depth():
    ministry = org_unit_create(name="Министарство финансија", code="mf")
    sector = org_unit_create(name="Сектор за буџет", code="mf-budget", parent=ministry)
    department = org_unit_create(name="Одељење за анализу", code="mf-analysis", parent=sector)

    department.refresh_from_db()
    assert sector.path == _segment(ministry) + _segment(sector)
    assert department.path == _segment(ministry) + _segment(sector) + _segment(department)
    assert (ministry.depth, sector.depth, department.depth) == (0, 1, 2)
    assert department.root_id == ministry.pk


def test_subtree_holds_the_unit_and_descendants_at_any_depth_but_no_sibling():
    ministry = OrgUnitFactory()
    sector_a = OrgUnitFactory(parent=ministry)
    department_a = OrgUnitFactory(parent=sector_a)
    team_a = OrgUnitFactory(parent=department_a)
    sub_team_a = OrgUnitFactory(parent=team_a)
    sector_b = OrgUnitFactory(parent=ministry)
    department_b = OrgUnitFactory(parent=sector_b)
    other_organisation = OrgUnitFactory()

    assert set(OrgUnit.objects.subtree(sector_a)) == {
        sector_a,
        department_a,
        team_a,
        sub_team_a,
    }
    assert set(OrgUnit.objects.subtree(sector_b)) == {sector_b, department_b}
    assert set(OrgUnit.objects.subtree(sub_team_a)) == {sub_team_a}
    assert other_organisation not in OrgUnit.objects.subtree(ministry)
    assert OrgUnit.objects.subtree(ministry).count() == 7


def test_subtree_of_a_unit_does_not_match_a_sibling_whose_id_shares_its_digits():
    ministry = OrgUnitFactory()
    # Enough siblings that one id begins with the digits of another (1 and 10, 2 and 20, ...).
    siblings = [OrgUnitFactory(parent=ministry) for _ in range(12)]

    for unit in siblings:
        assert list(OrgUnit.objects.subtree(unit)) == [unit]


def test_org_unit_update_renaming_keeps_the_path():
    ministry = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry)
    department = OrgUnitFactory(parent=sector)
    path_before = department.path

    org_unit_update(unit=sector, name="Сектор за људске ресурсе", code="hr", parent=ministry)

    sector.refresh_from_db()
    department.refresh_from_db()
    assert (sector.name, sector.code) == ("Сектор за људске ресурсе", "hr")
    assert department.path == path_before


def test_org_unit_update_moving_a_subtree_re_roots_descendants_and_members():
    ministry_a = OrgUnitFactory()
    ministry_b = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry_a)
    department = OrgUnitFactory(parent=sector)
    team = OrgUnitFactory(parent=department)
    stays = OrgUnitFactory(parent=ministry_a)
    target = OrgUnitFactory(parent=ministry_b)
    in_sector = UserFactory(org_unit=sector)
    in_team = UserFactory(org_unit=team)
    in_stays = UserFactory(org_unit=stays)
    assert in_team.organisation_id == ministry_a.pk

    moved = org_unit_update(unit=sector, name=sector.name, code=sector.code, parent=target)

    department.refresh_from_db()
    team.refresh_from_db()
    assert moved.parent_id == target.pk
    assert moved.path == target.path + _segment(sector)
    assert department.path == moved.path + _segment(department)
    assert team.path == department.path + _segment(team)
    assert (moved.depth, department.depth, team.depth) == (2, 3, 4)
    assert set(OrgUnit.objects.subtree(target)) == {target, sector, department, team}
    assert set(OrgUnit.objects.subtree(ministry_a)) == {ministry_a, stays}
    organisations = dict(
        User.objects.filter(pk__in=[in_sector.pk, in_team.pk, in_stays.pk]).values_list(
            "pk", "organisation_id"
        )
    )
    assert organisations == {
        in_sector.pk: ministry_b.pk,
        in_team.pk: ministry_b.pk,
        in_stays.pk: ministry_a.pk,
    }


def test_org_unit_update_moving_to_the_top_makes_a_new_organisation():
    ministry = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry)
    department = OrgUnitFactory(parent=sector)
    member = UserFactory(org_unit=department)

    moved = org_unit_update(unit=sector, name=sector.name, code=sector.code, parent=None)

    department.refresh_from_db()
    member.refresh_from_db()
    assert moved.path == _segment(sector)
    assert (moved.depth, department.depth) == (0, 1)
    assert department.path == _segment(sector) + _segment(department)
    assert member.organisation_id == sector.pk


@pytest.mark.parametrize("new_parent", ["itself", "child", "grandchild"])
def test_org_unit_update_refuses_to_move_a_unit_below_itself(new_parent):
    ministry = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry)
    department = OrgUnitFactory(parent=sector)
    team = OrgUnitFactory(parent=department)
    member = UserFactory(org_unit=team)
    parent = {"itself": sector, "child": department, "grandchild": team}[new_parent]
    before = _tree_snapshot()

    with pytest.raises(ValueError):
        org_unit_update(unit=sector, name="Renamed", code="renamed", parent=parent)

    assert _tree_snapshot() == before
    member.refresh_from_db()
    assert member.organisation_id == ministry.pk


def test_org_unit_update_moves_the_whole_subtree_even_when_the_unit_was_loaded_before_a_move():
    # Two administrators at once: the second loaded the department before the first moved
    # its sector to another ministry. The tree must still be consistent afterwards.
    ministry_a = OrgUnitFactory()
    ministry_b = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry_a)
    department = OrgUnitFactory(parent=sector)
    team = OrgUnitFactory(parent=department)
    department_as_loaded_earlier = OrgUnit.objects.get(pk=department.pk)
    org_unit_update(unit=sector, name=sector.name, code=sector.code, parent=ministry_b)
    target = OrgUnitFactory(parent=ministry_a)

    org_unit_update(
        unit=department_as_loaded_earlier,
        name=department.name,
        code=department.code,
        parent=target,
    )

    department.refresh_from_db()
    team.refresh_from_db()
    assert department.parent_id == target.pk
    assert department.path == target.path + _segment(department)
    assert team.path == department.path + _segment(team)


def test_org_unit_update_refuses_a_cycle_even_when_the_new_parent_was_loaded_before_a_move():
    # The new parent was loaded, then moved below the unit by someone else: accepting it
    # would make the unit its own ancestor.
    ministry = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry)
    department = OrgUnitFactory(parent=sector)
    other = OrgUnitFactory(parent=ministry)
    other_as_loaded_earlier = OrgUnit.objects.get(pk=other.pk)
    org_unit_update(unit=other, name=other.name, code=other.code, parent=department)
    before = _tree_snapshot()

    with pytest.raises(ValueError):
        org_unit_update(
            unit=OrgUnit.objects.get(pk=sector.pk),
            name=sector.name,
            code=sector.code,
            parent=other_as_loaded_earlier,
        )

    assert _tree_snapshot() == before
