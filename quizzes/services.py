"""Quiz attempts: starting, saving, submitting, grading, closing at the time limit, regrading.

Every rule about attempts lives here; views, tasks and the admin call these functions.
"""

import json
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from courses import services as course_services
from courses.models import Enrollment
from lms import boundary

from . import answer_keys, grading
from .models import (
    CHOICE_KINDS,
    Answer,
    Attempt,
    AttemptStatus,
    Question,
    QuestionKind,
    Quiz,
)

logger = logging.getLogger(__name__)

MAX_TEXT_ANSWER = Answer._meta.get_field("text").max_length
_NUMBER_FIELD = Answer._meta.get_field("number")
MAX_OVERRIDE_REASON = 500
FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


class QuizError(Exception):
    """A rule refused the request; the message is for the learner."""


@dataclass
class SaveResult:
    saved: int = 0
    late: bool = False
    errors: dict[int, str] = field(default_factory=dict)


def attempt_start(
    *, enrollment: Enrollment, quiz: Quiz, now: datetime | None = None, rng=None
) -> Attempt:
    """Start an attempt, or return the one already open.

    The attempt limit holds under concurrent requests: the learner's enrollment row is locked
    while attempts are counted, and the database allows one open attempt per quiz and learner
    and one row per attempt number. An open attempt whose time ran out is closed and graded as
    it stood at the deadline before a new one may start; it stays closed even when no new
    attempt may start.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    if quiz.course_id != enrollment.course_id:
        raise QuizError(_("This quiz is not part of your course."))
    if not enrollment.is_open:
        raise QuizError(_not_enrolled())
    # Read before the transaction: a database cache's write then holds no row lock in it.
    keys = answer_keys.quiz_keys(quiz.pk)
    try:
        attempt, refusal = _start(enrollment, quiz, keys, now, rng)
    except IntegrityError:
        # A concurrent request started the attempt first; hand back that one.
        existing = Attempt.objects.filter(
            quiz=quiz, enrollment=enrollment, status=AttemptStatus.IN_PROGRESS
        ).first()
        if existing is None:
            raise QuizError(_("You have used all your attempts at this quiz.")) from None
        return existing
    if refusal:
        # Raised after the commit, so that closing a timed-out attempt stands.
        raise QuizError(refusal)
    return attempt


def _start(enrollment, quiz, keys, now, rng) -> tuple[Attempt | None, str]:
    with transaction.atomic():
        _lock_open_enrollment(enrollment.pk)
        open_attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .filter(quiz=quiz, enrollment=enrollment, status=AttemptStatus.IN_PROGRESS)
            .order_by("pk")
            .first()
        )
        if open_attempt is not None:
            if not open_attempt.deadline_passed(now):
                return open_attempt, ""
            open_attempt.quiz = quiz
            _finish(open_attempt, now=now, keys=keys)
        used = Attempt.objects.filter(quiz=quiz, enrollment=enrollment).count()
        if quiz.attempt_limit is not None and used >= quiz.attempt_limit:
            return None, _("You have used all your attempts at this quiz.")
        if not keys.pool:
            return None, _("This quiz has no questions yet.")
        drawn = _draw(quiz, list(keys.pool), rng)
        course_services.enrollment_touch(enrollment_id=enrollment.pk, now=now)
        # The enrollment lock serialises starts; the constraints stand behind it.
        attempt = Attempt.objects.create(
            quiz=quiz,
            enrollment=enrollment,
            number=used + 1,
            started_at=now,
            deadline=(
                now + timedelta(minutes=quiz.time_limit_minutes)
                if quiz.time_limit_minutes
                else None
            ),
            question_ids=[q.id for q in drawn],
            choice_order={
                str(q.id): _choice_order(quiz, q, keys.choice_order.get(q.id, ()), rng)
                for q in drawn
            },
        )
        return attempt, ""


def _not_enrolled() -> str:
    return _("Enrol in the course to take its quizzes.")


def _lock_open_enrollment(enrollment_id: int) -> Enrollment:
    """Lock the learner's enrollment row and refuse unless it is open (active or completed).

    Every write a learner makes to an attempt takes this lock first, and so does withdrawal
    (``courses.services.enrollment_withdraw``): a learner who has left a course cannot start,
    save or submit an attempt, even with a request racing the withdrawal."""
    locked = Enrollment.objects.select_for_update().get(pk=enrollment_id)
    if not locked.is_open:
        raise QuizError(_not_enrolled())
    return locked


def _lock_attempt(attempt_id: int, *, with_quiz: bool = True) -> Attempt:
    """The attempt with its enrollment, both rows locked in one statement, the enrollment's
    first: every writer of a learner's attempts takes the enrollment's lock before the
    attempt's (see ``_lock_open_enrollment``), so two of them never wait on each other."""
    query = Attempt.objects.select_related("enrollment").select_for_update(
        of=("enrollment", "self")
    )
    return (query.select_related("quiz") if with_quiz else query).get(pk=attempt_id)


