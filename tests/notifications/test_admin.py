"""The notification log in the admin: filters, and a resend that is audited."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from notifications.models import LogStatus, NotificationLog
from tests.factories import UserFactory, give_totp

from .conftest import assigned

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    client.force_login(admin)
    return client, admin


def _sent_log():
    enrollment = assigned(due_in=3)
    return NotificationLog.objects.create(
        recipient=enrollment.user,
        kind="due_soon",
        object_type="courses.enrollment",
        object_id=enrollment.pk,
        period=f"7d:{enrollment.due_date}",
        context={
            "course": enrollment.course.title,
            "course_slug": enrollment.course.slug,
            "due_date": enrollment.due_date.isoformat(),
            "days_left": 3,
        },
        status=LogStatus.FAILED,
        last_error="550 No such user",
    )


def test_log_list_with_filters(admin_client):
    client, _admin = admin_client
    _sent_log()
    url = reverse("admin:notifications_notificationlog_changelist")
    assert client.get(url).status_code == 200
    assert (
        client.get(url, {"status__exact": "failed", "kind__exact": "due_soon"}).status_code == 200
    )


def test_resend_is_sent_and_audited(admin_client, django_capture_on_commit_callbacks):
    client, admin = admin_client
    log = _sent_log()
    url = reverse("admin:notifications_notificationlog_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "resend", "_selected_action": [log.pk]})
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == LogStatus.SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [log.recipient.email]
    event = AuditEvent.objects.get(action="notification.resend")
    assert event.actor == admin
    assert event.target_id == str(log.pk)
    assert event.data["previous_status"] == "failed"


def test_non_admins_cannot_open_the_log(client):
    staffless = UserFactory()
    client.force_login(staffless)
    url = reverse("admin:notifications_notificationlog_changelist")
    assert client.get(url).status_code == 302
