"""Quiz grading throughput, and the quiz submit request next to a minimal signed-in form post.

On a PostgreSQL database of its own (lms_bench_quiz: dropped, created, migrated), with a course
and a 50-question quiz (10 questions of each of the five kinds):

1. grader: ``quizzes.grading.grade`` alone, in this process: attempts graded per second.
2. service: attempts started with ``attempt_start`` and answered with ``attempt_save``, then
   ``attempt_submit`` timed attempt by attempt, without form data (grade and store) and with the
   posted form (what the submit view does); then ``quiz_regrade`` over them.
3. http: gunicorn on loopback as run_bench.py serves (2 sync workers, production settings).
   wrk POSTs the full answer form of a different open attempt on every request, each learner
   with its own session and CSRF cookie and token; the reference is the same form, with the same
   sessions, posted to /bench/post/ (signed in, CSRF-checked, answers a redirect). The aim: the
   submit at least 0.3 of the reference's rate. Afterwards the database must show exactly the
   attempts that the 302s to result pages named as submitted, and no others.

Server, load client, CPU accounting and waiting for a quiet machine come from run_bench.py.
Usage: ``.venv/bin/python bench/quiz_bench.py [--help]``. See bench/README.md.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from string import Template
from urllib.parse import urlencode, urlsplit

import psycopg
from run_bench import (
    HOST,
    OTHERS_WARNING,
    RESULTS,
    ROOT,
    BenchError,
    CpuMeter,
    Target,
    django_env,
    free_port,
    latency_percentiles,
    machine,
    measure,
    reset_database,
    reset_redis,
    run_step,
    run_threads,
    server_version,
    start_gunicorn,
    stop_gunicorn,
    tail,
    wait_until_ready,
    wrk_run,
)

sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench_quiz"
AIM = 0.3  # the submit request at least this fraction of the minimal signed-in POST's rate
COURSE_SLUG = "bench-quiz-course"
PER_KIND = 10  # questions of each kind: 50 in all
REFERENCE_REDIRECT = "/bench/post/"  # where bench.urls.minimal_post redirects
OTHER_BENCHMARKS = ("run_bench.py", "quiz_bench.py")

# --- the quiz ----------------------------------------------------------------------------------

SUBJECTS = [
    "an appeal against a fee decision",
    "a request for public information",
    "a procurement notice",
    "a personal data breach",
    "a change to the annual budget",
    "a public consultation on a draft law",
    "a building permit",
    "a fixed-term employment contract",
    "a tax refund",
    "a grant for a civil society project",
]
OFFICIALS = [
    "The head of the authority",
    "The second-instance body",
    "The administrative court",
    "The Commissioner for Information of Public Importance",
    "The case officer who drafted the decision",
    "The State Audit Institution",
    "The Ministry of Finance",
    "The legal department of the authority",
]
ACTIONS = [
    "Register the submission and confirm receipt",
    "Check that the submission is complete",
    "Ask the applicant to remedy the defects within eight days",
    "Publish the notice on the Public Procurement Portal",
    "Record the decision in the register",
    "Inform the data protection authority",
    "Hear the parties before deciding",
    "Forward the file to the competent body",
]
# Accepted spellings: Latin and Serbian Cyrillic, compared ignoring case, spacing and script.
SHORT_ANSWERS = [
    ["Đorđe Vajfert", "Ђорђе Вајферт"],
    ["Beograd", "Београд"],
    ["Zakon o opštem upravnom postupku", "Закон о општем управном поступку", "ZUP"],
    ["Ministarstvo finansija", "Министарство финансија"],
    ["rešenje", "решење"],
    ["žalba", "жалба"],
    ["Novi Sad", "Нови Сад"],
    ["Kragujevac", "Крагујевац"],
    ["overa potpisa", "овера потписа"],
    ["Narodna skupština", "Народна скупштина"],
]
WRONG_SHORT = ["Djordje Vajfert", "resenje", "Zemun", "Niš", "zalba", "не знам", "prigovor"]
NUMERIC_ANSWERS = [  # (value, tolerance)
    ("15", "0"),
    ("30", "0"),
    ("8", "0"),
    ("3.5", "0.1"),
    ("0.25", "0.01"),
    ("1200", "50"),
    ("20.5", "0.5"),
    ("60", "0"),
    ("2.75", "0.05"),
    ("100", "1"),
]
KINDS = ["single", "multiple", "true_false", "short_text", "numeric"]  # QuestionKind values
CHOICE_KINDS = {"single", "multiple", "true_false"}


def build_course_and_quiz(rng: random.Random):
    """A published course (2 modules, 10 required lessons) with a trainer, and its final exam:
    50 questions, 10 of each kind in turn, single choice with 4 choices, multiple choice with 5
    (2 or 3 right; every other one with proportional credit), true/false, short text accepted
    in Latin or Cyrillic, numeric with a tolerance. Built with the test suite's factories."""
    from accounts.roles import Role
    from quizzes.models import PartialCredit, ReviewPolicy
    from tests.factories import UserFactory, course_with_lessons
    from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory

    trainer = UserFactory(email="quiz.trainer@bench.example", roles=(Role.TRAINER,))
    course = course_with_lessons(
        lessons_per_module=5,
        modules=2,
        slug=COURSE_SLUG,
        title="Administrative procedure in practice",
        trainers=[trainer],
    )
    quiz = QuizFactory(
        course=course,
        title="Final exam: administrative procedure",
        instructions="Answer every question. Short answers may be in Latin or Cyrillic.",
        pass_mark=70,
        shuffle_questions=True,
        shuffle_choices=True,
        review_policy=ReviewPolicy.RESPONSES,
        required_for_completion=True,
    )
    for i in range(PER_KIND * len(KINDS)):
        kind, n = KINDS[i % len(KINDS)], i // len(KINDS)
        subject = SUBJECTS[n]
        common = {"quiz": quiz, "kind": kind, "position": i + 1}
        explanation = f"See the chapter on {subject} in the handbook."
        if kind == "single":
            question = QuestionFactory(
                text=f"Who decides on {subject} when the first-instance body misses its deadline?",
                points=Decimal(1),
                explanation=explanation,
                **common,
            )
            right = rng.randrange(4)
            for position, text in enumerate(rng.sample(OFFICIALS, 4)):
                ChoiceFactory(
                    question=question, text=text, is_correct=position == right, position=position
                )
        elif kind == "multiple":
            question = QuestionFactory(
                text=f"Which steps does the authority take first when it receives {subject}?",
                points=Decimal(2),
                partial_credit=(
                    PartialCredit.PROPORTIONAL if n % 2 == 0 else PartialCredit.ALL_OR_NOTHING
                ),
                explanation=explanation,
                **common,
            )
            right = set(rng.sample(range(5), 2 + n % 2))
            for position, text in enumerate(rng.sample(ACTIONS, 5)):
                ChoiceFactory(
                    question=question, text=text, is_correct=position in right, position=position
                )
        elif kind == "true_false":
            question = QuestionFactory(
                text=f"A decision on {subject} must state the reasons it rests on.",
                points=Decimal(1),
                explanation=explanation,
                **common,
            )
            true_is_right = n % 3 != 0
            ChoiceFactory(question=question, text="True", is_correct=true_is_right, position=1)
            ChoiceFactory(question=question, text="False", is_correct=not true_is_right, position=2)
        elif kind == "short_text":
            QuestionFactory(
                text=f"Name the answer expected for {subject} (question {n + 1}).",
                points=Decimal(2),
                accepted_answers=SHORT_ANSWERS[n],
                explanation=explanation,
                **common,
            )
        else:
            value, tolerance = NUMERIC_ANSWERS[n]
            QuestionFactory(
                text=f"How many units does the rule on {subject} set (question {n + 1})?",
                points=Decimal(2),
                numeric_answer=Decimal(value),
                numeric_tolerance=Decimal(tolerance),
                explanation=explanation,
                **common,
            )
    return trainer, course, quiz