def _lock_open_attempt(attempt: Attempt, *, already_locked: bool = False) -> Attempt:
    """``_lock_attempt`` for a learner's write, refused unless the enrollment is open and the
    attempt still in progress. The caller's quiz (not locked) is kept rather than read again.

    ``already_locked``: the caller's transaction read ``attempt`` with its enrollment under both
    rows' locks (``quizzes.selectors.learner_attempt(lock=True)``), so it is not read again."""

    if already_locked:
        locked = attempt
        quiz_loaded = False
    else:
        quiz_loaded = Attempt.quiz.is_cached(attempt)
        locked = _lock_attempt(attempt.pk, with_quiz=not quiz_loaded)
    if not locked.enrollment.is_open:
        raise QuizError(_not_enrolled())
    if quiz_loaded:
        locked.quiz = attempt.quiz
    if Quiz.course.is_cached(locked.quiz) and locked.quiz.course_id == locked.enrollment.course_id:
        # The certificate listener reads the course on a completion.
        locked.enrollment.course = locked.quiz.course
    if locked.status != AttemptStatus.IN_PROGRESS:
        raise QuizError(_("This attempt has already been submitted."))
    return locked


def _check_caller_locked(already_locked: bool) -> None:
    if already_locked and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("already_locked needs the caller's transaction and row locks")


def _draw(quiz: Quiz, pool: list[grading.QuestionKey], rng) -> list[grading.QuestionKey]:
    count = quiz.questions_per_attempt
    if count is not None and count < len(pool):
        chosen = set(q.id for q in rng.sample(pool, count))
        drawn = [q for q in pool if q.id in chosen]
    else:
        drawn = list(pool)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


def _choice_order(quiz: Quiz, question: grading.QuestionKey, authored, rng) -> list[int]:
    ids = list(authored)
    if quiz.shuffle_choices and question.kind != QuestionKind.TRUE_FALSE:
        rng.shuffle(ids)
    return ids


def _parse_number(raw: str) -> Decimal:
    """A numeric answer that fits ``Answer.number``; ValidationError says what is wrong."""
    return boundary.parse_decimal_for(_NUMBER_FIELD, raw)


def _parse_answer(kind: str, allowed_choices: list[int], values: list[str]):
    """The stored form of one answer, as (choice ids, text, number), or a message saying what is
    wrong with it."""
    values = [v for v in values if v.strip()]
    if kind in CHOICE_KINDS:
        chosen = []
        for value in values:
            choice_id = boundary.parse_id(value)
            if choice_id is None or choice_id not in allowed_choices:
                return None, _("That is not one of this question's choices.")
            if choice_id not in chosen:
                chosen.append(choice_id)
        if kind != QuestionKind.MULTIPLE and len(chosen) > 1:
            return None, _("Choose only one answer.")
        chosen.sort()
        return (chosen, "", None), None
    text = values[0].strip() if values else ""
    problem = boundary.text_problem(text, max_length=MAX_TEXT_ANSWER)
    if problem:
        return None, problem
    if kind == QuestionKind.SHORT_TEXT:
        return ([], text, None), None
    if not text:
        return ([], "", None), None
    try:
        number = _parse_number(text)
    except ValidationError as exc:
        return None, exc.messages[0]
    return ([], text[:MAX_TEXT_ANSWER], number), None


