"""The reusable background job: create, run once, progress, failure, download scope, expiry."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from jobs import registry, services
from jobs.models import BackgroundJob, JobStatus
from tests.factories import UserFactory, give_totp

pytestmark = pytest.mark.django_db


def _echo(job):
    services.job_start(job=job, total=3)
    for _ in range(3):
        services.job_advance(job=job)
    return (f"{job.params['name']}.txt", b"content"), {"lines": 3}


def _explode(job):
    raise ValueError("bad input row")


@pytest.fixture(autouse=True)
def _runners():
    registry.register_job_runner("test.echo", _echo)
    registry.register_job_runner("test.explode", _explode)


def test_job_runs_on_commit_once_and_keeps_its_result(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_create(kind="test.echo", requester=user, params={"name": "out"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.progress, job.total, job.percent) == (3, 3, 100)
    assert job.result.name.endswith("out.txt") and job.expires_at > timezone.now()
    assert services.job_run(job_id=job.pk) is None  # a second delivery does nothing


def test_a_failing_runner_marks_the_job_failed_with_the_error():
    job = BackgroundJob.objects.create(kind="test.explode", requester=UserFactory())
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "bad input row" in job.error


def test_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        services.job_create(kind="nope", requester=UserFactory())


def test_only_the_requester_or_an_administrator_sees_and_downloads(client):
    owner = UserFactory()
    job = BackgroundJob.objects.create(kind="test.echo", requester=owner, params={"name": "x"})
    services.job_run(job_id=job.pk)
    urls = [
        reverse(name, args=[job.public_id])
        for name in ("jobs:detail", "jobs:status", "jobs:download")
    ]
    client.force_login(UserFactory())
    assert {client.get(url).status_code for url in urls} == {404}
    admin = UserFactory(roles=(Role.ADMINISTRATOR,))
    give_totp(admin)
    for user in (owner, admin):
        client.force_login(user)
        assert {client.get(url).status_code for url in urls} == {200}


def test_job_page_polls_from_a_static_script_with_a_progress_bar(client):
    owner = UserFactory()
    job = BackgroundJob.objects.create(kind="test.echo", requester=owner, params={"name": "x"})
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.public_id])).content.decode()
    assert "<progress" in page and "js/job-progress.js" in page
    assert "<script>" not in page and "onclick" not in page
    state = client.get(reverse("jobs:status", args=[job.public_id])).json()
    assert state["status"] == "queued" and state["download_url"] is None


def test_expired_results_are_deleted_and_the_row_stays():
    job = BackgroundJob.objects.create(
        kind="test.echo", requester=UserFactory(), params={"name": "x"}
    )
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    path = job.result.path
    later = job.expires_at + datetime.timedelta(seconds=1)
    assert (
        services.jobs_delete_expired_results(now=job.expires_at - datetime.timedelta(hours=1)) == 0
    )
    assert services.jobs_delete_expired_results(now=later) == 1
    job.refresh_from_db()
    assert not job.result
    import os

    assert not os.path.exists(path)