@dataclass
class QuestionInfo:
    id: int
    kind: str
    choice_ids: list[int] = field(default_factory=list)
    correct: set[int] = field(default_factory=set)
    accepted: list[str] = field(default_factory=list)
    value: Decimal | None = None
    tolerance: Decimal = Decimal(0)


def quiz_questions(quiz) -> dict[int, QuestionInfo]:
    out = {}
    for question in quiz.questions.prefetch_related("choices").order_by("position", "pk"):
        choices = list(question.choices.all())
        out[question.pk] = QuestionInfo(
            id=question.pk,
            kind=question.kind,
            choice_ids=[c.pk for c in choices],
            correct={c.pk for c in choices if c.is_correct},
            accepted=list(question.accepted_answers or []),
            value=question.numeric_answer,
            tolerance=question.numeric_tolerance,
        )
    return out


def answer_values(rng: random.Random, q: QuestionInfo, skill: float) -> list[str]:
    """What a learner of this skill posts for one question: right with probability ``skill``,
    now and then nothing; short answers in either script and any case, numbers with a comma or
    a point, within the tolerance or not."""
    if rng.random() < 0.03:  # left unanswered: a text box is still sent, empty
        return [] if q.kind in CHOICE_KINDS else [""]
    right = rng.random() < skill
    wrong_ids = [c for c in q.choice_ids if c not in q.correct]
    if q.kind in {"single", "true_false"}:
        return [str(next(iter(q.correct)) if right else rng.choice(wrong_ids))]
    if q.kind == "multiple":
        picked = set(q.correct)
        if not right:  # one right choice missed, and maybe a wrong one ticked
            picked.discard(rng.choice(sorted(q.correct)))
            if rng.random() < 0.5:
                picked.add(rng.choice(wrong_ids))
        return [str(c) for c in q.choice_ids if c in picked]
    if q.kind == "short_text":
        if not right:
            return [rng.choice(WRONG_SHORT)]
        text = rng.choice(q.accepted)
        text = rng.choice([text, text.lower(), text.upper(), f" {text}  "])
        return [text.replace(" ", "  ", 1) if rng.random() < 0.2 else text]
    value = q.value + (q.tolerance / 2 if rng.random() < 0.3 else 0)
    if not right:
        value = q.value + q.tolerance + rng.randint(1, 9)
    text = format(value.normalize(), "f")
    if "." in text and rng.random() < 0.5:
        text = text.replace(".", ",")  # as Serbian keyboards type it
    elif value >= 1000:
        text = f"{value:,.0f}".replace(",", " ")
    return [text]


def learner_form(rng: random.Random, questions: dict[int, QuestionInfo]) -> dict[str, list[str]]:
    skill = rng.uniform(0.5, 0.98)
    return {f"q-{qid}": answer_values(rng, q, skill) for qid, q in questions.items()}


def stored_answer(kind: str, values: list[str]) -> dict:
    """The row ``attempt_save`` keeps for a valid answer. Used to write answers in bulk; checked
    against what the service stored for the service learners (``check_stored_answers``)."""
    values = [v for v in values if v.strip()]
    if kind in CHOICE_KINDS:
        chosen = sorted({int(v) for v in values})
        return {"choice_ids": chosen, "text": "", "number": None}
    text = values[0].strip() if values else ""
    if kind == "short_text" or not text:
        return {"choice_ids": [], "text": text, "number": None}
    return {
        "choice_ids": [],
        "text": text,
        "number": Decimal(text.replace(" ", "").replace(",", ".")),
    }


# --- learners ---------------------------------------------------------------------------------