def _attempt_keys(attempt: Attempt, keys: answer_keys.QuizKeys | None) -> dict:
    """The attempt's question keys by id. A drawn question missing from cached keys was
    written past the signals (or deleted): the database is asked once more."""
    if keys is None:
        keys = answer_keys.quiz_keys(attempt.quiz_id)
    by_id = keys.by_id
    if any(qid not in by_id for qid in attempt.question_ids):
        by_id = answer_keys.quiz_keys(attempt.quiz_id, fresh=True).by_id
        if any(qid not in by_id for qid in attempt.question_ids):
            # A question moved to another quiz keeps grading by its own row.
            by_id = {**_keys(attempt.question_ids), **by_id}
    return by_id


@dataclass(slots=True)
class AnswerRow:
    """One answer to write: the plain values of an ``Answer`` row, without building a model
    instance (a submit writes fifty of them)."""

    attempt_id: int
    question_id: int
    choice_ids: list[int]
    text: str
    number: Decimal | None
    saved_at: datetime
    points: Decimal | None = None
    correct: bool | None = None


def _parse_paper(
    attempt: Attempt, data: Mapping[str, list[str]], now: datetime, by_id: dict
) -> tuple[SaveResult, list[AnswerRow]]:
    """The paper's answers as rows to store: every drawn question that still exists, an
    unanswered one as an empty answer; refused answers are left out and reported."""
    result = SaveResult()
    rows = []
    attempt_id, choice_order = attempt.pk, attempt.choice_order
    getlist = data.getlist if hasattr(data, "getlist") else None
    for question_id in attempt.question_ids:
        key = by_id.get(question_id)
        if key is None:
            continue
        field_name = f"q-{question_id}"
        # A QueryDict's get() gives only the last value; every value is wanted.
        values = getlist(field_name) if getlist else list(data.get(field_name, []))
        allowed = choice_order.get(str(question_id), [])
        parsed, error = _parse_answer(key.kind, allowed, values)
        if error:
            result.errors[question_id] = error
            continue
        choice_ids, text, number = parsed
        rows.append(AnswerRow(attempt_id, question_id, choice_ids, text, number, now))
        result.saved += 1
    return result, rows


_CONTENT_FIELDS = ["choice_ids", "text", "number", "saved_at"]
_POINTS_FIELDS = ["points", "correct"]
_ANSWER_TABLE = Answer._meta.db_table
# Every column of an answer, in the order of the JSON rows below, with its PostgreSQL type.
_ANSWER_COLUMNS = (
    ("attempt_id", "bigint"),
    ("question_id", "bigint"),
    ("choice_ids", "jsonb"),
    ("text", "varchar"),
    ("number", "numeric"),
    ("saved_at", "timestamptz"),
    ("points", "numeric"),
    ("correct", "boolean"),
)


