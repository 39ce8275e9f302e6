"""New initiatives at the harvest session: proposed and joined on the spot, shown live in the room."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import IntegrityError
from django.utils.html import escape

from harvest import initiatives
from harvest.models import Initiative, InitiativeSignup
from programmes.models import Membership, Programme
from tests.conftest import World, login_client
from tests.factories import InitiativeFactory, InitiativeSignupFactory, MembershipFactory, ProgrammeFactory


def url(world: World, name: str = "initiatives/") -> str:
    return f"/programmes/{world.programme.pk}/harvest/{name}"


def signup_url(initiative: Initiative, action: str = "sign-up") -> str:
    return f"/programmes/{initiative.programme_id}/harvest/initiatives/{initiative.pk}/{action}/"


def test_a_participant_proposes_an_initiative_and_is_signed_up_for_it(world: World) -> None:
    client = login_client(world.alice)

    response = client.post(
        url(world),
        {"title": " Netwerken in de wijk ", "description": "Een trainingsmodule.", "sign_up": "on"},
        follow=True,
    )

    initiative = Initiative.objects.unscoped().get()
    assert (initiative.title, initiative.proposed_by) == ("Netwerken in de wijk", world.alice)
    assert response.redirect_chain[-1][0] == url(world) + f"#initiative-{initiative.pk}"
    page = response.content.decode()
    assert "Initiatief “Netwerken in de wijk” staat op de lijst." in page
    assert "1 aanmelding</strong>: Alice" in page
    assert "U doet mee" in page
    assert list(InitiativeSignup.objects.unscoped().values_list("user", flat=True)) == [world.alice.pk]


def test_a_coach_can_put_an_initiative_on_the_list_without_joining_it(world: World) -> None:
    login_client(world.bob).post(url(world), {"title": "Lastige gesprekken met bewoners", "description": ""})

    initiative = Initiative.objects.unscoped().get()
    assert initiative.proposed_by == world.bob
    assert not initiative.signups.exists()


def test_a_duplicate_title_re_renders_with_a_clear_error(world: World) -> None:
    InitiativeFactory(programme=world.programme, title="Netwerken in de wijk")
    InitiativeFactory(programme=world.haarlem_programme, title="Intervisiegroep")
    client = login_client(world.alice)

    response = client.post(url(world), {"title": "netwerken in de WIJK", "description": "Nog een keer"})

    assert response.status_code == 400
    assert escape("Er is al een initiatief met de naam “netwerken in de WIJK”: schrijf u daarvoor in.") in (
        response.content.decode()
    )
    assert Initiative.objects.unscoped().filter(programme=world.programme).count() == 1
    # The same title in another organisation's programme is no duplicate.
    assert client.post(url(world), {"title": "Intervisiegroep"}).status_code == 302


def test_an_empty_title_is_refused(world: World) -> None:
    response = login_client(world.alice).post(url(world), {"title": "  ", "description": "Iets"})

    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert not Initiative.objects.unscoped().exists()


def test_the_database_refuses_a_twin_proposed_at_the_same_moment(world: World) -> None:
    initiatives.initiative_propose(programme=world.programme, by=world.alice, title="Wijkreizen")

    with pytest.raises(initiatives.DuplicateInitiative):
        initiatives.initiative_propose(programme=world.programme, by=world.bob, title="Wijkreizen", sign_up=True)

    assert Initiative.objects.unscoped().count() == 1
    assert not InitiativeSignup.objects.unscoped().exists()


def test_signing_up_twice_does_nothing_and_withdrawing_takes_it_back(world: World) -> None:
    initiative = InitiativeFactory(programme=world.programme, title="Wijkreizen")
    client = login_client(world.alice)

    first = client.post(signup_url(initiative), follow=True).content.decode()
    second = client.post(signup_url(initiative), follow=True).content.decode()

    assert "U bent ingeschreven voor “Wijkreizen”." in first
    assert "U was al ingeschreven voor “Wijkreizen”." in second
    assert InitiativeSignup.objects.unscoped().filter(initiative=initiative).count() == 1

    withdrawn = client.post(signup_url(initiative, "withdraw"), follow=True).content.decode()
    assert "U bent niet meer ingeschreven voor “Wijkreizen”." in withdrawn
    assert not InitiativeSignup.objects.unscoped().exists()
    again = client.post(signup_url(initiative, "withdraw"), follow=True).content.decode()
    assert "U was niet ingeschreven voor “Wijkreizen”." in again


def test_the_unique_constraint_protects_concurrent_clicks(world: World) -> None:
    initiative = InitiativeFactory(programme=world.programme)
    assert initiatives.signup_create(initiative=initiative, user=world.alice) is True
    assert initiatives.signup_create(initiative=initiative, user=world.alice) is False
    with pytest.raises(IntegrityError):
        InitiativeSignup.objects.create(initiative=initiative, user=world.alice)


def test_signing_up_needs_a_post(world: World) -> None:
    initiative = InitiativeFactory(programme=world.programme)

    assert login_client(world.alice).get(signup_url(initiative)).status_code == 405
    assert not InitiativeSignup.objects.unscoped().exists()


def test_outsiders_see_nothing_and_cannot_sign_up(world: World) -> None:
    initiative = InitiativeFactory(programme=world.programme, title="Wijkreizen")
    other = ProgrammeFactory(organisation=world.rotterdam, title="Ander traject")
    stranger = MembershipFactory(programme=other).user
    draft = ProgrammeFactory(organisation=world.rotterdam, status=Programme.Status.DRAFT)
    draft_participant = MembershipFactory(programme=draft, user=world.alice)

    for user in (world.charlie, world.haarlem_hr, world.colleague, stranger):
        client = login_client(user)
        for path in ("initiatives/", "room/", "initiatives/state/"):
            assert client.get(url(world, path)).status_code == 404, (user, path)
        assert client.post(signup_url(initiative)).status_code == 404, user
        assert client.post(url(world), {"title": "Inbraak"}).status_code == 404, user
    assert (
        login_client(world.alice).get(f"/programmes/{draft_participant.programme_id}/harvest/room/").status_code == 404
    )
    # An initiative of another programme is not reachable through this programme's address.
    foreign = InitiativeFactory(programme=other)
    assert login_client(world.alice).post(f"{url(world)}{foreign.pk}/sign-up/").status_code == 404
    assert not InitiativeSignup.objects.unscoped().exists()
    assert list(Initiative.objects.unscoped().values_list("title", flat=True).order_by("pk")) == [
        "Wijkreizen",
        foreign.title,
    ]


def test_everyone_in_the_programme_may_join(world: World) -> None:
    initiative = InitiativeFactory(programme=world.programme)

    for user in (world.alice, world.bob, world.manager, world.hr):
        assert login_client(user).post(signup_url(initiative)).status_code == 302, user

    assert initiative.signups.count() == 4


def test_the_room_shows_every_initiative_with_its_count_and_first_names(world: World) -> None:
    training = InitiativeFactory(programme=world.programme, title="Lastige gesprekken met bewoners")
    tour = InitiativeFactory(programme=world.programme, title="Wijkreizen", description="Eén middag per maand.")
    InitiativeSignupFactory(initiative=tour, user=world.alice)
    InitiativeSignupFactory(initiative=tour, user=world.bob)

    page = login_client(world.manager).get(url(world, "room/")).content.decode()

    assert page.index("Lastige gesprekken met bewoners") < page.index("Wijkreizen")
    assert "0 aanmeldingen" in page and "2 aanmeldingen" in page
    assert re.search(r'data-field="names">Alice, Bob</p>', page)
    assert '<script src="/static/js/harvest-live.js" defer></script>' in page
    assert f'data-state-url="{url(world, "initiatives/state/")}"' in page
    assert 'aria-live="polite"' in page
    assert f'href="{url(world, "room/")}">Lijst verversen</a>' in page
    assert "<script>" not in page  # no inline scripts: a strict CSP comes
    assert f"http://testserver{url(world)}" in page
    assert training.title in page


def test_the_room_has_an_empty_state(world: World) -> None:
    page = login_client(world.alice).get(url(world, "room/")).content.decode()

    assert "Nog geen initiatieven. Stel het eerste voor!" in page
    assert re.search(r"<ol[^>]*data-room-list hidden", page)


def test_the_state_lists_initiatives_with_counts_and_names(world: World) -> None:
    tour = InitiativeFactory(programme=world.programme, title="Wijkreizen", description="Kijken bij elkaar.")
    InitiativeSignupFactory(initiative=tour, user=world.alice)
    InitiativeFactory(programme=world.haarlem_programme, title="Van Haarlem")

    response = login_client(world.bob).get(url(world, "initiatives/state/"))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    state = response.json()
    assert state["initiatives"] == [
        {
            "id": tour.pk,
            "title": "Wijkreizen",
            "description": "Kijken bij elkaar.",
            "count": 1,
            "count_label": "1 aanmelding",
            "names": ["Alice"],
        }
    ]
    assert response["ETag"] == f'"{state["version"]}"'


def test_an_unchanged_state_answers_not_modified_and_every_change_gives_a_new_version(world: World) -> None:
    client = login_client(world.alice)
    state_url = url(world, "initiatives/state/")
    versions = [client.get(state_url).json()["version"]]

    unchanged = client.get(state_url, headers={"If-None-Match": f'"{versions[0]}"'})
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    tour = InitiativeFactory(programme=world.programme, title="Wijkreizen")
    versions.append(client.get(state_url).json()["version"])
    InitiativeSignupFactory(initiative=tour, user=world.bob)
    versions.append(client.get(state_url).json()["version"])
    initiatives.signup_withdraw(initiative=tour, user=world.bob)
    InitiativeSignupFactory(initiative=tour, user=world.manager)  # the same count, someone else
    versions.append(client.get(state_url).json()["version"])

    assert len(set(versions)) == 4
    changed = client.get(state_url, headers={"If-None-Match": f'"{versions[0]}"'})
    assert changed.status_code == 200
    assert changed.json()["initiatives"][0]["names"] == [world.manager.first_name]


def add_initiatives(world: World, count: int, signups: int) -> None:
    people = [MembershipFactory(programme=world.programme).user for _ in range(signups)]
    for _ in range(count):
        initiative = InitiativeFactory(programme=world.programme, proposed_by=people[0])
        InitiativeSignup.objects.bulk_create([InitiativeSignup(initiative=initiative, user=user) for user in people])


def test_the_state_and_the_room_keep_their_query_count_as_the_list_grows(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)
    add_initiatives(world, 1, 1)
    counts = {}
    for path in ("initiatives/state/", "room/", "initiatives/"):
        with django_assert_max_num_queries(20) as small:
            client.get(url(world, path))
        counts[path] = len(small.captured_queries)

    add_initiatives(world, 30, 20)

    for path, count in counts.items():
        with django_assert_max_num_queries(count):
            response = client.get(url(world, path))
        assert response.status_code == 200
    state = client.get(url(world, "initiatives/state/")).json()
    assert len(state["initiatives"]) == 31
    assert state["initiatives"][-1]["count"] == 20


def test_a_not_modified_answer_costs_one_query_after_the_access_check(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    add_initiatives(world, 5, 5)
    client = login_client(world.alice)
    state_url = url(world, "initiatives/state/")
    version = client.get(state_url).json()["version"]

    with django_assert_max_num_queries(7) as queries:
        assert client.get(state_url, headers={"If-None-Match": f'"{version}"'}).status_code == 304
    reads = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    assert len(reads) == 5  # session, user, programme, roles, and the version
    assert "SUM(DISTINCT" in reads[-1]


def test_the_membership_of_the_programme_is_what_counts(world: World) -> None:
    """Whoever has any role in the programme may see the room; roles elsewhere do not count."""
    coach_elsewhere = MembershipFactory(
        programme=ProgrammeFactory(organisation=world.rotterdam), role=Membership.Role.COACH
    ).user

    assert login_client(coach_elsewhere).get(url(world, "room/")).status_code == 404
    assert login_client(world.hr).get(url(world, "room/")).status_code == 200
