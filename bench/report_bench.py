"""HR completion report export benchmark: 100,000 enrollments of 2,000 people in 50 units.

    .venv/bin/python bench/report_bench.py [--people 2000] [--courses 50] [--units 50]
                                           [--skip-load] [--repeat 3]

Drops and recreates the database named by BENCH_REPORT_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/lms_hr; the name must contain "hr" or "bench"), migrates it
and loads, with bulk_create: 50 organisation units (a ministry and 49 sectors below it), 2,000
people spread over them (names in Serbian Cyrillic, Latin, Korean and English), 50 published
courses of 4 required lessons and a final quiz, and every person enrolled in every course
(100,000 enrollments): 30 % completed with an issued certificate, 30 % part-way with lessons
done, a quiz attempt for about a fifth of the rows, 10 % assigned with a due date already
past, the rest not started.

Each measurement then runs in a fresh process (so its peak resident memory is its own, read
from getrusage), over the first N rows of the administrator's report sorted by name:

- floor: the same SELECT the export runs (the report queryset's own SQL, with its status,
  best-score and certificate subqueries and the progress counts joined in as the export joins
  them, ``courses.selectors.annotate_lesson_counts``), fetched through one server-side cursor in
  a transaction with JIT off, as the export reads it, and written with the csv module; no ORM
  rows, no formatting;
- csv: ``reports.exports.csv_chunks`` over ``export_values`` (what the page streams), encoded to
  UTF-8 as the view does, into a sink; the first byte is the BOM and header, the first rows are
  the first chunk of 1,000 rows;
- csv-view: GET /reports/completion/export/csv/ through the Django test client as the
  administrator, the threshold raised so it streams, every row: what a browser would wait for;
- xlsx: ``reports.exports.write_xlsx`` into a temporary file (constant-memory mode);
- job-csv / job-xlsx: ``reports.exports.build_export``, the background job's path, which
  writes the file to a temporary file that the job then stores;
- page: the completion report page (first page of 50 rows), its query count and time, for all
  rows and for one unit.

Figures go to bench/README.md by hand.
"""

import argparse
import csv
import datetime
import functools
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

print = functools.partial(print, flush=True)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lms_hr"
ADMIN_EMAIL = "bench-admin@bench.example"
NAMES = [
    ("Ђорђе", "Петровић"),
    ("Snežana", "Šćekić"),
    ("현목", "오"),
    ("Emily", "Carter"),
    ("Милица", "Јовановић"),
    ("Žarko", "Čolić"),
    ("지은", "김"),
    ("James", "O'Neill"),
]


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "hr" not in name and "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: the name must contain 'hr' or 'bench'.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ["LMS_REQUIRE_MFA"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()


