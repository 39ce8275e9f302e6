"""Who may see and change a participant's learning (registered with django-rules).

A plan is private unless shared: only its owner sees a private goal, whoever else asks.
Shared goals reach my learning coach (my community's coaches, or the programme's while I am
in no community), my learning community (its members and coaches), or everyone in the programme.
"""

from __future__ import annotations

from typing import Any

import rules

from coaching.models import CommunityMember
from programmes.rules import is_coach, is_draft, is_hr_admin_of_programme, is_participant
from programmes.selectors import roles_by_programme

from .models import Goal


@rules.predicate
def is_goal_owner(user: Any, goal: Goal) -> bool:
    return bool(user.is_authenticated and goal is not None and goal.membership.user_id == user.pk)


@rules.predicate
def is_shared_with_user(user: Any, goal: Goal) -> bool:
    """The goal's visibility lets someone with the user's roles in the programme see it."""
    if not user.is_authenticated or goal is None or goal.visibility == Goal.Visibility.PRIVATE:
        return False
    programme = goal.membership.programme
    if goal.visibility == Goal.Visibility.PROGRAMME:
        return bool(roles_by_programme(user).get(programme.pk) or is_hr_admin_of_programme(user, programme))
    community = _community_of(goal)
    if goal.visibility == Goal.Visibility.COMMUNITY:
        return bool(community and (_is_member(user, community) or _coaches(community, user)))
    # My learning coach: the coaches of my community; the programme's coaches while I have none.
    if community and community.coaches.exists():
        return _coaches(community, user)
    return bool(is_coach(user, programme))


def _community_of(goal: Goal) -> Any:
    member = (
        CommunityMember.objects.unscoped().select_related("community").filter(membership=goal.membership_id).first()
    )
    return member.community if member else None


def _is_member(user: Any, community: Any) -> bool:
    return community.members.filter(membership__user=user).exists()


def _coaches(community: Any, user: Any) -> bool:
    return community.coaches.filter(pk=user.pk).exists()


rules.add_perm("learners.view_goal", is_goal_owner | is_shared_with_user)
rules.add_perm("learners.change_goal", is_goal_owner)
# Keeping one's own plan (asked of a programme): its participants, once it is no draft.
rules.add_perm("learners.keep_plan", is_participant & ~is_draft)
rules.add_perm("learners.view_demand", is_hr_admin_of_programme | is_coach)
