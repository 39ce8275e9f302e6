"""The outbox: every message to a person is a row here before it is mailed, under its natural key.

A message's key is (recipient, kind, subject key, occurrence): "Fatima, action_overdue,
action:12, 3" is the reminder three days after action 12 was due. The unique constraint
makes recording idempotent, so a beat tick or a task that runs twice records, and thus
sends, nothing twice. The same rows are the person's in-app notification list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet


class Category(models.TextChoices):
    """What a person can switch off; the invitation with the access code cannot be."""

    ESSENTIAL = "essential", _("Invitations and access")
    PROGRAMME = "programme", _("Programme days and the harvest")
    PLAN = "plan", _("My learning plan and actions")
    REFLECTION = "reflection", _("Weekly reflection prompt")
    SESSIONS = "sessions", _("Coaching and intervision sessions")
    DIGESTS = "digests", _("Digests (forum, stalled members)")


OPTIONAL_CATEGORIES = [category for category in Category if category != Category.ESSENTIAL]


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        MUTED = "muted", _("Not mailed (switched off)")
        VOID = "void", _("No longer relevant")

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    key = models.CharField(_("about"), max_length=80)
    occurrence = models.CharField(_("occurrence"), max_length=40, default="")
    context = models.JSONField(_("context"), default=dict)
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key", "occurrence"], name="notification_natural_key"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.occurrence} → {self.recipient_id}"


class PreferenceQuerySet(TenantQuerySet):
    tenant_path = "user__organisation"


class Preference(models.Model):
    """A category a person switched off (or on again) for mail; without a row it is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    mail = models.BooleanField(_("by email"), default=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = TenantManager.from_queryset(PreferenceQuerySet)()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="preference_once_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category} {'on' if self.mail else 'off'}"
