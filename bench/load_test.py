"""Load test: simulated learners (Locust, headless) against gunicorn on PostgreSQL and Redis.

Recreates the PostgreSQL database named in --database-url (only with --reset), empties the
Redis database named in --redis-url, loads the page benchmark's data (bench/load_data.py: 200
courses, 5,000 lessons, 5,000 learners, 50,000 enrolments) and a quiz per course
(bench/load_quizzes.py), serves the app with gunicorn in production mode on loopback and runs
bench/locustfile.py: N learners sign in, browse, read lessons, mark them done, and take and
submit quizzes. Prints requests per second, median and 99th percentile per page and the error
count, and writes them as JSON to bench/results/. See bench/README.md ("Load test").
"""

import argparse
import csv
import datetime
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_bench import (  # noqa: E402
    HOST,
    RESULTS,
    BenchError,
    django_env,
    machine,
    reset_redis,
    run_step,
    start_gunicorn,
    stop_gunicorn,
    tail,
    wait_until_ready,
)

AIM_P99_MS = 500


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(options, env: dict, people: Path) -> None:
    manage = [sys.executable, "manage.py"]
    if options.reset:
        print(f"Recreating {urlsplit(options.database_url).path.lstrip('/')}", flush=True)
        recreate_database(options.database_url)
    reset_redis(options.redis_url)
    run_step([*manage, "migrate", "--noinput", "-v0"], env, "migrate")
    run_step([*manage, "collectstatic", "--noinput", "-v0"], env, "collectstatic")
    if options.reset:
        fixture = RESULTS / "load-fixture.json"
        run_step([sys.executable, "bench/load_data.py", str(fixture)], env, "load data")
    run_step(
        [sys.executable, "bench/load_quizzes.py", str(people), "--learners", str(options.users)],
        env,
        "add quizzes, choose the learners",
    )


def read_stats(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "page": row["Name"] if row["Name"] != "Aggregated" else "all",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "rps": round(float(row["Requests/s"]), 1),
                    "p50_ms": int(float(row["50%"])) if row["50%"] != "N/A" else None,
                    "p99_ms": int(float(row["99%"])) if row["99%"] != "N/A" else None,
                    "max_ms": int(float(row["Max Response Time"])),
                }
            )
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"\n{'page':<20} {'method':<6} {'requests':>8} {'errors':>6} {'req/s':>7} "
          f"{'p50 ms':>7} {'p99 ms':>7}")  # fmt: skip
    for row in rows:
        print(
            f"{row['page']:<20} {row['method']:<6} {row['requests']:>8} {row['errors']:>6} "
            f"{row['rps']:>7} {row['p50_ms']!s:>7} {row['p99_ms']!s:>7}"
        )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_load_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="drop and create the database, then load the data (without it, reuse what is there)",
    )
    parser.add_argument("--users", type=int, default=200, help="simulated learners")
    parser.add_argument("--spawn-rate", type=float, default=4, help="learners started per second")
    parser.add_argument(
        "--duration",
        type=int,
        default=120,
        help="seconds of load measured; with --after-ramp, counted from when every learner runs",
    )
    parser.add_argument(
        "--after-ramp",
        action="store_true",
        help="measure only once every learner has started (and signed in): Locust --reset-stats",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8013)
    return parser.parse_args()


def main() -> int:
    options = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    log_path = RESULTS / f"load-gunicorn-{stamp}.log"
    people = RESULTS / "load-people.json"
    prefix = RESULTS / f"load-{stamp}"
    env = django_env(options.database_url, secrets.token_urlsafe(50), options.redis_url)
    env["LMS_TRUSTED_PROXY_COUNT"] = "1"  # Locust plays the proxy: it sends X-Forwarded-For
    prepare(options, env, people)

    print(f"Starting gunicorn on {HOST}:{options.port}, {options.workers} sync workers", flush=True)
    server = start_gunicorn(env, options.port, options.workers, log_path)
    try:
        wait_until_ready(server, options.port, log_path)
        load_before = os.getloadavg()
        started = time.monotonic()
        ramp = options.users / options.spawn_rate if options.after_ramp else 0
        command = [
            sys.executable, "-m", "locust", "-f", "bench/locustfile.py", "--headless",
            "--users", str(options.users), "--spawn-rate", str(options.spawn_rate),
            "--run-time", f"{int(options.duration + ramp)}s", "--host", f"http://{HOST}:{options.port}",
            "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
            "--loglevel", "WARNING",
            *(["--reset-stats"] if options.after_ramp else []),
        ]  # fmt: skip
        print(
            f"Locust: {options.users} learners, {options.spawn_rate}/s, {options.duration} s",
            flush=True,
        )
        result = subprocess.run(
            command, cwd=ROOT, env={**os.environ, "LMS_LOAD_PEOPLE": str(people)}, check=False
        )
        load_after = os.getloadavg()
        rows = read_stats(prefix)
    finally:
        stop_gunicorn(server)
    if server.returncode not in (0, None, -15):
        print(tail(log_path))
    print_table(rows)
    total = next(row for row in rows if row["page"] == "all")
    worst = max((r["p99_ms"] or 0) for r in rows if r["page"] != "all")
    summary = {
        "when": stamp,
        "users": options.users,
        "spawn_rate": options.spawn_rate,
        "duration_s": options.duration,
        "measured_after_ramp": options.after_ramp,
        "gunicorn_workers": options.workers,
        "seconds": round(time.monotonic() - started, 1),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "machine": machine(),
        "locust_exit": result.returncode,
        "pages": rows,
    }
    (RESULTS / f"load-{stamp}.json").write_text(json.dumps(summary, indent=2))
    print(
        f"\nerrors: {total['errors']} of {total['requests']}; worst page p99 {worst} ms "
        f"(aim: 0 errors, p99 < {AIM_P99_MS} ms); load average before {load_before[0]:.1f}, "
        f"after {load_after[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"load test: {exc}", file=sys.stderr)
        sys.exit(1)
