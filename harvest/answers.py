"""Managers answer the harvest (seed 003): agreed, we act by a date, or not now and why.

An answer is never changed silently: every change keeps what it said before as an
AnswerVersion in the same transaction, and every participant of the programme is
notified of the new answer and of each change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from notifications import outbox
from programmes.models import Membership, Programme

from .models import Answer, AnswerVersion, Contribution

NOTIFIED_TEXT_LENGTH = 300


class AlreadyAnswered(Exception):
    """The harvest item has an answer already: change that one instead."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.pk)
        self.answer = answer


def check_answer(*, decision: str, act_by: date | None, text: str, today: date, kept_date: date | None = None) -> None:
    """The rules of a decision: a date that has not passed for "we act by", a reason for "not now",
    and always a few words for the participants.

    ``kept_date`` is the date the answer already had: changing only its text stays possible
    after that date has passed.
    """
    errors: dict[str, str] = {}
    if decision == Answer.Decision.WILL_ACT:
        if act_by is None:
            errors["act_by"] = _("Say by when you will act.")
        elif act_by < today and act_by != kept_date:
            errors["act_by"] = _("The date by which you act cannot be in the past.")
    if not text.strip():
        errors["text"] = (
            _("Say why not now: participants need the reason, not only the decision.")
            if decision == Answer.Decision.NOT_NOW
            else _("Write your answer to the participants.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def answer_create(
    *,
    programme: Programme,
    by: Any,
    decision: str,
    text: str,
    act_by: date | None = None,
    contribution: Contribution | None = None,
    theme: str = "",
    now: datetime | None = None,
) -> Answer:
    """Answer a harvest item or a theme and notify every participant of the programme."""
    now = now or timezone.now()
    if contribution is not None:
        # Lock the item so that two managers answering it at once end with one answer.
        Contribution.objects.for_organisation(programme.organisation_id).select_for_update(of=("self",)).filter(
            pk=contribution.pk
        ).first()
        existing = contribution.answers.first()
        if existing is not None:
            raise AlreadyAnswered(existing)
    answer = Answer.objects.create(
        programme=programme,
        manager=by,
        contribution=contribution,
        theme="" if contribution is not None else theme.strip(),
        decision=decision,
        act_by=act_by if decision == Answer.Decision.WILL_ACT else None,
        text=text.strip(),
        created_at=now,
        updated_at=now,
    )
    _notify(answer, version=1, now=now)
    return answer


@transaction.atomic
def answer_change(
    *, answer: Answer, by: Any, decision: str, text: str, act_by: date | None = None, now: datetime | None = None
) -> bool:
    """Change an answer, keeping what it said before; False when nothing changed (no version, no message)."""
    now = now or timezone.now()
    current = (
        Answer.objects.for_organisation(answer.programme.organisation_id)
        .select_for_update(of=("self",))
        .get(pk=answer.pk)
    )
    act_by = act_by if decision == Answer.Decision.WILL_ACT else None
    text = text.strip()
    if (current.decision, current.act_by, current.text) == (decision, act_by, text):
        return False
    AnswerVersion.objects.create(
        answer=current,
        decision=current.decision,
        act_by=current.act_by,
        text=current.text,
        written_by_id=current.manager_id,
        written_at=current.updated_at,
        replaced_at=now,
    )
    current.decision, current.act_by, current.text = decision, act_by, text
    current.manager = by
    current.updated_at = now
    current.save(update_fields=["decision", "act_by", "text", "manager", "updated_at"])
    answer.decision, answer.act_by, answer.text, answer.manager, answer.updated_at = (
        decision,
        act_by,
        text,
        by,
        now,
    )
    _notify(current, version=current.versions.count() + 1, now=now)
    return True


def _notify(answer: Answer, *, version: int, now: datetime) -> None:
    """One message per participant of the programme (three queries however many), sent after the commit."""
    programme = answer.programme
    community = answer.contribution.community if answer.contribution_id and answer.contribution.community_id else None
    context = {
        "programme": programme.title,
        "decision": answer.decision,
        "theme": answer.theme,
        "community": community.name if community else "",
        "act_by_on": answer.act_by.isoformat() if answer.act_by else "",
        "text": Truncator(answer.text).chars(NOTIFIED_TEXT_LENGTH),
        "changed": version > 1,
    }
    link = reverse("home") + f"#answers-{programme.pk}"
    participants = (
        Membership.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme, role=Membership.Role.PARTICIPANT)
        .values_list("user_id", flat=True)
        .distinct()
    )
    outbox.record(
        "harvest_answer",
        [
            outbox.Planned(
                recipient_id=user_id,
                organisation_id=programme.organisation_id,
                key=f"answer:{answer.pk}",
                occurrence=str(version),
                context=context,
                link=link,
            )
            for user_id in participants
        ],
        now=now,
    )
    transaction.on_commit(outbox.enqueue_due)