def load(*, people: int, courses: int, units: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts import services as account_services
    from accounts.models import User
    from accounts.roles import Role
    from certificates.models import Certificate, CertificateStatus
    from courses.models import (
        Category,
        Course,
        CourseStatus,
        Enrollment,
        EnrollmentSource,
        EnrollmentStatus,
        Lesson,
        LessonProgress,
        Module,
    )
    from courses.text import search_form
    from quizzes.models import Attempt, AttemptStatus, Quiz

    rng = random.Random(20261201)
    now = timezone.now()
    today = timezone.localdate()
    password = make_password("bench-not-a-secret-42")
    with transaction.atomic():
        ministry = account_services.org_unit_create(
            name="Bench ministry", code="bench", parent=None
        )
        tree = [ministry] + [
            account_services.org_unit_create(
                name=f"Сектор {n:02d} / Sector {n:02d}", code=f"bench-{n:02d}", parent=ministry
            )
            for n in range(1, units)
        ]
        users = []
        for n in range(people):
            first, last = NAMES[n % len(NAMES)]
            full_name = f"{first} {last} {n:04d}"
            email = f"person{n:05d}@bench.example"
            number = f"B-{n:05d}"
            unit = tree[n % len(tree)]
            users.append(
                User(
                    email=email,
                    full_name=full_name,
                    password=password,
                    employee_number=number,
                    org_unit=unit,
                    organisation_id=ministry.pk,
                    search_text=search_form(f"{full_name} {email} {number}"),
                )
            )
        users = User.objects.bulk_create(users, batch_size=2000)
        admin = User.objects.create_user(
            email=ADMIN_EMAIL, password="bench-not-a-secret-42", full_name="Bench Administrator"
        )
        account_services.user_set_roles(user=admin, roles=[Role.ADMINISTRATOR])

        category = Category.objects.create(name="Bench", slug="bench")
        course_rows = Course.objects.bulk_create(
            [
                Course(
                    slug=f"bench-{n:03d}",
                    title=f"Обука {n:02d} — Training {n:02d} 교육",
                    category=category,
                    language="en",
                    status=CourseStatus.PUBLISHED,
                    published_at=now,
                    self_enrollment=False,
                )
                for n in range(courses)
            ]
        )
        modules = Module.objects.bulk_create(
            [Module(course=course, title="Module", position=1) for course in course_rows]
        )
        lessons = Lesson.objects.bulk_create(
            [
                Lesson(module=module, course=module.course, title=f"Lesson {p}", position=p)
                for module in modules
                for p in range(1, 5)
            ]
        )
        lessons_of = {}
        for lesson in lessons:
            lessons_of.setdefault(lesson.course_id, []).append(lesson)
        quizzes = {
            quiz.course_id: quiz
            for quiz in Quiz.objects.bulk_create(
                [Quiz(course=course, title="Final", position=1) for course in course_rows]
            )
        }

        plan = []
        for user in users:
            for course in course_rows:
                draw = rng.random()
                if draw < 0.30:
                    kind = "completed"
                elif draw < 0.60:
                    kind = "in_progress"
                elif draw < 0.70:
                    kind = "overdue"
                else:
                    kind = "not_started"
                plan.append((user, course, kind))
        enrollments = []
        for user, course, kind in plan:
            assigned = kind == "overdue" or rng.random() < 0.5
            due = None
            if kind == "overdue":
                due = today - datetime.timedelta(days=rng.randint(1, 30))
            elif assigned:
                due = today + datetime.timedelta(days=rng.randint(5, 120))
            enrollments.append(
                Enrollment(
                    user=user,
                    course=course,
                    source=EnrollmentSource.ASSIGNED if assigned else EnrollmentSource.SELF,
                    due_date=due,
                    status=EnrollmentStatus.COMPLETED
                    if kind == "completed"
                    else EnrollmentStatus.ACTIVE,
                    completed_at=now - datetime.timedelta(days=rng.randint(0, 84))
                    if kind == "completed"
                    else None,
                )
            )
        enrollments = Enrollment.objects.bulk_create(enrollments, batch_size=5000)

        progress, attempts, certificates = [], [], []
        for enrollment, (_user, course, kind) in zip(enrollments, plan, strict=True):
            course_lessons = lessons_of[course.pk]
            done = {"completed": 4, "in_progress": rng.randint(1, 3), "overdue": 1}.get(kind, 0)
            progress.extend(
                LessonProgress(enrollment=enrollment, lesson=lesson)
                for lesson in course_lessons[:done]
            )
            if kind in ("completed", "in_progress") and rng.random() < 0.35:
                percent = rng.randint(40, 100)
                attempts.append(
                    Attempt(
                        quiz=quizzes[course.pk],
                        enrollment=enrollment,
                        number=1,
                        status=AttemptStatus.SUBMITTED,
                        started_at=now - datetime.timedelta(hours=2),
                        submitted_at=now - datetime.timedelta(hours=1),
                        score=percent,
                        max_score=100,
                        percent=percent,
                        passed=percent >= 70,
                    )
                )
            if kind == "completed":
                serial = f"BENCH-{enrollment.pk:07d}"
                certificates.append(
                    Certificate(
                        enrollment=enrollment,
                        cycle=1,
                        serial=serial,
                        code=f"{enrollment.pk:016d}",
                        status=CertificateStatus.ISSUED,
                        holder_name=_user.full_name,
                        course_title=course.title,
                        completed_on=enrollment.completed_at.date(),
                        issued_at=enrollment.completed_at,
                    )
                )
        LessonProgress.objects.bulk_create(progress, batch_size=5000)
        Attempt.objects.bulk_create(attempts, batch_size=5000)
        Certificate.objects.bulk_create(certificates, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"loaded {len(tree)} units, {len(users):,} people, {len(course_rows)} courses, "
        f"{len(enrollments):,} enrollments, {len(progress):,} lessons done, "
        f"{len(attempts):,} attempts, {len(certificates):,} certificates"
    )


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage: ru_maxrss survives exec, so
    a child started by a parent that loaded the data would report the parent's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(limit: int | None):
    from accounts.models import User
    from reports.selectors import ReportFilters, completion_rows

    admin = User.objects.get(email=ADMIN_EMAIL)
    rows = completion_rows(actor=admin, filters=ReportFilters())
    return rows[:limit] if limit else rows


class Sink:
    """Counts what is written to it, like a socket that never pushes back."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)
        return len(data)


def child(kind: str, limit: int | None) -> dict:
    """One measurement in this process; returns the figures."""
    import tempfile

    from django.db import connection, transaction

    from courses.selectors import annotate_lesson_counts
    from reports import exports

    # Warm the connection and the imports, so the figures are the export's own.
    _rows(1).count()
    baseline = _peak_mb()
    result = {"kind": kind, "limit": limit}
    started = time.perf_counter()
    if kind == "floor":
        # The export's own query: the report rows with the progress counts it joins in.
        rows = annotate_lesson_counts(_rows(limit)).values_list(*exports.VALUE_FIELDS)
        sql, params = rows.query.sql_with_params()
        sink = Sink()
        writer = csv.writer(sink)
        count = 0
        with transaction.atomic():
            # The same session as the export's (JIT off, see exports.export_values).
            with connection.cursor() as setup:
                setup.execute("SET LOCAL jit = off")
            raw = connection.connection
            with raw.cursor(name="floor") as cursor:
                cursor.itersize = exports.CHUNK_SIZE
                cursor.execute(sql, params)
                for row in cursor:
                    if count == 0:
                        result["first_row_s"] = time.perf_counter() - started
                    writer.writerow(row)
                    count += 1
        result.update(rows=count, bytes=sink.size)
    elif kind == "csv":
        sink, count = Sink(), 0
        header, names = exports.headers(), exports.labels()

        def counted(values):
            nonlocal count
            for value in values:
                count += 1
                yield value

        values = counted(exports.export_values(_rows(limit), streaming=True))
        for index, chunk in enumerate(exports.csv_chunks(values, header=header, names=names)):
            sink.write(chunk.encode("utf-8"))
            if index == 0:
                result["first_byte_s"] = time.perf_counter() - started
            elif index == 1:
                result["first_rows_s"] = time.perf_counter() - started
        result.update(rows=count, bytes=sink.size)
    elif kind == "csv-view":
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from accounts.models import User

        settings.LMS_REPORT_EXPORT_ASYNC_THRESHOLD = 10**9
        settings.ALLOWED_HOSTS = ["*"]
        client = Client()
        client.force_login(User.objects.get(email=ADMIN_EMAIL))
        started = time.perf_counter()
        response = client.get(reverse("reports:export", args=["csv"]))
        assert response.status_code == 200, response.status_code
        size = 0
        for index, chunk in enumerate(response.streaming_content):
            size += len(chunk)
            if index == 0:
                result["first_byte_s"] = time.perf_counter() - started
            elif index == 1:
                result["first_rows_s"] = time.perf_counter() - started
        result.update(bytes=size)
    elif kind == "xlsx":
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            count = exports.write_xlsx(
                path,
                exports.export_values(_rows(limit)),
                header=exports.headers(),
                names=exports.labels(),
            )
            result.update(rows=count, bytes=os.path.getsize(path))
        finally:
            os.unlink(path)
    elif kind in ("job-csv", "job-xlsx"):
        with exports.build_export(_rows(limit), fmt=kind.split("-")[1]) as content:
            result.update(bytes=content.size)
    elif kind == "page":
        from django.conf import settings
        from django.db import reset_queries
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from accounts.models import OrgUnit, User

        settings.ALLOWED_HOSTS = ["*"]
        client = Client()
        client.force_login(User.objects.get(email=ADMIN_EMAIL))
        unit = OrgUnit.objects.filter(code="bench-01").get()
        figures = {}
        for label, query in (("all", ""), ("one unit", f"?unit={unit.pk}")):
            url = reverse("reports:completion") + query
            client.get(url)  # warm
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                begin = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - begin
            assert response.status_code == 200
            figures[label] = {"queries": len(ctx.captured_queries), "s": round(elapsed, 3)}
        result["page"] = figures
    else:
        raise SystemExit(f"unknown measurement {kind}")
    result["s"] = time.perf_counter() - started
    result["peak_mb"] = _peak_mb()
    result["baseline_mb"] = baseline
    return result


def _run_child(url: str, kind: str, limit: int | None) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--url", url]
    if limit:
        command += ["--limit", str(limit)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--courses", type=int, default=50)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded database")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        _setup_django(args.url)
        print(json.dumps(child(args.child, args.limit)))
        return

    url = os.environ.get("BENCH_REPORT_DATABASE_URL", DEFAULT_URL)
    if not args.skip_load:
        _recreate_database(url)
    _setup_django(url)
    from django.core.management import call_command

    if not args.skip_load:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        load(people=args.people, courses=args.courses, units=args.units)
        print(f"load: {time.perf_counter() - started:.1f} s")
    total = args.people * args.courses
    plan = [
        ("floor", 10_000),
        ("floor", None),
        ("csv", 10_000),
        ("csv", None),
        ("csv-view", None),
        ("xlsx", 10_000),
        ("xlsx", None),
        ("job-csv", 10_000),
        ("job-csv", None),
        ("job-xlsx", 10_000),
        ("job-xlsx", None),
    ]
    print(
        f"{'measurement':<10} {'rows':>8} {'best s':>8} {'rows/s':>9} {'1st byte':>9} "
        f"{'1st rows':>9} {'peak MB':>8} {'+MB':>6} {'MB out':>7}"
    )
    for kind, limit in plan:
        runs = [_run_child(url, kind, limit) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["s"])
        rows = limit or total
        first_byte = best.get("first_byte_s", best.get("first_row_s"))
        print(
            f"{kind:<10} {rows:>8,} {best['s']:>8.2f} {rows / best['s']:>9,.0f} "
            f"{first_byte if first_byte is not None else float('nan'):>9.3f} "
            f"{best.get('first_rows_s', float('nan')):>9.3f} "
            f"{max(r['peak_mb'] for r in runs):>8.1f} "
            f"{max(r['peak_mb'] - r['baseline_mb'] for r in runs):>6.1f} "
            f"{best.get('bytes', 0) / 2**20:>7.1f}"
        )
    page = _run_child(url, "page", None)["page"]
    for label, figures in page.items():
        print(f"page ({label}): {figures['queries']} queries, {figures['s']:.3f} s")


if __name__ == "__main__":
    main()
