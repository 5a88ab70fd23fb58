"""Content-Security-Policy: present on every page, in production too, strict for scripts, and
the templates give it nothing to refuse."""

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from courses.validators import video_embed_url
from tests.test_settings import _clean_env

ROOT = Path(__file__).resolve().parents[1]


def _directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
def test_every_page_sends_a_strict_policy(client):
    header = client.get(reverse("courses:catalogue")).headers["Content-Security-Policy"]
    policy = _directives(header)

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


def test_frames_only_from_the_allowed_video_hosts():
    frame_src = set(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"])
    assert frame_src == {"https://www.youtube-nocookie.com", "https://player.vimeo.com"}
    # Every player a lesson can embed is allowed, and nothing else.
    samples = {
        "www.youtube.com": "https://www.youtube.com/watch?v=abc_DEF-123",
        "youtube.com": "https://youtube.com/embed/abc123",
        "youtu.be": "https://youtu.be/abc123",
        "vimeo.com": "https://vimeo.com/76979871",
        "player.vimeo.com": "https://player.vimeo.com/video/76979871",
    }
    assert set(samples) == set(settings.LMS_VIDEO_HOSTS)
    for page in samples.values():
        embed = urlsplit(video_embed_url(page))
        assert f"{embed.scheme}://{embed.hostname}" in frame_src


_PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz", secure=True, HTTP_HOST="lms.example.gov")
print(json.dumps({"status": response.status_code,
                  "csp": response.headers.get("Content-Security-Policy")}))
"""


def test_production_sends_the_policy():
    result = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_PROBE],
        cwd=ROOT,
        env=_clean_env(
            DJANGO_ENV="production",
            DJANGO_SECRET_KEY="kq2-9vZ!mR4t#Lx8pW7s@N3b$Ye6Hc1&Fj5uGd0^Ta9iOo2*Ek7rQ",
            DJANGO_ALLOWED_HOSTS="lms.example.gov",
        ),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["status"] == 200
    assert "frame-ancestors 'none'" in facts["csp"]
    assert "script-src 'self'" in facts["csp"]


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=|<style", re.IGNORECASE)


@pytest.mark.parametrize(
    "template", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: p.name
)
def test_templates_have_no_inline_scripts_styles_or_handlers(template):
    text = template.read_text(encoding="utf-8")
    assert not _INLINE_SCRIPT.search(text)
    assert not _EVENT_HANDLER.search(text)
    # Email bodies are read by mail programs, not served under the site's CSP, and most mail
    # programs honour only inline styles.
    if "email" not in template.parent.name:
        assert not _INLINE_STYLE.search(text)
    assert "javascript:" not in text.lower()
