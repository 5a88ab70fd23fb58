"""The report's unfiltered filter form is kept per reader and language
(``reports.forms.unfiltered_filters_markup``): it must follow every change to the units and
courses it offers, and never show one reader's lists to another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.roles import Role
from courses import authoring
from tests.factories import CourseFactory, OrgUnitFactory, UserFactory, hr_officer

pytestmark = pytest.mark.django_db

URL = reverse("reports:completion")


def _select(client, name, query="", **headers) -> str:
    body = client.get(f"{URL}{query}", **headers).content.decode()
    start = body.index(f'<select name="{name}"')
    return body[start : body.index("</select>", start)]


def test_a_unit_created_renamed_or_moved_away_shows_on_the_next_visit(client):
    ministry = OrgUnitFactory(name="Ministry")
    north = OrgUnitFactory(name="North", parent=ministry)
    elsewhere = OrgUnitFactory(name="Other ministry")
    client.force_login(hr_officer(ministry))
    first = _select(client, "unit")
    assert "North" in first and "Other ministry" not in first
    assert _select(client, "unit") == first

    admin = UserFactory(roles=(Role.ADMINISTRATOR,))
    south = account_services.org_unit_create(
        name="South", code="south", parent=ministry, actor=admin
    )
    assert f'<option value="{south.pk}">— South</option>' in _select(client, "unit")

    account_services.org_unit_update(
        unit=north, name="North-East", code=north.code, parent=ministry, actor=admin
    )
    shown = _select(client, "unit")
    assert "— North-East" in shown and "— North<" not in shown

    # Moved under another organisation: its subtree leaves this officer's list.
    account_services.org_unit_update(
        unit=north, name="North-East", code=north.code, parent=elsewhere, actor=admin
    )
    assert "North-East" not in _select(client, "unit")


def test_a_new_course_and_a_new_role_show_on_the_next_visit(client):
    ministry = OrgUnitFactory(name="Ministry")
    officer = hr_officer(ministry)
    client.force_login(officer)
    _select(client, "course")
    course = CourseFactory(title="Records management")
    assert f'<option value="{course.pk}">Records management</option>' in _select(client, "course")
    authoring.course_update(
        course=course, actor=UserFactory(roles=(Role.ADMINISTRATOR,)), data={"title": "Records"}
    )
    assert f'<option value="{course.pk}">Records</option>' in _select(client, "course")

    # Made an administrator as well: every unit, not the subtree.
    other = OrgUnitFactory(name="Other ministry")
    assert "Other ministry" not in _select(client, "unit")
    account_services.user_set_roles(user=officer, roles=[Role.HR_OFFICER, Role.ADMINISTRATOR])
    assert f'<option value="{other.pk}">Other ministry</option>' in _select(client, "unit")


def test_each_reader_and_language_gets_their_own_form(client):
    ministry = OrgUnitFactory(name="Ministry")
    north, south = (OrgUnitFactory(name=name, parent=ministry) for name in ("North", "South"))
    officers = {unit: hr_officer(unit) for unit in (north, south)}
    for unit, other in ((north, south), (south, north)):
        client.force_login(officers[unit])
        for _ in range(2):
            shown = _select(client, "unit")
            assert unit.name in shown and other.name not in shown

    officer = officers[north]
    client.force_login(officer)
    pages = {}
    for language in ("en", "sr", "ko", "en"):
        officer.preferred_language = language
        officer.save(update_fields=["preferred_language"])
        pages[language] = client.get(URL).content.decode()
    english, serbian, korean = pages["en"], pages["sr"], pages["ko"]
    assert '<label for="id_include_subunits">Include sub-units</label>' in english
    assert "Include sub-units" not in serbian and "Include sub-units" not in korean
    assert serbian != korean
    assert 'name="include_subunits" id="id_include_subunits" checked' in serbian


def test_the_kept_form_reads_neither_units_nor_courses(client):
    ministry = OrgUnitFactory(name="Ministry")
    client.force_login(hr_officer(ministry))
    CourseFactory(title="Records management")
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL).content.decode()
    assert "Records management" in body and "Ministry" in body
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "accounts_orgunit" WHERE "accounts_orgunit"."path"' not in tables
    assert 'FROM "courses_course" ORDER BY' not in tables
    # A filtered view builds its form as before, with the chosen unit selected.
    assert f'<option value="{ministry.pk}" selected>' in _select(
        client, "unit", f"?unit={ministry.pk}"
    )


def test_a_page_or_sort_link_shows_sub_units_included_as_they_are(client):
    ministry = OrgUnitFactory(name="Ministry")
    client.force_login(hr_officer(ministry))
    box = 'name="include_subunits" id="id_include_subunits"'
    for query in ("", "?page=1", "?sort=unit&desc=on", "?q=ana"):
        assert f"{box} checked" in client.get(f"{URL}{query}").content.decode(), query
    # Ticked off with a unit chosen, it stays off.
    unticked = client.get(f"{URL}?unit={ministry.pk}").content.decode()
    assert box in unticked and f"{box} checked" not in unticked
