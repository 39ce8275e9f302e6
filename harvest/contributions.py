"""Preparing the harvest: contributions (a participant's own, or a community's written together),
quotes offered with consent, and the outcome a participant gives each of their goals.

A community's contribution is one text that its members and coaches change in turn: the last
save wins, but never silently. Whoever saves says which version they started from; when someone
else saved in between, the save is refused with ``StaleContribution`` and the newer text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import Community
from learners.models import Goal
from programmes.models import Programme

from . import report_exports
from .models import Contribution, Quote

CONTRIBUTION_FIELDS = ("achieved", "not_achieved", "why_not", "learned")


class StaleContribution(Exception):
    """Someone else saved the contribution after the writer opened it."""

    def __init__(self, current: Contribution) -> None:
        super().__init__(f"contribution {current.pk} changed at {current.updated_at:%Y-%m-%d %H:%M:%S}")
        self.current = current


@dataclass(frozen=True)
class OfferedQuote:
    text: str
    named: bool


def version_of(contribution: Contribution | None) -> str:
    """The token a form carries to say which version of the contribution its writer saw."""
    return contribution.updated_at.isoformat() if contribution is not None and contribution.pk else ""


def check_contribution(fields: dict[str, str]) -> None:
    """Something must be written; what was not achieved needs its why (seed 004: above all why)."""
    if not any(fields.get(name, "").strip() for name in CONTRIBUTION_FIELDS):
        raise ValidationError(_("Write at least what was achieved, what was not, or what was learned."))
    if fields.get("not_achieved", "").strip() and not fields.get("why_not", "").strip():
        raise ValidationError({"why_not": _("Say why this was not achieved: that is what the harvest learns from.")})


def check_quote(text: str, *, consented: bool) -> None:
    if text.strip() and not consented:
        raise ValidationError(
            {"quote_consent": _("Tick this box to give your consent; without it your words cannot be shown.")}
        )


def _current(programme: Programme, author: Any, community: Community | None) -> Contribution | None:
    contributions = Contribution.objects.for_organisation(programme.organisation_id).select_for_update(of=("self",))
    if community is not None:
        return contributions.filter(community=community).select_related("author").first()
    return contributions.filter(programme=programme, author=author, community__isnull=True).first()


@transaction.atomic
def contribution_save(
    *,
    programme: Programme,
    writer: Any,
    fields: dict[str, str],
    seen: str,
    community: Community | None = None,
    quote: OfferedQuote | None = None,
) -> Contribution:
    """Save the writer's own contribution, or ``community``'s (the writer becomes its last author).

    ``seen`` is ``version_of`` the contribution the writer started from ("" for none yet); when
    another version was saved since, ``StaleContribution`` is raised and nothing is saved. A quote is
    stored with the consent its author gave by offering it.
    """
    check_contribution(fields)
    current = _current(programme, writer, community)
    if current is not None and version_of(current) != seen:
        raise StaleContribution(current)
    values = {name: fields.get(name, "").strip() for name in CONTRIBUTION_FIELDS}
    if current is None:
        try:
            with transaction.atomic():
                current = Contribution.objects.create(programme=programme, community=community, author=writer, **values)
        except IntegrityError:
            # Someone else wrote the first version at the same moment.
            raise StaleContribution(_current(programme, writer, community)) from None
    else:
        for name, value in values.items():
            setattr(current, name, value)
        current.author = writer
        current.save()
    if quote is not None and quote.text.strip():
        Quote.objects.create(
            contribution=current,
            author=writer,
            text=quote.text.strip(),
            named=quote.named,
            consented_at=timezone.now(),
        )
    return current


def quote_withdraw(quote: Quote) -> Quote:
    """Withdraw consent: from now on no report shows the quote (``Quote.objects.shown()``), and
    no PDF made before can still be downloaded with it."""
    if quote.withdrawn_at is None:
        quote.withdrawn_at = timezone.now()
        quote.save(update_fields=["withdrawn_at"])
        report_exports.forget_exports_quoting(quote)
    return quote


# --- Goal outcomes --------------------------------------------------------------------------------


def check_goal_outcome(outcome: str, why: str) -> None:
    """Partly or not achieved needs a why; "achieved" may say how."""
    if outcome and outcome not in Goal.Outcome.values:
        raise ValidationError({"outcome": _("Choose one of the outcomes.")})
    if outcome in (Goal.Outcome.PARTLY, Goal.Outcome.NOT_ACHIEVED) and not why.strip():
        raise ValidationError({"outcome_why": _("Say why the goal was not (fully) achieved.")})


def goal_outcome_set(goal: Goal, *, outcome: str, why: str) -> Goal:
    """Give the goal its outcome ("" takes it back); achieving it records when."""
    check_goal_outcome(outcome, why)
    goal.outcome = outcome
    goal.outcome_why = why.strip() if outcome else ""
    if outcome == Goal.Outcome.ACHIEVED:
        goal.achieved_at = goal.achieved_at or timezone.now()
    else:
        goal.achieved_at = None
    goal.save(update_fields=["outcome", "outcome_why", "achieved_at", "updated_at"])
    return goal
