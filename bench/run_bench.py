"""Requests per second for the catalogue and a lesson page, next to a minimal Django view.

Resets a PostgreSQL database, migrates it, loads 200 courses, 5,000 lessons and 50,000
enrollments (bench/load_data.py), serves the app with gunicorn on loopback in production mode
and loads each page for a fixed time at a fixed concurrency with wrk (or, without wrk, a small
threaded Python client). Prints a table of requests per second and each page's ratio to the
minimal view (/healthz), and writes the same as JSON to bench/results/. See bench/README.md.
"""

import argparse
import datetime
import html
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench"
HOST = "127.0.0.1"  # loopback only: the server binds here and the clients connect nowhere else
AIM = 0.25  # each page at least this fraction of the minimal view's rate
LESSON_AIM = 0.6  # the lesson page, of the signed-in empty page's rate (issue 12)
NEW_PAGE_AIM = 0.4  # the pages added in issue 12's wave, of the signed-in empty page's rate
MAX_REQUESTS_PER_RUN = 2_000_000  # the Python client's bound besides time
# Above this share of the machine's CPU going to other processes during a run, say so.
OTHERS_WARNING = 0.10


class BenchError(Exception):
    """The benchmark cannot give a meaningful figure; the message says why."""


@dataclass
class Target:
    name: str
    path: str
    description: str
    signed_in: bool = False
    must_contain: str = ""
    session: str = "learner"  # whose session a signed-in request sends: "learner", "hr", "trainer"
    against: str = "minimal"  # the aim is a ratio to this page's rate
    aim: float = AIM
    runs: list[dict] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(run["rps"] for run in self.runs)


# --- database --------------------------------------------------------------------------------


def reset_database(url: str) -> None:
    """Drop and create the database named in ``url``."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise BenchError(f"refusing to drop database {name!r}: its name must contain 'bench'")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def reset_redis(url: str) -> None:
    """Empty the Redis database the bench server will use, so nothing cached survives from an
    earlier run's data (the catalogue cache, sessions)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def django_env(database_url: str, secret_key: str, redis_url: str | None) -> dict:
    """What the server and every management command run with: production, on loopback."""
    env = dict(os.environ)
    # Redis (cache, cached_db sessions) only when asked for with BENCH_REDIS_URL.
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "0",  # no TLS terminator in front of gunicorn here
            "DJANGO_SETTINGS_MODULE": "bench.settings",  # lms.settings; see bench/settings.py
            "PYTHONUNBUFFERED": "1",
            # Certificate PDFs the loader renders, where the server reads them.
            "DJANGO_MEDIA_ROOT": str(RESULTS / "media"),
            # The verification page allows 30 look-ups a minute from one address; the
            # benchmark's one client address makes thousands.
            "LMS_VERIFY_RATE_LIMIT": "1000000000",
        }
    )
    return env


def run_step(args: list[str], env: dict, what: str) -> None:
    print(f"  {what} ...", flush=True)
    started = time.monotonic()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    for line in done.stdout.strip().splitlines()[-2:]:
        print(f"    {line}")
    print(f"    {time.monotonic() - started:.1f} s", flush=True)


def prepare(options, env: dict, fixture: Path) -> None:
    python = sys.executable
    manage = [python, "manage.py"]
    if not options.skip_load:
        print(f"Resetting {urlsplit(options.database_url).path.lstrip('/')}", flush=True)
        reset_database(options.database_url)
        if options.redis_url:
            reset_redis(options.redis_url)
    # Also with --skip-load: the code may have gained migrations since the data was loaded.
    run_step([*manage, "migrate", "--noinput", "-v0"], env, "migrate")
    run_step([*manage, "createcachetable"], env, "createcachetable")
    run_step([*manage, "collectstatic", "--noinput", "-v0"], env, "collectstatic")
    loader = [python, "bench/load_data.py", str(fixture)]
    if options.skip_load:
        run_step([*loader, "--session-only"], env, "sign the bench learner in")
    else:
        run_step(loader, env, "load data (bulk_create)")


# --- server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("w")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "lms.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return process


