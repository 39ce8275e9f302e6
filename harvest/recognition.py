"""Positive attention (seed 000): a manager tells a participant what new behaviour they saw."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from learners.models import Action, Goal
from notifications import outbox
from programmes.models import Membership

from .models import Recognition

NOTIFIED_MESSAGE_LENGTH = 300


@transaction.atomic
def recognition_give(
    *, membership: Membership, by: Any, message: str, goal: Goal | None = None, action: Action | None = None
) -> Recognition:
    """Record the recognition and tell the participant; an action brings its goal along."""
    if action is not None and goal is None:
        goal = action.goal
    if action is not None and action.goal_id != goal.pk:
        raise ValidationError({"action": _("Choose an action of the goal you chose.")})
    if goal is not None and goal.membership_id != membership.pk:
        raise ValidationError({"goal": _("Choose one of this participant's own goals.")})
    recognition = Recognition.objects.create(
        membership=membership, manager=by, goal=goal, action=action, message=message.strip()
    )
    programme = membership.programme
    outbox.send_now(
        "recognition",
        outbox.Planned(
            recipient_id=membership.user_id,
            organisation_id=programme.organisation_id,
            key=f"recognition:{recognition.pk}",
            context={
                "programme": programme.title,
                "manager": by.get_full_name(),
                "message": Truncator(recognition.message).chars(NOTIFIED_MESSAGE_LENGTH),
                "goal": goal.title if goal else "",
                "action": action.description if action else "",
            },
            link=reverse("home") + f"#recognition-{programme.pk}",
        ),
    )
    return recognition
