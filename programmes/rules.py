"""Who may see and change programmes (registered with django-rules).

Role look-ups go through ``roles_by_programme``: one query per request, however many
programmes a page checks.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import is_hr_admin

from .models import Membership, Programme
from .selectors import roles_by_programme


def _has_role(role: str) -> Any:
    @rules.predicate(name=f"is_{role}")
    def predicate(user: Any, programme: Programme) -> bool:
        if not user.is_authenticated or programme is None:
            return False
        return role in roles_by_programme(user).get(programme.pk, ())

    return predicate


is_participant = _has_role(Membership.Role.PARTICIPANT)
is_coach = _has_role(Membership.Role.COACH)
is_manager = _has_role(Membership.Role.MANAGER)


@rules.predicate
def is_hr_admin_of_programme(user: Any, programme: Programme) -> bool:
    return bool(is_hr_admin(user) and programme is not None and programme.organisation_id == user.organisation_id)


@rules.predicate
def is_draft(_user: Any, programme: Programme) -> bool:
    return programme is not None and programme.status == Programme.Status.DRAFT


rules.add_perm(
    "programmes.view_programme",
    is_hr_admin_of_programme | is_coach | ((is_participant | is_manager) & ~is_draft),
)
rules.add_perm("programmes.add_programme", is_hr_admin)
rules.add_perm("programmes.change_programme", is_hr_admin_of_programme)
rules.add_perm("programmes.view_people", is_hr_admin_of_programme | is_coach)


@rules.predicate
def is_hr_admin_of_competency(user: Any, competency: Any) -> bool:
    return bool(is_hr_admin(user) and competency is not None and competency.organisation_id == user.organisation_id)


rules.add_perm("programmes.view_competency", is_hr_admin_of_competency)
rules.add_perm("programmes.change_competency", is_hr_admin_of_competency)


def of_programme(predicate: Any, kind: str) -> Any:
    """The same programme predicate, asked of an object's ``programme`` (an event, a community, a group)."""

    @rules.predicate(name=f"{kind}_{predicate.name}")
    def on_object(user: Any, obj: Any) -> bool:
        return obj is not None and predicate.test(user, obj.programme)

    return on_object


@rules.predicate
def event_has_started(_user: Any, event: Any) -> bool:
    return event is not None and event.has_started


event_hr = of_programme(is_hr_admin_of_programme, "event")
event_coach = of_programme(is_coach, "event")
event_participant = of_programme(is_participant, "event")
event_manager = of_programme(is_manager, "event")
event_draft = of_programme(is_draft, "event")

rules.add_perm("programmes.view_event", event_hr | event_coach | ((event_participant | event_manager) & ~event_draft))
rules.add_perm("programmes.change_event", event_hr)
rules.add_perm("programmes.view_registrations", event_hr | event_coach)
rules.add_perm("programmes.sign_up_event", event_participant & ~event_draft & ~event_has_started)
