"""Where a quiz submit's time goes: its SQL queries, grouped by shape, and a cProfile of many.

Runs on the database that ``quiz_bench.py`` left (``BENCH_QUIZ_DATABASE_URL`` or lms_bench_quiz),
in the same production settings (with REDIS_URL if it is set), through Django's test client (no
server, no CSRF check): each request posts the whole answer form of another learner's open
attempt, as the attempt page does on "Submit answers". ``--service`` times
``quizzes.services.attempt_submit(data=None)`` instead. Every submit uses up an open attempt of
the bench learners; ``quiz_bench.py`` leaves a few thousand.

    .venv/bin/python bench/profile_quiz.py [--requests 40] [--service] [--sort tottime]
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The quiz bench database, never the one DATABASE_URL names for development.
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_QUIZ_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/lms_bench_quiz"
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
from django.urls import reverse  # noqa: E402

from quizzes import services  # noqa: E402
from quizzes.models import CHOICE_KINDS, Attempt, AttemptStatus  # noqa: E402


def open_attempts(count: int) -> list[Attempt]:
    attempts = list(
        Attempt.objects.filter(
            status=AttemptStatus.IN_PROGRESS, enrollment__user__email__startswith="quiz.learner"
        )
        .select_related("quiz__course", "enrollment__user")
        .prefetch_related("answers__question")
        .order_by("pk")[:count]
    )
    if len(attempts) < count:
        raise SystemExit(f"{len(attempts)} open attempts left, {count} needed: run quiz_bench.py")
    return attempts


def form_of(attempt: Attempt) -> dict[str, list[str]]:
    """The attempt page's form with the saved answers filled in, as the browser posts it."""
    answers = {a.question_id: a for a in attempt.answers.all()}
    data = {}
    for qid in attempt.question_ids:
        answer = answers.get(qid)
        if answer is None:
            continue
        if answer.question.kind in CHOICE_KINDS:
            shown = attempt.choice_order[str(qid)]
            data[f"q-{qid}"] = [str(c) for c in shown if c in answer.choice_ids]
        else:
            data[f"q-{qid}"] = [answer.text]
    data["action"] = "submit"
    return data


CLIENT = None  # one test client for every request: its handler loads the middleware once


def submit_request(attempt: Attempt):
    """Sign the attempt's learner in (not timed); returns the call that posts the form."""
    global CLIENT
    if CLIENT is None:
        CLIENT = Client(SERVER_NAME="127.0.0.1")
    client = CLIENT
    path = reverse("quizzes:attempt", args=[attempt.quiz.course.slug, attempt.quiz_id, attempt.pk])
    # Urlencoded, as the attempt page's form (it has no file field) and the benchmark send it.
    body = urlencode(form_of(attempt), doseq=True)

    def post():
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        if response.status_code != 302 or not response["Location"].endswith("/result/"):
            raise SystemExit(f"POST {path} answered {response.status_code}")

    def sign_in():
        client.force_login(attempt.enrollment.user)
        return post

    return sign_in


def submit_service(attempt: Attempt):
    return lambda: lambda: services.attempt_submit(attempt=attempt, data=None)


# Literals, numbers and savepoint names: what differs between runs of the same query.
SHAPE = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|(?<=SAVEPOINT )\"[^\"]+\"")


def print_queries(captured: list[dict], width: int = 150) -> None:
    shapes = Counter()
    for query in captured:
        shape = SHAPE.sub("?", query["sql"])
        shape = re.sub(r"(\?, )+\?", "?, …", shape)
        shapes[shape[:width]] += 1
    print(f"{len(captured)} queries, {len(shapes)} shapes:")
    for shape, n in shapes.most_common():
        print(f"  {n:4d} x  {shape}")


