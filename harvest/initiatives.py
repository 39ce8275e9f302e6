"""New initiatives at the harvest session (seed 004): proposed in the room, joined on the spot."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from programmes.models import Programme

from .models import Initiative, InitiativeSignup


class DuplicateInitiative(Exception):
    """The programme already has an initiative with this title."""


@transaction.atomic
def initiative_propose(
    *, programme: Programme, by: Any, title: str, description: str = "", sign_up: bool = False
) -> Initiative:
    """Add an initiative to the programme's list; its proposer joins it when ``sign_up``."""
    try:
        with transaction.atomic():
            initiative = Initiative.objects.create(
                programme=programme, title=title.strip(), description=description.strip(), proposed_by=by
            )
    except IntegrityError as error:  # two people typed the same title at the same moment
        raise DuplicateInitiative(title) from error
    if sign_up:
        signup_create(initiative=initiative, user=by)
    return initiative


def signup_create(*, initiative: Initiative, user: Any) -> bool:
    """Sign ``user`` up; False when they already were (a double click, two tabs) and nothing changed."""
    try:
        with transaction.atomic():
            InitiativeSignup.objects.create(initiative=initiative, user=user)
    except IntegrityError:
        return False
    return True


def signup_withdraw(*, initiative: Initiative, user: Any) -> bool:
    """Take ``user``'s sign-up back; False when there was none."""
    deleted, _ = (
        InitiativeSignup.objects.for_organisation(initiative.programme.organisation_id)
        .filter(initiative=initiative, user=user)
        .delete()
    )
    return bool(deleted)
