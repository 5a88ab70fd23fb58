"""Reminders end to end: a real SMTP server on loopback, a real Celery worker and beat through
Redis, PostgreSQL. Asserts on what arrives: recipients, subject, language, links, one message
per person, and nothing twice after a duplicate sweep or a worker killed mid-batch."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from accounts.site import site_name
from courses.models import EnrollmentSource
from notifications import services
from notifications.models import LogStatus, NotificationLog
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

from .smtp import SMTPServer
from .test_celery_worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://lms.integration.test"


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_queue():
    """Only this test's messages in this Redis database (the brief's own db number)."""
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    yield
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


def _env(smtp, **extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "10",
        "LMS_SITE_URL": SITE,
        "NOTIFICATIONS_WINDOW_START_HOUR": "0",
        "NOTIFICATIONS_WINDOW_END_HOUR": "24",
        **extra,
    }


class Processes:
    """Celery processes started by a test, always stopped at the end."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.running = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log_dir = ROOT / "test-results"
        log_dir.mkdir(exist_ok=True)
        log = (log_dir / f"notifications-{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lms", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.running.append(process)
        return process

    def worker(self, env, name="worker"):
        return self.start(
            name,
            [
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=info",
                "-Q",
                "notifications",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}@%h",
            ],
            env,
        )

    def beat(self, env):
        return self.start(
            "beat",
            ["beat", "--loglevel=info", "-s", str(self.tmp_path / "beat-schedule")],
            env,
        )

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def processes(transactional_db, tmp_path):
    started = Processes(tmp_path)
    yield started
    started.stop_all()


