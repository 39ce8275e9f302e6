"""Intervision groups of a programme: compose (preview), save, move by hand, "not with" wishes.

The algorithm lives in ``composition`` (pure Python); this module turns a programme's
participants into ``Person`` objects and the result back into groups. Wishes are private: they
feed the algorithm, and HR/coaches only ever see *how many* wishes a composition does not meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from programmes.models import Membership, Programme

from . import composition
from .composition import MANAGER_TOGETHER, Composition, Person
from .models import GroupMember, IntervisionGroup, IntervisionSession, NotTogetherWish

MAX_WISHES = 3
# What intervision shows of a participant (name, email, function, department): ``participants()``
# reads no more, so no password hashes or login dates are decoded for a hundred people.
USER_FIELDS = ("first_name", "last_name", "email", "job_title", "department")


def participants(programme: Programme) -> list[Membership]:
    """The programme's participant memberships with their users, by first name, last name and pk.

    Two queries, whatever the number of people: the memberships, then their users by primary key.
    Joined in one query, PostgreSQL scans the whole user table (every municipality) to find a
    hundred people, which costs more than the second query. The users' order comes from the
    database, so names sort by its collation exactly as an ``ORDER BY`` on the join would.
    """
    memberships = list(
        Membership.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme, role=Membership.Role.PARTICIPANT)
        .order_by()  # sorted below; the model's ordering would join the users again
    )
    users: dict[int, User] = {}
    rank: dict[int, int] = {}
    name_rank: dict[tuple[str, str], int] = {}
    users_by_name = (
        User.objects.filter(pk__in=[m.user_id for m in memberships])
        .only(*USER_FIELDS)
        .order_by("first_name", "last_name")
    )
    for user in users_by_name:
        users[user.pk] = user
        rank[user.pk] = name_rank.setdefault((user.first_name, user.last_name), len(name_rank))
    for membership in memberships:
        membership.user = users[membership.user_id]
    memberships.sort(key=lambda m: (rank[m.user_id], m.pk))
    return memberships


def people_of(memberships: list[Membership]) -> list[Person]:
    """One Person per membership; the manager counts only when that manager is a participant too."""
    membership_of_user = {m.user_id: m.pk for m in memberships}
    return [
        Person(
            id=m.pk,
            function=(m.user.job_title or "").strip(),
            department=(m.user.department or "").strip(),
            manager_id=membership_of_user.get(m.reports_to_id) if m.reports_to_id else None,
        )
        for m in memberships
    ]


def wish_pairs(programme: Programme) -> set[frozenset[int]]:
    rows = (
        NotTogetherWish.objects.for_organisation(programme.organisation_id)
        .filter(membership__programme=programme)
        .values_list("membership_id", "other_id")
    )
    return {frozenset(row) for row in rows}


@dataclass
class Preview:
    """A proposed (or current) division of the programme's participants, with names to show."""

    groups: list[list[Membership]]
    result: Composition
    names: list[str]

    @property
    def manager_pairs(self) -> list[tuple[Membership, Membership]]:
        by_pk = {m.pk: m for group in self.groups for m in group}
        return [(by_pk[i.a], by_pk[i.b]) for i in self.result.unmet if i.code == MANAGER_TOGETHER]

    @property
    def wishes_not_met(self) -> int:
        return sum(1 for i in self.result.unmet if i.code != MANAGER_TOGETHER)


def compose_for_programme(
    programme: Programme,
    *,
    size: int | None = None,
    count: int | None = None,
    seed: int = 0,
    memberships: list[Membership] | None = None,
) -> Preview:
    """A proposal, not saved; raises ``composition.CompositionError`` for invalid settings.

    ``memberships``: the programme's ``participants()`` when the caller has read them already.
    """
    if memberships is None:
        memberships = participants(programme)
    result = composition.compose(
        people_of(memberships), size=size, count=count, not_with=wish_pairs(programme), seed=seed
    )
    by_pk = {m.pk: m for m in memberships}
    groups = [sorted((by_pk[i] for i in group), key=_name_key) for group in result.groups]
    names = [_("Group %(number)s") % {"number": n} for n in range(1, len(groups) + 1)]
    return Preview(groups, result, names)


def saved_groups(
    programme: Programme, memberships: list[Membership]
) -> tuple[list[IntervisionGroup], list[Membership]]:
    """The saved groups, each with its participants by name in ``people``, and the participants
    without a group: two queries (the groups, then who is in them as bare ids).

    ``memberships`` are the programme's ``participants()``.
    """
    by_pk = {m.pk: m for m in memberships}
    groups = list(programme.intervision_groups.order_by("name"))
    ids: dict[int, list[int]] = {group.pk: [] for group in groups}
    if groups:
        # The group ids come from the programme's own groups: no wider than a scoped query.
        rows = (
            GroupMember.objects.unscoped().filter(group_id__in=ids).order_by().values_list("group_id", "membership_id")
        )
        for group_id, membership_id in rows:
            if membership_id in by_pk:
                ids[group_id].append(membership_id)
    placed: set[int] = set()
    for group in groups:
        group.people = sorted((by_pk[i] for i in ids[group.pk]), key=_name_key)
        placed.update(ids[group.pk])
    loose = [m for m in memberships if m.pk not in placed]
    return groups, loose


