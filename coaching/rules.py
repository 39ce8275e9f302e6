"""Who may see and do what in communities and coaching (registered with django-rules).

Communities are open to everyone with a role in their programme (participants choose one)
and to HR; taking part (forum, actions board) is for members and the community's coaches.
A coaching session is seen by its participant and its coach only; its confidential notes
by the coach alone: HR, managers and other coaches never, whatever else they may see.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import is_hr_admin
from programmes.rules import is_coach, is_draft, is_hr_admin_of_programme, is_participant, of_programme
from programmes.selectors import member_of_communities, roles_by_programme

from .models import Community, CommunityMember

community_programme_hr = of_programme(is_hr_admin_of_programme, "community")
community_programme_coach = of_programme(is_coach, "community")
community_programme_participant = of_programme(is_participant, "community")
community_programme_draft = of_programme(is_draft, "community")


@rules.predicate
def is_community_coach(user: Any, community: Community) -> bool:
    if not user.is_authenticated or community is None:
        return False
    return any(coach.pk == user.pk for coach in community.coaches.all())


@rules.predicate
def is_community_member(user: Any, community: Community) -> bool:
    if not user.is_authenticated or community is None:
        return False
    return community.pk in member_of_communities(user)


@rules.predicate
def has_role_in_programme(user: Any, community: Community) -> bool:
    return bool(
        user.is_authenticated and community is not None and roles_by_programme(user).get(community.programme_id)
    )


# Seeing a community: anyone with a role in its programme (once it is no draft) and HR.
rules.add_perm(
    "coaching.view_community",
    community_programme_hr | community_programme_coach | (has_role_in_programme & ~community_programme_draft),
)
# Setting communities up (name, question, places, coaches): HR and the programme's coaches.
rules.add_perm("coaching.change_community", community_programme_hr | community_programme_coach)
# Joining or leaving on one's own: participants of the programme.
rules.add_perm("coaching.join_community", community_programme_participant & ~community_programme_draft)
# Taking part (forum, actions board): members and the community's coaches.
rules.add_perm("coaching.take_part", is_community_member | is_community_coach)


@rules.predicate
def community_goes_on(_user: Any, community: Community) -> bool:
    """Open for new actions and posts while its programme runs, and afterwards if it continues."""
    if community is None:
        return False
    return community.continues_after_programme or not community.programme_has_ended


# Adding to it (actions, threads, replies): those who take part, while the community goes on.
# After a programme ends, a community that does not continue stays readable for its members.
rules.add_perm("coaching.contribute", (is_community_member | is_community_coach) & community_goes_on)
# Proposing a question for a community (start day): participants of the running programme.
rules.add_perm("coaching.propose_community", is_participant & ~is_draft)
# The coach dashboard of a programme: its learning coaches.
rules.add_perm("coaching.view_coach_dashboard", is_coach)


# --- Actions board (issue 5) ------------------------------------------------------------------


@rules.predicate
def can_view_action_community(user: Any, action: Any) -> bool:
    return action is not None and user.has_perm("coaching.view_community", action.community)


@rules.predicate
def takes_part_in_action_community(user: Any, action: Any) -> bool:
    return action is not None and user.has_perm("coaching.contribute", action.community)


# An action is seen by whoever sees its community (read-only board) ...
rules.add_perm("coaching.view_communityaction", can_view_action_community)
# ... and changed, joined and given an outcome by the community's members and coaches.
rules.add_perm("coaching.change_communityaction", takes_part_in_action_community)


# --- Best practices (issue 5) -----------------------------------------------------------------


@rules.predicate
def has_a_programme_role(user: Any) -> bool:
    """A role (any) in some programme of the user's own organisation."""
    return bool(user.is_authenticated and roles_by_programme(user))


@rules.predicate
def takes_part_in_a_community(user: Any) -> bool:
    """A member or a coach of some community of the user's organisation."""
    if not user.is_authenticated or not user.organisation_id:
        return False
    organisation = user.organisation_id
    return (
        CommunityMember.objects.for_organisation(organisation).filter(membership__user=user).exists()
        or Community.objects.for_organisation(organisation).filter(coaches=user).exists()
    )


@rules.predicate
def is_of_practice_organisation(user: Any, practice: Any) -> bool:
    return bool(user.is_authenticated and practice is not None and practice.organisation_id == user.organisation_id)


@rules.predicate
def is_practice_author(user: Any, practice: Any) -> bool:
    return bool(user.is_authenticated and practice is not None and practice.created_by_id == user.pk)


