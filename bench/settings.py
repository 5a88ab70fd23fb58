"""The project's settings for the benchmark server: lms.settings with two changes that touch
nothing the measured pages do.

- Static files are collected under bench/results/ rather than the project's staticfiles/:
  production keeps them in a manifest (CompressedManifestStaticFilesStorage), so every page that
  uses ``{% static %}`` needs ``collectstatic`` first.
- bench.urls appends two routes: /bench/empty/ for the ``--reference`` runs and /bench/post/,
  quiz_bench.py's reference form post.

With ``BENCH_NO_CACHE=1`` (``run_bench.py --cache-miss``) the cache keeps nothing, so every
request pays for every cache miss (catalogue pages, course contents, answer keys) and sessions
are read from the database.
"""

import os
from pathlib import Path

from lms.settings import *  # noqa: F403

if os.environ.get("BENCH_NO_CACHE") == "1":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

STATIC_ROOT = Path(__file__).resolve().parent / "results" / "staticfiles"
ROOT_URLCONF = "bench.urls"