def make_learners(course, prefix: str, count: int, rng: random.Random, password_hash: str):
    """``count`` learners enrolled in ``course`` (bulk_create); 60 % have read every lesson, so
    that passing the exam completes their course, the rest some of them."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import Role
    from courses.models import Enrollment, Lesson, LessonProgress

    languages = [code for code, _name in settings.LANGUAGES]
    users = User.objects.bulk_create(
        (
            User(
                email=f"{prefix}{i}@bench.example",
                full_name=f"{prefix.title()} {i}",
                preferred_language=rng.choice(languages),
                password=password_hash,
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users),
        batch_size=2000,
    )
    learner_group = Group.objects.get(name=Role.LEARNER)
    membership = User.groups.through
    membership.objects.bulk_create(
        (membership(user=u, group=learner_group) for u in users), batch_size=5000
    )
    enrollments = Enrollment.objects.bulk_create(
        (Enrollment(user=u, course=course) for u in users), batch_size=5000
    )
    lessons = list(Lesson.objects.filter(course=course).order_by("module__position", "position"))
    progress = []
    for enrollment in enrollments:
        done = len(lessons) if rng.random() < 0.6 else rng.randint(0, len(lessons) - 1)
        progress += [LessonProgress(enrollment=enrollment, lesson=x) for x in lessons[:done]]
    LessonProgress.objects.bulk_create(progress, batch_size=5000)
    for enrollment, user in zip(enrollments, users, strict=True):
        enrollment.user = user
    return enrollments


def start_attempts(quiz, enrollments) -> list:
    from quizzes import services

    return [services.attempt_start(enrollment=e, quiz=quiz) for e in enrollments]


def check_stored_answers(attempts, forms, questions) -> int:
    """Every answer ``attempt_save`` stored must be what ``stored_answer`` makes of the same form,
    or the bulk-written answers of the HTTP learners would not be what the service writes."""
    from quizzes.models import Answer

    checked = 0
    rows = Answer.objects.filter(attempt__in=attempts).values_list(
        "attempt__enrollment_id", "question_id", "choice_ids", "text", "number"
    )
    for enrollment_id, question_id, choice_ids, text, number in rows:
        expected = stored_answer(
            questions[question_id].kind, forms[enrollment_id][f"q-{question_id}"]
        )
        if (choice_ids, text, number) != (
            expected["choice_ids"],
            expected["text"],
            expected["number"],
        ):
            raise BenchError(
                f"attempt_save stored {(choice_ids, text, number)} for question {question_id},"
                f" the bench's bulk loader would store {expected}: update stored_answer()"
            )
        checked += 1
    if checked != len(attempts) * len(questions):
        raise BenchError(f"attempt_save stored {checked} answers, expected one per question")
    return checked


# --- in-process timing -------------------------------------------------------------------------


class ProcessClock:
    """Wall time, this process's CPU and its PostgreSQL backend's CPU, and how much of the
    machine others took meanwhile."""

    def __init__(self, meter: CpuMeter):
        from django.db import connection

        self.meter = meter
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]

    def read(self) -> dict:
        return {
            "wall": time.perf_counter(),
            "app": time.process_time(),
            "db": self.meter._cpu(self.backend) or 0.0,
            "busy": self.meter._busy(),
        }

    def spent(self, before: dict, after: dict, count: int) -> dict:
        wall = after["wall"] - before["wall"]
        app, db = after["app"] - before["app"], after["db"] - before["db"]
        others = max(0.0, after["busy"] - before["busy"] - app - db) / (
            wall * (os.cpu_count() or 1)
        )
        return {
            "count": count,
            "seconds": round(wall, 3),
            "per_second": round(count / wall, 1),
            "wall_ms": round(1000 * wall / count, 3),
            "app_cpu_ms": round(1000 * app / count, 3),
            "db_cpu_ms": round(1000 * db / count, 3),
            "others_cpu_share": round(others, 3),
        }


def query_counts(function, attempts) -> dict:
    """Queries of ``function(attempt)`` for each attempt: fewest, most, mean."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for attempt in attempts:
        with CaptureQueriesContext(connection) as captured:
            function(attempt)
        counts.append(len(captured.captured_queries))
    return {"min": min(counts), "max": max(counts), "mean": round(statistics.mean(counts), 1)}


def bench_grader(quiz, questions, forms, options, meter) -> dict:
    """``grading.grade`` alone: the quiz's 50 keys and 200 learners' responses, over and over."""
    from quizzes import grading, services

    keyed = {q.pk: services.question_key(q) for q in quiz.questions.prefetch_related("choices")}
    order = list(questions)
    keys = [keyed[qid] for qid in order]
    papers = []
    for form in list(forms.values())[:200]:
        responses = {}
        for qid in order:
            stored = stored_answer(questions[qid].kind, form[f"q-{qid}"])
            responses[qid] = grading.Response(
                choice_ids=frozenset(stored["choice_ids"]),
                text=stored["text"],
                number=stored["number"],
            )
        papers.append(responses)
    results = [grading.grade(keys, r, pass_mark=quiz.pass_mark) for r in papers]
    rounds = []
    for _ in range(options.grader_rounds):
        wait_quiet(options, meter)
        started, cpu = time.perf_counter(), time.process_time()
        graded = 0
        while time.perf_counter() - started < options.grader_seconds:
            for responses in papers:
                grading.grade(keys, responses, pass_mark=quiz.pass_mark)
            graded += len(papers)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        rounds.append(
            {
                "attempts": graded,
                "per_second": round(graded / wall, 1),
                "cpu_ms": round(1000 * cpu / graded, 4),
            }
        )
    return {
        "questions": len(keys),
        "response_sets": len(papers),
        "pass_rate": round(sum(r.passed for r in results) / len(results), 2),
        "mean_percent": round(float(statistics.mean(r.percent for r in results)), 1),
        "rounds": rounds,
        "per_second": statistics.median(r["per_second"] for r in rounds),
        "cpu_ms": statistics.median(r["cpu_ms"] for r in rounds),
    }


