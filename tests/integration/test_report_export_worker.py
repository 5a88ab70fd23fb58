"""A large HR report export through a real Celery worker on the ``reports`` queue, Redis and
PostgreSQL: the page queues a background job, the worker builds the file with progress, and
only the officer who asked for it can download it."""

import csv
import io
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from courses.models import Enrollment, EnrollmentSource
from courses.text import search_form
from jobs.models import BackgroundJob, JobStatus
from tests.factories import OrgUnitFactory, UserFactory, course_with_lessons, hr_officer
from tests.integration.workers import Workers, wait_for

ROWS = 5200  # above the default threshold of 5,000 rows


@pytest.fixture
def workers(transactional_db):
    pool = Workers(queues="reports")
    try:
        yield pool
    finally:
        pool.stop_all()


def _people(unit, count: int) -> list[User]:
    """``count`` people of ``unit`` written in one statement; bulk_create skips save(), so the
    search text is computed here as save() would."""
    people = []
    for index in range(count):
        name = f"Ђорђе Петровић 오현목 {index:05d}"
        email = f"bulk{index}@example.gov"
        people.append(
            User(
                email=email,
                full_name=name,
                org_unit=unit,
                organisation_id=unit.root_id,
                search_text=search_form(f"{name} {email} "),
            )
        )
    return User.objects.bulk_create(people, batch_size=1000)


def _enrol(people, course) -> None:
    Enrollment.objects.bulk_create(
        [
            Enrollment(user=person, course=course, source=EnrollmentSource.ASSIGNED)
            for person in people
        ],
        batch_size=1000,
    )


def _wait_done(job: BackgroundJob, workers: Workers) -> BackgroundJob:
    def finished():
        job.refresh_from_db()
        return job.status in (JobStatus.DONE, JobStatus.FAILED)

    assert wait_for(finished, timeout=180, workers=workers), job.status
    assert job.status == JobStatus.DONE, job.error
    return job


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_is_built_by_the_worker_and_downloads_for_its_requester(workers, fmt):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    unit = OrgUnitFactory(name="Sector A")
    sibling = OrgUnitFactory(name="Sector B")
    course = course_with_lessons(self_enrollment=False)
    _enrol(_people(unit, ROWS), course)
    _enrol([UserFactory(full_name="Outside Person", org_unit=sibling)], course)
    officer = hr_officer(unit)
    client = Client()
    client.force_login(officer)
    workers.start(f"reports-{fmt}")

    response = client.get(reverse("reports:export", args=[fmt]))

    job = BackgroundJob.objects.get(kind="reports.export", requester=officer)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.public_id])
    page = client.get(response["Location"])
    assert page.status_code == 200
    job = _wait_done(job, workers)
    assert (job.progress, job.total) == (ROWS, ROWS)
    state = client.get(reverse("jobs:status", args=[job.public_id])).json()
    assert state["finished"] and state["percent"] == 100 and state["download_url"]

    download = client.get(state["download_url"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    if fmt == "csv":
        assert content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        names = [row[0] for row in rows[1:]]
    else:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        # One <row> for the header, then one per person.
        names = sheet.split("<row ")[2:]
    assert len(names) == ROWS
    assert "Outside Person" not in content.decode("utf-8", "replace")
    if fmt == "csv":
        assert names[0] == "Ђорђе Петровић 오현목 00000"

    # Another officer of the same unit cannot open the job or its file.
    other = Client()
    other.force_login(hr_officer(unit))
    assert other.get(state["download_url"]).status_code == 404
    assert other.get(reverse("jobs:detail", args=[job.public_id])).status_code == 404