def stop_gunicorn(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # the master stops its workers and exits
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def fetch(port: int, path: str, headers: dict) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_until_ready(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited ({process.returncode}):\n{tail(log_path)}")
        try:
            if fetch(port, "/healthz", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within 60 s:\n{tail(log_path)}")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def check_target(port: int, target: Target, headers: dict, log_path: Path) -> dict:
    """One request before timing: the page must answer 200 with its content, not a redirect."""
    status, response_headers, body = fetch(port, target.path, headers)
    if status != 200:
        where = response_headers.get("Location", "")
        raise BenchError(
            f"{target.name}: GET {target.path} answered {status}"
            + (f" (redirect to {where})" if where else "")
            + f"; a benchmark of an error page would mean nothing.\nServer log:\n{tail(log_path)}"
        )
    text = body.decode("utf-8", errors="replace")
    if target.must_contain and html.escape(target.must_contain) not in text:
        raise BenchError(
            f"{target.name}: GET {target.path} answered 200 without {target.must_contain!r}"
        )
    return {"status": status, "bytes": len(body)}


# --- CPU accounting ----------------------------------------------------------------------------


class CpuMeter:
    """CPU time that the gunicorn workers and their PostgreSQL backends spend, read from /proc.

    Requests per second move with whatever else the two cores are doing; CPU milliseconds per
    request do much less, so they show a page's cost even on a machine that is not idle.
    """

    def __init__(self, server_pid: int, database_url: str):
        self.server_pid = server_pid
        self.conn = psycopg.connect(database_url, autocommit=True)
        self.database = urlsplit(database_url).path.lstrip("/")
        self.ticks = os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.conn.close()

    def _cpu(self, pid: int) -> float | None:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[1].split()  # fields 3.. of proc(5); utime, stime are 14, 15
        return (int(fields[11]) + int(fields[12])) / self.ticks

    def _workers(self) -> list[int]:
        children = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def _backends(self) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'",
            (self.database,),
        ).fetchall()
        return [row[0] for row in rows]

    def _busy(self) -> float:
        """CPU seconds all cores have spent on anything but idling and waiting for I/O."""
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return (sum(ticks[:8]) - ticks[3] - ticks[4]) / self.ticks

    @staticmethod
    def _client() -> float:
        """CPU seconds of this process (the Python client) and its finished children (wrk)."""
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def snapshot(self) -> dict:
        out = {"time": time.monotonic(), "busy": self._busy(), "client": self._client()}
        for part, pids in (("app", self._workers()), ("db", self._backends())):
            out[part] = {pid: cpu for pid in pids if (cpu := self._cpu(pid)) is not None}
        return out

    @staticmethod
    def used(before: dict, after: dict, part: str) -> float:
        return sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items())

    def wait_for_quiet(self, limit: float) -> float:
        """Before a run, while the bench is idle: wait up to ``limit`` seconds for the machine's
        CPU use to drop below OTHERS_WARNING. Returns the share seen last."""
        give_up = time.monotonic() + limit
        while True:
            started, busy = time.monotonic(), self._busy()
            time.sleep(1)
            share = (self._busy() - busy) / ((time.monotonic() - started) * (os.cpu_count() or 1))
            if share < OTHERS_WARNING or time.monotonic() >= give_up:
                return share

    def others_share(self, before: dict, after: dict) -> float:
        """Share of the machine's CPU that went neither to the server, its database backends
        nor the load client: other processes, and kernel work charged to no process."""
        total = after["busy"] - before["busy"]
        ours = self.used(before, after, "app") + self.used(before, after, "db")
        ours += after["client"] - before["client"]
        capacity = (after["time"] - before["time"]) * (os.cpu_count() or 1)
        return max(0.0, total - ours) / capacity


# --- load clients ----------------------------------------------------------------------------


def wrk_run(
    port: int, target: Target, headers: dict, options, seconds: float, script: Path | None = None
) -> dict:
    """One wrk run. ``script``: a wrk Lua script that makes the requests (quiz_bench.py's POSTs);
    without one, every request is ``GET target.path`` with ``headers``."""
    url = f"http://{HOST}:{port}{target.path}"
    command = [
        "wrk",
        "-t1",
        f"-c{options.concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["--script", str(script)]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr or done.stdout}")
    out = done.stdout

    def number(pattern: str, default: str | None = None) -> str:
        match = re.search(pattern, out)
        if match is None:
            if default is None:
                raise BenchError(f"cannot read {pattern!r} in wrk output:\n{out}")
            return default
        return match.group(1)

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(number(r"Requests/sec:\s+([\d.]+)")),
        "requests": int(number(r"(\d+) requests in")),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)", "0")),
        "errors": sum(int(x) for x in errors.groups()) if errors else 0,
        "latency_p50": number(r"(?m)^\s+50%\s+(\S+)", "?"),
        "latency_p99": number(r"(?m)^\s+99%\s+(\S+)", "?"),
    }


