"""A real `celery worker` process runs a task end to end through Redis against PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from courses.models import Enrollment, EnrollmentStatus, LessonProgress
from courses.tasks import reevaluate_completions
from tests.factories import EnrollmentFactory, course_with_lessons

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DATABASE_CONN_MAX_AGE": "0",
    }
    log_path = ROOT / "test-results" / "celery-worker.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=info",
                "-Q",
                "default",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_worker_completes_enrollments_through_redis(celery_worker_process):
    course = course_with_lessons(lessons_per_module=1, modules=2)
    lessons = list(course.lessons.all())
    enrollment = EnrollmentFactory(course=course)
    # Progress written around the service, as an import would, so only the task can complete it.
    for lesson in lessons:
        LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.ACTIVE

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    reevaluate_completions.delay(course.pk)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        enrollment.refresh_from_db()
        if enrollment.status == EnrollmentStatus.COMPLETED:
            break
        assert celery_worker_process.poll() is None, "the worker exited"
        time.sleep(0.5)
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.completed_at is not None


_CACHE_PROBE = """
import sys, django
django.setup()
from django.core.cache import cache
key, expected, reply = sys.argv[1:4]
found = cache.get(key)
cache.set(key + ":reply", reply, timeout=30)
print(found)
"""


def test_cache_is_shared_across_processes_through_redis():
    """A value one process stores is read by another (a second web worker), and the other
    way round: what allauth's rate limits and the catalogue cache rely on."""
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
    key = f"integration-probe:{uuid.uuid4().hex}"
    cache.set(key, "Ђорђе", timeout=30)

    result = subprocess.run(
        [sys.executable, "-c", _CACHE_PROBE, key, "Ђорђе", "한국어"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings",
            "REDIS_URL": settings.REDIS_URL,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Ђорђе"
    assert cache.get(key + ":reply") == "한국어"