def _upsert(
    rows: list[AnswerRow],
    fields: list[str],
    *,
    attempt: Attempt | None = None,
    attempt_fields=(),
    also: Sequence[tuple[str, list]] = (),
) -> None:
    """One INSERT ... ON CONFLICT DO UPDATE: new answers are added, the given fields of earlier
    ones replaced. The attempt's row lock already serialises the writers of its answers. With
    ``attempt``, its ``attempt_fields`` are saved too; ``also``: other apps' UPDATE statements
    (with their parameters) to run with it, the learner's activity. On PostgreSQL all of it is
    one statement.

    On PostgreSQL the rows travel as one JSON array of arrays, one parameter that the C JSON
    encoder writes (numbers and times as their text, which each column's type reads back);
    elsewhere ``bulk_create`` writes the same rows."""
    connection = transaction.get_connection()
    if not rows or connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            for statement, params in also:
                cursor.execute(statement, params)
        _upsert_portably(rows, fields)
        if attempt is not None:
            attempt.save(update_fields=list(attempt_fields))
        return
    # Numbers and times go as their text, made here: a ``default`` the encoder calls back for
    # each of them costs twice the whole encoding. A paper's rows share one save time.
    times: dict[datetime, str] = {}
    payload = json.dumps(
        [
            [
                r.attempt_id,
                r.question_id,
                r.choice_ids,
                r.text,
                None if r.number is None else str(r.number),
                times.get(r.saved_at) or times.setdefault(r.saved_at, str(r.saved_at)),
                None if r.points is None else str(r.points),
                r.correct,
            ]
            for r in rows
        ],
        ensure_ascii=False,
    )
    columns = ", ".join(name for name, _type in _ANSWER_COLUMNS)
    values = ", ".join(
        f"row -> {i}" if array_type == "jsonb" else f"(row ->> {i})::{array_type}"
        for i, (_name, array_type) in enumerate(_ANSWER_COLUMNS)
    )
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in fields)
    # The statements are built from this module's constant names; every value is a parameter.
    statement = (
        f"INSERT INTO {_ANSWER_TABLE} ({columns}) SELECT {values} "  # noqa: S608
        "FROM jsonb_array_elements(%s::jsonb) AS row "
        f"ON CONFLICT (attempt_id, question_id) DO UPDATE SET {updates}"
    )
    params = [payload]
    if attempt is not None:
        # A data-modifying WITH runs to completion whether or not it is read: one round trip.
        sets = ", ".join(f"{_ATTEMPT_COLUMNS[name]} = %s" for name in attempt_fields)
        statement = (
            f"WITH answers AS ({statement}) "  # noqa: S608
            f"UPDATE {_ATTEMPT_TABLE} SET {sets} WHERE id = %s"
        )
        params += [_db_value(getattr(attempt, name)) for name in attempt_fields]
        params.append(attempt.pk)
    if also:
        # The other updates go first, as data-modifying WITH queries of their own.
        ctes = ", ".join(f"also_{i} AS ({sql})" for i, (sql, _params) in enumerate(also))
        if statement.startswith("WITH "):
            statement = f"WITH {ctes}, {statement.removeprefix('WITH ')}"
        else:
            statement = f"WITH {ctes} {statement}"
        params = [value for _sql, other in also for value in other] + params
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


_ATTEMPT_TABLE = Attempt._meta.db_table
_ATTEMPT_COLUMNS = {f.name: f.column for f in Attempt._meta.concrete_fields}


def _db_value(value):
    # A TextChoices member goes in as its value, as the ORM would write it.
    return value.value if isinstance(value, AttemptStatus) else value


def _upsert_portably(rows: list[AnswerRow], fields: list[str]) -> None:
    if rows:
        Answer.objects.bulk_create(
            [
                Answer(**{name: getattr(row, name) for name, _type in _ANSWER_COLUMNS})
                for row in rows
            ],
            update_conflicts=True,
            unique_fields=["attempt", "question"],
            update_fields=fields,
        )


def _save(attempt: Attempt, data: Mapping[str, list[str]], now: datetime, keys=None) -> SaveResult:
    """Store the paper's answers and the learner's activity in a fixed number of queries (one on
    PostgreSQL), however many questions."""
    result, rows = _parse_paper(attempt, data, now, _attempt_keys(attempt, keys))
    _upsert(rows, _CONTENT_FIELDS, also=[_touch(attempt, now)])
    return result


def _touch(attempt: Attempt, now: datetime) -> tuple[str, list]:
    return course_services.enrollment_touch_statement(enrollment_id=attempt.enrollment_id, now=now)


def attempt_save(
    *,
    attempt: Attempt,
    data: Mapping[str, list[str]],
    now: datetime | None = None,
    already_locked: bool = False,
) -> SaveResult:
    """Save answers without submitting. ``data`` maps "q-<question id>" to the submitted values
    (a QueryDict works). ``data`` is the whole paper, as the attempt form posts it: a question
    missing from it is saved as unanswered (an unticked checkbox sends nothing). Only the
    attempt's own questions and choices are read; anything else is ignored, and an answer that
    does not fit its question is refused with a message. After the deadline nothing is saved.
    ``already_locked``: as for ``attempt_submit``."""
    now = now or timezone.now()
    _check_caller_locked(already_locked)
    keys = answer_keys.quiz_keys(attempt.quiz_id)
    # Inside the caller's transaction no savepoint: a refusal rolls all of it back.
    with transaction.atomic(savepoint=not already_locked):
        locked = _lock_open_attempt(attempt, already_locked=already_locked)
        if locked.deadline_passed(now):
            return SaveResult(late=True)
        return _save(locked, data, now, keys)


