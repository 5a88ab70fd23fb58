"""The one writer of the audit log."""

from django.db import models

from .models import AuditEvent


def audit_record(
    *, actor, action: str, target: models.Model, data: dict | None = None
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target``. Call it inside the transaction that
    makes the change, so the change and its record land together or not at all."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
