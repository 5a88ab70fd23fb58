"""HR report scope, assignment and exports."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from courses.models import Enrollment, EnrollmentSource
from jobs.models import BackgroundJob
from reports.exports import neutralise
from tests.factories import (
    EnrollmentFactory,
    OrgUnitFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)


def privileged(role, **kwargs):
    user = UserFactory(roles=(role,), **kwargs)
    give_totp(user)
    return user


@pytest.fixture
def tree(db):
    root = OrgUnitFactory(name="Ministry")
    unit_a = OrgUnitFactory(name="Unit A", parent=root)
    sub_a = OrgUnitFactory(name="Unit A.1", parent=unit_a)
    unit_b = OrgUnitFactory(name="Unit B", parent=root)
    return root, unit_a, sub_a, unit_b


@pytest.fixture
def hr_client(client, tree):
    _root, unit_a, _sub, _b = tree
    officer = privileged(Role.HR_OFFICER, org_unit=unit_a)
    client.force_login(officer)
    client.officer = officer
    return client


def test_officer_sees_own_subtree_only(hr_client, tree):
    _root, _unit_a, sub_a, unit_b = tree
    course = course_with_lessons()
    EnrollmentFactory(user=UserFactory(full_name="Ана Сестра", org_unit=sub_a), course=course)
    EnrollmentFactory(user=UserFactory(full_name="Outsider Person", org_unit=unit_b), course=course)
    response = hr_client.get(reverse("reports:completion"))
    assert response.status_code == 200
    assert "Ана Сестра" in response.content.decode()
    assert "Outsider Person" not in response.content.decode()
    assert hr_client.get(reverse("reports:completion") + f"?unit={unit_b.pk}").status_code == 404


def test_sibling_person_is_404_and_learner_gets_404(hr_client, tree, learner, client):
    _root, _a, _sub, unit_b = tree
    outsider = UserFactory(org_unit=unit_b)
    assert hr_client.get(reverse("reports:person", args=[outsider.pk])).status_code == 404
    hr_client.force_login(learner)
    for name in ("reports:dashboard", "reports:completion", "reports:assign"):
        assert hr_client.get(reverse(name)).status_code == 404


def test_search_folds_serbian_scripts(hr_client, tree):
    _root, unit_a, _sub, _b = tree
    EnrollmentFactory(user=UserFactory(full_name="Ђорђе Петровић", org_unit=unit_a))
    response = hr_client.get(reverse("reports:completion") + "?q=Đorđe")
    assert "Ђорђе Петровић" in response.content.decode()


def test_crafted_assignment_outside_scope_is_refused(hr_client, tree):
    _root, unit_a, _sub, unit_b = tree
    course = course_with_lessons(self_enrollment=False)
    inside, outside = UserFactory(org_unit=unit_a), UserFactory(org_unit=unit_b)
    response = hr_client.post(
        reverse("reports:assign"),
        {"action": "confirm", "course": course.pk, "people": [inside.pk, outside.pk]},
    )
    assert response.status_code == 302
    assert not Enrollment.objects.filter(course=course).exists()


def test_csv_assignment_previews_then_enrols_and_audits(hr_client, tree):
    _root, _unit_a, sub_a, unit_b = tree
    course = course_with_lessons(self_enrollment=False)
    inside = UserFactory(org_unit=sub_a, email="in@example.gov")
    UserFactory(org_unit=unit_b, email="out@example.gov")
    upload = io.BytesIO(b"email\nin@example.gov\nout@example.gov\nnobody@example.gov\n")
    upload.name = "people.csv"
    response = hr_client.post(
        reverse("reports:assign"),
        {"action": "preview", "course": course.pk, "source": "csv", "csv_file": upload},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "out@example.gov" in body and "nobody@example.gov" in body  # not matched
    assert not Enrollment.objects.filter(course=course).exists()
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = hr_client.post(
        reverse("reports:assign"),
        {"action": "confirm", "course": course.pk, "people": [inside.pk], "due_date": due},
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(course=course)
    assert enrollment.user == inside and enrollment.source == EnrollmentSource.ASSIGNED
    assert enrollment.due_date == due
    # One event per person assigned (from the enrolment service) and one for the batch.
    [event] = AuditEvent.objects.filter(action="enrollment.assign")
    assert event.actor == hr_client.officer and event.target_id == str(enrollment.pk)
    [batch] = AuditEvent.objects.filter(action="enrollment.assign_batch")
    assert batch.target_id == str(course.pk) and batch.data["created"] == 1


def _preview_csv(client, course, content: bytes):
    upload = io.BytesIO(content)
    upload.name = "people.csv"
    return client.post(
        reverse("reports:assign"),
        {"action": "preview", "course": course.pk, "source": "csv", "csv_file": upload},
    )


def test_csv_saved_with_bare_carriage_returns_reads_as_rows(hr_client, tree):
    """A file from an old spreadsheet ends its lines with a carriage return alone (a 500)."""
    _root, _unit_a, sub_a, _unit_b = tree
    course = course_with_lessons(self_enrollment=False)
    UserFactory(org_unit=sub_a, email="in@example.gov", full_name="Ana Inside")
    response = _preview_csv(hr_client, course, b"email\rin@example.gov\rnobody@example.gov\r")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ana Inside" in body and "nobody@example.gov" in body


def test_a_csv_the_reader_refuses_is_a_form_error(hr_client, tree):
    course = course_with_lessons(self_enrollment=False)
    # One field longer than the csv module reads (128 KiB), inside the 1 MB limit.
    response = _preview_csv(hr_client, course, b'"' + b"a" * 200_000 + b'"\n')
    assert response.status_code in {200, 400}
    assert "The file could not be read as CSV." in response.content.decode()
    assert not Enrollment.objects.filter(course=course).exists()


def test_csv_export_has_bom_neutralised_cells_and_audit(hr_client, tree):
    _root, unit_a, _sub, _b = tree
    EnrollmentFactory(user=UserFactory(full_name="=HYPERLINK(1)", org_unit=unit_a))
    EnrollmentFactory(user=UserFactory(full_name="오현목", org_unit=unit_a))
    response = hr_client.get(reverse("reports:export", args=["csv"]))
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    names = {row[0] for row in rows[1:]}
    assert names == {"'=HYPERLINK(1)", "오현목"}
    assert AuditEvent.objects.filter(action="report.export").exists()


def test_xlsx_export_opens(hr_client, tree):
    from zipfile import ZipFile

    _root, unit_a, _sub, _b = tree
    EnrollmentFactory(user=UserFactory(full_name="Ђорђе", org_unit=unit_a))
    response = hr_client.get(reverse("reports:export", args=["xlsx"]))
    content = b"".join(response.streaming_content)
    with ZipFile(io.BytesIO(content)) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
        assert "Ђорђе" in archive.read("xl/worksheets/sheet1.xml").decode()


def test_large_export_runs_as_job_for_requester_only(hr_client, tree, settings, client):
    settings.LMS_REPORT_EXPORT_ASYNC_THRESHOLD = 1
    _root, unit_a, _sub, _b = tree
    for _ in range(2):
        EnrollmentFactory(user=UserFactory(org_unit=unit_a))
    response = hr_client.get(reverse("reports:export", args=["csv"]))
    job = BackgroundJob.objects.get(kind="reports.export")
    assert response.status_code == 302 and str(job.public_id) in response["Location"]
    other = privileged(Role.HR_OFFICER, org_unit=unit_a)
    hr_client.force_login(other)
    assert hr_client.get(reverse("jobs:detail", args=[job.public_id])).status_code == 404


def test_report_query_count_is_constant(hr_client, tree):
    from tests.query_counts import count_queries

    _root, unit_a, _sub, _b = tree
    course = course_with_lessons()
    EnrollmentFactory(user=UserFactory(org_unit=unit_a), course=course)
    url = reverse("reports:completion")
    few = count_queries(hr_client, url)
    for _ in range(10):
        EnrollmentFactory(user=UserFactory(org_unit=unit_a), course=course)
    assert count_queries(hr_client, url) == few


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM", "\tx", "\rx"])
def test_formula_triggers_are_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise("plain") == "plain" and neutralise(5) == 5
