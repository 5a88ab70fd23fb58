"""Where one page's time goes: its SQL queries and a cProfile of repeated requests.

Runs against the database that ``run_bench.py`` loaded (``BENCH_DATABASE_URL`` or lms_bench), in
the same production settings (with REDIS_URL if it is set), through Django's test client (no
server): ``python bench/profile_page.py /courses/`` or, signed in as the bench learner,
``python bench/profile_page.py --signed-in /courses/<slug>/lessons/<id>/``.
"""

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The bench database, never the one DATABASE_URL names for development.
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/lms_bench"
)
os.environ.setdefault("DJANGO_ENV", "production")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--signed-in", action="store_true", help="as the bench learner")
    parser.add_argument(
        "--as", dest="email", help="signed in as this user (bench.hr@bench.example: the HR officer)"
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=30, help="functions to list")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument(
        "--callers", metavar="REGEX", help="also list who calls the functions matching this"
    )
    args = parser.parse_args()

    client = Client(SERVER_NAME="127.0.0.1")
    if args.signed_in:
        client.force_login(User.objects.get(email="bench.learner@bench.example"))
    elif args.email:
        client.force_login(User.objects.get(email=args.email))

    def get():
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"GET {args.path} answered {response.status_code}")
        return response

    get()  # warm: templates compiled, connection open
    with CaptureQueriesContext(connection) as queries:
        get()
    print(f"{len(queries)} queries for GET {args.path}:")
    for query in queries.captured_queries:
        print(f"  {query['time']}s  {query['sql'][:300]}")

    started = time.perf_counter()
    for _ in range(args.requests):
        get()
    per_request = (time.perf_counter() - started) / args.requests
    print(f"\n{1000 * per_request:.2f} ms per request in-process, {args.requests} requests")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        get()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(args.callers)
    print(out.getvalue())


if __name__ == "__main__":
    main()
