"""Programmes (leertrajecten) and the roles people hold in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet


class Outcome(models.TextChoices):
    """How a participant's goal or a community's action ended; a why is required unless achieved."""

    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


MAX_DAY_OFFSETS = 5


def day_offsets(value: str) -> list[int]:
    """ "1, 3,7" as [1, 3, 7]; ValueError when it is not a list of whole days from 1 to 60."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    days = sorted({int(part) for part in parts})
    if len(days) > MAX_DAY_OFFSETS or any(day < 1 or day > 60 for day in days):
        raise ValueError(value)
    return days


def validate_day_offsets(value: str) -> None:
    try:
        day_offsets(value)
    except ValueError:
        raise ValidationError(
            _("Give at most %(count)d whole days from 1 to 60, separated by commas, for example 1,3,7."),
            params={"count": MAX_DAY_OFFSETS},
        ) from None


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
    competencies = models.ManyToManyField(
        "Competency", verbose_name=_("competencies"), related_name="programmes", blank=True
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    stalled_after_days = models.PositiveSmallIntegerField(
        _("stalled after (days without activity)"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("Coaches see a participant as stalled after this many days without activity."),
    )
    plan_due_days = models.PositiveSmallIntegerField(
        _("learning plan due (days after the start day)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Coaches see a participant without a learning plan as stalled after this many days."),
    )
    action_due_soon_days = models.PositiveSmallIntegerField(
        _("remind of an action (days before its due date)"),
        default=2,
        validators=[MaxValueValidator(30)],
        help_text=_("0 sends no reminder before the due date."),
    )
    action_overdue_days = models.CharField(
        _("remind of an overdue action (days after its due date)"),
        max_length=40,
        default="1,3,7",
        blank=True,
        validators=[validate_day_offsets],
        help_text=_("Whole days separated by commas, for example 1,3,7; empty sends none."),
    )
    reflection_weekday = models.PositiveSmallIntegerField(
        _("weekly reflection prompt on"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        default=Weekday.FRIDAY,
        help_text=_("Leave empty to send no weekly prompt."),
    )
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

    @property
    def overdue_offsets(self) -> list[int]:
        return day_offsets(self.action_overdue_days)

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
    reports_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For participants: the manager who follows their learning in this programme."),
    )
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

    @property
    def invitation_status(self) -> str:
        invitation = getattr(self, "invitation", None) if self.pk else None
        return invitation.status if invitation else Invitation.Status.NOT_INVITED

    @property
    def invitation_status_label(self) -> str:
        return Invitation.Status(self.invitation_status).label

    def clean(self) -> None:
        user_org = getattr(self.user, "organisation_id", None) if self.user_id else None
        if self.programme_id and self.user_id and user_org != self.programme.organisation_id:
            raise ValidationError({"user": _("This person belongs to another organisation.")})


class CompetencyQuerySet(TenantQuerySet):
    tenant_path = "organisation"


class Competency(models.Model):
    """A competency of an organisation's framework, reusable across its programmes."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    objects = TenantManager.from_queryset(CompetencyQuerySet)()

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="competency_unique_name_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorQuerySet(TenantQuerySet):
    tenant_path = "competency__organisation"


class BehaviourIndicator(models.Model):
    """Observable behaviour that shows a competency, e.g. "brings up problems before they grow"."""

    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="indicators"
    )
    text = models.CharField(_("behaviour"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TenantManager.from_queryset(IndicatorQuerySet)()

    class Meta:
        verbose_name = _("behaviour indicator")
        verbose_name_plural = _("behaviour indicators")
        ordering = ["competency", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class ProgrammePartQuerySet(TenantQuerySet):
    tenant_path = "programme__organisation"


class Phase(models.Model):
    """A moment on the programme's timeline: build session, start day, activity period, harvest, closing."""

    class Kind(models.TextChoices):
        BUILD_SESSION = "build_session", _("Build session")
        KICK_OFF = "kick_off", _("Start day")
        ACTIVITY_PERIOD = "activity_period", _("Activity period")
        HARVEST_SESSION = "harvest_session", _("Harvest session")
        CLOSING = "closing", _("Closing")

    # The order in which the method's phases follow each other.
    KIND_ORDER = [Kind.BUILD_SESSION, Kind.KICK_OFF, Kind.ACTIVITY_PERIOD, Kind.HARVEST_SESSION, Kind.CLOSING]

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def kind_rank(self) -> int:
        return self.KIND_ORDER.index(self.kind)

    def clean(self) -> None:
        """Phases lie inside the programme's period and follow the method's order."""
        if not self.starts_at or not self.programme_id:
            return
        errors: dict[str, str] = {}
        programme = self.programme
        start_day = timezone.localtime(self.starts_at).date()
        end_day = timezone.localtime(self.ends_at).date() if self.ends_at else start_day
        if self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end cannot be before the start.")
        elif start_day < programme.starts_on or end_day > programme.ends_on:
            errors["starts_at"] = _("A phase must fall within the programme's period (%(start)s – %(end)s).") % {
                "start": date_format(programme.starts_on),
                "end": date_format(programme.ends_on),
            }
        if not errors and self.kind in self.KIND_ORDER:
            for other in programme.phases.exclude(pk=self.pk):
                if other.kind_rank < self.kind_rank and other.starts_at > self.starts_at:
                    errors["starts_at"] = _("%(this)s cannot start before %(other)s (%(when)s).") % {
                        "this": self.get_kind_display(),
                        "other": other.display_title,
                        "when": date_format(timezone.localtime(other.starts_at), "DATETIME_FORMAT"),
                    }
                    break
                if other.kind_rank > self.kind_rank and other.starts_at < self.starts_at:
                    errors["starts_at"] = _("%(this)s cannot start after %(other)s (%(when)s).") % {
                        "this": self.get_kind_display(),
                        "other": other.display_title,
                        "when": date_format(timezone.localtime(other.starts_at), "DATETIME_FORMAT"),
                    }
                    break
        if errors:
            raise ValidationError(errors)


class AssessmentItem(models.Model):
    """One line of the programme's self-assessment, answered at the start and again at the end."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement (scale 1–5)")
        OPEN = "open", _("Open question")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="assessment_items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STATEMENT)
    text = models.CharField(_("text"), max_length=400)
    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_items",
    )
    indicator = models.ForeignKey(
        BehaviourIndicator,
        verbose_name=_("behaviour indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_items",
        help_text=_("Optional: the behaviour this statement is about."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        """A statement is about a competency (or one of its indicators); an indicator implies its competency."""
        if self.indicator_id and not self.competency_id:
            self.competency_id = self.indicator.competency_id
        if self.indicator_id and self.indicator.competency_id != self.competency_id:
            raise ValidationError({"indicator": _("This behaviour belongs to another competency.")})
        if self.kind == self.Kind.STATEMENT and not self.competency_id:
            raise ValidationError({"competency": _("A statement belongs to one of the programme's competencies.")})

    @property
    def is_statement(self) -> bool:
        return self.kind == self.Kind.STATEMENT


class InvitationQuerySet(TenantQuerySet):
    tenant_path = "membership__programme__organisation"


class Invitation(models.Model):
    """A participant's personal access code: single use, expiring, stored only as a hash."""

    class Status(models.TextChoices):
        NOT_INVITED = "not_invited", _("Not invited yet")
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        ACTIVE = "active", _("Active")
        BOUNCED = "bounced", _("Bounced")
        REVOKED = "revoked", _("Revoked")

    # Someone who signed in within this many days counts as active.
    ACTIVE_DAYS = 14

    membership = models.OneToOneField(
        Membership, verbose_name=_("programme role"), on_delete=models.CASCADE, related_name="invitation"
    )
    code_hash = models.CharField(_("code hash"), max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(InvitationQuerySet)()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return str(self.membership)

    @property
    def status(self) -> str:
        if self.revoked_at:
            return self.Status.REVOKED
        if self.accepted_at:
            last_login = self.membership.user.last_login
            recent = last_login and last_login >= timezone.now() - timezone.timedelta(days=self.ACTIVE_DAYS)
            return self.Status.ACTIVE if recent else self.Status.ACCEPTED
        if self.bounced_at:
            return self.Status.BOUNCED
        if self.sent_at:
            return self.Status.INVITED
        return self.Status.NOT_INVITED

    def is_usable(self) -> bool:
        return bool(
            self.code_hash
            and not self.revoked_at
            and not self.accepted_at
            and self.expires_at
            and self.expires_at > timezone.now()
        )


class Event(models.Model):
    """A training, workshop or knowledge café planned on demand ("trainen zonder training", seed 004)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        WORKSHOP = "workshop", _("Workshop")
        KNOWLEDGE_CAFE = "knowledge_cafe", _("Knowledge café")
        MASTERCLASS = "masterclass", _("Masterclass")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    competencies = models.ManyToManyField(Competency, verbose_name=_("competencies"), blank=True, related_name="events")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="event_capacity_at_least_one"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:event_detail", args=[self.programme_id, self.pk])

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    def clean(self) -> None:
        """An event ends after it starts, within the programme's period; it has at least one place."""
        errors: dict[str, str] = {}
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("An event has at least one place.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        elif self.starts_at and self.programme_id:
            programme = self.programme
            start_day = timezone.localtime(self.starts_at).date()
            end_day = timezone.localtime(self.ends_at).date() if self.ends_at else start_day
            if start_day < programme.starts_on or end_day > programme.ends_on:
                errors["starts_at"] = _("An event must fall within the programme's period (%(start)s – %(end)s).") % {
                    "start": date_format(programme.starts_on),
                    "end": date_format(programme.ends_on),
                }
        if errors:
            raise ValidationError(errors)


class RegistrationQuerySet(TenantQuerySet):
    tenant_path = "event__programme__organisation"


class Registration(models.Model):
    """A person's place at an event, or their place in its waiting list (first come, first served)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    signed_up_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved up from the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = TenantManager.from_queryset(RegistrationQuerySet)()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "signed_up_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]
        indexes = [models.Index(fields=["event", "status", "signed_up_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"