def current(
    programme: Programme, memberships: list[Membership] | None = None
) -> tuple[list[IntervisionGroup], list[Membership], Composition]:
    """The saved groups (``people`` per group), participants without a group, and their score and unmet wishes.

    ``memberships``: the programme's ``participants()`` when the caller has read them already.
    """
    if memberships is None:
        memberships = participants(programme)
    groups, loose = saved_groups(programme, memberships)
    id_groups = [[m.pk for m in group.people] for group in groups]
    return groups, loose, composition.evaluate(id_groups, people_of(memberships), wish_pairs(programme))


def current_score(groups: list[IntervisionGroup], memberships: list[Membership]) -> float:
    """The mix score of ``saved_groups()``; unlike ``current()`` it needs no query (wishes do not count)."""
    return composition.score([[m.pk for m in group.people] for group in groups], people_of(memberships))


def _name_key(membership: Membership) -> tuple[str, str, int]:
    return (membership.user.first_name.lower(), membership.user.last_name.lower(), membership.pk)


@transaction.atomic
def save_composition(programme: Programme, groups: list[list[int]], names: list[str] | None = None) -> None:
    """Replace the programme's groups by these (lists of membership ids), in one transaction.

    Refused (ValidationError) once a group has sessions: their cases and notes would go with it.
    """
    if IntervisionSession.objects.unscoped().filter(group__programme=programme).exists():
        raise ValidationError(_("The groups already have sessions; move people by hand instead."))
    valid = set(
        Membership.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme, role=Membership.Role.PARTICIPANT)
        .values_list("pk", flat=True)
    )
    programme.intervision_groups.all().delete()
    names = names or [_("Group %(number)s") % {"number": n} for n in range(1, len(groups) + 1)]
    created = IntervisionGroup.objects.bulk_create(
        [IntervisionGroup(programme=programme, name=name) for name in names[: len(groups)]]
    )
    GroupMember.objects.bulk_create(
        [
            GroupMember(group=group, membership_id=pk)
            for group, ids in zip(created, groups, strict=True)
            for pk in ids
            if pk in valid
        ]
    )


def manager_conflicts(membership: Membership, group: IntervisionGroup) -> list[Membership]:
    """Members of ``group`` who are the manager or a direct report of ``membership``'s person."""
    others = (
        Membership.objects.for_organisation(group.programme.organisation_id)
        .filter(intervision_member__group=group)
        .exclude(pk=membership.pk)
        .select_related("user")
    )
    return [
        other
        for other in others
        if (membership.reports_to_id and other.user_id == membership.reports_to_id)
        or other.reports_to_id == membership.user_id
    ]


@transaction.atomic
def move(membership: Membership, group: IntervisionGroup) -> None:
    """Put a participant in ``group`` (moving them out of their old one).

    Refused (ValidationError) when it would put them with their manager or a direct report:
    that is the one hard rule of intervision groups; a "not with" wish may be broken by hand.
    """
    if group.programme_id != membership.programme_id or membership.role != Membership.Role.PARTICIPANT:
        raise ValidationError(_("Only participants of this programme can be placed in its groups."))
    conflicts = manager_conflicts(membership, group)
    if conflicts:
        raise ValidationError(
            _("%(person)s cannot join %(group)s: %(other)s is their manager or reports to them.")
            % {
                "person": membership.user.get_full_name(),
                "group": group.name,
                "other": conflicts[0].user.get_full_name(),
            }
        )
    GroupMember.objects.unscoped().update_or_create(membership=membership, defaults={"group": group})


def wishes_of(membership: Membership) -> list[NotTogetherWish]:
    return list(
        NotTogetherWish.objects.unscoped()
        .filter(membership=membership)
        .select_related("other__user")
        .order_by("other__user__first_name", "other__user__last_name")
    )


def state_wish(membership: Membership, other: Membership) -> NotTogetherWish:
    if other.programme_id != membership.programme_id or other.role != Membership.Role.PARTICIPANT:
        raise ValidationError(_("Choose a participant of this programme."))
    if other.pk == membership.pk:
        raise ValidationError(_("You cannot state a wish about yourself."))
    existing = NotTogetherWish.objects.unscoped().filter(membership=membership)
    if existing.filter(other=other).exists():
        raise ValidationError(_("You already stated this wish."))
    if existing.count() >= MAX_WISHES:
        raise ValidationError(_("You can state at most 3 colleagues."))
    return NotTogetherWish.objects.create(membership=membership, other=other)


def remove_wish(membership: Membership, wish_pk: int) -> bool:
    deleted, _rows = NotTogetherWish.objects.unscoped().filter(membership=membership, pk=wish_pk).delete()
    return bool(deleted)
