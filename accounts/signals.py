from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .cache import units_changed
from .models import OrgUnit


def _units_changed(**kwargs) -> None:
    # Now, and again after the commit: a reader between the write and the commit reads the
    # old tree and may store it under the first new version; the second makes that stale.
    # A move's bulk update of the subtree's paths runs in the same transaction as the moved
    # unit's save, so the one after the commit covers it too.
    units_changed()
    transaction.on_commit(units_changed)


def connect() -> None:
    post_save.connect(_units_changed, sender=OrgUnit, dispatch_uid="units-changed")
    post_delete.connect(_units_changed, sender=OrgUnit, dispatch_uid="units-deleted")
