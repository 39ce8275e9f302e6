"""Changes to a participant's learning: assessment answers, SWOT, goals, actions, reflections."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from programmes.models import AssessmentItem, Competency, Membership

from .models import Action, AssessmentAnswer, AssessmentResponse, Goal, GoalVersion, Reflection, Swot


@transaction.atomic
def save_assessment(
    membership: Membership, moment: str, answers: dict[int, Any], *, submit: bool
) -> AssessmentResponse:
    """Store the answers (item id → score or text); ``submit`` marks the assessment as handed in."""
    response, _created = AssessmentResponse.objects.unscoped().get_or_create(membership=membership, moment=moment)
    items = {item.pk: item for item in membership.programme.assessment_items.filter(pk__in=list(answers))}
    existing = {answer.item_id: answer for answer in response.answers.filter(item_id__in=list(items))}
    new, changed = [], []
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is None:
            continue
        answer = existing.get(item_id) or AssessmentAnswer(response=response, item=item)
        if item.kind == AssessmentItem.Kind.STATEMENT:
            answer.score = int(value) if value else None
        else:
            answer.text = value or ""
        (changed if answer.pk else new).append(answer)
    AssessmentAnswer.objects.unscoped().bulk_create(new)
    AssessmentAnswer.objects.unscoped().bulk_update(changed, ["score", "text"])
    if submit and not response.submitted_at:
        response.submitted_at = timezone.now()
    response.save()
    return response


@transaction.atomic
def save_swot(membership: Membership, fields: dict[str, str], strong_in: list[Competency]) -> Swot:
    swot, _created = Swot.objects.unscoped().get_or_create(membership=membership)
    for name, value in fields.items():
        setattr(swot, name, value)
    swot.save()
    swot.strong_in.set(strong_in)
    return swot


@transaction.atomic
def save_goal(goal: Goal, *, competencies: list[Competency], indicators: list[Any], formsets: list[Any]) -> Goal:
    """Store a goal with its activities and actions; a chosen behaviour brings its competency along."""
    goal.save()
    linked = {competency.pk for competency in competencies} | {indicator.competency_id for indicator in indicators}
    goal.competencies.set(linked)
    goal.indicators.set(indicators)
    for formset in formsets:
        formset.instance = goal
        formset.save()
    keep_version(goal)
    return goal


def snapshot(goal: Goal) -> dict[str, Any]:
    """What a version keeps of a goal: its text, links, activities and actions."""
    return {
        "title": goal.title,
        "why": goal.why,
        "success": goal.success,
        "visibility": goal.visibility,
        "competencies": sorted(goal.competencies.values_list("name", flat=True)),
        "indicators": list(goal.indicators.order_by("position", "pk").values_list("text", flat=True)),
        "activities": [
            {"kind": kind, "description": description}
            for kind, description in goal.activities.order_by("-kind", "pk").values_list("kind", "description")
        ],
        "actions": [
            {"description": description, "due_on": due_on.isoformat() if due_on else None, "done": done_at is not None}
            for description, due_on, done_at in goal.actions.order_by("due_on", "pk").values_list(
                "description", "due_on", "done_at"
            )
        ],
    }


def keep_version(goal: Goal) -> GoalVersion | None:
    """Add a version when the goal differs from its latest one; None when nothing changed."""
    data = snapshot(goal)
    latest = goal.versions.order_by("-number").first()
    if latest and latest.data == data:
        return None
    return GoalVersion.objects.create(goal=goal, number=(latest.number + 1) if latest else 1, data=data)


def complete_action(action: Action, note: str) -> Action:
    action.done_at = timezone.now()
    action.done_note = note
    action.save(update_fields=["done_at", "done_note"])
    return action


def reopen_action(action: Action) -> Action:
    action.done_at = None
    action.save(update_fields=["done_at"])
    return action


def add_reflection(goal: Goal, **fields: str) -> Reflection:
    return Reflection.objects.create(goal=goal, **fields)
