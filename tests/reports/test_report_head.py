"""The report page above its rows is kept per process for the same inputs
(``lms.fragments.Fragment``): every visit must still show its own count, query, sort links and
language, and one reader's filter form is never shown to another."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from courses import authoring
from courses.services import lesson_complete
from tests.factories import (
    EnrollmentFactory,
    OrgUnitFactory,
    UserFactory,
    course_with_lessons,
    hr_officer,
)

pytestmark = pytest.mark.django_db

URL = reverse("reports:completion")


def test_the_count_follows_the_data_and_the_links_follow_the_query(client):
    unit = OrgUnitFactory(name="Ministry")
    course = course_with_lessons(title="Records")
    EnrollmentFactory(user=UserFactory(full_name="Ana Anić", org_unit=unit), course=course)
    client.force_login(hr_officer(unit))

    assert "<p>1 row</p>" in client.get(URL).content.decode()
    EnrollmentFactory(user=UserFactory(full_name="Bora Borić", org_unit=unit), course=course)
    body = client.get(URL).content.decode()
    assert "<p>2 rows</p>" in body and "Bora Borić" in body

    searched = client.get(f"{URL}?q=ana&sort=unit").content.decode()
    assert "<p>1 row</p>" in searched
    assert '/reports/completion/export/csv/?q=ana&amp;sort=unit"' in searched
    assert 'href="?q=ana&amp;sort=name"' in searched  # the sort links keep the search only
    assert 'href="?&amp;sort=name"' in client.get(URL).content.decode()


def test_each_reader_gets_the_head_in_their_language_with_their_own_units(client):
    ministry = OrgUnitFactory(name="Ministry")
    north = OrgUnitFactory(name="North", parent=ministry)
    other = OrgUnitFactory(name="Other ministry")
    course = course_with_lessons(title="Records")
    for unit in (north, other):
        EnrollmentFactory(user=UserFactory(org_unit=unit), course=course)

    client.force_login(hr_officer(ministry, preferred_language="en"))
    english = client.get(URL).content.decode()
    assert "<h1>Completion report</h1>" in english and "North" in english

    client.force_login(hr_officer(other, preferred_language="ko"))
    korean = client.get(URL).content.decode()
    assert "<h1>Completion report</h1>" not in korean and '<html lang="ko"' in korean
    assert "North" not in korean and "Other ministry" in korean

    client.force_login(hr_officer(ministry, preferred_language="sr"))
    serbian = client.get(URL).content.decode()
    assert "<h1>Completion report</h1>" not in serbian and "North" in serbian
    assert serbian.count("<h1>") == 1


def _percent(client) -> str:
    body = client.get(URL).content.decode()
    row = body[body.index("<tbody>") :]
    return _cells(row)[4]


def _cells(markup):
    return [cell.split("</td>")[0].strip() for cell in markup.split("<td>")[1:]]


def test_the_progress_follows_lessons_added_made_optional_and_archived(client):
    """Each course's counted lessons come from a copy kept per process under the catalogue's
    version (``courses.selectors.counted_lesson_totals``): every lesson change shows on the
    next visit."""
    unit = OrgUnitFactory(name="Ministry")
    course = course_with_lessons(title="Records", lessons_per_module=2, modules=1)
    trainer = UserFactory(roles=(Role.TRAINER,))
    course.trainers.add(trainer)
    first, second = course.lessons.order_by("position")
    enrollment = EnrollmentFactory(user=UserFactory(org_unit=unit), course=course)
    lesson_complete(enrollment=enrollment, lesson=first)
    client.force_login(hr_officer(unit))
    assert _percent(client) == "50%"

    added = authoring.lesson_create(module=first.module, title="New", actor=trainer)
    assert _percent(client) == "33%"
    authoring.lesson_update(lesson=added, data={"required": False})
    assert _percent(client) == "50%"
    authoring.lesson_archive(lesson=second, actor=trainer)
    assert _percent(client) == "100%"  # the one counted lesson left is done
