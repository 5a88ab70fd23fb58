"""Reminder sweep benchmark: 100,000 enrollments on PostgreSQL, the locmem email backend.

    .venv/bin/python bench/notif_bench.py [--enrollments 100000] [--skip-load]

Drops and recreates the database named by BENCH_NOTIF_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/lms_notif; the name must contain "notif" or "bench"),
migrates it and loads the data with COPY: 10 enrollments a learner, 10 % due within 7 days,
5 % overdue by 1 to 20 days, 10 % with no activity for 15 to 60 days, the rest due later or
without a due date and active recently. Then it times, counting the queries:

1. the first sweep: select every candidate, log them all (one INSERT ... ON CONFLICT DO NOTHING)
   and queue the sending batches (to Redis when BENCH_NOTIF_REDIS_URL is set, else to Celery's
   in-memory broker; nothing is sent during this step);
2. the sending of every queued batch in this process into the locmem backend (one message per
   person, no pacing);
3. the same sweep again, which must record and queue nothing.

The sending window is opened to the whole day so that every candidate counts. Figures go to
bench/README.md by hand.
"""

import argparse
import datetime
import functools
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

print = functools.partial(print, flush=True)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lms_notif"


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "notif" not in name and "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: the name must contain 'notif' or 'bench'.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded database")
    parser.add_argument(
        "--no-send",
        action="store_true",
        help="skip step 2 (sending every batch); the second sweep then finds the queued "
        "rows still waiting, so only its insert and query count are meaningful",
    )
    args = parser.parse_args()

    url = os.environ.get("BENCH_NOTIF_DATABASE_URL", DEFAULT_URL)
    if not args.skip_load:
        _recreate_database(url)
    os.environ["DATABASE_URL"] = url
    redis_url = os.environ.get("BENCH_NOTIF_REDIS_URL")
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATIONS_WINDOW_START_HOUR, settings.NOTIFICATIONS_WINDOW_END_HOUR = 0, 24
    settings.NOTIFICATIONS_MAX_PER_MINUTE = 10_000_000
    # Queue for real (Redis or the in-memory broker) rather than running batches inline.
    from lms.celery import app

    app.conf.task_always_eager = False
    if not redis_url:
        app.conf.broker_url = "memory://"

    if not args.skip_load:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        load(args.enrollments)
        print(f"load: {args.enrollments:,} enrollments in {time.perf_counter() - started:.1f} s")
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE notifications_notificationlog")
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    run(send=not args.no_send)


