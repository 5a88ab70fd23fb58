"""Start and stop real ``celery worker`` processes for the integration tier."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Workers:
    """Worker processes on the ``certificates`` queue sharing the test's database, Redis and
    media folder. Each has its own log in test-results/."""

    def __init__(self, queues: str = "certificates"):
        self.queues = queues
        self.processes: dict[str, subprocess.Popen] = {}
        self._logs = []

    def start(self, name: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "DATABASE_CONN_MAX_AGE": "0",
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "LMS_SITE_URL": settings.LMS_SITE_URL,
        }
        log_path = ROOT / "test-results" / f"celery-{name}.log"
        log_path.parent.mkdir(exist_ok=True)
        log = log_path.open("a")
        self._logs.append(log)
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
                self.queues,
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes[name] = process
        return process

    def kill(self, name: str) -> None:
        """SIGKILL, as a machine losing power would: no clean shutdown, no acknowledgement."""
        process = self.processes.pop(name)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def assert_alive(self) -> None:
        for name, process in self.processes.items():
            assert process.poll() is None, (
                f"worker {name} exited; see test-results/celery-{name}.log"
            )

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        for log in self._logs:
            log.close()


def wait_for(predicate, *, timeout: float, workers: Workers | None = None, step: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if workers is not None:
            workers.assert_alive()
        time.sleep(step)
    return predicate()
