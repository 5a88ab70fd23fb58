"""The four roles. Each is a Django group of the same name, created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TRAINER = "trainer", _("Trainer")
    HR_OFFICER = "hr_officer", _("HR officer")
    ADMINISTRATOR = "administrator", _("Administrator")


PRIVILEGED_ROLES = frozenset({Role.TRAINER, Role.HR_OFFICER, Role.ADMINISTRATOR})
