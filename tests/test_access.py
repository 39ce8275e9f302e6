"""The one permission layer: other organisations get 404, missing rights 403, never a leak."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.html import escape

from programmes.models import Programme
from programmes.permissions import access_programme
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, ProgrammeFactory


@pytest.mark.parametrize("who", ["alice", "bob", "manager", "hr"])
def test_people_with_a_role_or_hr_open_the_programme(world: World, who: str) -> None:
    user = getattr(world, who)

    assert access_programme(user, world.programme.pk) == world.programme
    assert login_client(user).get(f"/programmes/{world.programme.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["charlie", "haarlem_hr", "colleague"])
def test_outsiders_get_not_found_not_forbidden(world: World, who: str) -> None:
    user = getattr(world, who)

    with pytest.raises(Http404):
        access_programme(user, world.programme.pk)
    response = login_client(user).get(f"/programmes/{world.programme.pk}/")
    assert response.status_code == 404
    assert world.programme.title not in response.content.decode()


def test_seeing_a_programme_is_not_changing_it(world: World) -> None:
    for user in (world.alice, world.bob, world.manager):
        with pytest.raises(PermissionDenied):
            access_programme(user, world.programme.pk, perm="programmes.change_programme")
    assert access_programme(world.hr, world.programme.pk, perm="programmes.change_programme") == world.programme


def test_hr_admin_of_another_organisation_cannot_change_it_either(world: World) -> None:
    with pytest.raises(Http404):
        access_programme(world.haarlem_hr, world.programme.pk, perm="programmes.change_programme")


def test_draft_programmes_are_hidden_from_participants_and_managers(world: World) -> None:
    draft = ProgrammeFactory(organisation=world.rotterdam, status=Programme.Status.DRAFT)
    for role in ("participant", "manager"):
        member = MembershipFactory(programme=draft, role=role).user
        with pytest.raises(Http404):
            access_programme(member, draft.pk)
    coach = MembershipFactory(programme=draft, role="coach").user

    assert access_programme(coach, draft.pk) == draft
    assert access_programme(world.hr, draft.pk) == draft


def test_only_coaches_and_hr_see_who_takes_part(world: World) -> None:
    assert world.bob.has_perm("programmes.view_people", world.programme)
    assert world.hr.has_perm("programmes.view_people", world.programme)
    assert not world.alice.has_perm("programmes.view_people", world.programme)
    assert not world.manager.has_perm("programmes.view_people", world.programme)
    assert not world.haarlem_hr.has_perm("programmes.view_people", world.programme)


def test_people_list_appears_only_for_those_allowed(world: World) -> None:
    url = f"/programmes/{world.programme.pk}/"

    # Names as the page writes them: escaped (Faker's Dutch names include "van 't ...").
    assert escape(world.alice.get_full_name()) in login_client(world.bob).get(url).content.decode()
    assert escape(world.bob.get_full_name()) not in login_client(world.alice).get(url).content.decode()


def test_inactive_hr_admin_loses_rights(world: World) -> None:
    world.hr.is_active = False

    assert not world.hr.has_perm("programmes.change_programme", world.programme)
    assert not world.hr.has_perm("accounts.manage_organisation")