def run_threads(worker, count: int) -> float:
    """Run ``count`` threads of ``worker`` to the end; the seconds they took."""
    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def latency_percentiles(latencies: list[float]) -> dict:
    """p50 and p99 of request latencies in seconds, formatted like wrk's."""
    ordered = sorted(latencies)

    def percentile(p: float) -> str:
        if not ordered:
            return "?"
        return f"{1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))]:.2f}ms"

    return {"latency_p50": percentile(0.50), "latency_p99": percentile(0.99)}


def python_run(port: int, target: Target, headers: dict, options, seconds: float) -> dict:
    """Threads with keep-alive HTTP/1.1 connections, reconnecting when the server closes."""
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    totals = {"requests": 0, "non_2xx": 0, "errors": 0}
    latencies: list[float] = []

    def worker() -> None:
        conn = None
        done = non_2xx = errors = 0
        mine = []
        while time.monotonic() < stop_at and done < MAX_REQUESTS_PER_RUN // options.concurrency:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            started = time.perf_counter()
            try:
                conn.request("GET", target.path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = None
                continue
            mine.append(time.perf_counter() - started)
            done += 1
            if not 200 <= response.status < 300:
                non_2xx += 1
            if response.will_close:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            totals["requests"] += done
            totals["non_2xx"] += non_2xx
            totals["errors"] += errors
            latencies.extend(mine)

    elapsed = run_threads(worker, options.concurrency)
    return {"rps": totals["requests"] / elapsed, **totals, **latency_percentiles(latencies)}


def measure_once(port: int, target: Target, headers: dict, options, client, meter) -> dict:
    if options.wait_idle > 0 and time.monotonic() < options.patience_until:
        meter.wait_for_quiet(min(options.wait_idle, options.patience_until - time.monotonic()))
    if options.warmup > 0:
        client(port, target, headers, options, options.warmup)
    before = meter.snapshot()
    result = client(port, target, headers, options, options.duration)
    after = meter.snapshot()
    if result["non_2xx"] or result["errors"]:
        raise BenchError(
            f"{target.name}: {result['non_2xx']} non-2xx responses and {result['errors']} "
            f"socket errors in {result['requests']} requests"
        )
    requests = max(1, result["requests"])
    result["app_cpu_ms"] = round(1000 * meter.used(before, after, "app") / requests, 3)
    result["db_cpu_ms"] = round(1000 * meter.used(before, after, "db") / requests, 3)
    result["client_cpu_ms"] = round(1000 * (after["client"] - before["client"]) / requests, 3)
    result["others_cpu_share"] = round(meter.others_share(before, after), 3)
    return result


def measure(port: int, target: Target, headers: dict, options, client, meter) -> dict:
    """One run; repeated (up to --retries times) while other processes took the CPU during it,
    keeping the attempt they disturbed least."""
    attempts = []
    for _ in range(1 + options.retries):
        attempts.append(measure_once(port, target, headers, options, client, meter))
        if attempts[-1]["others_cpu_share"] <= OTHERS_WARNING:
            break
        if time.monotonic() >= options.patience_until:
            print("    (no time left for waiting or retries: see --patience)", flush=True)
            break
        print(
            f"    {target.name}: others took {100 * attempts[-1]['others_cpu_share']:.0f}% of"
            " the CPU during the run",
            flush=True,
        )
    best = min(attempts, key=lambda run: run["others_cpu_share"])
    best["attempts"] = len(attempts)
    return best


# --- report ----------------------------------------------------------------------------------


def machine() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo)
        if match:
            info["cpu"] = match.group(1).strip()
        meminfo = Path("/proc/meminfo").read_text()
        match = re.search(r"MemTotal:\s*(\d+) kB", meminfo)
        if match:
            info["memory_gib"] = round(int(match.group(1)) / 1024**2, 1)
    except OSError:
        pass
    return info


def median_of(target: Target, key: str) -> float:
    return statistics.median(run[key] for run in target.runs)