def bench_service(quiz, trainer, questions, enrollments, forms, options, meter) -> dict:
    """Start, save, submit (without and with the form) and regrade through quizzes.services."""
    from django.db import connection

    from quizzes import services
    from quizzes.models import Attempt, AttemptStatus

    clock = ProcessClock(meter)
    out = {}
    half = len(enrollments) // 2

    wait_quiet(options, meter)
    before = clock.read()
    attempts = start_attempts(quiz, enrollments)
    out["attempt_start"] = clock.spent(before, clock.read(), len(attempts))

    wait_quiet(options, meter)
    before = clock.read()
    for attempt in attempts:
        services.attempt_save(attempt=attempt, data=forms[attempt.enrollment_id])
    out["attempt_save"] = clock.spent(before, clock.read(), len(attempts))
    out["answers_checked"] = check_stored_answers(attempts, forms, questions)

    # The first few of each half are submitted outside the timing, to count their queries (more
    # when the attempt passes: the course's completion is checked).
    probes = min(10, half // 4)
    without, with_form = attempts[probes:half], attempts[half + probes :]
    out["attempt_submit_queries"] = query_counts(
        lambda a: services.attempt_submit(attempt=a), attempts[:probes]
    )
    out["attempt_submit_with_form_queries"] = query_counts(
        lambda a: services.attempt_submit(attempt=a, data=forms[a.enrollment_id]),
        attempts[half : half + probes],
    )

    wait_quiet(options, meter)
    before = clock.read()
    for attempt in without:
        services.attempt_submit(attempt=attempt, data=None)
    out["attempt_submit"] = clock.spent(before, clock.read(), len(without))

    wait_quiet(options, meter)
    before = clock.read()
    for attempt in with_form:
        services.attempt_submit(attempt=attempt, data=forms[attempt.enrollment_id])
    out["attempt_submit_with_form"] = clock.spent(before, clock.read(), len(with_form))

    submitted = Attempt.objects.filter(quiz=quiz, status=AttemptStatus.SUBMITTED)
    out["submitted"] = submitted.count()
    out["passed"] = submitted.filter(passed=True).count()
    if out["submitted"] != len(attempts):
        raise BenchError(f"{len(attempts)} attempts submitted, {out['submitted']} recorded")

    wait_quiet(options, meter)
    before = clock.read()
    outcome = services.quiz_regrade(quiz=quiz, actor=trainer)
    out["quiz_regrade"] = clock.spent(before, clock.read(), outcome["attempts"])
    out["quiz_regrade"]["changed"] = outcome["changed"]
    connection.close()
    return out


def wait_quiet(options, meter: CpuMeter) -> None:
    wait_for_other_benchmarks(options.wait_others)
    if options.wait_idle > 0:
        meter.wait_for_quiet(options.wait_idle)


# --- other benchmarks --------------------------------------------------------------------------


def ancestors() -> set[int]:
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return pids


def other_benchmarks() -> list[str]:
    """Command lines of the other benchmark processes on this machine (not this one's own
    wrappers: its parent shell or ``timeout``)."""
    mine = ancestors()
    found = []
    for name in OTHER_BENCHMARKS:
        done = subprocess.run(["pgrep", "-af", name], capture_output=True, text=True, check=False)
        for line in done.stdout.splitlines():
            pid, _, command = line.partition(" ")
            if int(pid) not in mine and "pgrep" not in command:
                found.append(line)
    return found


def wait_for_other_benchmarks(limit: float) -> None:
    """The machine's two cores are shared: never measure while another benchmark runs."""
    give_up, said = time.monotonic() + limit, False
    while others := other_benchmarks():
        if time.monotonic() >= give_up:
            raise BenchError(f"another benchmark kept running for {limit:.0f} s: {others}")
        if not said:
            print(f"  waiting for another benchmark to finish: {others[0][:120]}", flush=True)
            said = True
        time.sleep(5)


# --- HTTP: learners with sessions and open attempts ---------------------------------------------


def sign_in_in_bulk(users) -> list[str]:
    """A session per user, as ``django.contrib.auth.login`` leaves it, written with one
    bulk_create (the cached_db engine fills its cache from the table on first use)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.test import Client
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        raise BenchError(f"{settings.SESSION_ENGINE} keeps no table: cannot sign in in bulk")
    model, encoder = store_class.get_model_class(), store_class()
    backend = "django.contrib.auth.backends.ModelBackend"

    def session(user) -> dict:
        return {
            SESSION_KEY: user._meta.pk.value_to_string(user),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }

    # What a real sign-in stores, for the first user: the same keys and values.
    client = Client()
    client.force_login(users[0], backend=backend)
    real = store_class(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).load()
    if real != session(users[0]):
        raise BenchError(
            f"login() stores {sorted(real)}; the bench writes {sorted(session(users[0]))}"
        )

    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys = [get_random_string(32, VALID_KEY_CHARS) for _ in users]
    model.objects.bulk_create(
        (
            model(session_key=key, session_data=encoder.encode(session(user)), expire_date=expires)
            for key, user in zip(keys, users, strict=True)
        ),
        batch_size=1000,
    )
    return keys


@dataclass
class Post:
    attempt_id: int
    path: str
    cookie: str
    body: str


def prepare_http_learners(quiz, enrollments, questions, forms, rng) -> list[Post]:
    """An open attempt per learner (``attempt_start``) with its answers saved (bulk_create of
    what ``attempt_save`` stores), a session, a CSRF cookie and its masked token, and the body
    the attempt page posts on "Submit answers": the token, every question in the paper's order
    (ticked choices in the order shown, text boxes even when empty), ``action=submit``."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.urls import reverse
    from django.utils import timezone

    from quizzes.models import Answer

    attempts = start_attempts(quiz, enrollments)
    now = timezone.now()
    Answer.objects.bulk_create(
        (
            Answer(
                attempt=attempt,
                question_id=qid,
                saved_at=now,
                **stored_answer(questions[qid].kind, forms[attempt.enrollment_id][f"q-{qid}"]),
            )
            for attempt in attempts
            for qid in attempt.question_ids
        ),
        batch_size=5000,
    )
    session_keys = sign_in_in_bulk([e.user for e in enrollments])
    posts = []
    for attempt, session_key in zip(attempts, session_keys, strict=True):
        secret = _get_new_csrf_string()
        fields = [("csrfmiddlewaretoken", _mask_cipher_secret(secret))]
        form = forms[attempt.enrollment_id]
        for qid in attempt.question_ids:
            values = form[f"q-{qid}"]
            if questions[qid].kind in CHOICE_KINDS:
                shown = attempt.choice_order[str(qid)]
                values = sorted(values, key=lambda v: shown.index(int(v)))
            fields += [(f"q-{qid}", v) for v in values]
        fields.append(("action", "submit"))
        posts.append(
            Post(
                attempt_id=attempt.pk,
                path=reverse("quizzes:attempt", args=[COURSE_SLUG, quiz.pk, attempt.pk]),
                cookie=(
                    f"{settings.SESSION_COOKIE_NAME}={session_key};"
                    f" {settings.CSRF_COOKIE_NAME}={secret}"
                ),
                body=urlencode(fields),
            )
        )
    rng.shuffle(posts)  # learners submit in no particular order
    return posts


# --- HTTP: load clients ------------------------------------------------------------------------

LUA = Template(r"""-- Made by bench/quiz_bench.py for one wrk run: a POST per line of the data.
local data_path = "${data}"
local first, last = ${first}, ${last}  -- lines [first, last), 0-based
local cycle = ${cycle}  -- true: start again at the first line (the reference post)
local fixed_path = "${path}"  -- the reference: every form to this path, not to its attempt
local expect = "${expect}"  -- "result": a 302 to the attempt's result page; else this Location
local stats_path = "${stats}"

local prepared = {}
local threads = {}
issued, ok, unexpected, first_unexpected = 0, 0, 0, ""
verified = false
ids = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  for line in io.lines(data_path) do
    if n >= first and n < last then
      local path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$$")
      if fixed_path ~= "" then
        path = fixed_path
      end
      prepared[#prepared + 1] = wrk.format("POST", path, {
        ["Cookie"] = cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded",
      }, body)
    end
    n = n + 1
  end
  -- Past the last prepared attempt: a request that fails loudly rather than a resubmission.
  exhausted = wrk.format("GET", "/bench/no-open-attempts-left/")
end

function request()
  if not verified then
    -- wrk calls request() once before the run to check the request it returns; not sent.
    verified = true
    return prepared[1]
  end
  issued = issued + 1
  if cycle then
    return prepared[(issued - 1) % #prepared + 1]
  end
  return prepared[issued] or exhausted
end

function response(status, headers, body)
  local location = headers["Location"] or ""
  if status == 302 then
    if expect == "result" then
      local id = location:match("/attempts/(%d+)/result/$$")
      if id then
        ok = ok + 1
        ids[#ids + 1] = id
        return
      end
    elseif location == expect then
      ok = ok + 1
      return
    end
  end
  unexpected = unexpected + 1
  if first_unexpected == "" then
    first_unexpected = status .. " " .. location
  end
end

function done(summary, latency, requests)
  local out = assert(io.open(stats_path, "w"))
  for _, thread in ipairs(threads) do
    out:write("issued ", thread:get("issued"), "\n")
    out:write("ok ", thread:get("ok"), "\n")
    out:write("unexpected ", thread:get("unexpected"), "\n")
    out:write("first_unexpected ", thread:get("first_unexpected"), "\n")
    out:write("ids ", table.concat(thread:get("ids"), " "), "\n")
  end
  out:close()
end
""")


@dataclass
class PostTarget(Target):
    """A run_bench Target whose requests are POSTs of prepared forms. ``cycle``: go round the
    learners again and again, posting every form to ``path`` (the reference); otherwise each
    request posts the next learner's form to its attempt, and ``next_line`` is the first learner
    no request has been sent for yet."""

    cycle: bool = False
    expect: str = "result"
    next_line: int = 0
    log: list[dict] = field(default_factory=list)


class PostClient:
    """A client for run_bench.measure: ``client(port, target, headers, options, seconds)``."""

    def __init__(self, kind: str, posts: list[Post], data_path: Path, stamp: str):
        self.kind, self.posts, self.data_path, self.stamp = kind, posts, data_path, stamp

    def __call__(self, port, target: PostTarget, headers, options, seconds) -> dict:
        first = 0 if target.cycle else target.next_line
        if not target.cycle and target.log:
            last_run = target.log[-1]
            expected = last_run["issued"] / max(last_run["seconds"], 0.1) * seconds * 1.5 + 20
            if len(self.posts) - first < expected:
                raise BenchError(
                    f"only {len(self.posts) - first} open attempts left, about {expected:.0f}"
                    " needed for the next run: raise --learners"
                )
        if self.kind == "wrk":
            result, stats = self._wrk(port, target, options, seconds, first)
        else:
            result, stats = self._python(port, target, options, seconds, first)
        stats.update({"first": first, "seconds": seconds, "requests": result["requests"]})
        target.log.append(stats)
        if not target.cycle:
            target.next_line = first + stats["issued"]
        if stats["unexpected"]:
            raise BenchError(
                f"{target.name}: {stats['unexpected']} responses were not the expected redirect"
                f" (first: {stats['first_unexpected']})"
            )
        return result

    def _wrk(self, port, target, options, seconds, first) -> tuple[dict, dict]:
        script = RESULTS / f"quiz-{self.stamp}-{target.name}.lua"
        stats_path = RESULTS / f"quiz-{self.stamp}-{target.name}.stats"
        stats_path.unlink(missing_ok=True)
        script.write_text(
            LUA.substitute(
                data=self.data_path,
                first=first,
                last=len(self.posts),
                cycle="true" if target.cycle else "false",
                path=target.path if target.cycle else "",
                expect=target.expect,
                stats=stats_path,
            )
        )
        result = wrk_run(port, target, {}, options, seconds, script=script)
        stats = {}
        for line in stats_path.read_text().splitlines():
            name, _, value = line.partition(" ")
            stats[name] = value
        out = {
            "issued": int(stats["issued"]),
            "ok": int(stats["ok"]),
            "unexpected": int(stats["unexpected"]),
            "first_unexpected": stats["first_unexpected"],
            "ids": [int(x) for x in stats["ids"].split()] if not target.cycle else [],
        }
        # wrk stops at the deadline with up to one request per connection in flight: the server
        # still answers it (and submits the attempt) but wrk neither counts nor sees it.
        out["in_flight"] = out["issued"] - result["requests"]
        return result, out

    def _python(self, port, target, options, seconds, first) -> tuple[dict, dict]:
        """Threads posting the next learner's form; at the deadline they stop sending and finish
        the requests under way, so nothing is left in flight."""
        stop_at = time.monotonic() + seconds
        lock = threading.Lock()
        state = {"next": first, "issued": 0, "ok": 0, "unexpected": 0, "first_unexpected": ""}
        ids, latencies, errors = [], [], []

        def worker() -> None:
            conn = None
            while time.monotonic() < stop_at:
                with lock:
                    index = state["next"]
                    if target.cycle:
                        index %= len(self.posts)
                    elif index >= len(self.posts):
                        state["unexpected"] += 1
                        state["first_unexpected"] = "no open attempts left"
                        return
                    state["next"] += 1
                    state["issued"] += 1
                post = self.posts[index]
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
                started = time.perf_counter()
                try:
                    conn.request(
                        "POST",
                        target.path if target.cycle else post.path,
                        body=post.body.encode(),
                        headers={
                            "Cookie": post.cookie,
                            "Content-Type": "application/x-www-form-urlencoded",
                        },
                    )
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as exc:
                    errors.append(repr(exc))
                    conn.close()
                    conn = None
                    continue
                elapsed = time.perf_counter() - started
                location = response.getheader("Location", "")
                good = response.status == 302 and (
                    location.endswith(f"/attempts/{post.attempt_id}/result/")
                    if target.expect == "result"
                    else location == target.expect
                )
                with lock:
                    latencies.append(elapsed)
                    if good:
                        state["ok"] += 1
                        if not target.cycle:
                            ids.append(post.attempt_id)
                    else:
                        state["unexpected"] += 1
                        state["first_unexpected"] = state["first_unexpected"] or (
                            f"{response.status} {location}"
                        )
                if response.will_close:
                    conn.close()
                    conn = None
            if conn is not None:
                conn.close()

        elapsed = run_threads(worker, options.concurrency)
        result = {
            "rps": len(latencies) / elapsed,
            "requests": len(latencies),
            "non_2xx": 0,  # unexpected responses are reported by PostClient
            "errors": len(errors),
            **latency_percentiles(latencies),
        }
        stats = {
            "issued": state["issued"],
            "ok": state["ok"],
            "unexpected": state["unexpected"],
            "first_unexpected": state["first_unexpected"],
            "ids": ids,
            "in_flight": 0,
        }
        return result, stats


def post_once(port: int, post: Post, *, body: str | None = None, cookie: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(
            "POST",
            post.path,
            body=(post.body if body is None else body).encode(),
            headers={
                "Cookie": post.cookie if cookie is None else cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()


def get_once(port: int, path: str, cookie: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        conn.close()


def check_server(port: int, posts: list[Post], submit: PostTarget, log_path: Path) -> dict:
    """Before timing: the reference post answers its redirect, and not without its CSRF token or
    its session; one submit answers a redirect to its result page, which shows the score."""
    first = posts[0]
    reference = Post(first.attempt_id, REFERENCE_REDIRECT, first.cookie, first.body)
    checks = {
        "reference": post_once(port, reference),
        "reference_without_token": post_once(
            port, reference, body=first.body.replace("csrfmiddlewaretoken=", "x=", 1)
        ),
        "reference_signed_out": post_once(port, reference, cookie=first.cookie.split("; ")[1]),
    }
    if checks["reference"] != (302, REFERENCE_REDIRECT):
        raise BenchError(
            f"POST {REFERENCE_REDIRECT} answered {checks['reference']}:\n{tail(log_path)}"
        )
    if checks["reference_without_token"][0] != 403:
        raise BenchError(f"POST without a CSRF token answered {checks['reference_without_token']}")
    if checks["reference_signed_out"][0] != 302 or "login" not in checks["reference_signed_out"][1]:
        raise BenchError(f"POST without a session answered {checks['reference_signed_out']}")
    status, location = post_once(port, first)
    if status != 302 or not location.endswith(f"/attempts/{first.attempt_id}/result/"):
        raise BenchError(f"submit answered {status} {location}:\n{tail(log_path)}")
    status, page = get_once(port, location, first.cookie)
    if status != 200 or 'data-testid="score"' not in page:
        raise BenchError(f"the result page answered {status} without the score")
    checks["submit"] = [status, location]
    submit.log.append(
        {
            "first": 0,
            "issued": 1,
            "ok": 1,
            "unexpected": 0,
            "ids": [first.attempt_id],
            "in_flight": 0,
            "seconds": 0,
            "requests": 1,
            "check": True,
        }
    )
    submit.next_line = 1
    return checks


def verify_submissions(submit: PostTarget, posts: list[Post], concurrency: int) -> dict:
    """Every 302 to a result page must be one attempt, submitted once, and the only attempts
    submitted besides those are ones whose request wrk left in flight when a run ended (at most
    one per connection; the server may or may not have got to it). No attempt that no request
    was sent for is touched."""
    from quizzes.models import Answer, Attempt, AttemptStatus

    redirected = [i for run in submit.log for i in run["ids"]]
    if len(set(redirected)) != len(redirected):
        raise BenchError("an attempt was redirected to its result page twice")
    pool = [p.attempt_id for p in posts]
    rows = dict(Attempt.objects.filter(pk__in=pool).values_list("pk", "status"))
    submitted = {pk for pk, status in rows.items() if status == AttemptStatus.SUBMITTED}
    expired = {pk for pk, status in rows.items() if status == AttemptStatus.EXPIRED}
    # A request in flight is the last one sent on its connection: among the last few sent in its
    # run (connections take turns, not strictly).
    tails, in_flight, sent = set(), 0, set()
    for run in submit.log:
        if run["in_flight"] > concurrency:
            raise BenchError(f"{run['in_flight']} requests in flight on {concurrency} connections")
        ids = pool[run["first"] : run["first"] + run["issued"]]
        sent.update(ids)
        if run["in_flight"]:
            tails.update(ids[-(run["in_flight"] + concurrency) :])
            in_flight += run["in_flight"]
    missing = set(redirected) - submitted
    extra = submitted - set(redirected)
    unexplained = (extra - tails) | (submitted - sent)
    if len(extra) > in_flight:
        unexplained |= extra
    cut_off = sent - submitted
    if len(cut_off) + len(extra) != in_flight or cut_off - tails:
        unexplained |= cut_off
    ungraded = Answer.objects.filter(attempt__in=submitted, points__isnull=True).count()
    answers = Answer.objects.filter(attempt__in=submitted).count()
    out = {
        "redirects_to_result": len(redirected),
        "submitted_in_database": len(submitted),
        "requests_in_flight_at_the_end_of_runs": in_flight,
        "of_which_submitted": len(extra),
        "redirected_but_not_submitted": len(missing),
        "unexplained": len(unexplained),
        "expired": len(expired),
        "answers_of_submitted": answers,
        "ungraded_answers": ungraded,
        "open_attempts_never_sent": len(pool) - len(sent),
    }
    if missing or unexplained or expired or ungraded or answers != 50 * len(submitted):
        raise BenchError(f"the database does not match the responses: {out}")
    return out


# --- main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--learners", type=int, default=3000, help="learners with an open attempt for the HTTP part"
    )
    parser.add_argument(
        "--service-attempts",
        type=int,
        default=400,
        help="attempts for the service timings (half submitted without the form, half with it)",
    )
    parser.add_argument("--grader-seconds", type=float, default=2, help="per grader round")
    parser.add_argument("--grader-rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load before each run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per request; median kept")
    parser.add_argument("--concurrency", type=int, default=4, help="connections kept busy")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--wait-idle", type=float, default=30, help="see run_bench.py")
    parser.add_argument("--retries", type=int, default=2, help="see run_bench.py")
    parser.add_argument("--patience", type=float, default=600, help="see run_bench.py")
    parser.add_argument(
        "--wait-others",
        type=float,
        default=3600,
        help="wait up to this many seconds for another run_bench.py/quiz_bench.py to finish",
    )
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--skip-http", action="store_true", help="grader and service only")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--strict", action="store_true", help="exit 2 when the aim is missed")
    options = parser.parse_args()
    options.database_url = os.environ.get("BENCH_QUIZ_DATABASE_URL") or DEFAULT_DATABASE_URL
    options.redis_url = os.environ.get("BENCH_REDIS_URL") or None
    if options.redis_url and urlsplit(options.redis_url).hostname not in {"127.0.0.1", "localhost"}:
        parser.error("BENCH_REDIS_URL: a Redis on this machine only (the bench empties its db)")
    if not 100 <= options.learners <= 20000 or not 10 <= options.service_attempts <= 5000:
        parser.error("--learners: 100 to 20,000; --service-attempts: 10 to 5,000")
    if options.duration <= 0 or options.rounds < 1 or not 1 <= options.concurrency <= 64:
        parser.error("duration must be positive, rounds at least 1, concurrency 1 to 64")
    if options.duration > 120 or options.warmup > 30 or options.rounds > 10:
        parser.error("keep it bounded: duration <= 120 s, warm-up <= 30 s, rounds <= 10")
    if not 0 <= options.wait_idle <= 600 or not 0 <= options.retries <= 5:
        parser.error("--wait-idle: 0 to 600 seconds; --retries: 0 to 5")
    return options


def choose_client(options) -> str:
    if options.client == "wrk" or (options.client == "auto" and shutil.which("wrk")):
        if not shutil.which("wrk"):
            raise BenchError("--client wrk but wrk is not on PATH (apt-get install wrk)")
        return "wrk"
    return "python"


def prepare_database(options, env: dict) -> None:
    print(f"Resetting {urlsplit(options.database_url).path.lstrip('/')}", flush=True)
    reset_database(options.database_url)
    if options.redis_url:
        reset_redis(options.redis_url)
    manage = [sys.executable, "manage.py"]
    run_step([*manage, "migrate", "--noinput", "-v0"], env, "migrate")
    run_step([*manage, "createcachetable"], env, "createcachetable")
    run_step([*manage, "collectstatic", "--noinput", "-v0"], env, "collectstatic")


def load(options) -> dict:
    """Course, quiz, trainer, learners and their answer forms, in this process."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    rng = random.Random(options.seed)
    started = time.monotonic()
    trainer, course, quiz = build_course_and_quiz(rng)
    password_hash = make_password(secrets.token_urlsafe(16))  # nobody signs in by password
    service = make_learners(course, "quiz.service", options.service_attempts, rng, password_hash)
    pool = (
        []
        if options.skip_http
        else make_learners(course, "quiz.learner", options.learners, rng, password_hash)
    )
    questions = quiz_questions(quiz)
    forms = {e.pk: learner_form(rng, questions) for e in [*service, *pool]}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  course, 50-question quiz, {len(service)} + {len(pool)} learners"
        f" in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    return {
        "rng": rng,
        "trainer": trainer,
        "quiz": quiz,
        "questions": questions,
        "service": service,
        "pool": pool,
        "forms": forms,
    }


def print_service(grader: dict, service: dict) -> None:
    print(
        f"\ngrader: {grader['per_second']:,.0f} attempts/s in process"
        f" ({1000 * grader['cpu_ms']:.0f} µs CPU each; {grader['questions']} questions;"
        f" pass rate {grader['pass_rate']:.0%}, mean {grader['mean_percent']} %)"
    )
    print(
        f"{'service call':<26} {'per s':>8} {'wall ms':>8} {'app ms':>7} {'db ms':>6} {'others':>7}"
    )
    for name in (
        "attempt_start",
        "attempt_save",
        "attempt_submit",
        "attempt_submit_with_form",
        "quiz_regrade",
    ):
        row = service[name]
        print(
            f"{name:<26} {row['per_second']:>8.1f} {row['wall_ms']:>8.2f} {row['app_cpu_ms']:>7.2f}"
            f" {row['db_cpu_ms']:>6.2f} {100 * row['others_cpu_share']:>6.0f}%"
        )
    plain, with_form = (
        service["attempt_submit_queries"],
        service["attempt_submit_with_form_queries"],
    )
    print(
        f"queries per submit: {plain['min']}-{plain['max']} (mean {plain['mean']}),"
        f" with the form {with_form['min']}-{with_form['max']} (mean {with_form['mean']});"
        " the most when the attempt passes and the course's completion is checked"
    )


def median_of(target: Target, key: str) -> float:
    return statistics.median(run[key] for run in target.runs)


def http_rows(targets: list[PostTarget], reference: PostTarget) -> list[dict]:
    print(
        f"\n{'request':<10} {'req/s':>8} {'ratio':>6}  {'app ms':>7} {'db ms':>6} {'cpu ratio':>9}"
        f"  {'p50':>8} {'p99':>8}  aim {AIM}"
    )
    ref_cpu = median_of(reference, "app_cpu_ms") + median_of(reference, "db_cpu_ms")
    rows = []
    for target in targets:
        ratio = target.rps / reference.rps
        app_ms, db_ms = median_of(target, "app_cpu_ms"), median_of(target, "db_cpu_ms")
        cpu_ratio = ref_cpu / (app_ms + db_ms)
        last = target.runs[-1]
        verdict = "-" if target is reference else ("met" if ratio >= AIM else "MISSED")
        print(
            f"{target.name:<10} {target.rps:>8.1f} {ratio:>6.3f}  {app_ms:>7.2f} {db_ms:>6.2f}"
            f" {cpu_ratio:>9.3f}  {last['latency_p50']:>8} {last['latency_p99']:>8}  {verdict}"
        )
        rows.append(
            {
                "name": target.name,
                "path": target.path,
                "description": target.description,
                "rps_median": round(target.rps, 1),
                "ratio_to_reference": round(ratio, 3),
                "app_cpu_ms_per_request": app_ms,
                "db_cpu_ms_per_request": db_ms,
                "cpu_ratio_to_reference": round(cpu_ratio, 3),
                "aim_met": None if target is reference else ratio >= AIM,
                "runs": target.runs,
                "client_runs": target.log,
            }
        )
    busy = [
        f"{t.name} round {i}: {100 * run['others_cpu_share']:.0f}%"
        for t in targets
        for i, run in enumerate(t.runs, 1)
        if run["others_cpu_share"] > OTHERS_WARNING
    ]
    if busy:
        print(f"WARNING: other processes took over 10% of the CPU in {'; '.join(busy)}")
    return rows


def bench_http(options, env, data, stamp, client_name) -> dict:
    from django.db import connection

    started = time.monotonic()
    posts = prepare_http_learners(
        data["quiz"], data["pool"], data["questions"], data["forms"], data["rng"]
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would leave the tables
    connection.close()
    data_path = RESULTS / f"quiz-{stamp}-posts.tsv"
    data_path.write_text("".join(f"{p.path}\t{p.cookie}\t{p.body}\n" for p in posts))
    body_bytes = statistics.mean(len(p.body) for p in posts)
    print(
        f"  {len(posts)} open attempts with saved answers, sessions and CSRF pairs"
        f" in {time.monotonic() - started:.1f} s; form body {body_bytes:.0f} B on average",
        flush=True,
    )
    reference = PostTarget(
        "post",
        REFERENCE_REDIRECT,
        "reference: the same form and sessions posted to a signed-in, CSRF-checked view",
        signed_in=True,
        cycle=True,
        expect=REFERENCE_REDIRECT,
    )
    submit = PostTarget(
        "submit",
        posts[0].path,
        "POST action=submit with the whole answer form to a different open attempt each time",
        signed_in=True,
    )
    targets = [reference, submit]
    client = PostClient(client_name, posts, data_path, stamp)
    log_path = RESULTS / f"quiz-gunicorn-{stamp}.log"
    port = free_port()
    wait_for_other_benchmarks(options.wait_others)
    print(f"Starting gunicorn on {HOST}:{port} with {options.workers} sync workers", flush=True)
    server = start_gunicorn(env, port, options.workers, log_path)
    meter = None
    try:
        wait_until_ready(server, port, log_path)
        meter = CpuMeter(server.pid, options.database_url)
        checks = check_server(port, posts, submit, log_path)
        print(
            "  checks: reference 302, 403 without the token, sign-in without the session;"
            " submit 302 to its result page, which shows the score",
            flush=True,
        )
        options.patience_until = (
            time.monotonic()
            + options.rounds * len(targets) * (options.warmup + options.duration)
            + options.patience
        )
        print(
            f"Measuring with {client_name}: {options.rounds} rounds x 2, {options.warmup:g} s"
            f" warm-up + {options.duration:g} s each, {options.concurrency} connections",
            flush=True,
        )
        for number in range(1, options.rounds + 1):
            for target in targets:
                wait_for_other_benchmarks(options.wait_others)
                result = measure(port, target, {}, options, client, meter)
                target.runs.append(result)
                print(
                    f"  round {number} {target.name:<7} {result['rps']:8.1f} req/s"
                    f"  app {result['app_cpu_ms']:6.2f} ms  db {result['db_cpu_ms']:5.2f} ms"
                    f"  client {result['client_cpu_ms']:5.2f} ms"
                    f"  others {100 * result['others_cpu_share']:3.0f}% CPU",
                    flush=True,
                )
    finally:
        if meter is not None:
            meter.close()
        stop_gunicorn(server)
        # The forms (3 MB, with the bench sessions' keys) and wrk's counts; the Lua scripts stay.
        data_path.unlink(missing_ok=True)
        for stats in RESULTS.glob(f"quiz-{stamp}-*.stats"):
            stats.unlink()
    rows = http_rows(targets, reference)
    verification = verify_submissions(submit, posts, options.concurrency)
    print(
        f"database: {verification['submitted_in_database']} attempts submitted ="
        f" {verification['redirects_to_result']} redirects to their result pages"
        f" + {verification['of_which_submitted']} of the"
        f" {verification['requests_in_flight_at_the_end_of_runs']} requests left in flight when"
        f" runs ended; {verification['open_attempts_never_sent']} open attempts never sent"
    )
    return {
        "client": client_name,
        "learners": len(posts),
        "form_body_bytes": round(body_bytes),
        "checks": checks,
        "results": rows,
        "ratio": rows[1]["ratio_to_reference"],
        "aim": AIM,
        "aim_met": rows[1]["aim_met"],
        "verification": verification,
        "server_log": str(log_path.relative_to(ROOT)),
    }


def main() -> int:
    options = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops gunicorn
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    env = django_env(options.database_url, secrets.token_urlsafe(48), options.redis_url)
    try:
        client_name = choose_client(options)
        wait_for_other_benchmarks(options.wait_others)
        prepare_database(options, env)
        # This process loads the data and times the services with the server's settings and
        # secret key, so the sessions it writes are valid for the server.
        os.environ.pop("REDIS_URL", None)
        os.environ.update(env)
        import django

        django.setup()
        data = load(options)
        meter = CpuMeter(os.getpid(), options.database_url)
        try:
            print("Timing the grader and the services", flush=True)
            grader = bench_grader(data["quiz"], data["questions"], data["forms"], options, meter)
            service = bench_service(
                data["quiz"],
                data["trainer"],
                data["questions"],
                data["service"],
                data["forms"],
                options,
                meter,
            )
        finally:
            meter.close()
        print_service(grader, service)
        http = None if options.skip_http else bench_http(options, env, data, stamp, client_name)
        document = {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "postgresql": server_version(options.database_url),
            "cache": "redis" if options.redis_url else "database",
            "settings": {
                key: getattr(options, key)
                for key in (
                    "learners",
                    "service_attempts",
                    "grader_seconds",
                    "grader_rounds",
                    "duration",
                    "warmup",
                    "rounds",
                    "concurrency",
                    "workers",
                    "wait_idle",
                    "retries",
                    "seed",
                )
            },
            "grader": grader,
            "service": service,
            "http": http,
        }
        out = RESULTS / f"quiz-bench-{stamp}.json"
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str))
        print(f"Written {out.relative_to(ROOT)}")
        if http is not None and not http["aim_met"]:
            print(f"The submit request is below {AIM} of the reference post ({http['ratio']:.3f})")
            return 2 if options.strict else 0
        return 0
    except (BenchError, psycopg.Error) as exc:
        print(f"\nBENCH FAILED: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
