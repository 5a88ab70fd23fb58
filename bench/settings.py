"""The project's settings for the benchmark server: lms.settings with two changes that touch
nothing the measured pages do.

- Static files are collected under bench/results/ rather than the project's staticfiles/:
  production keeps them in a manifest (CompressedManifestStaticFilesStorage), so every page that
  uses ``{% static %}`` needs ``collectstatic`` first.
- bench.urls appends two routes: /bench/empty/ for the ``--reference`` runs and /bench/post/,
  quiz_bench.py's reference form post.
"""

from pathlib import Path

from lms.settings import *  # noqa: F403

STATIC_ROOT = Path(__file__).resolve().parent / "results" / "staticfiles"
ROOT_URLCONF = "bench.urls"