def _wait_for(predicate, *, timeout=90, processes=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        for process in processes:
            assert process.poll() is None, "a Celery process exited"
        time.sleep(0.3)
    return False


def _due_soon(user, days=3):
    return EnrollmentFactory(
        user=user,
        course=CourseFactory(title=f"Информациона безбедност {user.pk}"),
        source=EnrollmentSource.ASSIGNED,
        due_date=timezone.localdate() + datetime.timedelta(days=days),
    )


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_due_soon_arrives_once_in_each_language_through_beat_and_worker(smtp, processes):
    korean = UserFactory(email="minji@example.gov", preferred_language="ko")
    serbian = UserFactory(email="jovan@example.gov", preferred_language="sr")
    korean_course = _due_soon(korean)
    serbian_course = _due_soon(serbian)
    env = _env(smtp, NOTIFICATIONS_SWEEP_SECONDS="2")
    worker = processes.worker(env)
    beat = processes.beat(env)

    assert _wait_for(lambda: len(smtp.received()) >= 2, processes=[worker, beat])
    # Beat keeps sweeping every two seconds: several more sweeps must send nothing.
    sweeps_before = _sweeps_logged()
    assert _wait_for(lambda: _sweeps_logged() >= sweeps_before + 3, processes=[worker, beat])
    time.sleep(1)
    assert sorted(smtp.recipients()) == ["jovan@example.gov", "minji@example.gov"]

    for user, enrollment, language in (
        (korean, korean_course, "ko"),
        (serbian, serbian_course, "sr"),
    ):
        [message] = [m for tos, m in smtp.received() if tos == [user.email]]
        with translation.override(language):
            expected_subject = f"[{site_name()}] " + translation.gettext(
                "Training due soon: %(course)s"
            ) % {"course": enrollment.course.title}
            due = formats.date_format(enrollment.due_date, "DATE_FORMAT")
        assert str(message["Subject"]).strip() == expected_subject
        assert message["Content-Language"] == language
        assert message["To"] == user.email
        link = f"{SITE}/courses/{enrollment.course.slug}/"
        assert link in _text(message)
        assert f'href="{link}"' in _html(message)
        assert due in _text(message)
        # Due-soon reminders are mandatory: no unsubscribe, and the reason is stated.
        assert message["List-Unsubscribe"] is None

    rows = NotificationLog.objects.filter(kind="due_soon")
    assert rows.count() == 2
    assert set(rows.values_list("status", flat=True)) == {LogStatus.SENT}


def _sweeps_logged() -> int:
    path = ROOT / "test-results" / "notifications-worker.log"
    if not path.exists():
        return 0
    return path.read_text(errors="replace").count("Task notifications.sweep[")


def test_killed_worker_sends_nothing_twice(smtp, processes):
    learners = [UserFactory(email=f"learner{n:02d}@example.gov") for n in range(24)]
    for learner in learners:
        _due_soon(learner)
    env = _env(smtp, NOTIFICATIONS_MAX_PER_MINUTE="240", NOTIFICATIONS_BATCH_SIZE="8")
    first = processes.worker(env, name="first")
    # The sweep runs here; its batches go through Redis to the worker.
    with override_sending(env):
        result = services.notifications_sweep()
    assert (result.inserted, result.batches) == (24, 3)
    assert _wait_for(lambda: len(smtp.received()) >= 4, processes=[first])
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    arrived_before_kill = len(smtp.received())
    assert arrived_before_kill < 24

    # A new worker, and the next sweep (as beat would run it) finds what is still waiting.
    second = processes.worker(env, name="second")
    with override_sending(env):
        again = services.notifications_sweep()
    assert again.inserted == 0
    assert _wait_for(lambda: _settled(24), processes=[second], timeout=120)
    time.sleep(1)

    recipients = smtp.recipients()
    assert len(recipients) == len(set(recipients)), "someone got the same reminder twice"
    by_status = dict(NotificationLog.objects.values_list("recipient__email", "status"))
    for learner in learners:
        got = learner.email in recipients
        # Everyone got exactly one message, except at most the one being sent at the moment
        # of the kill, which is left "being sent" and never resent by itself.
        assert got or by_status[learner.email] == LogStatus.SENDING
    assert list(by_status.values()).count(LogStatus.SENDING) <= 1
    assert len(recipients) >= 23


def _settled(total) -> bool:
    waiting = NotificationLog.objects.filter(
        status__in=[LogStatus.PENDING, LogStatus.RETRY]
    ).count()
    return waiting == 0 and NotificationLog.objects.count() == total


class override_sending:
    """Sweep in this process with the same pacing settings the workers got."""

    def __init__(self, env):
        from django.test import override_settings

        self.override = override_settings(
            NOTIFICATIONS_MAX_PER_MINUTE=int(env.get("NOTIFICATIONS_MAX_PER_MINUTE", 600)),
            NOTIFICATIONS_BATCH_SIZE=int(env.get("NOTIFICATIONS_BATCH_SIZE", 100)),
            NOTIFICATIONS_WINDOW_START_HOUR=0,
            NOTIFICATIONS_WINDOW_END_HOUR=24,
            LMS_SITE_URL=SITE,
        )

    def __enter__(self):
        self.override.enable()

    def __exit__(self, *exc):
        self.override.disable()


def test_rejected_address_fails_alone_on_a_real_smtp_server(smtp, transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFICATIONS_WINDOW_START_HOUR, settings.NOTIFICATIONS_WINDOW_END_HOUR = 0, 24
    settings.NOTIFICATIONS_MAX_PER_MINUTE = 100_000
    rejected = UserFactory(email="reject.me@example.gov")
    fine = UserFactory(email="fine@example.gov")
    _due_soon(rejected)
    _due_soon(fine)
    services.notifications_sweep(enqueue=False)
    result = services.notifications_send(recipient_ids=[rejected.pk, fine.pk])
    assert (result.messages, result.failed) == (1, 1)
    assert smtp.recipients() == ["fine@example.gov"]
    failed = NotificationLog.objects.get(recipient=rejected)
    assert failed.status == LogStatus.FAILED
    assert "550" in failed.last_error


def test_sweep_query_count_is_constant_on_postgresql(transactional_db, settings):
    settings.NOTIFICATIONS_WINDOW_START_HOUR, settings.NOTIFICATIONS_WINDOW_END_HOUR = 0, 24

    def queries_for(learners: int) -> int:
        for _ in range(learners):
            _due_soon(UserFactory())
        with CaptureQueriesContext(connection) as ctx:
            services.notifications_sweep(enqueue=False)
        NotificationLog.objects.all().delete()
        return len(ctx.captured_queries)

    assert queries_for(5) == queries_for(150)