def report(targets: list[Target], minimal: Target) -> list[dict]:
    rows = []
    minimal_cpu = median_of(minimal, "app_cpu_ms") + median_of(minimal, "db_cpu_ms")
    print()
    print(
        f"{'page':<10} {'req/s':>8} {'ratio':>6} {'to user':>7}  {'app ms':>7} {'db ms':>6}"
        f" {'cpu ratio':>9}  {'p50':>8} {'p99':>8}  aim"
    )
    by_name = {t.name: t for t in targets}
    user_floor = by_name.get("empty-user")
    for target in targets:
        ratio = target.rps / minimal.rps
        app_ms, db_ms = median_of(target, "app_cpu_ms"), median_of(target, "db_cpu_ms")
        cpu_ratio = minimal_cpu / (app_ms + db_ms) if app_ms + db_ms else float("nan")
        last = target.runs[-1]
        reference = target is minimal or target.name.startswith("empty-")
        base = by_name.get(target.against)
        aim_ratio = target.rps / base.rps if base is not None else None
        met = None if reference or aim_ratio is None else aim_ratio >= target.aim
        meets = "-" if met is None else ("met" if met else "MISSED")
        to_user = f"{target.rps / user_floor.rps:>7.3f}" if user_floor else f"{'-':>7}"
        print(
            f"{target.name:<10} {target.rps:>8.1f} {ratio:>6.3f} {to_user}  {app_ms:>7.2f}"
            f" {db_ms:>6.2f} {cpu_ratio:>9.3f}  {last['latency_p50']:>8}"
            f" {last['latency_p99']:>8}  {meets}"
            + ("" if reference else f" ({target.aim} of {target.against})")
        )
        rows.append(
            {
                "name": target.name,
                "path": target.path,
                "description": target.description,
                "signed_in": target.signed_in,
                "rps_median": round(target.rps, 1),
                "ratio_to_minimal": round(ratio, 3),
                "ratio_to_signed_in_empty": (
                    round(target.rps / user_floor.rps, 3) if user_floor else None
                ),
                "aim": {"ratio": target.aim, "against": target.against},
                "app_cpu_ms_per_request": app_ms,
                "db_cpu_ms_per_request": db_ms,
                "cpu_ratio_to_minimal": round(cpu_ratio, 3),
                "aim_met": met,
                "runs": target.runs,
            }
        )
    print(
        f"\nreq/s, app ms, db ms: medians of {len(minimal.runs)} rounds; p50/p99 latency from the"
        " last round.\napp ms / db ms: CPU milliseconds per request in the gunicorn workers / in"
        " their PostgreSQL backends.\ncpu ratio: the minimal view's (app + db) CPU per request"
        " over the page's: the rate ratio to expect on idle cores, before the client's share."
    )
    busy = [
        f"{t.name} round {i}: {100 * run['others_cpu_share']:.0f}%"
        for t in targets
        for i, run in enumerate(t.runs, 1)
        if run["others_cpu_share"] > OTHERS_WARNING
    ]
    if busy:
        print(
            f"WARNING: other processes took more than {100 * OTHERS_WARNING:.0f}% of the CPU"
            f" during some runs ({'; '.join(busy)}): their rates are low and noisy; the CPU"
            " milliseconds per request are the steadier figures."
        )
    return rows


