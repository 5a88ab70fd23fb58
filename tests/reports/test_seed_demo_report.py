"""What the demo HR officer finds after ``manage.py seed_demo``: people of their own units in
every report status, a certificate, and no one from the sibling sectors."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from reports.selectors import ReportFilters, ReportStatus, completion_rows, unit_completion

HR_OFFICER = "hr@demo.lms.local"


@pytest.fixture
def seeded(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    return User.objects.select_related("org_unit").get(email=HR_OFFICER)


def test_demo_officer_sees_every_status_in_their_own_units_only(seeded):
    officer = seeded
    rows = list(completion_rows(actor=officer, filters=ReportFilters()))
    statuses = {row.report_status for row in rows}
    assert statuses == {
        ReportStatus.NOT_STARTED,
        ReportStatus.IN_PROGRESS,
        ReportStatus.COMPLETED,
        ReportStatus.OVERDUE,
    }
    assert all(row.user.org_unit.path.startswith(officer.org_unit.path) for row in rows)
    assert any(row.certificate_serial for row in rows)
    # The assigned (mandatory) enrolments fill the dashboard's units with some overdue.
    units = unit_completion(actor=officer, course=None)
    assert units and sum(unit.overdue for unit in units) >= 1
    assert any(unit.completed for unit in units)


def test_demo_officer_pages_show_the_seeded_people(seeded, settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = False
    client = Client()
    client.force_login(seeded)
    report = client.get(reverse("reports:completion")).content.decode()
    assert "Милица Јовановић" in report  # overdue, in the officer's sector
    assert "Небојша Живковић" not in report  # enrolled, in a sibling sector
    overdue = client.get(reverse("reports:completion") + "?status=overdue").content.decode()
    assert "Милица Јовановић" in overdue and "Ђорђе Љубић" not in overdue
    assert client.get(reverse("reports:dashboard")).status_code == 200
