"""The kinds of notification, whether a learner may turn each off, and why not."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ENROLMENT_CONFIRMATION = "enrolment", _("Course assigned")
    DUE_SOON = "due_soon", _("Training due soon")
    OVERDUE = "overdue", _("Training overdue")
    INACTIVITY = "inactivity", _("No recent progress")
    CERTIFICATE_ISSUED = "cert_issued", _("Certificate issued")
    CERTIFICATE_EXPIRING = "cert_expiring", _("Certificate expiring")
    ATTEMPT_CLOSED = "attempt_closed", _("Quiz attempt closed at its time limit")
    HR_DIGEST = "hr_digest", _("Weekly overdue digest (HR)")


# Assigned training is an obligation of the job: its confirmation, due and overdue reminders
# cannot be turned off. Everything else is the learner's choice.
MANDATORY_KINDS = frozenset({Kind.ENROLMENT_CONFIRMATION, Kind.DUE_SOON, Kind.OVERDUE})

MANDATORY_REASON = _(
    "You receive this message because your organisation assigned this training to you. "
    "Reminders about assigned training cannot be turned off."
)


def is_mandatory(kind: str) -> bool:
    return kind in MANDATORY_KINDS


def optional_kinds() -> list[Kind]:
    return [kind for kind in Kind if kind not in MANDATORY_KINDS]
