"""A community's self-organised actions (seed 004): planning, joining, and the outcome with its why.

The harvest session asks each group what it achieved, what not, and above all why. So an action
that was only partly achieved, or not at all, cannot be closed without the reason; for an
achieved action the reason is recommended (what made it work). Recording an outcome marks the
action done, except a cancelled action, which stays cancelled with its outcome and why.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .models import CommunityAction

Status = CommunityAction.Status
Outcome = CommunityAction.Outcome

OPEN_STATUSES = frozenset({Status.IDEA, Status.PLANNED})
# An outcome short of "achieved" needs its why: that is what the harvest learns from.
OUTCOMES_NEEDING_A_REASON = frozenset({Outcome.PARTLY, Outcome.NOT_ACHIEVED})


class ActionError(Exception):
    """A change the action's rules do not allow; the message says why."""


def is_open(action: CommunityAction) -> bool:
    """An idea or a planned action: people can still join it."""
    return action.status in OPEN_STATUSES


def reason_required(outcome: str) -> bool:
    """Whether an outcome must come with its why (partly or not achieved)."""
    return outcome in OUTCOMES_NEEDING_A_REASON


def save_action(action: CommunityAction, *, by: Any) -> CommunityAction:
    """Store a new or edited action.

    A new action belongs to its creator unless another owner was chosen. The owner is not also
    listed as joining. Reopening a done action (back to idea or planned) clears its outcome: it
    is recorded again when the action is done.
    """
    with transaction.atomic():
        if action.pk is None and action.owner_id is None:
            action.owner = by
        if action.status in OPEN_STATUSES:
            action.outcome = ""
            action.outcome_reason = ""
        action.save()
        if action.owner_id:
            action.joiners.remove(action.owner_id)
    return action


def join(action: CommunityAction, user: Any) -> None:
    """Add ``user`` to the people joining; refused for closed actions and for the owner."""
    if action.status == Status.DONE:
        raise ActionError(_("“%(action)s” is already done: joining is no longer possible.") % {"action": action.title})
    if action.status == Status.CANCELLED:
        raise ActionError(_("“%(action)s” was cancelled: joining is no longer possible.") % {"action": action.title})
    if action.owner_id == user.pk:
        raise ActionError(_("You organise “%(action)s” yourself.") % {"action": action.title})
    action.joiners.add(user)


def leave(action: CommunityAction, user: Any) -> None:
    """Remove ``user`` from the people joining (nothing happens if they were not)."""
    action.joiners.remove(user)


def record_outcome(action: CommunityAction, outcome: str, reason: str) -> CommunityAction:
    """Record what came of the action and why; the action is done (a cancelled one stays cancelled)."""
    reason = reason.strip()
    if outcome not in Outcome.values:
        raise ActionError(_("Choose what came of the action."))
    if reason_required(outcome) and not reason:
        raise ActionError(_("Tell us why: the harvest session learns most from what did not work out."))
    action.outcome = outcome
    action.outcome_reason = reason
    if action.status != Status.CANCELLED:
        action.status = Status.DONE
    action.save(update_fields=["outcome", "outcome_reason", "status", "updated_at"])
    return action
