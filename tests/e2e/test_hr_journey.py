"""The HR officer's week, in the browser: sign in with the second factor, assign a course to
the unit from an uploaded CSV (preview, confirm), look at the dashboard, filter the completion
report, and download it as CSV and XLSX that keep Cyrillic and Hangul names."""

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from courses.models import Enrollment, EnrollmentSource
from courses.services import enrollment_create, lesson_complete
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory, course_with_lessons, give_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CYRILLIC = "Ђорђе Петровић"
HANGUL = "오현목"
LATIN = "Snežana Šćekić"
OUTSIDER = "Outside Person"


def _demo_like_units():
    """The shape of the demo's HR data: the officer's sector with two departments below it,
    a sibling sector whose people the officer must never see, and a colleague who already
    completed the course."""
    ministry = OrgUnitFactory(name="Ministry of Public Administration")
    sector = OrgUnitFactory(name="Digital Government Sector", parent=ministry)
    egov = OrgUnitFactory(name="E-Government Department", parent=sector)
    cyber = OrgUnitFactory(name="Cybersecurity Department", parent=sector)
    finance = OrgUnitFactory(name="Finance Sector", parent=ministry)
    officer = UserFactory(
        email="hr@example.gov", full_name="Jelena Ilić", org_unit=sector, roles=[Role.HR_OFFICER]
    )
    secret = give_totp(officer)
    people = {
        CYRILLIC: UserFactory(email="djordje@example.gov", full_name=CYRILLIC, org_unit=egov),
        HANGUL: UserFactory(email="hyunmok@example.gov", full_name=HANGUL, org_unit=cyber),
        LATIN: UserFactory(
            email="snezana@example.gov", full_name=LATIN, employee_number="DG-003", org_unit=sector
        ),
        OUTSIDER: UserFactory(email="outsider@example.gov", full_name=OUTSIDER, org_unit=finance),
    }
    course = course_with_lessons(
        lessons_per_module=1, modules=2, title="Information security basics", slug="infosec"
    )
    done = UserFactory(email="milica@example.gov", full_name="Милица Јовановић", org_unit=egov)
    enrollment = enrollment_create(
        user=done, course=course, source=EnrollmentSource.ASSIGNED, assigned_by=officer
    )
    for lesson in course.lessons.all():
        lesson_complete(enrollment=enrollment, lesson=lesson)
    return officer, secret, people, course


def _sign_in_with_code(page, officer, secret):
    sign_in(page, officer.email, PASSWORD)
    expect(page.get_by_text("enter an authenticator code")).to_be_visible()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()


def _download(page, link_name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_hr_officer_assigns_from_csv_filters_and_downloads(page):
    officer, secret, people, course = _demo_like_units()
    due = timezone.localdate() + datetime.timedelta(days=30)

    _sign_in_with_code(page, officer, secret)
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_role("heading", name="Completion rate per unit")).to_be_visible()

    # Assign from a CSV: emails in any case, an employee number, someone in the sibling
    # sector and an unknown address, which both come back as "did not match" alike.
    page.get_by_role("link", name="Assign training").click()
    page.get_by_label("Course").select_option(label=course.title)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("A CSV file of emails or employee numbers").check()
    upload = "email\nDJORDJE@example.gov\nhyunmok@example.gov\nDG-003\noutsider@example.gov\n"
    upload += "nobody@example.gov\n"
    page.get_by_label("CSV file", exact=True).set_input_files(
        files=[{"name": "unit.csv", "mimeType": "text/csv", "buffer": upload.encode()}]
    )
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("section", has=page.get_by_role("heading", name="Preview"))
    expect(preview.get_by_role("heading", name="3 people will be enrolled")).to_be_visible()
    for name in (CYRILLIC, HANGUL, LATIN):
        expect(preview.get_by_text(name)).to_be_visible()
    expect(preview.get_by_text(OUTSIDER)).to_have_count(0)
    unmatched = preview.get_by_role("table")
    expect(unmatched.get_by_role("row")).to_have_count(3)  # the header and two rows
    reason = "No active person in your units has this email or employee number."
    for value in ("outsider@example.gov", "nobody@example.gov"):
        expect(unmatched.get_by_role("row", name=re.compile(re.escape(value)))).to_contain_text(
            reason
        )
    preview.get_by_role("button", name="Confirm the assignment").click()

    expect(page.get_by_text("The assignment is saved. Enrolled now: 3.")).to_be_visible()
    expect(page.get_by_role("heading", name="Completion report")).to_be_visible()
    assigned = Enrollment.objects.filter(course=course, assigned_by=officer, due_date=due)
    assert {e.user.full_name for e in assigned} == {CYRILLIC, HANGUL, LATIN}
    assert not Enrollment.objects.filter(user=people[OUTSIDER]).exists()

    # The dashboard: three charts, each with its numbers as a table too.
    page.get_by_role("link", name="Dashboard").click()
    for chart in ("Completion rate per unit", "Overdue per unit", "Completions per week"):
        expect(page.get_by_role("img", name=chart)).to_be_visible()
    per_unit = page.get_by_role("table", name="Completion per unit")
    expect(per_unit.get_by_role("row", name=re.compile("E-Government Department"))).to_contain_text(
        "50%"
    )
    weeks = page.get_by_role("table", name="Completions per week")
    expect(weeks.get_by_role("row")).to_have_count(13)  # the header and twelve weeks
    expect(weeks.get_by_role("cell", name="1", exact=True)).to_have_count(1)
    expect(page.get_by_text("Finance Sector")).to_have_count(0)

    # The report, searched in Latin letters for a Cyrillic name, then filtered by status.
    page.get_by_role("link", name="Completion report").click()
    page.get_by_label("Name or employee number").fill("Đorđe")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 row", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(CYRILLIC))).to_be_visible()
    page.get_by_label("Name or employee number").fill("")
    page.get_by_label("Course").select_option(label=course.title)
    page.get_by_label("Status").select_option(label="Not started")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("3 rows", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Милица"))).to_have_count(0)

    # The downloads hold exactly the filtered rows.
    filename, content = _download(page, "Download CSV")
    assert filename.endswith(".csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    assert {row[0] for row in rows[1:]} == {CYRILLIC, HANGUL, LATIN}
    assert {row[5] for row in rows[1:]} == {"Not started"}
    assert {row[9] for row in rows[1:]} == {due.isoformat()}

    filename, content = _download(page, "Download XLSX")
    assert filename.endswith(".xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode("utf-8")
    for name in (CYRILLIC, HANGUL, LATIN):
        assert f"<t>{name}</t>" in sheet
    assert OUTSIDER not in sheet and "Милица" not in sheet
    assert '<autoFilter ref="A1:' in sheet and "<pane " in sheet
