"""Programmes (leertrajecten) and the roles people hold in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet


class Programme(models.Model):
    """One learning programme of an organisation: goals, period, status and people."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="programme_unique_title_per_organisation"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="programme_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


class MembershipQuerySet(TenantQuerySet):
    tenant_path = "programme__organisation"


class Membership(models.Model):
    """A person's role in one programme. One person may hold different roles in different programmes."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        COACH = "coach", _("Learning coach")
        MANAGER = "manager", _("Manager")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(MembershipQuerySet)()

    class Meta:
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")
        ordering = ["programme", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.programme}"

    def clean(self) -> None:
        user_org = getattr(self.user, "organisation_id", None) if self.user_id else None
        if self.programme_id and self.user_id and user_org != self.programme.organisation_id:
            raise ValidationError({"user": _("This person belongs to another organisation.")})
