"""The settings module: embedded defaults, production safeguards, Celery reliability options."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import json, django
from django.conf import settings
django.setup()
from lms.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": app.conf.broker_url,
    "email": settings.EMAIL_BACKEND,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "mfa": settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED,
}))
"""


def _clean_env(**extra) -> dict:
    keep = {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings"
    env.update(extra)
    return env


def _probe(**extra) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,
        env=_clean_env(**extra),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_set_gives_the_embedded_default():
    facts = _probe()
    assert facts["engine"] == "django.db.backends.sqlite3"
    assert facts["eager"] is True
    assert facts["email"] == "django.core.mail.backends.console.EmailBackend"
    assert facts["cache"] == "django.core.cache.backends.db.DatabaseCache"
    assert facts["debug"] is False
    assert facts["mfa"] is True


def test_database_and_redis_urls_switch_to_real_services():
    facts = _probe(
        DATABASE_URL="postgres://lms@db.internal:5432/lms", REDIS_URL="redis://cache:6379/0"
    )
    assert facts["engine"] == "django.db.backends.postgresql"
    assert facts["eager"] is False
    assert facts["broker"] == "redis://cache:6379/0"
    assert facts["cache"] == "lms.cache.RedisCache"


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=ROOT,
        env=_clean_env(DJANGO_ENV="production"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_forces_mfa_even_if_asked_not_to():
    facts = _probe(
        DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 60 + "abcdefgh", LMS_REQUIRE_MFA="0"
    )
    assert facts["mfa"] is True
    assert facts["debug"] is False


def test_production_passes_the_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY="kq2-9vZ!mR4t#Lx8pW7s@N3b$Ye6Hc1&Fj5uGd0^Ta9iOo2*Ek7rQ",
            DJANGO_ALLOWED_HOSTS="lms.example.gov",
        ),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_celery_is_configured_for_at_least_once_delivery():
    from django.conf import settings

    from lms.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert app.conf.task_time_limit < visibility
    assert {q.name for q in app.conf.task_queues} == {
        "default",
        "certificates",
        "notifications",
        "reports",
    }
    assert app.conf.task_routes["certificates.*"] == {"queue": "certificates"}


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn", "ko"])
def test_the_four_languages_are_offered(language):
    from django.conf import settings

    assert language in dict(settings.LANGUAGES)
