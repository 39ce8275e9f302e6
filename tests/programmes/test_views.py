"""Home and programme pages per role, and their query counts as an organisation grows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from programmes.models import Membership, Programme
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("alice", "Mijn leertrajecten"),
        ("bob", "Trajecten die ik begeleid"),
        ("manager", "Trajecten die ik volg als leidinggevende"),
        ("hr", "Alle leertrajecten van Gemeente Rotterdam"),
    ],
)
def test_home_shows_a_section_per_role(world: World, who: str, heading: str) -> None:
    page = login_client(getattr(world, who)).get("/").content.decode()

    assert heading in page
    assert world.programme.title in page
    assert world.haarlem_programme.title not in page


def test_home_only_shows_the_sections_of_roles_held(world: World) -> None:
    page = login_client(world.alice).get("/").content.decode()

    assert "Trajecten die ik begeleid" not in page
    assert "Alle leertrajecten van" not in page


def test_home_without_any_role_explains_what_comes(world: World) -> None:
    page = login_client(world.colleague).get("/").content.decode()

    assert "U doet nog niet mee aan een leertraject" in page


def test_hr_admin_of_an_empty_organisation_sees_an_empty_state(world: World) -> None:
    Programme.objects.for_organisation(world.haarlem).delete()

    page = login_client(world.haarlem_hr).get("/").content.decode()

    assert "Uw organisatie heeft nog geen leertrajecten." in page


def test_programme_list_per_role_never_crosses_organisations(world: World) -> None:
    other = ProgrammeFactory(organisation=world.rotterdam, title="Leercoach in ontwikkeling")

    alice_page = login_client(world.alice).get("/programmes/").content.decode()
    hr_page = login_client(world.hr).get("/programmes/").content.decode()
    charlie_page = login_client(world.charlie).get("/programmes/").content.decode()

    assert world.programme.title in alice_page and other.title not in alice_page
    assert world.programme.title in hr_page and other.title in hr_page
    assert world.haarlem_programme.title in charlie_page
    assert world.programme.title not in charlie_page and other.title not in charlie_page


def test_programme_list_has_an_empty_state(world: World) -> None:
    page = login_client(world.colleague).get("/programmes/").content.decode()

    assert "Er zijn nog geen leertrajecten die u kunt openen." in page


def test_dates_and_counts_are_dutch(world: World) -> None:
    page = login_client(world.hr).get("/").content.decode()

    assert "1 september 2026" in page
    assert "1 deelnemer" in page


def grow(world: World, programmes: int, people_per_programme: int) -> None:
    """Add programmes to Rotterdam with participants and a coach, and give alice, bob and the manager a role in each."""
    for _ in range(programmes):
        programme = ProgrammeFactory(organisation=world.rotterdam)
        for _ in range(people_per_programme):
            MembershipFactory(programme=programme, user=UserFactory(organisation=world.rotterdam))
        for user, role in ((world.alice, "participant"), (world.bob, "coach"), (world.manager, "manager")):
            Membership.objects.create(programme=programme, user=user, role=role)


PAGES: list[tuple[str, Callable[[World], str]]] = [
    ("alice", lambda world: "/"),
    ("bob", lambda world: "/"),
    ("manager", lambda world: "/"),
    ("hr", lambda world: "/"),
    ("hr", lambda world: "/programmes/"),
    ("bob", lambda world: "/programmes/"),
    ("bob", lambda world: f"/programmes/{world.programme.pk}/"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_query_count_stays_the_same_as_data_grows(
    world: World, django_assert_max_num_queries: Callable, who: str, url: Callable[[World], str]
) -> None:
    client: Client = login_client(getattr(world, who))
    grow(world, programmes=2, people_per_programme=2)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url(world)).status_code == 200
    for _ in range(8):
        MembershipFactory(programme=world.programme, user=UserFactory(organisation=world.rotterdam))
    grow(world, programmes=10, people_per_programme=3)

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url(world)).status_code == 200


def test_a_coachs_home_leads_to_the_coach_dashboard(world: World) -> None:
    page = login_client(world.bob).get("/").content.decode()

    assert f'href="/programmes/{world.programme.pk}/coaching/"' in page
    assert "/coaching/" not in login_client(world.alice).get("/").content.decode()
