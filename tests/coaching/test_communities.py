"""Learning communities: set up by HR or coaches or born from proposed questions; each
participant joins one, within its places and until switching closes; goals shared with "my
learning community" or "my learning coach" reach exactly those people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from coaching import communities
from coaching.models import Community, CommunityMember, CommunityProposal
from learners.models import Goal
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory


def participation(world: World, user=None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


def make_community(world: World, name: str = "Kennis delen", **fields: object) -> Community:
    community = Community.objects.create(programme=world.programme, name=name, **fields)
    community.coaches.add(world.bob)
    return community


def list_url(world: World) -> str:
    return f"/programmes/{world.programme.pk}/communities/"


def test_a_coach_makes_a_community_from_a_proposed_question(world: World) -> None:
    alice = login_client(world.alice)
    alice.post(f"{list_url(world)}propose/", {"question": "Hoe delen wij kennis en ervaring?"})
    proposal = CommunityProposal.objects.unscoped().get()
    assert "Hoe delen wij kennis en ervaring?" in login_client(world.manager).get(list_url(world)).content.decode()

    coach = login_client(world.bob)
    form = coach.get(f"{list_url(world)}new/?proposal={proposal.pk}").content.decode()
    assert 'value="Hoe delen wij kennis en ervaring?"' in form
    response = coach.post(
        f"{list_url(world)}new/",
        {
            "name": "Kennis delen",
            "question": proposal.question,
            "capacity": "12",
            "coaches": [world.bob.pk],
            "proposal": proposal.pk,
        },
        follow=True,
    )

    community = Community.objects.unscoped().get()
    assert response.redirect_chain[-1][0] == f"{list_url(world)}{community.pk}/"
    assert "Leergemeenschap “Kennis delen” opgeslagen." in response.content.decode()
    assert list(community.coaches.all()) == [world.bob]
    proposal.refresh_from_db()
    assert proposal.community == community
    assert "Werd “Kennis delen”" in alice.get(list_url(world)).content.decode()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"name": ""}, "Dit veld is verplicht."),
        ({"name": "kennis DELEN"}, "Dit leertraject heeft al een leergemeenschap met deze naam."),
        ({"name": "Nieuw", "capacity": "0"}, "Zorg ervoor dat deze waarde minstens 1 is."),
        ({"name": "Nieuw", "switch_until": "2030-01-01"}, "Kies een datum binnen het leertraject."),
    ],
)
def test_a_community_form_with_bad_input_changes_nothing(world: World, data: dict, error: str) -> None:
    make_community(world)

    response = login_client(world.hr).post(f"{list_url(world)}new/", data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Community.objects.unscoped().count() == 1


def test_only_hr_and_coaches_set_communities_up(world: World) -> None:
    community = make_community(world)

    for user in (world.alice, world.manager):
        client = login_client(user)
        assert client.get(f"{list_url(world)}new/").status_code == 403, user
        assert client.post(f"{list_url(world)}{community.pk}/edit/", {"name": "Anders"}).status_code == 403, user
    assert login_client(world.haarlem_hr).get(f"{list_url(world)}{community.pk}/").status_code == 404
    assert login_client(world.colleague).get(f"{list_url(world)}{community.pk}/").status_code == 404
    community.refresh_from_db()
    assert community.name == "Kennis delen"


def test_a_participant_joins_one_community_and_may_switch(world: World) -> None:
    first, second = make_community(world), make_community(world, "Functieprofiel")
    client = login_client(world.alice)

    joined = client.post(f"{list_url(world)}{first.pk}/join/", follow=True)
    assert "Welkom bij “Kennis delen”." in joined.content.decode()
    client.post(f"{list_url(world)}{second.pk}/join/")

    assert [m.community for m in CommunityMember.objects.unscoped().all()] == [second]
    left = client.post(f"{list_url(world)}{second.pk}/leave/", follow=True)
    assert "U hebt “Functieprofiel” verlaten." in left.content.decode()
    assert not CommunityMember.objects.unscoped().exists()


def test_a_full_community_refuses_and_switching_closes(world: World) -> None:
    full = make_community(world, capacity=1)
    CommunityMember.objects.create(community=full, membership=MembershipFactory(programme=world.programme))
    closed = make_community(world, "Functieprofiel", switch_until=timezone.localdate() - timedelta(days=1))
    client = login_client(world.alice)

    refused = client.post(f"{list_url(world)}{full.pk}/join/", follow=True)
    assert "“Kennis delen” is vol." in refused.content.decode()
    client.post(f"{list_url(world)}{closed.pk}/join/")  # joining late is fine: switching is what closes
    elsewhere = make_community(world, "Logische partner")
    switch = client.post(f"{list_url(world)}{elsewhere.pk}/join/", follow=True)
    assert "Wisselen van leergemeenschap kon tot" in switch.content.decode()
    assert client.post(f"{list_url(world)}{closed.pk}/leave/", follow=True).status_code == 200
    assert [m.community for m in CommunityMember.objects.unscoped().filter(membership__user=world.alice)] == [closed]


def test_coaches_and_managers_cannot_join(world: World) -> None:
    community = make_community(world)

    for user in (world.bob, world.manager, world.hr):
        assert login_client(user).post(f"{list_url(world)}{community.pk}/join/").status_code == 403, user
    with pytest.raises(communities.CommunityError):
        communities.join(community, Membership.objects.unscoped().get(user=world.bob, programme=world.programme))
    assert not CommunityMember.objects.unscoped().exists()


def test_community_list_keeps_its_query_count_as_communities_grow(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)

    def add(count: int) -> None:
        for number in range(count):
            community = make_community(world, f"Groep {Community.objects.unscoped().count()}")
            CommunityMember.objects.create(community=community, membership=MembershipFactory(programme=world.programme))
            CommunityProposal.objects.create(
                programme=world.programme, proposed_by=participation(world), question=f"Vraag {number}"
            )

    add(1)
    with django_assert_max_num_queries(30) as few:
        client.get(list_url(world))
    add(20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(list_url(world)).status_code == 200


# --- Goals shared with my community or my coach -----------------------------------------------


@pytest.fixture
def two_groups(world: World) -> dict[str, object]:
    """Alice and Lotte in "Kennis delen" (coach Bob); Kees in "Functieprofiel" with coach Yvonne."""
    ours = make_community(world)
    theirs = Community.objects.create(programme=world.programme, name="Functieprofiel")
    yvonne = MembershipFactory(programme=world.programme, role="coach", user__first_name="Yvonne").user
    theirs.coaches.add(yvonne)
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte")
    kees = MembershipFactory(programme=world.programme, user__first_name="Kees")
    CommunityMember.objects.create(community=ours, membership=participation(world))
    CommunityMember.objects.create(community=ours, membership=lotte)
    CommunityMember.objects.create(community=theirs, membership=kees)
    return {"lotte": lotte.user, "kees": kees.user, "yvonne": yvonne}


def goal_url(world: World, goal: Goal) -> str:
    return f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/"


def test_a_goal_shared_with_my_community_reaches_its_members_and_coaches_only(world: World, two_groups: dict) -> None:
    goal = Goal.objects.create(membership=participation(world), title="Kennis delen", visibility="community")

    page = login_client(two_groups["lotte"]).get(goal_url(world, goal))
    assert page.status_code == 200
    assert "Wie kan dit doel zien: Ik en mijn leergemeenschap" in page.content.decode()
    assert login_client(world.bob).get(goal_url(world, goal)).status_code == 200
    for user in (two_groups["kees"], two_groups["yvonne"], world.hr, world.manager, world.haarlem_hr):
        assert login_client(user).get(goal_url(world, goal)).status_code == 404, user


def test_a_goal_shared_with_my_coach_reaches_my_communitys_coach_not_others(world: World, two_groups: dict) -> None:
    goal = Goal.objects.create(membership=participation(world), title="Kennis delen", visibility="coach")

    assert login_client(world.bob).get(goal_url(world, goal)).status_code == 200
    for user in (two_groups["yvonne"], two_groups["lotte"], world.hr, world.manager):
        assert login_client(user).get(goal_url(world, goal)).status_code == 404, user


def test_without_a_community_my_coach_is_any_coach_of_the_programme_and_my_community_nobody(world: World) -> None:
    coach_goal = Goal.objects.create(membership=participation(world), title="A", visibility="coach")
    community_goal = Goal.objects.create(membership=participation(world), title="B", visibility="community")
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte").user

    assert login_client(world.bob).get(goal_url(world, coach_goal)).status_code == 200
    for user in (world.bob, lotte):
        assert login_client(user).get(goal_url(world, community_goal)).status_code == 404, user


def test_after_the_programme_only_a_continuing_community_takes_new_posts_and_actions(world: World) -> None:
    ended = make_community(world)
    continuing = make_community(world, "Functieprofiel", continues_after_programme=True)
    alice = participation(world)
    CommunityMember.objects.create(community=ended, membership=alice)
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte")
    CommunityMember.objects.create(community=continuing, membership=lotte)
    world.programme.starts_on = timezone.localdate() - timedelta(days=200)
    world.programme.ends_on = timezone.localdate() - timedelta(days=1)
    world.programme.save()
    client, lottes = login_client(world.alice), login_client(lotte.user)

    page = client.get(f"{list_url(world)}{ended.pk}/").content.decode()
    assert "Het leertraject is afgelopen en deze leergemeenschap gaat niet door" in page
    assert client.get(f"{list_url(world)}{ended.pk}/forum/").status_code == 200
    assert client.get(f"{list_url(world)}{ended.pk}/actions/").status_code == 200
    assert client.post(f"{list_url(world)}{ended.pk}/forum/new/", {"title": "x", "body": "y"}).status_code == 403
    assert client.get(f"{list_url(world)}{ended.pk}/actions/new/").status_code == 403
    new_thread = lottes.post(
        f"{list_url(world)}{continuing.pk}/forum/new/", {"title": "Verder", "body": "Wie doet mee?"}
    )
    assert new_thread.status_code == 302
    assert lottes.get(f"{list_url(world)}{continuing.pk}/actions/new/").status_code == 200
