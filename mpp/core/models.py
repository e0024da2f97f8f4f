"""Technical records shared by every app: the audit trail of staff actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One staff action with consequences, written by the action itself in its transaction."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("tindakan"), max_length=80)
    object_type = models.CharField(_("jenis objek"), max_length=80)
    object_id = models.CharField(_("id objek"), max_length=64)
    mall_id = models.BigIntegerField(_("id mal"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


def audit(
    *,
    actor: object | None,
    action: str,
    obj: models.Model,
    mall_id: int | None = None,
    data: dict[str, object] | None = None,
) -> AuditEntry:
    """Write an audit entry for `obj`; call inside the action's transaction."""
    actor_id = getattr(actor, "pk", None)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        mall_id=mall_id,
        data=data or {},
    )