# --- main ------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load before each run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per page; the median is kept")
    parser.add_argument("--concurrency", type=int, default=4, help="connections kept busy")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=30,
        help="before each run, wait up to this many seconds for other processes to go quiet",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="measure a run again when other processes took over 10%% of the CPU during it",
    )
    parser.add_argument(
        "--patience",
        type=float,
        default=600,
        help="seconds after which the run no longer waits for quiet or retries (a busy machine)",
    )
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="reuse the database a previous run loaded (only sign the learner in again)",
    )
    parser.add_argument(
        "--no-search", action="store_true", help="leave out the catalogue search benchmark"
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="also measure base.html alone (anonymous and signed in): the floor of any page",
    )
    parser.add_argument(
        "--new-pages",
        action="store_true",
        help="also measure the certificate PDF, verification, HR report, trainer workspace and "
        "notifications pages",
    )
    parser.add_argument(
        "--pages",
        metavar="NAMES",
        help="measure only these pages (comma-separated names, as the table shows them), with "
        "the minimal view and the pages they are measured against",
    )
    parser.add_argument(
        "--cache-miss",
        action="store_true",
        help="serve with a cache that keeps nothing (BENCH_NO_CACHE=1): every request a miss",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 2 when a page misses the aim"
    )
    options = parser.parse_args()
    options.database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    options.redis_url = os.environ.get("BENCH_REDIS_URL") or None
    if options.redis_url and urlsplit(options.redis_url).hostname not in {"127.0.0.1", "localhost"}:
        parser.error("BENCH_REDIS_URL: a Redis on this machine only (the bench empties its db)")
    if options.duration <= 0 or options.rounds < 1 or not 1 <= options.concurrency <= 256:
        parser.error("duration must be positive, rounds at least 1, concurrency 1 to 256")
    if options.duration > 300 or options.warmup > 60 or options.rounds > 20:
        parser.error("keep it bounded: duration <= 300 s, warm-up <= 60 s, rounds <= 20")
    if not 0 <= options.wait_idle <= 600 or not 0 <= options.retries <= 5:
        parser.error("--wait-idle: 0 to 600 seconds; --retries: 0 to 5")
    if not 0 <= options.patience <= 3600:
        parser.error("--patience: 0 to 3600 seconds")
    return options


def choose_client(options):
    if options.client == "wrk" or (options.client == "auto" and shutil.which("wrk")):
        if not shutil.which("wrk"):
            raise BenchError("--client wrk but wrk is not on PATH (apt-get install wrk)")
        return "wrk", wrk_run
    return "python", python_run


