"""Writes of the notifications app: the sweep, sending, preferences, calendar, resend.

The rule that makes a reminder happen once lives in the database: ``NotificationLog`` is unique
on (recipient, kind, object, period). The sweep inserts every candidate with conflict-ignore,
tagged with its own token, and sends only the rows carrying that token (plus rows that earlier
waited for the recipient's window or for a retry). Sending claims rows under a row lock before
the message leaves and marks them sent after, so two sweeps, a retried task or a killed worker
never send one row twice: a row left "being sent" by a crash is marked failed, never resent by
itself (an administrator can resend it).
"""

import contextlib
import datetime
import json
import logging
import smtplib
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from accounts import services as account_services
from audit.services import audit_record

from . import registry, rules
from .emails import build_message
from .kinds import is_mandatory, optional_kinds
from .models import CalendarFeed, LogStatus, NotificationLog, OptOut, new_calendar_token
from .tokens import InvalidToken, read_token
from .window import WindowCache
from .window import is_open as window_is_open

logger = logging.getLogger(__name__)

DUE_STATUSES = (LogStatus.PENDING, LogStatus.RETRY)
OPTED_OUT = "Turned off by the recipient."
NO_LONGER_APPLIES = "No longer applies (the course, enrolment or person changed)."
INTERRUPTED = (
    "Sending was interrupted (the worker stopped mid-send). Not resent automatically, so "
    "nobody receives it twice; an administrator may resend it."
)


@dataclass
class SweepResult:
    sweep: str
    candidates: int = 0
    outside_window: int = 0
    inserted: int = 0
    opted_out: int = 0
    recipients: int = 0
    batches: int = 0
    interrupted: int = 0
    # Filled on a dry run: what would be sent, as (email, kind, period, summary).
    planned: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass
class SendResult:
    messages: int = 0
    sent: int = 0
    failed: int = 0
    retry: int = 0
    skipped: int = 0


def _log_row(candidate: registry.Candidate, *, sweep: str, status: str, now) -> dict:
    """The column values of one new NotificationLog row (a dict: a sweep makes tens of
    thousands, and model instances cost more than the insert)."""
    return {
        "recipient_id": candidate.recipient_id,
        "kind": str(candidate.kind),
        "object_type": candidate.object_type,
        "object_id": candidate.object_id,
        "period": candidate.period,
        "context": candidate.context,
        "status": str(status),
        "sweep": sweep,
        "created_at": now,
        "next_attempt_at": now,
        "attempts": 0,
        "last_error": OPTED_OUT if status == LogStatus.SKIPPED else "",
        "forced": False,
    }


_INSERT_COLUMNS = (
    ("recipient_id", "bigint"),
    ("kind", "text"),
    ("object_type", "text"),
    ("object_id", "bigint"),
    ("period", "text"),
    ("context", "jsonb"),
    ("status", "text"),
    ("sweep", "text"),
    ("created_at", "timestamptz"),
    ("next_attempt_at", "timestamptz"),
    ("attempts", "smallint"),
    ("last_error", "text"),
    ("forced", "boolean"),
)


def _insert_ignoring_conflicts(rows: list[dict]) -> list[tuple[int, str]]:
    """INSERT ... ON CONFLICT DO NOTHING for every row. On PostgreSQL it is one statement
    however many rows (the rows travel as one JSON parameter, unpacked by
    ``jsonb_to_recordset``), so a sweep's query count does not grow with the number of
    learners and no per-row quoting happens in Python; elsewhere Django's bulk insert in
    batches. Returns (id, status) of the rows this call inserted, and only those: a row that
    already existed is somebody else's."""
    if not rows:
        return []
    connection = connections[NotificationLog.objects.db]
    if connection.vendor != "postgresql":
        NotificationLog.objects.bulk_create(
            [NotificationLog(**row) for row in rows], ignore_conflicts=True, batch_size=1000
        )
        return list(
            NotificationLog.objects.filter(sweep=rows[0]["sweep"]).values_list("pk", "status")
        )
    table = connection.ops.quote_name(NotificationLog._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name, _type in _INSERT_COLUMNS)
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in _INSERT_COLUMNS)
    selected = ", ".join(name for name, _type in _INSERT_COLUMNS)
    payload = json.dumps(
        rows,
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
    # Every name here is a constant of this module, quoted; the rows travel as a parameter.
    sql = (
        f"INSERT INTO {table} ({names}) SELECT {selected} "  # noqa: S608
        f"FROM jsonb_to_recordset(%s::jsonb) AS c({columns}) ON CONFLICT DO NOTHING "
        "RETURNING id, status"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [payload])
        return cursor.fetchall()


def _mark_interrupted(now: datetime.datetime) -> int:
    stale = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_SENDING_STALE_SECONDS)
    return NotificationLog.objects.filter(status=LogStatus.SENDING, claimed_at__lt=stale).update(
        status=LogStatus.FAILED, last_error=INTERRUPTED
    )