def attempt_submit(
    *,
    attempt: Attempt,
    data: Mapping[str, list[str]] | None = None,
    now: datetime | None = None,
    already_locked: bool = False,
) -> tuple[Attempt, SaveResult]:
    """Save the last answers (unless the time is up), grade the attempt and record the result.
    An attempt is submitted once; passing a required quiz may complete the course.

    A paper whose every answer fits is graded as posted and each answer written once, with its
    points; otherwise the refused answers keep what was saved before, so the stored answers are
    graded.

    ``already_locked``: the caller's transaction has read ``attempt`` and its enrollment under
    their row locks (the attempt page's POST), so they are not read again."""
    now = now or timezone.now()
    # Read before the transaction (unless the caller's is open): a database cache's write then
    # holds no row lock in it.
    _check_caller_locked(already_locked)
    keys = answer_keys.quiz_keys(attempt.quiz_id)
    # Inside the caller's transaction no savepoint: a refusal rolls all of it back.
    with transaction.atomic(savepoint=not already_locked):
        locked = _lock_open_attempt(attempt, already_locked=already_locked)
        saved = SaveResult(late=locked.deadline_passed(now))
        if data is not None and not saved.late:
            by_id = _attempt_keys(locked, keys)
            saved, rows = _parse_paper(locked, data, now, by_id)
            touch = _touch(locked, now)
            if not saved.errors:
                _finish(
                    locked, now=now, keys=keys, posted=rows, enrollment_locked=True, also=[touch]
                )
                return locked, saved
            _upsert(rows, _CONTENT_FIELDS, also=[touch])
        _finish(locked, now=now, keys=keys, enrollment_locked=True)
    return locked, saved


def _keys(question_ids: list[int]) -> dict[int, grading.QuestionKey]:
    questions = Question.objects.filter(pk__in=question_ids).prefetch_related("choices")
    return {q.pk: question_key(q) for q in questions}


def question_key(question: Question) -> grading.QuestionKey:
    choices = list(question.choices.all())
    return grading.QuestionKey(
        id=question.pk,
        kind=question.kind,
        points=question.points,
        correct_choice_ids=frozenset(c.pk for c in choices if c.is_correct),
        choice_ids=frozenset(c.pk for c in choices),
        partial_credit=question.partial_credit,
        accepted_answers=tuple(str(a) for a in (question.accepted_answers or [])),
        numeric_answer=question.numeric_answer,
        numeric_tolerance=question.numeric_tolerance or Decimal(0),
    )


def _stored_answers(attempt: Attempt) -> list[AnswerRow]:
    """The attempt's answers as rows (plain values, no model loading per field)."""
    return [
        AnswerRow(attempt.pk, question_id, choice_ids, text, number, saved_at)
        for question_id, choice_ids, text, number, saved_at in Answer.objects.filter(
            attempt_id=attempt.pk
        ).values_list("question_id", "choice_ids", "text", "number", "saved_at")
    ]


_GRADE_FIELDS = ["score", "max_score", "percent", "passed"]
_FINISH_FIELDS = ["status", "submitted_at", *_GRADE_FIELDS]


def _grade(
    attempt: Attempt,
    *,
    keys=None,
    posted: list[AnswerRow] | None = None,
    save_fields: list[str] = _GRADE_FIELDS,
    also: Sequence[tuple[str, list]] = (),
) -> grading.Result:
    """Grade the attempt, store each answer's points and save the attempt's ``save_fields``
    (its grade, and whatever else the caller has set), in one statement on PostgreSQL.
    ``posted``: the paper just parsed, written here with its points; without it the stored
    answers are graded. ``also``: as for ``_upsert``."""
    by_id = _attempt_keys(attempt, keys) if keys is not None else _keys(attempt.question_ids)
    answers = posted if posted is not None else _stored_answers(attempt)
    responses = {
        a.question_id: grading.Response(
            choice_ids=frozenset(a.choice_ids), text=a.text, number=a.number
        )
        for a in answers
    }
    ordered = [by_id[qid] for qid in attempt.question_ids if qid in by_id]
    result = grading.grade(ordered, responses, pass_mark=attempt.quiz.pass_mark)
    graded = []
    for answer in answers:
        question_result = result.questions.get(answer.question_id)
        if question_result is not None:
            answer.points, answer.correct = question_result.points, question_result.correct
            graded.append(answer)
    attempt.score, attempt.max_score = result.score, result.max_score
    attempt.percent, attempt.passed = result.percent, result.passed
    if posted is not None:
        # Every posted row has its key, so each is written once, content and points together.
        rows, fields = posted, [*_CONTENT_FIELDS, *_POINTS_FIELDS]
    else:
        rows, fields = graded, _POINTS_FIELDS
    _upsert(rows, fields, attempt=attempt, attempt_fields=save_fields, also=also)
    return result


