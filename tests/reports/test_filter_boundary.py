"""Ids in the report filters and the assignment form are read with ``lms.boundary.parse_id``:
digits of other scripts are no id, so a guessed value never selects a row by accident."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import EnrollmentFactory, OrgUnitFactory, UserFactory, give_totp

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def officer_client(client, db):
    unit = OrgUnitFactory()
    officer = UserFactory(roles=[Role.HR_OFFICER], org_unit=unit)
    give_totp(officer)
    client.force_login(officer)
    client.unit = unit
    return client


def test_an_id_in_other_digits_is_not_that_id(officer_client):
    enrollment = EnrollmentFactory(user=UserFactory(org_unit=officer_client.unit))
    course = enrollment.course
    url = reverse("reports:completion")
    assert officer_client.get(f"{url}?course={course.pk}").status_code == 200
    lookalike = str(course.pk).translate(ARABIC_INDIC)
    # int() reads "٣" as 3; the report does not, and answers as for any unknown course.
    assert int(lookalike) == course.pk
    assert officer_client.get(f"{url}?course={lookalike}").status_code == 404
    assert officer_client.get(f"{url}?unit=9223372036854775808").status_code == 404
    dashboard = reverse("reports:dashboard")
    assert officer_client.get(f"{dashboard}?course={lookalike}").status_code == 404


def test_a_bad_page_number_shows_the_first_page(officer_client):
    EnrollmentFactory(user=UserFactory(full_name="Прва Особа", org_unit=officer_client.unit))
    for page in ("٢", "-1", "1e3", "9" * 40):
        response = officer_client.get(reverse("reports:completion") + f"?page={page}")
        assert response.status_code == 200
        assert "Прва Особа" in response.content.decode()


def test_a_crafted_person_id_in_other_digits_assigns_nobody(officer_client):
    enrollment = EnrollmentFactory(user=UserFactory(org_unit=officer_client.unit))
    person = UserFactory(org_unit=officer_client.unit)

    def confirm(person_id: str):
        return officer_client.post(
            reverse("reports:assign"),
            {"action": "confirm", "course": enrollment.course.pk, "people": [person_id]},
        )

    assert confirm(str(person.pk).translate(ARABIC_INDIC)).status_code == 302
    assert not person.enrollments.exists()
    # The same form with the id in ASCII digits assigns the course.
    assert confirm(str(person.pk)).status_code == 302
    assert person.enrollments.filter(course=enrollment.course).exists()