def notifications_sweep(
    *,
    now: datetime.datetime | None = None,
    kinds: Iterable[str] | None = None,
    dry_run: bool = False,
    enqueue: bool = True,
) -> SweepResult:
    """Find every notification due now, record each once, and queue the sending.

    Candidates come from the registered rules (a few set-based queries each). Those whose
    recipient is outside the sending window are left for a later sweep; the rule finds them
    again then. Optional kinds the recipient turned off are recorded as not sent (they still
    show in the app). A dry run does all of it in a transaction it rolls back, so it lists
    exactly what would be sent and changes nothing.
    """
    now = now or timezone.now()
    wanted = set(kinds) if kinds else None
    result = SweepResult(sweep=uuid.uuid4().hex)
    windows = WindowCache(now)
    candidates = []
    for rule in registry.rules():
        if wanted is not None and rule.kind not in wanted:
            continue
        for candidate in rule.candidates(now=now):
            result.candidates += 1
            if windows.is_open(candidate.time_zone):
                candidates.append(candidate)
            else:
                result.outside_window += 1
    opt_outs = set(
        OptOut.objects.filter(kind__in={c.kind for c in candidates}).values_list("user_id", "kind")
    )
    rows = []
    for candidate in candidates:
        off = not is_mandatory(candidate.kind) and (candidate.recipient_id, candidate.kind) in (
            opt_outs
        )
        status = LogStatus.SKIPPED if off else LogStatus.PENDING
        rows.append(_log_row(candidate, sweep=result.sweep, status=status, now=now))
    with transaction.atomic():
        if not dry_run:
            result.interrupted = _mark_interrupted(now)
        inserted = _insert_ignoring_conflicts(rows)
        result.inserted = len(inserted)
        result.opted_out = sum(1 for _pk, status in inserted if status == LogStatus.SKIPPED)
        mine = NotificationLog.objects.filter(pk__in=[pk for pk, _status in inserted])
        if dry_run:
            result.planned = [
                (email, kind, period, context.get("course") or context.get("unit") or "")
                for email, kind, period, context in mine.filter(status=LogStatus.PENDING)
                .order_by("recipient__email", "kind", "period")
                .values_list("recipient__email", "kind", "period", "context")
            ]
            recipients = sorted({email for email, *_rest in result.planned})
            result.recipients = len(recipients)
            transaction.set_rollback(True)
            return result
    recipient_ids = _recipients_due(now=now, windows=windows)
    result.recipients = len(recipient_ids)
    if enqueue:
        result.batches = _enqueue_batches(recipient_ids)
    return result


def _recipients_due(*, now: datetime.datetime, windows: WindowCache) -> list[int]:
    """Everyone with a row waiting whose window is open (or whose row an administrator forced):
    this sweep's rows, earlier ones that waited for the window, and retries now due."""
    rows = (
        NotificationLog.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now)
        .values_list("recipient_id", "recipient__time_zone", "forced")
        .distinct()
    )
    due = {rid for rid, zone, forced in rows if forced or windows.is_open(zone)}
    return sorted(due)


def _enqueue_batches(recipient_ids: Sequence[int]) -> int:
    """Queue the recipients in batches of at most NOTIFICATIONS_BATCH_SIZE, spaced so that the
    whole sweep stays under NOTIFICATIONS_MAX_PER_MINUTE messages however many workers run."""
    from .tasks import send_batch

    size = max(1, min(settings.NOTIFICATIONS_BATCH_SIZE, 100))
    per_minute = max(1, settings.NOTIFICATIONS_MAX_PER_MINUTE)
    batches = [list(recipient_ids[i : i + size]) for i in range(0, len(recipient_ids), size)]
    for number, batch in enumerate(batches):
        countdown = number * size * 60 / per_minute
        transaction.on_commit(
            partial(send_batch.apply_async, args=[batch], countdown=round(countdown, 3))
        )
    return len(batches)