def _finish(
    attempt: Attempt,
    *,
    now: datetime,
    keys=None,
    posted=None,
    enrollment_locked: bool = False,
    also: Sequence[tuple[str, list]] = (),
) -> None:
    """Grade and close an open attempt. Past the deadline it closes as it stood then.
    ``enrollment_locked``: ``attempt.enrollment`` is the row this transaction has locked, so the
    completion check on a pass reads it as it is."""
    expired = attempt.deadline_passed(now)
    attempt.status = AttemptStatus.EXPIRED if expired else AttemptStatus.SUBMITTED
    attempt.submitted_at = attempt.deadline if expired else now
    if keys is None and posted is None:
        _grade(attempt, save_fields=_FINISH_FIELDS, also=also)
    else:
        _grade(attempt, keys=keys, posted=posted, save_fields=_FINISH_FIELDS, also=also)
    if attempt.passed:
        course_services.enrollment_update_completion(
            enrollment=attempt.enrollment, already_locked=enrollment_locked
        )


def attempts_close_expired(*, now: datetime | None = None) -> int:
    """Close every open attempt whose time ran out, graded as it stood at its deadline; for
    learners who never came back. Safe to run any number of times. Each attempt is closed in
    its own transaction: one that cannot be graded is logged and left open, and the others are
    still closed. Returns how many were closed."""
    now = now or timezone.now()
    closed = 0
    expired_ids = list(
        Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for attempt_id in expired_ids:
        try:
            closed += _close_expired(attempt_id, now=now)
        except Exception:
            logger.exception("Could not close expired attempt %s; skipped", attempt_id)
    return closed


def _close_expired(attempt_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        attempt = _lock_attempt(attempt_id)
        if attempt.status == AttemptStatus.IN_PROGRESS and attempt.deadline_passed(now):
            _finish(attempt, now=now, enrollment_locked=True)
            return True
    return False


def quiz_regrade(
    *,
    quiz: Quiz,
    actor,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Grade every finished attempt of ``quiz`` again, after a question was corrected. Scores
    and course completions follow the new grades; certificates already issued are not touched;
    a grade a trainer set by hand stands.

    The attempts are graded in batches of about ``batch_size`` (``LMS_REGRADE_BATCH_SIZE``),
    each in its own transaction that locks its attempts, re-checks the completions of their
    enrolments and records the changed scores in the audit log (one ``quiz.regrade`` event a
    batch). Every attempt of one enrolment falls in the same batch, so a completion is never
    judged on half-regraded attempts. ``progress(done, total)`` is called before the first
    batch and after each one commits. Grading is a function of the answers and the current
    keys, so running the regrade again, or again after an interruption, changes nothing more."""
    if batch_size is None:
        batch_size = settings.LMS_REGRADE_BATCH_SIZE
    batch_size = max(1, batch_size)
    # The keys as the database has them now (a correction was just saved), read before the
    # batches; they refresh the cache too.
    keys = answer_keys.quiz_keys(quiz.pk, fresh=True)
    batches = _regrade_batches(quiz, batch_size=batch_size)
    total = sum(len(batch) for batch in batches)
    if progress is not None:
        progress(0, total)
    attempts = changed = 0
    # A quiz with no finished attempt still records one (empty) regrade in the audit log.
    for number, attempt_ids in enumerate(batches or [[]], start=1):
        outcome = _regrade_batch(
            quiz, attempt_ids, keys=keys, actor=actor, batch=number, batches=len(batches) or 1
        )
        attempts += outcome["attempts"]
        changed += outcome["changed"]
        if progress is not None and attempt_ids:
            progress(attempts, total)
    return {"attempts": attempts, "changed": changed}


def _regrade_batches(quiz: Quiz, *, batch_size: int) -> list[list[int]]:
    """The ids of the finished attempts, cut into batches of at least ``batch_size`` (the last
    may be smaller), never splitting one enrolment's attempts."""
    rows = (
        Attempt.objects.filter(quiz=quiz, status__in=FINISHED)
        .order_by("enrollment_id", "pk")
        .values_list("pk", "enrollment_id")
    )
    batches: list[list[int]] = []
    current: list[int] = []
    previous_enrollment = None
    for attempt_id, enrollment_id in rows:
        if enrollment_id != previous_enrollment and len(current) >= batch_size:
            batches.append(current)
            current = []
        current.append(attempt_id)
        previous_enrollment = enrollment_id
    if current:
        batches.append(current)
    return batches


def _regrade_batch(
    quiz: Quiz, attempt_ids: list[int], *, keys, actor, batch: int, batches: int
) -> dict:
    changed = []
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update(of=("self",))
            .filter(quiz=quiz, status__in=FINISHED, pk__in=attempt_ids)
            .select_related("quiz", "enrollment")
            .order_by("pk")
        )
        kept_overrides = [a.pk for a in attempts if a.overridden_at is not None]
        for attempt in attempts:
            if attempt.overridden_at is not None:
                # A trainer's override stands until the trainer changes it.
                continue
            before = (attempt.score, attempt.passed)
            _grade(attempt, keys=keys)
            if before != (attempt.score, attempt.passed):
                changed.append(
                    {
                        "attempt": attempt.pk,
                        "old_score": str(before[0]),
                        "new_score": str(attempt.score),
                        "old_passed": before[1],
                        "new_passed": attempt.passed,
                    }
                )
        enrollment_ids = {a.enrollment_id for a in attempts}
        completion_changes = 0
        for enrollment in Enrollment.objects.filter(pk__in=enrollment_ids).order_by("pk"):
            change = course_services.enrollment_update_completion(
                enrollment=enrollment, allow_reopen=True
            )
            completion_changes += change is not None
        audit_record(
            actor=actor,
            action="quiz.regrade",
            target=quiz,
            data={
                "batch": batch,
                "batches": batches,
                "attempts": len(attempts),
                "changed": changed,
                "kept_overrides": kept_overrides,
                "completion_changes": completion_changes,
            },
        )
    return {"attempts": len(attempts), "changed": len(changed)}


def attempt_override_grade(*, attempt: Attempt, score: Decimal, reason: str, actor) -> Attempt:
    """A trainer replaces the computed grade of a finished attempt with their own score, for
    example after marking a short-text answer by hand. The score lies between 0 and the
    attempt's maximum; whether it passes follows from the quiz's pass mark, by the same rule as
    computed grades. A reason is required. Regrading keeps the override; the course completion
    follows the new grade; the override is recorded in the audit log."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_OVERRIDE_REASON:
        raise QuizError(_("Give a reason for the override, in at most 500 characters."))
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz", "enrollment")
            .get(pk=attempt.pk)
        )
        if locked.status not in FINISHED:
            raise QuizError(_("Only a submitted attempt can be regraded by hand."))
        if not Decimal(0) <= score <= locked.max_score:
            raise QuizError(
                _("The score must be between 0 and %(max)s.") % {"max": locked.max_score}
            )
        before = {"score": str(locked.score), "passed": locked.passed}
        locked.score = score.quantize(Decimal("0.01"))
        locked.percent, locked.passed = grading.outcome(
            locked.score, locked.max_score, pass_mark=locked.quiz.pass_mark
        )
        locked.overridden_by = actor
        locked.overridden_at = timezone.now()
        locked.override_reason = reason
        locked.save(
            update_fields=[
                "score",
                "percent",
                "passed",
                "overridden_by",
                "overridden_at",
                "override_reason",
            ]
        )
        course_services.enrollment_update_completion(
            enrollment=locked.enrollment, allow_reopen=True
        )
        audit_record(
            actor=actor,
            action="attempt.grade_override",
            target=locked,
            data={
                "old_score": before["score"],
                "new_score": str(locked.score),
                "old_passed": before["passed"],
                "new_passed": locked.passed,
            },
        )
    return locked
