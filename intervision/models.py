"""Intervision (issue 6): mixed groups, a library of methods, sessions with a case and a live guide.

Groups belong to a programme; each participant is in at most one intervision group per
programme. Cases, step notes and learning points are for the group's members only: HR and
managers see that sessions took place, nothing of what was said.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet
from programmes.models import Membership, Programme


class MethodQuerySet(TenantQuerySet):
    tenant_path = "organisation"


class Method(models.Model):
    """An intervision method of the organisation's library, in one language (seeded in Dutch and English)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="nl")
    name = models.CharField(_("name"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(MethodQuerySet)()

    class Meta:
        verbose_name = _("intervision method")
        verbose_name_plural = _("intervision methods")
        ordering = ["organisation", "language", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "language", "name"], name="method_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps.all())


class StepQuerySet(TenantQuerySet):
    tenant_path = "method__organisation"


class MethodStep(models.Model):
    """One step of a method: what it is for, how long it takes and who speaks."""

    class Speaker(models.TextChoices):
        CASE_BRINGER = "case_bringer", _("Case bringer")
        GROUP = "group", _("The group")
        EVERYONE = "everyone", _("Everyone")
        FACILITATOR = "facilitator", _("Facilitator")

    method = models.ForeignKey(Method, verbose_name=_("method"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("step"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    speaker = models.CharField(_("who speaks"), max_length=16, choices=Speaker.choices)

    objects = TenantManager.from_queryset(StepQuerySet)()

    class Meta:
        verbose_name = _("method step")
        verbose_name_plural = _("method steps")
        ordering = ["method", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="method_step_takes_time"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ProgrammePartQuerySet(TenantQuerySet):
    tenant_path = "programme__organisation"


class IntervisionGroup(models.Model):
    """A small group of participants with functions and departments as mixed as possible."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="intervision_groups"
    )
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("intervision group")
        verbose_name_plural = _("intervision groups")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="intervision_group_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class GroupPartQuerySet(TenantQuerySet):
    tenant_path = "group__programme__organisation"


class GroupMember(models.Model):
    """A participant's place in an intervision group: one group per participant per programme."""

    group = models.ForeignKey(
        IntervisionGroup, verbose_name=_("intervision group"), on_delete=models.CASCADE, related_name="members"
    )
    membership = models.OneToOneField(
        Membership, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="intervision_member"
    )

    objects = TenantManager.from_queryset(GroupPartQuerySet)()

    class Meta:
        verbose_name = _("intervision group member")
        verbose_name_plural = _("intervision group members")
        ordering = ["group", "pk"]

    def __str__(self) -> str:
        return f"{self.membership.user} – {self.group}"


class WishQuerySet(TenantQuerySet):
    tenant_path = "membership__programme__organisation"


class NotTogetherWish(models.Model):
    """A participant's wish not to be in a group with a certain colleague (respected where possible)."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="not_together_wishes"
    )
    other = models.ForeignKey(Membership, verbose_name=_("not with"), on_delete=models.CASCADE, related_name="+")

    objects = TenantManager.from_queryset(WishQuerySet)()

    class Meta:
        verbose_name = _("“not with” wish")
        verbose_name_plural = _("“not with” wishes")
        constraints = [
            models.UniqueConstraint(fields=["membership", "other"], name="one_not_together_wish_per_pair"),
            models.CheckConstraint(condition=~models.Q(membership=models.F("other")), name="not_with_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} ≠ {self.other.user}"


class IntervisionSession(models.Model):
    """A session of a group: method, rotating roles, the case brought in, and the live guide's state."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    group = models.ForeignKey(
        IntervisionGroup, verbose_name=_("intervision group"), on_delete=models.CASCADE, related_name="sessions"
    )
    method = models.ForeignKey(Method, verbose_name=_("method"), on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    case_bringer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case bringer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timekeeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("timekeeper"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    current_step = models.PositiveSmallIntegerField(_("current step"), null=True, blank=True)
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(GroupPartQuerySet)()

    class Meta:
        verbose_name = _("intervision session")
        verbose_name_plural = _("intervision sessions")
        ordering = ["group", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.group} – {self.starts_at:%Y-%m-%d}"


class SessionPartQuerySet(TenantQuerySet):
    tenant_path = "session__group__programme__organisation"


class Case(models.Model):
    """The case the case bringer submits before the session."""

    session = models.OneToOneField(
        IntervisionSession, verbose_name=_("intervision session"), on_delete=models.CASCADE, related_name="case"
    )
    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("the situation"))
    question = models.TextField(_("my question to the group"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantManager.from_queryset(SessionPartQuerySet)()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.title


class StepNote(models.Model):
    """What the group noted during one step of a session."""

    session = models.ForeignKey(
        IntervisionSession, verbose_name=_("intervision session"), on_delete=models.CASCADE, related_name="notes"
    )
    position = models.PositiveSmallIntegerField(_("step"))
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = TenantManager.from_queryset(SessionPartQuerySet)()

    class Meta:
        verbose_name = _("step note")
        verbose_name_plural = _("step notes")
        ordering = ["session", "position", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class LearningPoint(models.Model):
    """What a member takes away from the session; they may add it to their own plan as a reflection."""

    session = models.ForeignKey(
        IntervisionSession,
        verbose_name=_("intervision session"),
        on_delete=models.CASCADE,
        related_name="learning_points",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("learning point"))
    reflection = models.ForeignKey(
        "learners.Reflection",
        verbose_name=_("added to plan as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = TenantManager.from_queryset(SessionPartQuerySet)()

    class Meta:
        verbose_name = _("learning point")
        verbose_name_plural = _("learning points")
        ordering = ["session", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_learning_point_per_member")]

    def __str__(self) -> str:
        return self.text[:60]
