"""The audit trail: who viewed or changed what must stay accountable (AVG, works council).

Rows are only ever added: saving an existing row or deleting one raises, and the admin shows
them read-only. They hold ids and a short, non-personal summary, never the content viewed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet


class AppendOnly(RuntimeError):
    """An audit event was about to be changed or deleted."""


class AuditEventQuerySet(TenantQuerySet):
    """Bulk changes are refused like single ones; the database trigger guards raw SQL too."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Audit events are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit events are never deleted.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        CHANGED = "changed", _("Changed")
        ENROLLED = "enrolled", _("Enrolled")
        ROLE_CHANGED = "role_changed", _("Role changed")
        EXPORTED = "exported", _("Exported")
        ERASED = "erased", _("Erased")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    target_type = models.CharField(_("what"), max_length=60)
    target_id = models.PositiveBigIntegerField(_("which"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    objects = TenantManager.from_queryset(AuditEventQuerySet)()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Audit events are never deleted.")