# --sections: the functions whose inclusive time is reported, as (owner, attribute). Module
# functions are looked up on their module at each call, so wrapping the attribute catches them.
SECTIONS = [
    ("quizzes.views", "_course_and_quiz"),
    ("courses.selectors", "course_by_slug"),
    ("quizzes.views", "_own_attempt"),
    ("quizzes.selectors", "learner_attempt_locked"),
    ("quizzes.services", "attempt_submit"),
    ("quizzes.answer_keys", "quiz_keys"),
    ("quizzes.services", "_parse_paper"),
    ("quizzes.services", "_save"),
    ("django.db.models.query.QuerySet", "update_or_create"),
    ("quizzes.services", "_finish"),
    ("quizzes.services", "_grade"),
    ("quizzes.services", "_keys"),
    ("quizzes.grading", "grade"),
    ("quizzes.services", "_upsert"),
    ("django.db.models.query.QuerySet", "bulk_update"),
    ("courses.services", "enrollment_update_completion"),
    ("courses.completion", "required_lessons_done"),
    ("certificates.services", "certificate_create_pending"),
    # The certificate's rendering queued when the transaction commits.
    ("celery.app.task.Task", "apply_async"),
]


APP_CODE = tuple(str(ROOT / app) for app in ("quizzes", "courses", "accounts"))


def time_sections(calls) -> None:
    """Inclusive wall time of each section per submit (sections nest: _save is inside
    attempt_submit), next to the whole request."""
    import importlib

    totals = {}
    originals = []

    def wrap(owner, name):
        original = getattr(owner, name)
        by_caller = isinstance(owner, type)  # QuerySet methods: which app function called them

        def caller() -> str:
            frame = sys._getframe(2)
            while frame is not None and not frame.f_code.co_filename.startswith(APP_CODE):
                frame = frame.f_back
            return frame.f_code.co_name if frame is not None else "?"

        def timed(*args, **kwargs):
            key = f"{name} in {caller()}" if by_caller else name
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent = totals.setdefault(key, [0, 0.0])
                spent[0] += 1
                spent[1] += time.perf_counter() - started

        setattr(owner, name, timed)
        originals.append((owner, name, original))

    for path, name in SECTIONS:
        last = path.rpartition(".")[2]
        module, _, cls = path.rpartition(".") if last[0].isupper() else (path, "", "")
        owner = importlib.import_module(module)
        wrap(getattr(owner, cls) if cls else owner, name)
    whole = 0.0
    try:
        for get_ready in calls:
            call = get_ready()
            started = time.perf_counter()
            call()
            whole += time.perf_counter() - started
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    n = len(calls)
    print(f"\n{'section (inclusive)':<40} {'calls':>6} {'ms':>7} {'share':>6}")
    print(f"{'whole request':<40} {1:>6} {1000 * whole / n:>7.2f} {1:>6.0%}")
    for _path, name in SECTIONS:
        for key in sorted(k for k in totals if k == name or k.startswith(f"{name} in ")):
            count, spent = totals[key]
            print(f"{key:<40} {count / n:>6.1f} {1000 * spent / n:>7.2f} {spent / whole:>6.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="submits timed and profiled")
    parser.add_argument("--service", action="store_true", help="attempt_submit(data=None) only")
    parser.add_argument("--top", type=int, default=35, help="functions to list")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key")
    parser.add_argument(
        "--sections", action="store_true", help="also time the main steps of a submit"
    )
    parser.add_argument(
        "--only", default="", help="list only functions whose file:line(name) matches this regex"
    )
    args = parser.parse_args()

    make = submit_service if args.service else submit_request
    what = "attempt_submit(data=None)" if args.service else "POST action=submit (whole form)"
    attempts = open_attempts(2 + (3 if args.sections else 2) * args.requests)
    # Each is called first to get ready (sign in: not timed), then its result to submit.
    ready = [make(a) for a in attempts]

    ready[0]()()  # warm: middleware, URL resolvers, connection
    call = ready[1]()
    with CaptureQueriesContext(connection) as queries:
        call()
    print(f"{what}:")
    print_queries(queries.captured_queries)

    wall = cpu = 0.0
    for get_ready in ready[2 : 2 + args.requests]:
        call = get_ready()
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        wall += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    print(
        f"\n{1000 * wall / args.requests:.2f} ms per submit in process"
        f" ({1000 * cpu / args.requests:.2f} ms CPU of this process), {args.requests} submits"
    )

    if args.sections:
        time_sections(ready[2 + 2 * args.requests :])

    profiler = cProfile.Profile()
    for get_ready in ready[2 + args.requests : 2 + 2 * args.requests]:
        call = get_ready()
        profiler.enable()
        call()
        profiler.disable()
    out = io.StringIO()
    restrictions = [args.only, args.top] if args.only else [args.top]
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(*restrictions)
    print(out.getvalue())


if __name__ == "__main__":
    main()
