"""The programme's intervision page: for everyone with a role; it shows that sessions took
place, never what was said in them."""

from __future__ import annotations

from collections.abc import Callable

from programmes.models import Membership, Programme
from tests.conftest import World, login_client
from tests.factories import (
    CaseFactory,
    GroupMemberFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    MethodFactory,
)


def url(world: World) -> str:
    return f"/programmes/{world.programme.pk}/intervision/"


def a_session_with_a_case(world: World) -> None:
    group = IntervisionGroupFactory(programme=world.programme, name="Groep 1")
    GroupMemberFactory(group=group, membership=Membership.objects.unscoped().get(user=world.alice))
    method = MethodFactory(organisation=world.rotterdam, name="Incidentmethode")
    CaseFactory(session=IntervisionSessionFactory(group=group, method=method), title="Geheime casus")


def test_everyone_with_a_role_sees_that_sessions_took_place_but_not_the_case(world: World) -> None:
    a_session_with_a_case(world)

    for user in (world.alice, world.bob, world.manager, world.hr):
        page = login_client(user).get(url(world)).content.decode()
        assert "Incidentmethode" in page and "Groep 1" in page, user
        assert "Geheime casus" not in page, user
    assert "U zit in intervisiegroep “Groep 1”." in login_client(world.alice).get(url(world)).content.decode()


def test_outsiders_and_participants_of_a_draft_programme_get_404(world: World) -> None:
    for user in (world.colleague, world.haarlem_hr, world.charlie):
        assert login_client(user).get(url(world)).status_code == 404, user
    world.programme.status = Programme.Status.DRAFT
    world.programme.save()
    assert login_client(world.alice).get(url(world)).status_code == 404
    assert login_client(world.hr).get(url(world)).status_code == 200


def test_overview_keeps_its_query_count_as_groups_and_sessions_grow(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.hr)
    a_session_with_a_case(world)
    with django_assert_max_num_queries(30) as few:
        client.get(url(world))
    for number in range(15):
        group = IntervisionGroupFactory(programme=world.programme, name=f"Groep {number + 2}")
        for _ in range(3):
            GroupMemberFactory(group=group)
        IntervisionSessionFactory(group=group, method=MethodFactory(organisation=world.rotterdam))

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(world)).status_code == 200
