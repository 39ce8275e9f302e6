"""Participants' own learning: the start assessment, a personal SWOT and the learning plan.

Everything here belongs to one participant's membership of one programme. A goal is
private unless its owner shares it; ``Goal.Visibility`` says with whom.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leertraject.tenancy import TenantManager, TenantQuerySet
from programmes.models import AssessmentItem, BehaviourIndicator, Competency, Membership, Outcome


class MembershipPartQuerySet(TenantQuerySet):
    tenant_path = "membership__programme__organisation"


class AssessmentResponseQuerySet(MembershipPartQuerySet):
    def handed_in(self, moment: str | None = None) -> AssessmentResponseQuerySet:
        """Self-assessments the participant handed in (at ``moment``, when given): what counts as
        done; a saved draft does not."""
        handed_in = self.filter(submitted_at__isnull=False)
        return handed_in if moment is None else handed_in.filter(moment=moment)

    @staticmethod
    def handed_in_sql(alias: str) -> str:
        """``handed_in`` as a condition on the table under ``alias``, for the statements of
        ``leertraject.sql``: the same rule, written next to it."""
        return f"{alias}.submitted_at IS NOT NULL"


class AssessmentResponse(models.Model):
    """A participant's answers to the programme's self-assessment, at the start or at the end."""

    class Moment(models.TextChoices):
        START = "start", _("Start")
        END = "end", _("End")

    membership = models.ForeignKey(
        Membership, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="assessments"
    )
    moment = models.CharField(_("moment"), max_length=8, choices=Moment.choices)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantManager.from_queryset(AssessmentResponseQuerySet)()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [models.UniqueConstraint(fields=["membership", "moment"], name="one_assessment_per_moment")]

    def __str__(self) -> str:
        return f"{self.membership.user} – {self.get_moment_display()}"


class AnswerQuerySet(TenantQuerySet):
    tenant_path = "response__membership__programme__organisation"


class AssessmentAnswer(models.Model):
    """One answer: a score from 1 (not yet) to 5 (fully) for a statement, or text for a question."""

    response = models.ForeignKey(
        AssessmentResponse, verbose_name=_("self-assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(AssessmentItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("answer"), blank=True)

    objects = TenantManager.from_queryset(AnswerQuerySet)()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5), name="score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return str(self.item)


class Swot(models.Model):
    """The participant's personal SWOT: strengths, weaknesses, opportunities, threats."""

    membership = models.OneToOneField(
        Membership, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="swot"
    )
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    threats = models.TextField(_("threats"), blank=True)
    strong_in = models.ManyToManyField(
        Competency,
        verbose_name=_("competencies I am strong in"),
        blank=True,
        related_name="strong_swots",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantManager.from_queryset(MembershipPartQuerySet)()

    class Meta:
        verbose_name = _("SWOT")
        verbose_name_plural = _("SWOTs")

    def __str__(self) -> str:
        return f"SWOT {self.membership.user}"

    @property
    def is_filled(self) -> bool:
        return any((self.strengths, self.weaknesses, self.opportunities, self.threats))


class Goal(models.Model):
    """A learning goal in the participant's plan, linked to the competencies it develops."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Only me")
        COACH = "coach", _("Me and my learning coach")
        COMMUNITY = "community", _("Me and my learning community")
        PROGRAMME = "programme", _("Everyone in the programme")

    Outcome = Outcome  # given at the harvest, like a community action's outcome

    membership = models.ForeignKey(
        Membership, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("goal"), max_length=200)
    why = models.TextField(_("why it matters to me"), blank=True)
    success = models.TextField(_("what success looks like"), blank=True)
    competencies = models.ManyToManyField(Competency, verbose_name=_("competencies"), blank=True, related_name="goals")
    indicators = models.ManyToManyField(
        BehaviourIndicator, verbose_name=_("behaviours"), blank=True, related_name="goals"
    )
    visibility = models.CharField(
        _("who can see this goal"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    achieved_at = models.DateTimeField(_("achieved at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_why = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantManager.from_queryset(MembershipPartQuerySet)()

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["membership", "created_at", "pk"]
        indexes = [models.Index(fields=["visibility"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learners:goal", args=[self.membership.programme_id, self.pk])


class GoalPartQuerySet(TenantQuerySet):
    tenant_path = "goal__membership__programme__organisation"


class Activity(models.Model):
    """How the participant will learn for a goal, after 70-20-10 (seed 002)."""

    class Kind(models.TextChoices):
        ON_THE_JOB = "70", _("70 – on the job")
        FROM_OTHERS = "20", _("20 – with and from others")
        FORMAL = "10", _("10 – formal learning")

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    description = models.CharField(_("activity"), max_length=300)

    objects = TenantManager.from_queryset(GoalPartQuerySet)()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["goal", "kind", "pk"]

    def __str__(self) -> str:
        return self.description


class Action(models.Model):
    """A concrete next step with a due date; done with a short note."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("note"), max_length=500, blank=True)

    objects = TenantManager.from_queryset(GoalPartQuerySet)()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["goal", "done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_on and not self.done_at and self.due_on < timezone.localdate())


class Reflection(models.Model):
    """A journal entry on a goal: what I tried, what happened, what I learned, my next step."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="reflections")
    tried = models.TextField(_("what I tried"))
    happened = models.TextField(_("what happened"), blank=True)
    learned = models.TextField(_("what I learned"), blank=True)
    next_step = models.TextField(_("my next step"), blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    objects = TenantManager.from_queryset(GoalPartQuerySet)()

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["goal", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.tried[:60]


FEEDBACK_SALT = "learners.feedback"


class FeedbackRequestQuerySet(TenantQuerySet):
    tenant_path = "goal__membership__programme__organisation"


class FeedbackRequest(models.Model):
    """A question about a goal that its owner puts to one or more colleagues (seed 004)."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="feedback_requests")
    question = models.TextField(_("question"), max_length=1000)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)

    objects = TenantManager.from_queryset(FeedbackRequestQuerySet)()

    class Meta:
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        ordering = ["goal", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.question[:60]


class FeedbackAskQuerySet(TenantQuerySet):
    tenant_path = "request__goal__membership__programme__organisation"


class FeedbackAsk(models.Model):
    """One person asked for feedback: a colleague with an account, or anyone by email.

    They answer through a signed link that needs no account; the answer lands in the plan.
    """

    request = models.ForeignKey(
        FeedbackRequest, verbose_name=_("feedback request"), on_delete=models.CASCADE, related_name="asks"
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("colleague"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback_asks",
    )
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    objects = TenantManager.from_queryset(FeedbackAskQuerySet)()

    class Meta:
        verbose_name = _("feedback asked of")
        verbose_name_plural = _("feedback asked of")
        ordering = ["request", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "email"], name="ask_each_address_once")]
        indexes = [models.Index(fields=["answered_at", "reminded_at", "sent_at"])]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def token(self) -> str:
        """The signed key in this person's link: it names the ask and cannot be forged."""
        return signing.TimestampSigner(salt=FEEDBACK_SALT).sign(str(self.pk))

    def get_answer_url(self) -> str:
        return reverse("feedback_answer", args=[self.token()])


class GoalVersion(models.Model):
    """The goal as it was saved: text, links, activities and actions, kept so it can be looked back on."""

    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    data = models.JSONField(_("content"))

    objects = TenantManager.from_queryset(GoalPartQuerySet)()

    class Meta:
        verbose_name = _("goal version")
        verbose_name_plural = _("goal versions")
        ordering = ["goal", "-number"]
        constraints = [models.UniqueConstraint(fields=["goal", "number"], name="one_goal_version_per_number")]

    def __str__(self) -> str:
        return f"{self.goal} – {self.number}"

    @property
    def visibility_label(self) -> str:
        return Goal.Visibility(self.data["visibility"]).label

    @property
    def activities(self) -> list[dict[str, str]]:
        labels = dict(Activity.Kind.choices)
        return [{**activity, "label": labels.get(activity["kind"], "")} for activity in self.data["activities"]]

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [
            {**action, "due_on": date.fromisoformat(action["due_on"]) if action["due_on"] else None}
            for action in self.data["actions"]
        ]