def _claim(*, recipient_id: int, now: datetime.datetime) -> tuple[object, list] | None:
    """Lock and take this person's waiting rows, checking each still applies. Returns the
    person and the rows to send, now marked "being sent", or None when there is nothing."""
    with transaction.atomic():
        logs = list(
            NotificationLog.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(recipient_id=recipient_id, status__in=DUE_STATUSES, next_attempt_at__lte=now)
            .order_by("created_at", "pk")
        )
        if not logs:
            return None
        recipient = logs[0].recipient
        forced = any(log.forced for log in logs)
        if not forced and not window_is_open(recipient.time_zone, now):
            return None
        gone, opted_out_ids = set(), set()
        if not recipient.is_active or not recipient.email:
            gone = {log.pk for log in logs}
        else:
            opted_out = set(
                OptOut.objects.filter(user_id=recipient_id).values_list("kind", flat=True)
            )
            by_kind = defaultdict(set)
            for log in logs:
                by_kind[log.kind].add(log.object_id)
            valid = {}
            for kind, ids in by_kind.items():
                rule = registry.rule_for(kind)
                valid[kind] = rule.still_valid(ids) if rule is not None else set()
            for log in logs:
                if log.object_id not in valid[log.kind]:
                    gone.add(log.pk)
                elif log.kind in opted_out and not is_mandatory(log.kind) and not log.forced:
                    opted_out_ids.add(log.pk)
        if gone:
            NotificationLog.objects.filter(pk__in=gone).update(
                status=LogStatus.SKIPPED, last_error=NO_LONGER_APPLIES
            )
        if opted_out_ids:
            NotificationLog.objects.filter(pk__in=opted_out_ids).update(
                status=LogStatus.SKIPPED, last_error=OPTED_OUT
            )
        skipped_ids = gone | opted_out_ids
        sending = [log for log in logs if log.pk not in skipped_ids]
        if not sending:
            return None
        NotificationLog.objects.filter(pk__in=[log.pk for log in sending]).update(
            status=LogStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        for log in sending:
            log.attempts += 1
    return recipient, sending


def _is_permanent(exc: Exception) -> bool:
    """The server refused this message for good (a rejected address), as opposed to a relay
    that is down or busy, which is worth another try later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(exc, smtplib.SMTPResponseException) and not isinstance(
        exc, smtplib.SMTPSenderRefused
    ):
        return 500 <= exc.smtp_code < 600
    return False


def _record_failure(logs: list, exc: Exception, *, now: datetime.datetime) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    ids = [log.pk for log in logs]
    if _is_permanent(exc):
        NotificationLog.objects.filter(pk__in=ids).update(
            status=LogStatus.FAILED, last_error=error, forced=False
        )
        return LogStatus.FAILED
    attempts = max(log.attempts for log in logs)
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        NotificationLog.objects.filter(pk__in=ids).update(
            status=LogStatus.FAILED, last_error=error, forced=False
        )
        return LogStatus.FAILED
    delay = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    NotificationLog.objects.filter(pk__in=ids).update(
        status=LogStatus.RETRY,
        last_error=error,
        next_attempt_at=now + datetime.timedelta(seconds=delay),
    )
    return LogStatus.RETRY


def notifications_send(
    *, recipient_ids: Sequence[int], now: datetime.datetime | None = None
) -> SendResult:
    """Send each person one message with everything waiting for them, paced at
    NOTIFICATIONS_MAX_PER_MINUTE. A rejected address fails that person's rows and the batch
    goes on; a relay that is down puts the rows up for a retry with exponential backoff.
    A person deleted since the sweep has no rows left and is passed over."""
    now = now or timezone.now()
    result = SendResult()
    interval = 60 / max(1, settings.NOTIFICATIONS_MAX_PER_MINUTE)
    connection = None
    last_sent_at = None
    try:
        for recipient_id in recipient_ids:
            claimed = _claim(recipient_id=recipient_id, now=now)
            if claimed is None:
                continue
            recipient, logs = claimed
            try:
                message = build_message(recipient, logs)
                if last_sent_at is not None:
                    wait = interval - (time.monotonic() - last_sent_at)
                    if wait > 0:
                        time.sleep(wait)
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                connection.send_messages([message])
            except Exception as exc:  # every failure is recorded on its rows
                logger.warning("Notification to user %s failed: %s", recipient_id, exc)
                outcome = _record_failure(logs, exc, now=timezone.now())
                if outcome == LogStatus.FAILED:
                    result.failed += len(logs)
                else:
                    result.retry += len(logs)
                if connection is not None:
                    # The connection is dropped whatever state it was left in.
                    with contextlib.suppress(Exception):
                        connection.close()
                    connection = None
                continue
            finally:
                last_sent_at = time.monotonic()
            NotificationLog.objects.filter(pk__in=[log.pk for log in logs]).update(
                status=LogStatus.SENT, sent_at=timezone.now(), last_error="", forced=False
            )
            result.messages += 1
            result.sent += len(logs)
    finally:
        if connection is not None:
            connection.close()
    return result


def notification_record(candidate: registry.Candidate) -> NotificationLog | None:
    """Record one notification outside the sweep (the assignment confirmation) and queue its
    sending after the surrounding transaction commits. Returns None when it was already
    recorded."""
    from .tasks import send_batch

    now = timezone.now()
    token = uuid.uuid4().hex
    inserted = _insert_ignoring_conflicts(
        [_log_row(candidate, sweep=token, status=LogStatus.PENDING, now=now)]
    )
    log = NotificationLog.objects.filter(pk=inserted[0][0]).first() if inserted else None
    if log is not None:
        send_batch.delay_on_commit([candidate.recipient_id])
    return log


def enrollment_assigned_notify(enrollment) -> None:
    """Listener for ``courses.events``: confirm an assignment to the learner."""
    notification_record(rules.enrolment_candidate(enrollment))


def notification_resend(*, log: NotificationLog, actor) -> NotificationLog:
    """An administrator sends one notification again, now, even outside the recipient's
    window or after an opt-out. Audited."""
    from .tasks import send_batch

    with transaction.atomic():
        locked = NotificationLog.objects.select_for_update().get(pk=log.pk)
        previous = locked.status
        locked.status = LogStatus.PENDING
        locked.forced = True
        locked.next_attempt_at = timezone.now()
        locked.last_error = ""
        locked.save(update_fields=["status", "forced", "next_attempt_at", "last_error"])
        audit_record(
            actor=actor,
            action="notification.resend",
            target=locked,
            data={
                "recipient": locked.recipient_id,
                "kind": locked.kind,
                "period": locked.period,
                "previous_status": previous,
            },
        )
        send_batch.delay_on_commit([locked.recipient_id])
    return locked


def preferences_update(*, user, enabled_kinds: Iterable[str], time_zone: str) -> None:
    """Keep exactly the optional kinds in ``enabled_kinds``; mandatory ones cannot be off."""
    enabled = set(enabled_kinds)
    with transaction.atomic():
        for kind in optional_kinds():
            if kind in enabled:
                OptOut.objects.filter(user=user, kind=kind).delete()
            else:
                OptOut.objects.get_or_create(user=user, kind=kind)
        account_services.user_set_time_zone(user=user, time_zone=time_zone)


def unsubscribe(*, token: str) -> tuple[object, list[str]]:
    """Turn off the kinds named in a signed token. Doing it twice changes nothing more.
    Raises InvalidToken for a tampered, expired or unknown token; nothing changes then."""
    from accounts.models import User

    data = read_token(token)
    user = User.objects.filter(pk=data.user_id, is_active=True).first()
    if user is None:
        raise InvalidToken
    OptOut.objects.bulk_create(
        [OptOut(user=user, kind=kind) for kind in data.kinds], ignore_conflicts=True
    )
    return user, list(data.kinds)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read: the given ones, or all of them."""
    unread = NotificationLog.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def calendar_feed_for(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = calendar_feed_for(user=user)
    feed.token = new_calendar_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