def load(total: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from courses.models import Category, Course, CourseStatus
    from notifications.models import NotificationLog

    rng = random.Random(20261201)
    per_learner = 10
    learners = total // per_learner
    now = timezone.now()
    today = timezone.localdate()
    password = make_password("bench-not-a-secret-42")
    languages = ["en", "sr", "sr-latn", "ko"]
    zones = ["", "", "", "Asia/Seoul", "Europe/Belgrade"]
    with transaction.atomic():
        NotificationLog.objects.all().delete()
        category = Category.objects.create(name="Bench", slug="bench")
        courses = Course.objects.bulk_create(
            [
                Course(
                    slug=f"bench-{n:03d}",
                    title=f"Bench course {n:03d} — Курс {n}",
                    category=category,
                    language="en",
                    status=CourseStatus.PUBLISHED,
                    published_at=now,
                )
                for n in range(100)
            ]
        )
        course_ids = [c.pk for c in courses]
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY accounts_user (password, is_superuser, email, full_name, "
                "preferred_language, time_zone, employee_number, is_staff, is_active, "
                "has_privileged_role, date_joined) FROM STDIN"
            ) as copy:
                for n in range(learners):
                    copy.write_row(
                        (
                            password,
                            False,
                            f"learner{n:06d}@bench.example",
                            f"Learner {n:06d}",
                            languages[n % 4],
                            zones[n % 5],
                            "",
                            False,
                            True,
                            False,
                            now,
                        )
                    )
            cursor.execute("SELECT id FROM accounts_user ORDER BY id")
            user_ids = [row[0] for row in cursor.fetchall()]
            with cursor.copy(
                "COPY courses_enrollment (user_id, course_id, source, due_date, status, "
                "enrolled_at, last_activity_at) FROM STDIN"
            ) as copy:
                for index, user_id in enumerate(user_ids):
                    for k in range(per_learner):
                        course_id = course_ids[(index + k * 10) % len(course_ids)]
                        draw = rng.random()
                        recent = now - datetime.timedelta(days=rng.randint(0, 5))
                        if draw < 0.10:  # due soon
                            due = today + datetime.timedelta(days=rng.randint(1, 7))
                            row = ("assigned", due, recent)
                        elif draw < 0.15:  # overdue
                            due = today - datetime.timedelta(days=rng.randint(1, 20))
                            row = ("assigned", due, recent)
                        elif draw < 0.25:  # inactive
                            idle = now - datetime.timedelta(days=rng.randint(15, 60))
                            row = ("self", None, idle)
                        elif draw < 0.60:  # assigned, due later
                            due = today + datetime.timedelta(days=rng.randint(30, 200))
                            row = ("assigned", due, recent)
                        else:
                            row = ("self", None, recent)
                        source, due, activity = row
                        copy.write_row(
                            (user_id, course_id, source, due, "active", activity, activity)
                        )
            cursor.execute("ANALYZE")


class QueryCounter:
    """Counts statements through an execute wrapper (no cap, unlike connection.queries)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def counting():
    from django.db import connection

    counter = QueryCounter()
    return counter, connection.execute_wrapper(counter)


def run(*, send: bool = True) -> None:
    from django.core import mail
    from django.db import reset_queries
    from django.db.models import Count

    from notifications import services
    from notifications.models import LogStatus, NotificationLog
    from notifications.tasks import send_batch

    queued: list[list[int]] = []
    original = send_batch.apply_async

    def record(*args, **kwargs):
        queued.append(list(kwargs["args"][0]))
        return original(*args, **kwargs)

    send_batch.apply_async = record
    mail.outbox = []

    reset_queries()
    counter, wrapper = counting()
    with wrapper:
        started = time.perf_counter()
        first = services.notifications_sweep()
        first_seconds = time.perf_counter() - started
    print(
        f"first sweep: {first_seconds:.2f} s, {counter.count} queries; "
        f"{first.candidates:,} candidates, {first.inserted:,} logged, "
        f"{first.recipients:,} recipients queued in {first.batches} batches"
    )
    by_kind = dict(NotificationLog.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    print(f"  by kind: {by_kind}")

    if send:
        reset_queries()
        started = time.perf_counter()
        counter, wrapper = counting()
        with wrapper:
            for batch in queued:
                services.notifications_send(recipient_ids=batch)
        send_seconds = time.perf_counter() - started
        print(
            f"sending (locmem, in process): {send_seconds:.2f} s, {len(mail.outbox):,} messages, "
            f"{counter.count} queries "
            f"({counter.count / max(1, len(mail.outbox)):.1f} a message)"
        )
        sent = NotificationLog.objects.filter(status=LogStatus.SENT).count()
        print(f"  rows sent: {sent:,}")

    queued.clear()
    outbox_before = len(mail.outbox)
    reset_queries()
    counter, wrapper = counting()
    with wrapper:
        started = time.perf_counter()
        second = services.notifications_sweep()
        second_seconds = time.perf_counter() - started
    print(
        f"second sweep: {second_seconds:.2f} s, {counter.count} queries; "
        f"{second.inserted} logged, {second.recipients} recipients, {len(queued)} batches, "
        f"{len(mail.outbox) - outbox_before} messages"
    )
    if second.inserted or (send and (second.recipients or queued)):
        sys.exit("the second sweep was meant to send nothing")


if __name__ == "__main__":
    main()
