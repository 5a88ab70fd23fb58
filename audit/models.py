from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One privileged action: who did what to which object, and when. Rows are only added.

    The events form a hash chain (``audit.chain``): ``seq`` numbers them without gaps and
    ``hash`` covers the event's content and ``prev_hash``, the hash of event ``seq - 1``. Only
    ``audit.services.audit_record`` writes them, under a lock, so concurrent writers cannot fork
    the chain; the unique ``seq`` refuses a fork even without it.
    """

    seq = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # PROTECT: a person who acted is erased (pseudonymised), never deleted, so the events keep
    # pointing at the same row and the chain, which covers actor_id, stays intact.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100)
    target_id = models.CharField(_("target id"), max_length=64)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous event's hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        target = f"{self.target_type}#{self.target_id}"
        return f"#{self.seq} {self.created_at:%Y-%m-%d %H:%M} {self.action} {target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are never changed.")
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are never deleted.")

    delete.alters_data = True
