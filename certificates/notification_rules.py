"""The two certificate reminder rules: "certificate issued" (with the download link) and
"certificate expiring" (days before the expiry date). Registered with the notifications sweep in
``CertificatesConfig.ready``, so notifications never imports certificates."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from notifications.kinds import Kind
from notifications.registry import Candidate

CERTIFICATE = "certificates.certificate"


def _issued():
    from .models import Certificate, CertificateStatus

    return Certificate.objects.filter(
        status=CertificateStatus.ISSUED, enrollment__user__is_active=True
    )


_FIELDS = (
    "pk",
    "course_title",
    "issued_at",
    "expires_at",
    "enrollment__user_id",
    "enrollment__user__time_zone",
    "enrollment__course__slug",
)


class CertificateIssuedRule:
    """A certificate was issued in the last few days: tell the holder, with the download link.
    Looking back a few days (not only since the last sweep) lets a closed window or a stopped
    beat catch up; the unique key keeps it to one message."""

    kind = Kind.CERTIFICATE_ISSUED
    lookback = datetime.timedelta(days=3)

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        rows = _issued().filter(issued_at__gte=now - self.lookback).values(*_FIELDS)
        for row in rows:
            yield Candidate(
                recipient_id=row["enrollment__user_id"],
                time_zone=row["enrollment__user__time_zone"],
                kind=self.kind,
                object_type=CERTIFICATE,
                object_id=row["pk"],
                period="issued",
                context={
                    "course": row["course_title"],
                    "course_slug": row["enrollment__course__slug"],
                    "download_path": reverse("certificates:download", args=[row["pk"]]),
                },
            )

    def still_valid(self, object_ids: set[int]) -> set[int]:
        return set(_issued().filter(pk__in=object_ids).values_list("pk", flat=True))


class CertificateExpiringRule:
    """An issued certificate expires within one of the thresholds (default 60 and 14 days)."""

    kind = Kind.CERTIFICATE_EXPIRING

    def candidates(self, *, now: datetime.datetime) -> Iterable[Candidate]:
        thresholds = sorted(settings.NOTIFICATIONS_CERTIFICATE_EXPIRY_DAYS)
        horizon = now + datetime.timedelta(days=max(thresholds))
        rows = _issued().filter(expires_at__gt=now, expires_at__lte=horizon).values(*_FIELDS)
        for row in rows:
            days_left = (row["expires_at"] - now).days
            threshold = min(t for t in thresholds if days_left <= t)
            expires_on = row["expires_at"].date().isoformat()
            yield Candidate(
                recipient_id=row["enrollment__user_id"],
                time_zone=row["enrollment__user__time_zone"],
                kind=self.kind,
                object_type=CERTIFICATE,
                object_id=row["pk"],
                period=f"{threshold}d:{expires_on}",
                context={
                    "course": row["course_title"],
                    "course_slug": row["enrollment__course__slug"],
                    "expires_on": expires_on,
                    "days_left": days_left,
                },
            )

    def still_valid(self, object_ids: set[int]) -> set[int]:
        return set(_issued().filter(pk__in=object_ids).values_list("pk", flat=True))