def main() -> int:
    options = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops gunicorn
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    fixture = RESULTS / "fixture.json"
    log_path = RESULTS / f"gunicorn-{stamp}.log"
    client_name, client = choose_client(options)
    secret_key = secrets.token_urlsafe(48)  # 64 characters
    env = django_env(options.database_url, secret_key, options.redis_url)
    if options.cache_miss:
        env["BENCH_NO_CACHE"] = "1"

    server = meter = None
    try:
        prepare(options, env, fixture)
        data = json.loads(fixture.read_text())
        cookies = {
            "learner": {"Cookie": f"{data['session_cookie_name']}={data['session_key']}"},
            "hr": {"Cookie": f"{data['session_cookie_name']}={data['hr_session_key']}"},
            "trainer": {"Cookie": f"{data['session_cookie_name']}={data['trainer_session_key']}"},
        }
        targets = [
            Target("minimal", "/healthz", "a view that returns 'ok' without the database"),
            Target(
                "catalogue",
                "/courses/",
                "catalogue page 1, anonymous",
                must_contain="/courses/bench-course-",
            ),
            Target(
                "search",
                f"/courses/?q={data['search_word']}",
                "catalogue search matching 20 courses, anonymous",
                must_contain="/courses/bench-course-",
            ),
            Target(
                "course",
                f"/courses/{data['course_slug']}/",
                "a course page (modules, lessons, trainers), anonymous",
                must_contain=data["lesson_title"],
            ),
            Target(
                "lesson",
                f"/courses/{data['course_slug']}/lessons/{data['lesson_id']}/",
                "a lesson page, as an enrolled learner",
                signed_in=True,
                must_contain=data["lesson_title"],
                against="empty-user",
                aim=LESSON_AIM,
            ),
        ]
        if options.new_pages:
            new_page = {"signed_in": True, "against": "empty-user", "aim": NEW_PAGE_AIM}
            targets += [
                Target(
                    "cert-pdf",
                    f"/certificates/{data['certificate_id']}/pdf/",
                    "the learner's certificate PDF download",
                    must_contain="%PDF",
                    **new_page,
                ),
                Target(
                    "verify",
                    f"/v/{data['certificate_code']}/",
                    "certificate verification by its code, anonymous",
                    must_contain=data["certificate_serial"],
                    against="empty-user",
                    aim=NEW_PAGE_AIM,
                ),
                Target(
                    "report",
                    "/reports/completion/",
                    "HR completion report, first page of 50 rows, as the unit's HR officer",
                    must_contain="/reports/people/",
                    session="hr",
                    **new_page,
                ),
                Target(
                    "workspace",
                    "/teach/",
                    "the trainer workspace: the trainer's courses with learners and quizzes",
                    must_contain=f"/teach/courses/{data['trainer_course_id']}/",
                    session="trainer",
                    **new_page,
                ),
                Target(
                    "authoring",
                    f"/teach/courses/{data['trainer_course_id']}/",
                    "a course in the trainer workspace: 5 modules, 25 lessons, their actions",
                    must_contain=data["lesson_title"],
                    session="trainer",
                    **new_page,
                ),
                Target(
                    "notices",
                    "/notifications/",
                    "the learner's notifications page (30, 10 unread)",
                    must_contain="bell-count",
                    **new_page,
                ),
            ]
        if options.reference:
            targets += [
                Target("empty-anon", "/bench/empty/", "reference: base.html alone, anonymous"),
                Target(
                    "empty-user",
                    "/bench/empty/",
                    "reference: base.html alone, signed in",
                    signed_in=True,
                    must_contain="/accounts/logout/",
                ),
            ]
        if options.no_search:
            targets = [t for t in targets if t.name != "search"]
        if options.pages:
            # The pages named, the minimal view and the pages they are measured against.
            chosen = set(options.pages.split(",")) | {"minimal"}
            chosen |= {t.against for t in targets if t.name in chosen}
            unknown = chosen - {t.name for t in targets}
            if unknown:
                raise BenchError(f"--pages: no page named {', '.join(sorted(unknown))} here")
            targets = [t for t in targets if t.name in chosen]
        minimal = targets[0]

        port = free_port()
        cache_name = "Redis" if options.redis_url else "the database"
        print(
            f"Starting gunicorn on {HOST}:{port} with {options.workers} sync workers;"
            f" cache in {cache_name}",
            flush=True,
        )
        server = start_gunicorn(env, port, options.workers, log_path)
        wait_until_ready(server, port, log_path)
        meter = CpuMeter(server.pid, options.database_url)
        runs = options.rounds * len(targets)
        options.patience_until = (
            time.monotonic() + runs * (options.warmup + options.duration) + options.patience
        )
        for target in targets:
            headers = cookies[target.session] if target.signed_in else {}
            checked = check_target(port, target, headers, log_path)
            print(f"  {target.name}: {target.path} -> {checked['status']}, {checked['bytes']} B")

        print(
            f"Measuring with {client_name}: {options.rounds} rounds x {len(targets)} pages, "
            f"{options.warmup:g} s warm-up + {options.duration:g} s each, "
            f"{options.concurrency} connections",
            flush=True,
        )
        for round_number in range(1, options.rounds + 1):
            for target in targets:
                headers = cookies[target.session] if target.signed_in else {}
                result = measure(port, target, headers, options, client, meter)
                target.runs.append(result)
                print(
                    f"  round {round_number} {target.name:<10} {result['rps']:9.1f} req/s"
                    f"  app {result['app_cpu_ms']:6.2f} ms  db {result['db_cpu_ms']:5.2f} ms"
                    f"  client {result['client_cpu_ms']:5.2f} ms"
                    f"  others {100 * result['others_cpu_share']:3.0f}% CPU",
                    flush=True,
                )
        rows = report(targets, minimal)
        document = {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "postgresql": server_version(options.database_url),
            "client": client_name,
            "cache": (
                "none (every request a miss)"
                if options.cache_miss
                else "redis"
                if options.redis_url
                else "database"
            ),
            "settings": {
                "duration_s": options.duration,
                "warmup_s": options.warmup,
                "rounds": options.rounds,
                "concurrency": options.concurrency,
                "wait_idle_s": options.wait_idle,
                "retries": options.retries,
                "patience_s": options.patience,
                "gunicorn_workers": options.workers,
                "gunicorn_worker_class": "sync",
                "django_env": "production",
            },
            "data": data["counts"],
            "aim": AIM,
            "results": rows,
        }
        out = RESULTS / f"bench-{stamp}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False))
        print(f"Written {out.relative_to(ROOT)}; server log {log_path.relative_to(ROOT)}")
        missed = [row["name"] for row in rows if row["aim_met"] is False]
        if missed:
            print(f"Below their aims (see the last column): {', '.join(missed)}")
            return 2 if options.strict else 0
        return 0
    except (BenchError, psycopg.Error) as exc:
        print(f"\nBENCH FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if meter is not None:
            meter.close()
        stop_gunicorn(server)


if __name__ == "__main__":
    sys.exit(main())
