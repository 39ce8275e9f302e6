"""Changes to learning communities: setting them up, proposing questions, joining and switching.

Joining locks the community's row, so two people taking the last place at the same moment
cannot both get it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from privacy import audit
from programmes.models import Membership

from .models import Community, CommunityMember, CommunityProposal


class CommunityError(Exception):
    """A join or leave that the community's rules do not allow; the message says why."""


def save_community(
    community: Community, *, coaches: list[Any], proposals: list[CommunityProposal] = (), by: Any = None
) -> Community:
    """Store a community with its coaches; proposals it grew from are linked to it.

    A coach added or removed gains or loses sight of the members' progress (the coach
    dashboard), so each change is recorded in the audit trail, by ``by``, against the coach's
    role in the programme, as the programme's role changes are.
    """
    with transaction.atomic():
        before = set(community.coaches.values_list("pk", flat=True)) if community.pk else set()
        community.save()
        community.coaches.set(coaches)
        for proposal in proposals:
            proposal.community = community
            proposal.save(update_fields=["community"])
        _record_coach_changes(community, before, {coach.pk for coach in coaches}, by)
    return community


def _record_coach_changes(community: Community, before: set[int], after: set[int], by: Any) -> None:
    changed = before ^ after
    if not changed or by is None:
        return
    roles = Membership.objects.unscoped().filter(
        programme_id=community.programme_id, user_id__in=changed, role=Membership.Role.COACH
    )
    for role in roles:
        if role.user_id in after:
            summary = _("Learning coach of the community “%(name)s” from now on") % {"name": community.name}
        else:
            summary = _("No longer learning coach of the community “%(name)s”") % {"name": community.name}
        audit.record(by, audit.Action.ROLE_CHANGED, role, summary)


def propose(membership: Membership, question: str) -> CommunityProposal:
    return CommunityProposal.objects.create(programme=membership.programme, proposed_by=membership, question=question)


def current_community(membership: Membership) -> Community | None:
    member = CommunityMember.objects.unscoped().select_related("community").filter(membership=membership).first()
    return member.community if member else None


def _switch_closed(community: Community) -> bool:
    return bool(community.switch_until and timezone.localdate() > community.switch_until)


def join(community: Community, membership: Membership) -> CommunityMember:
    """Join ``community`` (leaving the current one); refused when it is full or switching has closed."""
    if membership.programme_id != community.programme_id or membership.role != Membership.Role.PARTICIPANT:
        raise CommunityError(_("Only participants of this programme can join its communities."))
    with transaction.atomic():
        locked = Community.objects.unscoped().select_for_update().get(pk=community.pk)
        member = CommunityMember.objects.unscoped().select_related("community").filter(membership=membership).first()
        if member and member.community_id == locked.pk:
            return member
        if member and _switch_closed(member.community):
            raise CommunityError(
                _("Switching communities was possible until %(date)s.")
                % {"date": date_format(member.community.switch_until)}
            )
        if locked.capacity is not None and locked.members.count() >= locked.capacity:
            raise CommunityError(_("“%(community)s” is full.") % {"community": locked.name})
        if member:
            member.community = locked
            member.joined_at = timezone.now()
            member.save(update_fields=["community", "joined_at"])
            return member
        return CommunityMember.objects.create(community=locked, membership=membership)


def leave(membership: Membership) -> None:
    member = CommunityMember.objects.unscoped().select_related("community").filter(membership=membership).first()
    if member is None:
        return
    if _switch_closed(member.community):
        raise CommunityError(
            _("Leaving the community was possible until %(date)s.")
            % {"date": date_format(member.community.switch_until)}
        )
    member.delete()
