"""The harvest (seeds 003 and 004): what the programme produced, and above all why some things did
not happen; the managers' answers, recognition, and each participant's own story at the close.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet

# No figure is shown for a group smaller than this: it could point at a person.
MIN_GROUP_SIZE = 5


class ProgrammePartQuerySet(TenantQuerySet):
    tenant_path = "programme__organisation"


class Contribution(models.Model):
    """What a participant, or a community together, brings to the harvest session."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.CASCADE, related_name="contributions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        "coaching.Community",
        verbose_name=_("on behalf of the community"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contributions",
    )
    achieved = models.TextField(_("what we achieved"), blank=True)
    not_achieved = models.TextField(_("what we did not achieve"), blank=True)
    why_not = models.TextField(_("why not"), blank=True)
    learned = models.TextField(_("what we learned"), blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("harvest contribution")
        verbose_name_plural = _("harvest contributions")
        ordering = ["programme", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "author"],
                condition=models.Q(community__isnull=True),
                name="contribution_once_per_participant",
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=models.Q(community__isnull=False),
                name="contribution_once_per_community",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.community_id or self.author_id}"


class QuoteQuerySet(TenantQuerySet):
    tenant_path = "contribution__programme__organisation"

    def shown(self) -> QuoteQuerySet:
        """Quotes whose author consented and did not withdraw: the only ones a report may show."""
        return self.filter(consented_at__isnull=False, withdrawn_at__isnull=True)


class Quote(models.Model):
    """Words to be shown word for word in the harvest report, only with their author's consent."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="quotes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("said by"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("quote"), max_length=600)
    named = models.BooleanField(_("show my name with it"), default=False)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = TenantManager.from_queryset(QuoteQuerySet)()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_shown(self) -> bool:
        return self.consented_at is not None and self.withdrawn_at is None


class Initiative(models.Model):
    """A new initiative proposed at the harvest session; people sign up on the spot."""

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.CASCADE, related_name="initiatives"
    )
    title = models.CharField(_("initiative"), max_length=200)
    description = models.TextField(_("what it is about"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="initiative_unique_title_per_programme"),
        ]

    def __str__(self) -> str:
        return self.title


class SignupQuerySet(TenantQuerySet):
    tenant_path = "initiative__programme__organisation"


class InitiativeSignup(models.Model):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)

    objects = TenantManager.from_queryset(SignupQuerySet)()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="signup_once_per_person")]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.user_id}"


class Answer(models.Model):
    """A manager's answer to a harvest item (a contribution) or to a theme: never silently changed."""

    class Decision(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        WILL_ACT = "will_act", _("We will act on it")
        NOT_NOW = "not_now", _("Not now")

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.CASCADE, related_name="answers"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+"
    )
    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("harvest item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    act_by = models.DateField(_("we act by"), null=True, blank=True)
    text = models.TextField(_("answer"))
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = TenantManager.from_queryset(ProgrammePartQuerySet)()

    class Meta:
        verbose_name = _("manager's answer")
        verbose_name_plural = _("managers' answers")
        ordering = ["programme", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contribution__isnull=False) | ~models.Q(theme=""), name="answer_about_item_or_theme"
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="will_act") | models.Q(act_by__isnull=False),
                name="answer_will_act_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.theme or self.contribution_id}"


class AnswerVersionQuerySet(TenantQuerySet):
    tenant_path = "answer__programme__organisation"


class AnswerVersion(models.Model):
    """What an answer said before it was changed, and who changed it when."""

    answer = models.ForeignKey(Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="versions")
    decision = models.CharField(_("decision"), max_length=16, choices=Answer.Decision.choices)
    act_by = models.DateField(_("we act by"), null=True, blank=True)
    text = models.TextField(_("answer"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.CASCADE, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    objects = TenantManager.from_queryset(AnswerVersionQuerySet)()

    class Meta:
        verbose_name = _("earlier answer")
        verbose_name_plural = _("earlier answers")
        ordering = ["answer", "-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.answer_id} @ {self.written_at:%Y-%m-%d}"


class MembershipPartQuerySet(TenantQuerySet):
    tenant_path = "membership__programme__organisation"


class Recognition(models.Model):
    """Positive attention (seed 000): a manager saw the new behaviour and says so."""

    membership = models.ForeignKey(
        "programmes.Membership", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="recognitions"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("from"), on_delete=models.CASCADE, related_name="+"
    )
    goal = models.ForeignKey(
        "learners.Goal", verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        "learners.Action", verbose_name=_("action"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.CharField(_("what I saw"), max_length=500)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    objects = TenantManager.from_queryset(MembershipPartQuerySet)()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.message[:60]


class LearningStory(models.Model):
    """The kick-out: a participant's story of their own learning process, shared by choice."""

    membership = models.OneToOneField(
        "programmes.Membership", verbose_name=_("participant"), on_delete=models.CASCADE, related_name="learning_story"
    )
    text = models.TextField(_("my learning story"))
    shared = models.BooleanField(_("show it at the closing session"), default=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = TenantManager.from_queryset(MembershipPartQuerySet)()

    class Meta:
        verbose_name = _("learning story")
        verbose_name_plural = _("learning stories")

    def __str__(self) -> str:
        return f"{self.membership_id}"


# A PDF of the report is downloadable this long after it was requested, then deleted.
REPORT_EXPORT_LIFETIME = timedelta(hours=1)


class ReportExportQuerySet(ProgrammePartQuerySet):
    def fresh(self, now: datetime | None = None) -> ReportExportQuerySet:
        """Exports younger than ``REPORT_EXPORT_LIFETIME``: an older one is never handed out,
        even before the hourly cleanup deletes it."""
        return self.filter(created_at__gte=(now or timezone.now()) - REPORT_EXPORT_LIFETIME)


class ReportExport(models.Model):
    """The harvest report as PDF, made in the background for the manager who asked for it.

    A snapshot of the report at request time, kept in the database (private, no media URL)
    and only for an hour: a quote withdrawn afterwards must not stay downloadable.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(
        "programmes.Programme", verbose_name=_("programme"), on_delete=models.CASCADE, related_name="report_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        "coaching.Community",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = TenantManager.from_queryset(ReportExportQuerySet)()

    class Meta:
        verbose_name = _("harvest report PDF")
        verbose_name_plural = _("harvest report PDFs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"], name="reportexport_created_at")]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.status} @ {self.created_at:%Y-%m-%d %H:%M}"
