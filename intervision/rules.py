"""Who may see and do what in intervision (registered with django-rules).

Cases, step notes and learning points belong to the group: only its members see them.
HR, the programme's coaches and its managers see that sessions took place (date, group,
method, status) and nothing of what was said.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import is_hr_admin
from programmes.rules import is_coach, is_draft, is_hr_admin_of_programme, is_manager, is_participant, of_programme

from .models import GroupMember, IntervisionGroup, IntervisionSession, Method


@rules.predicate
def is_group_member(user: Any, group: IntervisionGroup) -> bool:
    if not user.is_authenticated or group is None:
        return False
    return GroupMember.objects.unscoped().filter(group=group, membership__user=user).exists()


@rules.predicate
def is_session_member(user: Any, session: IntervisionSession) -> bool:
    return session is not None and is_group_member.test(user, session.group)


@rules.predicate
def is_facilitator(user: Any, session: IntervisionSession) -> bool:
    return bool(user.is_authenticated and session is not None and session.facilitator_id == user.pk)


@rules.predicate
def is_case_bringer(user: Any, session: IntervisionSession) -> bool:
    return bool(user.is_authenticated and session is not None and session.case_bringer_id == user.pk)


@rules.predicate
def is_method_of_own_organisation(user: Any, method: Method) -> bool:
    return bool(user.is_authenticated and method is not None and method.organisation_id == user.organisation_id)


group_hr = of_programme(is_hr_admin_of_programme, "group")
group_coach = of_programme(is_coach, "group")

# The programme's intervision page (groups, that sessions took place): everyone with a role, and HR.
rules.add_perm(
    "intervision.view_intervision",
    is_hr_admin_of_programme | is_coach | ((is_participant | is_manager) & ~is_draft),
)
# Composing groups by hand or automatically, moving people: HR and the programme's coaches.
rules.add_perm("intervision.compose_groups", is_hr_admin_of_programme | is_coach)
# Stating a "not with" wish: participants of the programme.
rules.add_perm("intervision.state_wish", is_participant & ~is_draft)
# A group and who is in it: its members, the programme's coaches and HR.
rules.add_perm("intervision.view_intervisiongroup", is_group_member | group_coach | group_hr)
# Planning a session for a group: its members and the programme's coaches.
rules.add_perm("intervision.plan_session", is_group_member | group_coach)
# A session with its case, notes and learning points: the group's members only.
rules.add_perm("intervision.view_intervisionsession", is_session_member)
# Moving or cancelling a planned session: the group's members (the services refuse once it started).
rules.add_perm("intervision.change_intervisionsession", is_session_member)
# Submitting (and changing) the case: the session's case bringer.
rules.add_perm("intervision.submit_case", is_case_bringer)
# Running the live guide (next step, countdown, end): the session's facilitator.
rules.add_perm("intervision.run_session", is_facilitator)
# The method library: read by everyone of the organisation, kept by its HR admins.
rules.add_perm("intervision.view_method", is_method_of_own_organisation)
rules.add_perm("intervision.change_method", is_method_of_own_organisation & is_hr_admin)
rules.add_perm("intervision.add_method", is_hr_admin)
