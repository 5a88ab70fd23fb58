"""The sweep and sending: one message per person, each notification once, the sending window,
opt-outs, failures and retries."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from courses.models import EnrollmentSource, EnrollmentStatus
from courses.services import enrollment_create
from notifications import services
from notifications.kinds import Kind
from notifications.models import LogStatus, NotificationLog, OptOut
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory, course_with_lessons

from .conftest import assigned, days_ago

pytestmark = pytest.mark.django_db


def test_one_message_per_person_listing_every_reminder(noon, sweep):
    learner = UserFactory(email="ana@example.gov")
    for due_in in (1, 3, 5):
        assigned(user=learner, due_in=due_in)
    other = assigned(due_in=2)
    result = sweep(noon)
    assert result.inserted == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["ana@example.gov", other.user.email])
    ana = next(m for m in mail.outbox if m.to == ["ana@example.gov"])
    assert "3 training reminders" in ana.subject
    assert ana.body.count("https://lms.example.gov/courses/") == 3
    assert NotificationLog.objects.filter(status=LogStatus.SENT).count() == 4


def test_a_second_sweep_sends_nothing(noon, sweep):
    assigned(due_in=3)
    assigned(due_in=-2)
    sweep(noon)
    assert len(mail.outbox) == 2
    again = sweep(noon + datetime.timedelta(hours=1))
    assert again.inserted == 0
    assert len(mail.outbox) == 2


def test_two_overlapping_sweeps_record_and_send_once(noon):
    assigned(due_in=3)
    first = services.notifications_sweep(now=noon, enqueue=False)
    second = services.notifications_sweep(now=noon, enqueue=False)
    assert (first.inserted, second.inserted) == (1, 0)
    ids = list(NotificationLog.objects.values_list("recipient_id", flat=True))
    services.notifications_send(recipient_ids=ids, now=noon)
    services.notifications_send(recipient_ids=ids, now=noon)
    assert len(mail.outbox) == 1


def test_outside_the_window_waits_for_the_next_one(noon, sweep):
    night = datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC)  # 03:00 in Belgrade
    seoul = UserFactory(time_zone="Asia/Seoul")  # 11:00 in Seoul
    here = assigned(due_in=3)
    assigned(user=seoul, due_in=3)
    result = sweep(night)
    assert result.outside_window == 1
    assert [m.to for m in mail.outbox] == [[seoul.email]]
    sweep(noon)
    assert [m.to for m in mail.outbox][-1] == [here.user.email]
    assert len(mail.outbox) == 2


def test_opted_out_optional_kind_is_recorded_not_sent(noon, sweep):
    learner = UserFactory()
    OptOut.objects.create(user=learner, kind=Kind.INACTIVITY)
    EnrollmentFactory(user=learner, last_activity_at=days_ago(noon, 30))
    assigned(user=learner, due_in=-1)
    sweep(noon)
    assert len(mail.outbox) == 1
    assert "overdue" in mail.outbox[0].subject.lower()
    inactivity = NotificationLog.objects.get(kind=Kind.INACTIVITY)
    assert inactivity.status == LogStatus.SKIPPED
    # Mandatory only: no unsubscribe header, and the reason is given.
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert "cannot be turned off" in mail.outbox[0].body


def test_optional_kinds_carry_one_click_unsubscribe(noon, sweep):
    EnrollmentFactory(last_activity_at=days_ago(noon, 30))
    sweep(noon)
    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<https://lms.example.gov/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert header[1:-1] in html


def test_rejected_address_fails_its_row_and_the_batch_goes_on(noon, settings, sweep):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    assigned(user=UserFactory(email="reject-me@example.gov"), due_in=3)
    assigned(user=UserFactory(email="fine@example.gov"), due_in=3)
    sweep(noon)
    assert [m.to for m in mail.outbox] == [["fine@example.gov"]]
    failed = NotificationLog.objects.get(recipient__email="reject-me@example.gov")
    assert failed.status == LogStatus.FAILED
    assert "550" in failed.last_error


def test_relay_down_is_retried_with_backoff(noon, settings, sweep):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 300
    assigned(due_in=3)
    sweep(noon)
    log = NotificationLog.objects.get()
    assert log.status == LogStatus.RETRY
    assert log.attempts == 1
    assert "Connection refused" in log.last_error
    assert log.next_attempt_at > noon
    # Too early: nothing happens. After the backoff, with the relay back, it goes out once.
    sweep(noon + datetime.timedelta(minutes=1))
    log.refresh_from_db()
    assert log.status == LogStatus.RETRY
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = noon + datetime.timedelta(minutes=10)
    sweep(later)
    log.refresh_from_db()
    assert (log.status, log.attempts) == (LogStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_retries_stop_at_the_limit(noon, settings, sweep):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    assigned(due_in=3)
    sweep(noon)
    later = noon + datetime.timedelta(hours=2)
    services.notifications_send(
        recipient_ids=list(NotificationLog.objects.values_list("recipient_id", flat=True)),
        now=later,
    )
    assert NotificationLog.objects.get().status == LogStatus.FAILED


def test_changes_between_selection_and_sending_are_skipped(noon):
    finished = assigned(due_in=3)
    deleted = assigned(due_in=3)
    services.notifications_sweep(now=noon, enqueue=False)
    finished.status, finished.completed_at = EnrollmentStatus.COMPLETED, noon
    finished.save()
    deleted_id = deleted.user_id
    deleted.user.delete()
    result = services.notifications_send(recipient_ids=[finished.user_id, deleted_id], now=noon)
    assert result.messages == 0
    assert mail.outbox == []
    log = NotificationLog.objects.get()
    assert log.status == LogStatus.SKIPPED


def test_a_row_left_mid_send_is_never_resent(noon, settings, sweep):
    assigned(due_in=3)
    services.notifications_sweep(now=noon, enqueue=False)
    # A worker claimed the row and died before recording the outcome.
    NotificationLog.objects.update(status=LogStatus.SENDING, claimed_at=noon)
    sweep(noon + datetime.timedelta(minutes=5))
    assert mail.outbox == []
    sweep(noon + datetime.timedelta(hours=2))
    log = NotificationLog.objects.get()
    assert log.status == LogStatus.FAILED
    assert "not resent" in log.last_error.lower()
    assert mail.outbox == []


def test_email_in_the_learners_language_with_local_date_format(noon, sweep):
    korean = UserFactory(preferred_language="ko")
    serbian = UserFactory(preferred_language="sr")
    assigned(user=korean, due_in=3)
    assigned(user=serbian, due_in=3)
    sweep(noon)
    by_user = {m.to[0]: m for m in mail.outbox}
    assert by_user[korean.email].extra_headers["Content-Language"] == "ko"
    assert "2026. 12. 4." in by_user[korean.email].body
    assert by_user[serbian.email].extra_headers["Content-Language"] == "sr"
    assert "4. 12. 2026." in by_user[serbian.email].body


def test_unknown_language_falls_back_to_the_site_default(noon, sweep):
    learner = UserFactory(preferred_language="xx")
    assigned(user=learner, due_in=3)
    sweep(noon)
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"


def test_assignment_is_confirmed_once_per_due_date(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_WINDOW_START_HOUR, settings.NOTIFICATIONS_WINDOW_END_HOUR = 0, 24
    learner, hr = UserFactory(), UserFactory()
    course = course_with_lessons(self_enrollment=False)
    due = datetime.date(2027, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(
            user=learner,
            course=course,
            source=EnrollmentSource.ASSIGNED,
            assigned_by=hr,
            due_date=due,
        )
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(
            user=learner,
            course=course,
            source=EnrollmentSource.ASSIGNED,
            assigned_by=hr,
            due_date=due,
        )
    assert len(mail.outbox) == 1
    assert course.title in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(
            user=learner,
            course=course,
            source=EnrollmentSource.ASSIGNED,
            assigned_by=hr,
            due_date=due + datetime.timedelta(days=30),
        )
    assert len(mail.outbox) == 2
    assert NotificationLog.objects.filter(kind=Kind.ENROLMENT_CONFIRMATION).count() == 2


def test_self_enrolment_sends_no_confirmation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(user=UserFactory(), course=CourseFactory())
    assert not NotificationLog.objects.exists()


def test_batches_of_at_most_100_spaced_by_the_rate(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_BATCH_SIZE = 500  # capped at 100 all the same
    settings.NOTIFICATIONS_MAX_PER_MINUTE = 600
    with (
        mock.patch("notifications.tasks.send_batch.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        batches = services._enqueue_batches(list(range(1, 251)))
    assert batches == 3
    sizes = [len(call.kwargs["args"][0]) for call in apply_async.call_args_list]
    countdowns = [call.kwargs["countdown"] for call in apply_async.call_args_list]
    assert sizes == [100, 100, 50]
    assert countdowns == [0, 10.0, 20.0]


def test_dry_run_lists_and_changes_nothing(noon, capsys):
    enrollment = assigned(due_in=3)
    with mock.patch("django.utils.timezone.now", return_value=noon):
        call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert enrollment.user.email in out
    assert "due_soon" in out
    assert not NotificationLog.objects.exists()
    assert mail.outbox == []


def test_send_reminders_sends(noon, capsys, django_capture_on_commit_callbacks):
    assigned(due_in=3)
    with (
        mock.patch("django.utils.timezone.now", return_value=noon),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders")
    assert len(mail.outbox) == 1
    assert "1 new notifications recorded" in capsys.readouterr().out


def test_sweep_query_count_does_not_grow_with_learners(noon, django_assert_max_num_queries):
    def sweep_queries(n):
        for _ in range(n):
            assigned(due_in=3)
            EnrollmentFactory(last_activity_at=days_ago(noon, 20))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            services.notifications_sweep(now=noon, enqueue=False)
        NotificationLog.objects.all().delete()
        return len(ctx.captured_queries)

    # SQLite splits a bulk insert every ~70 rows; PostgreSQL inserts in one statement
    # (measured on PostgreSQL in tests/integration and bench/notif_bench.py).
    assert sweep_queries(5) == sweep_queries(20)
