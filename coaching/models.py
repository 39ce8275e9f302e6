"""Learning communities, their actions, forum and best practices, and confidential coaching (issue 5).

A community (theme group) belongs to one programme and may continue after it ends (seed 002).
Each participant joins at most one community per programme. Coaching sessions are between one
learning coach and one participant; the coach's notes live in their own table
(``CoachingNote``) so that no page that shows a session ever loads them by accident.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet
from programmes.models import Membership, Outcome, Programme


class ProgrammePartQuerySet(TenantQuerySet):
    tenant_path = "programme__organisation"


class Community(models.Model):
    """A safe group around a theme or question, guided by learning coaches."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="communities"
    )
    name = models.CharField(_("name"), max_length=120)
    question = models.CharField(_("central question"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("Empty: no limit.")
    )
    switch_until = models.DateField(
        _("members can switch until"),
        null=True,
        blank=True,
        help_text=_("After this date participants can no longer join or leave on their own."),
    )
    continues_after_programme = models.BooleanField(
        _("continues after the programme"),
        default=False,
        help_text=_("The community keeps meeting when the programme has ended."),
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("learning coaches"), blank=True, related_name="coached_communities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("learning community")
        verbose_name_plural = _("learning communities")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="community_unique_name_per_programme"),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="community_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def programme_has_ended(self) -> bool:
        programme = self.programme
        return programme.status == Programme.Status.CLOSED or programme.ends_on < timezone.localdate()


class CommunityPartQuerySet(TenantQuerySet):
    tenant_path = "community__programme__organisation"


class CommunityMember(models.Model):
    """A participant's place in a community: one community per participant per programme."""

    community = models.ForeignKey(
        Community, verbose_name=_("learning community"), on_delete=models.CASCADE, related_name="members"
    )
    membership = models.OneToOneField(
        Membership, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="community_member"
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    objects = TenantManager.from_queryset(CommunityPartQuerySet)()

    class Meta:
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        ordering = ["community", "joined_at", "pk"]

    def __str__(self) -> str:
        return f"{self.membership.user} – {self.community}"


class CommunityProposal(models.Model):
    """A question a participant proposes at the start day; groups are born from the proposals."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="community_proposals"
    )
    proposed_by = models.ForeignKey(
        Membership, verbose_name=_("proposed by"), on_delete=models.CASCADE, related_name="community_proposals"
    )
    question = models.CharField(_("question"), max_length=300)
    community = models.ForeignKey(
        Community,
        verbose_name=_("became community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("proposed question")
        verbose_name_plural = _("proposed questions")
        ordering = ["programme", "created_at", "pk"]

    def __str__(self) -> str:
        return self.question


class CommunityAction(models.Model):
    """A self-organised action of a community (seed 004), with an outcome and why, for the harvest."""

    class Kind(models.TextChoices):
        KNOWLEDGE_CAFE = "knowledge_cafe", _("Knowledge café")
        JOB_SHADOWING = "job_shadowing", _("Job shadowing")
        STREET_ACADEMY = "street_academy", _("Academy of the street")
        AREA_VISIT = "area_visit", _("Area visit")
        INTERVISION = "intervision", _("Intervision")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    Outcome = Outcome  # the same choices as a goal's outcome

    community = models.ForeignKey(
        Community, verbose_name=_("learning community"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_community_actions",
    )
    joiners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("joining"), blank=True, related_name="joined_community_actions"
    )
    due_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IDEA)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantManager.from_queryset(CommunityPartQuerySet)()

    class Meta:
        verbose_name = _("community action")
        verbose_name_plural = _("community actions")
        ordering = ["community", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def date_passed(self) -> bool:
        return bool(self.due_on and self.due_on < timezone.localdate())


class Thread(models.Model):
    """A forum thread in a community."""

    community = models.ForeignKey(
        Community, verbose_name=_("learning community"), on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post at"), default=timezone.now)

    objects = TenantManager.from_queryset(CommunityPartQuerySet)()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["community", "-last_post_at", "pk"]

    def __str__(self) -> str:
        return self.title


class PostQuerySet(TenantQuerySet):
    tenant_path = "thread__community__programme__organisation"


class Post(models.Model):
    """A post in a thread: Markdown, rendered safely; edits are marked."""

    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    objects = TenantManager.from_queryset(PostQuerySet)()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["thread", "created_at", "pk"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class BestPracticeQuerySet(TenantQuerySet):
    tenant_path = "organisation"


class BestPractice(models.Model):
    """Harvested knowledge made durable (seed 002), searchable across the organisation."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("learning community"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="best_practices",
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), help_text=_("Where and with whom: the situation it worked in."))
    what_worked = models.TextField(_("what worked"))
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Keywords separated by commas, e.g. wijkoverleg, bewoners.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(BestPracticeQuerySet)()

    class Meta:
        verbose_name = _("best practice")
        verbose_name_plural = _("best practices")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class MembershipPartQuerySet(TenantQuerySet):
    tenant_path = "membership__programme__organisation"


class CoachingSession(models.Model):
    """A one-to-one session of a learning coach and a participant (seed 001)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    membership = models.ForeignKey(
        Membership, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learning coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_sessions_given",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    request_message = models.TextField(_("request"), blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("The participant sees the summary; the notes stay with the coach.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = TenantManager.from_queryset(MembershipPartQuerySet)()

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["membership", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="coaching_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} – {self.starts_at or self.get_status_display()}"


class SessionPartQuerySet(TenantQuerySet):
    tenant_path = "session__membership__programme__organisation"


class CoachingNote(models.Model):
    """The coach's confidential notes of a session: only that coach ever reads them."""

    session = models.OneToOneField(
        CoachingSession, verbose_name=_("coaching session"), on_delete=models.CASCADE, related_name="note"
    )
    text = models.TextField(_("confidential notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantManager.from_queryset(SessionPartQuerySet)()

    class Meta:
        verbose_name = _("confidential coaching note")
        verbose_name_plural = _("confidential coaching notes")

    def __str__(self) -> str:
        return str(self.session)


class FollowUp(models.Model):
    """A follow-up action agreed in a session; it appears in the participant's plan."""

    session = models.ForeignKey(
        CoachingSession, verbose_name=_("coaching session"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    description = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = TenantManager.from_queryset(SessionPartQuerySet)()

    class Meta:
        verbose_name = _("agreed follow-up action")
        verbose_name_plural = _("agreed follow-up actions")
        ordering = ["session", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description