# Reading and searching: everyone with a role in a programme of the organisation, and HR.
rules.add_perm("coaching.browse_bestpractices", is_hr_admin | has_a_programme_role)
rules.add_perm("coaching.view_bestpractice", is_of_practice_organisation & (is_hr_admin | has_a_programme_role))
# Writing one: HR, and members and coaches of a community ...
rules.add_perm("coaching.add_bestpractice", is_hr_admin | takes_part_in_a_community)
# ... on behalf of a community they take part in (HR: any community of the organisation).
rules.add_perm("coaching.share_bestpractice", is_community_member | is_community_coach | community_programme_hr)
# HR writes for the whole organisation: from any of its communities, or from none.
rules.add_perm("coaching.share_bestpractice_for_organisation", is_hr_admin)
# Editing: its author and HR.
rules.add_perm("coaching.change_bestpractice", is_of_practice_organisation & (is_practice_author | is_hr_admin))


# --- Forum (issue 5) --------------------------------------------------------------------------
# The forum is the community's safe space: only its members and coaches read and write it.
# Others who may see the community get 403 on its forum pages (the community is fetched with
# ``coaching.take_part``); everyone else gets 404, as for the community itself.


@rules.predicate
def takes_part_in_thread_community(user: Any, thread: Any) -> bool:
    return thread is not None and user.has_perm("coaching.take_part", thread.community)


@rules.predicate
def contributes_to_thread_community(user: Any, thread: Any) -> bool:
    return thread is not None and user.has_perm("coaching.contribute", thread.community)


@rules.predicate
def takes_part_in_post_community(user: Any, post: Any) -> bool:
    return post is not None and user.has_perm("coaching.take_part", post.thread.community)


@rules.predicate
def is_post_author(user: Any, post: Any) -> bool:
    return bool(user.is_authenticated and post is not None and post.author_id == user.pk)


# Reading a thread and its posts, and replying: members and coaches of its community.
rules.add_perm("coaching.view_thread", takes_part_in_thread_community)
rules.add_perm("coaching.add_post", contributes_to_thread_community)
rules.add_perm("coaching.view_post", takes_part_in_post_community)
# Editing a post: its author only (who must still take part to reach it: ``view_post``).
rules.add_perm("coaching.change_post", is_post_author)


# --- Coaching sessions (issue 5) ------------------------------------------------------------
# A session is seen by its participant and its coach only: for HR, managers and other coaches
# it does not exist (404). Its confidential notes are for its coach alone, whoever else asks.


@rules.predicate
def is_session_participant(user: Any, session: Any) -> bool:
    return bool(user.is_authenticated and session is not None and session.membership.user_id == user.pk)


@rules.predicate
def is_session_coach(user: Any, session: Any) -> bool:
    return bool(user.is_authenticated and session is not None and session.coach_id == user.pk)


def _of_session(predicate: Any, name: str) -> Any:
    """The session predicate, asked of a part of a session (a note or a follow-up)."""

    @rules.predicate(name=f"session_part_{name}")
    def on_part(user: Any, part: Any) -> bool:
        return part is not None and predicate.test(user, part.session)

    return on_part


rules.add_perm("coaching.view_coachingsession", is_session_participant | is_session_coach)
# Planning, changing and recording a session: its coach.
rules.add_perm("coaching.change_coachingsession", is_session_coach)
# Cancelling (with a message to the other side): either of the two.
rules.add_perm("coaching.cancel_coachingsession", is_session_participant | is_session_coach)
# The confidential notes: the session's coach, and nobody else ever.
rules.add_perm("coaching.keep_session_notes", is_session_coach)
rules.add_perm("coaching.view_coachingnote", _of_session(is_session_coach, "coach"))
rules.add_perm("coaching.change_coachingnote", _of_session(is_session_coach, "coach"))
# Follow-up actions: both see them; the participant marks them done in their plan.
follow_up_participant = _of_session(is_session_participant, "participant")
rules.add_perm("coaching.view_followup", follow_up_participant | _of_session(is_session_coach, "coach"))
rules.add_perm("coaching.complete_followup", follow_up_participant)
# Planning a session with a participant (asked of a programme): its learning coaches.
rules.add_perm("coaching.plan_session", is_coach & ~is_draft)
# Asking for a session (asked of a programme): its participants, once it is no draft.
rules.add_perm("coaching.request_session", is_participant & ~is_draft)
