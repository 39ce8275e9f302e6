"""Reads for the session's initiatives and the room screen, the managers' answers and recognition:
each a fixed number of queries however many initiatives, sign-ups, answers and versions there are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Sum, Value, When
from django.utils.translation import ngettext

from learners.models import Action, Goal
from programmes.models import Membership, Programme

from .models import Answer, AnswerVersion, Initiative, InitiativeSignup, Recognition


def room_version(programme: Programme) -> str:
    """Changes whenever an initiative is added or someone signs up or withdraws (one query).

    Primary keys only grow, so the number and the sum of the rows' keys change with every
    insert and every delete: the version tells the room's screen whether to fetch anything.
    """
    totals = (
        Initiative.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme)
        .aggregate(
            initiative_count=Count("pk", distinct=True),
            initiative_keys=Sum("pk", distinct=True),
            signup_count=Count("signups", distinct=True),
            signup_keys=Sum("signups__pk", distinct=True),
        )
    )
    return "{}.{}-{}.{}".format(
        totals["initiative_count"], totals["initiative_keys"] or 0, totals["signup_count"], totals["signup_keys"] or 0
    )


@dataclass
class InitiativeRow:
    initiative: Initiative
    names: list[str] = field(default_factory=list)
    signed_up: bool = False

    @property
    def count(self) -> int:
        return len(self.names)

    @property
    def count_label(self) -> str:
        return ngettext("%(count)d sign-up", "%(count)d sign-ups", self.count) % {"count": self.count}


def initiative_rows(programme: Programme, user: Any = None) -> list[InitiativeRow]:
    """Every initiative of the programme, oldest first, with the first names of who signed up (two queries)."""
    initiatives = (
        Initiative.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme)
        .select_related("proposed_by")
        .order_by("created_at", "pk")
    )
    rows = {initiative.pk: InitiativeRow(initiative) for initiative in initiatives}
    signups = (
        InitiativeSignup.objects.for_organisation(programme.organisation_id)
        .filter(initiative__programme=programme)
        .order_by("created_at", "pk")
        .values_list("initiative_id", "user_id", "user__first_name")
    )
    for initiative_id, user_id, first_name in signups:
        row = rows.get(initiative_id)
        if row is None:  # proposed between the two queries: it shows at the next refresh
            continue
        row.names.append(first_name)
        if user is not None and user_id == user.pk:
            row.signed_up = True
    return list(rows.values())


def room_state(programme: Programme, version: str) -> dict[str, Any]:
    """The room screen's content as JSON: the initiatives with their counts and first names."""
    return {
        "version": version,
        "initiatives": [
            {
                "id": row.initiative.pk,
                "title": row.initiative.title,
                "description": row.initiative.description,
                "count": row.count,
                "count_label": row.count_label,
                "names": row.names,
            }
            for row in initiative_rows(programme)
        ],
    }


# --- Answers ---------------------------------------------------------------------------------


def _with_history(answers: QuerySet[Answer], versions: QuerySet[AnswerVersion]) -> QuerySet[Answer]:
    """``answers`` as the pages show them, last changed first, with their earlier ``versions``."""
    return (
        answers.select_related("contribution__community", "manager")
        .prefetch_related(
            Prefetch("versions", queryset=versions.select_related("written_by").order_by("-replaced_at", "-pk"))
        )
        .order_by("-updated_at", "-pk")
    )


def _answers(organisation_id: int | None) -> Any:
    return _with_history(
        Answer.objects.for_organisation(organisation_id), AnswerVersion.objects.for_organisation(organisation_id)
    )


def answers_of_programme(organisation_id: int | None, programme_id: int) -> Any:
    """The programme's answers as a queryset, for fetching one through the access layer."""
    return _answers(organisation_id).filter(programme_id=programme_id).select_related("programme")


def programme_answers(programme: Programme) -> list[Answer]:
    """The managers' answers in the programme, last changed first, with their earlier versions (two queries)."""
    return list(_answers(programme.organisation_id).filter(programme=programme))


def answers_by_programme(programme_ids: Iterable[int]) -> dict[int, list[Answer]]:
    """The answers of several programmes at once (read scoped by the caller), for the participant's
    home: two queries, one while there are none. The ids scope the answers, so they need no joins
    up to the organisation."""
    answers: dict[int, list[Answer]] = defaultdict(list)
    of_programmes = Answer.objects.unscoped().filter(programme__in=list(programme_ids))
    for answer in _with_history(of_programmes, AnswerVersion.objects.unscoped()):
        answers[answer.programme_id].append(answer)
    return answers


# --- Recognition -----------------------------------------------------------------------------


def recognitions_by_programme(programme_of: dict[int, int]) -> dict[int, list[Recognition]]:
    """The positive attention received in the participant memberships ``programme_of`` (membership
    pk to programme pk, read scoped by the caller), newest first, per programme (one query)."""
    recognitions: dict[int, list[Recognition]] = defaultdict(list)
    received = (
        Recognition.objects.unscoped()
        .filter(membership__in=list(programme_of))
        .select_related("manager", "goal", "action")
        .order_by("-created_at", "-pk")
    )
    for recognition in received:
        recognitions[programme_of[recognition.membership_id]].append(recognition)
    return recognitions


def recognisable_participants(programme: Programme, manager: Any) -> tuple[list[Membership], list[Membership]]:
    """The programme's participants: those who report to ``manager`` first, then everyone else."""
    memberships = (
        Membership.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme, role=Membership.Role.PARTICIPANT)
        .exclude(user=manager)
        .select_related("user")
        .annotate(reports=Case(When(reports_to=manager, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("reports", "user__first_name", "user__last_name", "pk")
    )
    direct: list[Membership] = []
    others: list[Membership] = []
    for membership in memberships:
        (direct if membership.reports == 0 else others).append(membership)
    return direct, others


def visible_goals(membership: Membership, user: Any) -> list[Goal]:
    """The participant's goals that ``user`` may see: those shared with them, never private ones."""
    goals = (
        Goal.objects.for_organisation(membership.programme.organisation_id)
        .filter(membership=membership)
        .exclude(visibility=Goal.Visibility.PRIVATE)
        .select_related("membership__programme")
        .order_by("created_at", "pk")
    )
    return [goal for goal in goals if user.has_perm("learners.view_goal", goal)]


def actions_of(goals: list[Goal]) -> list[Action]:
    if not goals:
        return []
    return list(
        Action.objects.for_organisation(goals[0].membership.programme.organisation_id)
        .filter(goal__in=goals)
        .select_related("goal")
        .order_by("goal__created_at", "goal_id", "pk")
    )


def given_recognitions(programme: Programme, manager: Any) -> list[Recognition]:
    """What ``manager`` recognised in the programme, newest first (one query)."""
    return list(
        Recognition.objects.for_organisation(programme.organisation_id)
        .filter(membership__programme=programme, manager=manager)
        .select_related("membership__user", "goal", "action")
        .order_by("-created_at", "-pk")
    )
