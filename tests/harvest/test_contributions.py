"""Participants and communities prepare the harvest: what was achieved, what not and why, what was
learned; quotes only with consent, withdrawn at any time; a community's text never silently lost."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import escape

from coaching.models import Community
from harvest import contributions
from harvest.models import Contribution, Quote
from programmes.models import Membership, Programme
from tests.conftest import World, login_client
from tests.factories import (
    CommunityFactory,
    CommunityMemberFactory,
    ContributionFactory,
    GoalFactory,
    LearningStoryFactory,
    MembershipFactory,
    QuoteFactory,
)

from .prepare import Harvest, harvest_world, participant

WHY_REQUIRED = "Vertel waarom dit niet is bereikt: daar leert de oogst het meest van."
CONSENT_REQUIRED = (
    "Vink dit vakje aan om toestemming te geven; zonder toestemming kunnen uw woorden niet worden getoond."
)


@pytest.fixture
def harvest(world: World) -> Harvest:
    return harvest_world(world)


def contribution_data(**overrides: object) -> dict[str, object]:
    data = {
        "achieved": "Een wijkreis door Charlois met twaalf collega's.",
        "not_achieved": "Intervisie in gemengde groepjes.",
        "why_not": "Er was geen ruimte in de teamplanning.",
        "learned": "Zelf beginnen werkt: anderen sluiten aan.",
        "seen": "",
    }
    data.update(overrides)
    return data


def own(harvest: Harvest, user=None) -> Contribution | None:
    return (
        Contribution.objects.unscoped()
        .filter(programme=harvest.world.programme, author=user or harvest.world.alice, community__isnull=True)
        .first()
    )


def community_url(harvest: Harvest, community: Community | None = None) -> str:
    return f"{harvest.base}communities/{(community or harvest.community).pk}/contribution/"


# --- The hub ----------------------------------------------------------------------------------


def test_hub_shows_the_session_what_to_prepare_and_where_i_stand(harvest: Harvest) -> None:
    client = login_client(harvest.world.alice)

    page = client.get(harvest.base).content.decode()

    assert "De oogstsessie" in page and "Stadhuis, raadzaal" in page
    assert "Wat we niet bereikten, en waarom" in page
    assert "Mijn bijdrage schrijven" in page
    assert "Kennis delen" in page and "Samen schrijven" in page
    assert "Mijn doelen een resultaat geven" not in page  # no goals yet
    assert "Mijn verhaal schrijven" in page
    assert f"/programmes/{harvest.world.programme.pk}/plan/growth/" in page
    assert f"{harvest.base}closing/" in page


def test_hub_says_when_the_session_is_not_planned_and_offers_a_manager_nothing_to_write(world: World) -> None:
    client = login_client(world.manager)

    page = client.get(f"/programmes/{world.programme.pk}/harvest/").content.decode()

    assert "De oogstsessie is nog niet gepland." in page
    assert "Mijn bijdrage" not in page and "Mijn verhaal" not in page
    assert "Het oogstrapport" in page


def test_the_report_link_is_for_those_who_may_read_it(harvest: Harvest) -> None:
    report = f"{harvest.base}report/"
    assert report not in login_client(harvest.world.alice).get(harvest.base).content.decode()
    for reader in (harvest.world.manager, harvest.world.bob, harvest.world.hr):
        assert report in login_client(reader).get(harvest.base).content.decode()


def test_the_programme_page_and_the_participant_home_link_to_the_hub(harvest: Harvest) -> None:
    client = login_client(harvest.world.alice)

    assert harvest.base in client.get(f"/programmes/{harvest.world.programme.pk}/").content.decode()
    assert harvest.base in client.get("/").content.decode()


def test_outsiders_get_404_and_a_draft_programme_is_closed_to_participants(harvest: Harvest) -> None:
    world = harvest.world
    urls = [
        harvest.base,
        f"{harvest.base}contribution/",
        community_url(harvest),
        f"{harvest.base}outcomes/",
        f"{harvest.base}story/",
        f"{harvest.base}closing/",
    ]
    for outsider in (world.charlie, world.haarlem_hr, world.colleague):
        client = login_client(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, (outsider, url)
    Programme.objects.unscoped().filter(pk=world.programme.pk).update(status=Programme.Status.DRAFT)
    client = login_client(world.alice)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert login_client(world.bob).get(community_url(harvest)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(harvest: Harvest) -> None:
    response = Client().get(harvest.base)

    assert response.status_code == 302 and "/account/login/" in response.url


# --- A participant's own contribution ----------------------------------------------------------


def test_a_participant_writes_and_changes_their_own_contribution(harvest: Harvest) -> None:
    client = login_client(harvest.world.alice)
    url = f"{harvest.base}contribution/"

    response = client.post(url, contribution_data(), follow=True)

    assert "Uw bijdrage is opgeslagen. Dank u wel." in response.content.decode()
    saved = own(harvest)
    assert saved.why_not == "Er was geen ruimte in de teamplanning." and saved.community is None
    form = client.get(url).content.decode()
    assert "Een wijkreis door Charlois" in form
    client.post(url, contribution_data(learned="Vooraf één partner vragen.", seen=saved.updated_at.isoformat()))
    assert own(harvest).learned == "Vooraf één partner vragen."
    assert Contribution.objects.unscoped().count() == 1


def test_what_was_not_achieved_needs_its_why(harvest: Harvest) -> None:
    client = login_client(harvest.world.alice)

    response = client.post(f"{harvest.base}contribution/", contribution_data(why_not=""))

    assert response.status_code == 200
    assert WHY_REQUIRED in response.content.decode()
    assert own(harvest) is None


def test_an_empty_contribution_is_refused(harvest: Harvest) -> None:
    client = login_client(harvest.world.alice)

    response = client.post(
        f"{harvest.base}contribution/", contribution_data(achieved="", not_achieved="", why_not="", learned="")
    )

    assert "Schrijf ten minste op wat er is bereikt, wat niet, of wat er is geleerd." in response.content.decode()
    assert own(harvest) is None


def test_a_participant_only_ever_sees_their_own_contribution(harvest: Harvest) -> None:
    ContributionFactory(programme=harvest.world.programme, author=harvest.world.alice, achieved="Alice haar wijkreis")

    page = login_client(harvest.eva).get(f"{harvest.base}contribution/").content.decode()

    assert "Alice haar wijkreis" not in page
    login_client(harvest.eva).post(f"{harvest.base}contribution/", contribution_data(achieved="Eva haar kenniscafé"))
    assert own(harvest).achieved == "Alice haar wijkreis"
    assert own(harvest, harvest.eva).achieved == "Eva haar kenniscafé"


def test_managers_coaches_and_hr_do_not_write_a_participant_contribution(harvest: Harvest) -> None:
    for user in (harvest.world.manager, harvest.world.bob, harvest.world.hr):
        client = login_client(user)
        assert client.get(f"{harvest.base}contribution/").status_code == 403
        assert client.post(f"{harvest.base}contribution/", contribution_data()).status_code == 403
    assert not Contribution.objects.unscoped().exists()


# --- A community's contribution -----------------------------------------------------------------


def test_members_and_coaches_write_one_community_contribution_and_see_who_changed_it_last(
    harvest: Harvest,
) -> None:
    alice = login_client(harvest.world.alice)
    alice.post(community_url(harvest), contribution_data(achieved="Kenniscafé in de bibliotheek"))
    first = Contribution.objects.unscoped().get(community=harvest.community)
    bob = login_client(harvest.world.bob)

    bob.post(community_url(harvest), contribution_data(achieved="Twee kenniscafés", seen=first.updated_at.isoformat()))

    saved = Contribution.objects.unscoped().get(community=harvest.community)
    assert saved.pk == first.pk and saved.achieved == "Twee kenniscafés" and saved.author == harvest.world.bob
    hub = login_client(harvest.dirk).get(harvest.base).content.decode()
    assert f"Laatst gewijzigd door {escape(harvest.world.bob.get_full_name())}" in hub
    page = login_client(harvest.dirk).get(community_url(harvest)).content.decode()
    assert "Twee kenniscafés" in page and escape(harvest.world.bob.get_full_name()) in page


def test_only_the_communitys_members_and_coaches_write_its_contribution(harvest: Harvest) -> None:
    other = CommunityFactory(programme=harvest.world.programme, name="Functieprofiel")
    other_coach = MembershipFactory(programme=harvest.world.programme, role=Membership.Role.COACH).user
    other.coaches.add(other_coach)
    CommunityMemberFactory(community=other, membership=participant(harvest.world, "Kees"))
    for user in (harvest.eva, harvest.world.manager, harvest.world.hr, other_coach):
        client = login_client(user)
        assert client.get(community_url(harvest)).status_code == 403, user
        assert client.post(community_url(harvest), contribution_data()).status_code == 403, user
    assert login_client(harvest.world.alice).get(community_url(harvest, other)).status_code == 403
    assert not Contribution.objects.unscoped().exists()


def test_a_community_of_another_programme_or_organisation_is_not_found(harvest: Harvest) -> None:
    elsewhere = CommunityFactory(programme__organisation=harvest.world.rotterdam)
    haarlem = CommunityFactory(programme=harvest.world.haarlem_programme)
    client = login_client(harvest.world.alice)

    assert client.get(community_url(harvest, elsewhere)).status_code == 404
    assert client.get(community_url(harvest, haarlem)).status_code == 404
    assert client.get(f"/programmes/{harvest.world.haarlem_programme.pk}/harvest/").status_code == 404


def test_a_stale_save_keeps_my_text_and_shows_the_newer_one_instead_of_overwriting_it(harvest: Harvest) -> None:
    alice, dirk = login_client(harvest.world.alice), login_client(harvest.dirk)
    alice.post(community_url(harvest), contribution_data(achieved="Eerste versie"))
    opened = Contribution.objects.unscoped().get(community=harvest.community).updated_at.isoformat()
    dirk.post(community_url(harvest), contribution_data(achieved="Versie van Dirk", seen=opened))

    response = alice.post(community_url(harvest), contribution_data(achieved="Versie van Alice", seen=opened))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is een nieuwere versie opgeslagen terwijl u schreef" in page
    assert "Versie van Dirk" in page and "Versie van Alice" in page
    assert escape(harvest.dirk.get_full_name()) in page
    assert Contribution.objects.unscoped().get(community=harvest.community).achieved == "Versie van Dirk"
    # Saving again from the re-rendered form is a knowing choice: it goes through.
    current = Contribution.objects.unscoped().get(community=harvest.community).updated_at.isoformat()
    assert f'value="{current}"' in page
    alice.post(community_url(harvest), contribution_data(achieved="Samengevoegd", seen=current))
    assert Contribution.objects.unscoped().get(community=harvest.community).achieved == "Samengevoegd"


def test_two_first_versions_at_once_do_not_overwrite_each_other(harvest: Harvest) -> None:
    dirk = login_client(harvest.dirk)
    dirk.post(community_url(harvest), contribution_data(achieved="Versie van Dirk"))

    response = login_client(harvest.world.alice).post(community_url(harvest), contribution_data(achieved="Mijn versie"))

    assert "Er is een nieuwere versie opgeslagen terwijl u schreef" in response.content.decode()
    assert Contribution.objects.unscoped().get(community=harvest.community).achieved == "Versie van Dirk"


def test_the_service_refuses_a_stale_version(harvest: Harvest) -> None:
    programme, community = harvest.world.programme, harvest.community
    fields = {"achieved": "Wijkreis", "not_achieved": "", "why_not": "", "learned": ""}
    saved = contributions.contribution_save(
        programme=programme, writer=harvest.dirk, community=community, fields=fields, seen=""
    )
    seen = contributions.version_of(saved)
    contributions.contribution_save(
        programme=programme, writer=harvest.world.bob, community=community, fields=fields, seen=seen
    )

    with pytest.raises(contributions.StaleContribution) as stale:
        contributions.contribution_save(
            programme=programme, writer=harvest.dirk, community=community, fields=fields, seen=seen
        )

    assert stale.value.current.author == harvest.world.bob


# --- Quotes ------------------------------------------------------------------------------------


def test_a_quote_needs_explicit_consent(harvest: Harvest) -> None:
    client = login_client(harvest.world.alice)
    quote = "Ik durf nu eerder aan te schuiven bij een bewonersavond."

    response = client.post(f"{harvest.base}contribution/", contribution_data(quote=quote))

    assert CONSENT_REQUIRED in response.content.decode()
    assert not Contribution.objects.unscoped().exists() and not Quote.objects.unscoped().exists()
    response = client.post(
        f"{harvest.base}contribution/", contribution_data(quote=quote, quote_consent="on"), follow=True
    )
    assert "Uw bijdrage en uw citaat zijn opgeslagen. Dank u wel." in response.content.decode()
    saved = Quote.objects.unscoped().get()
    assert saved.text == quote and saved.consented_at and not saved.named and saved.author == harvest.world.alice
    assert list(Quote.objects.unscoped().shown()) == [saved]


def test_a_quote_with_a_community_contribution_is_its_writers_and_may_carry_their_name(harvest: Harvest) -> None:
    client = login_client(harvest.dirk)

    client.post(
        community_url(harvest),
        contribution_data(quote="Leren doe je in de wijk.", quote_consent="on", quote_named="on"),
    )

    saved = Quote.objects.unscoped().get()
    assert saved.author == harvest.dirk and saved.named and saved.contribution.community == harvest.community
    hub = client.get(harvest.base).content.decode()
    assert "Leren doe je in de wijk." in hub and "Mijn toestemming intrekken" in hub
    assert "Leren doe je in de wijk." not in login_client(harvest.world.alice).get(harvest.base).content.decode()


def test_the_author_withdraws_consent_and_the_quote_is_no_longer_shown(harvest: Harvest) -> None:
    quote = QuoteFactory(contribution__programme=harvest.world.programme, contribution__author=harvest.world.alice)
    client = login_client(harvest.world.alice)
    url = f"{harvest.base}quotes/{quote.pk}/withdraw/"

    assert client.get(url).status_code == 405
    response = client.post(url, {"next": f"{harvest.base}contribution/"}, follow=True)

    assert response.redirect_chain[-1][0] == f"{harvest.base}contribution/"
    assert "Uw toestemming is ingetrokken" in response.content.decode()
    quote.refresh_from_db()
    assert quote.withdrawn_at is not None and not quote.is_shown
    assert not Quote.objects.unscoped().shown().exists()
    assert "Toestemming ingetrokken op" in client.get(harvest.base).content.decode()


def test_withdrawing_ignores_a_next_address_on_another_site(harvest: Harvest) -> None:
    quote = QuoteFactory(contribution__programme=harvest.world.programme, contribution__author=harvest.world.alice)

    response = login_client(harvest.world.alice).post(
        f"{harvest.base}quotes/{quote.pk}/withdraw/", {"next": "https://elders.example/"}
    )

    assert response.url == harvest.base


def test_someone_elses_quote_cannot_be_withdrawn(harvest: Harvest) -> None:
    quote = QuoteFactory(contribution__programme=harvest.world.programme, contribution__author=harvest.world.alice)
    url = f"{harvest.base}quotes/{quote.pk}/withdraw/"

    for user in (harvest.dirk, harvest.world.manager, harvest.world.bob, harvest.world.hr, harvest.world.charlie):
        assert login_client(user).post(url).status_code == 404, user
    haarlem = QuoteFactory(contribution__programme=harvest.world.haarlem_programme)
    haarlem_url = f"{harvest.base}quotes/{haarlem.pk}/withdraw/"
    assert login_client(harvest.world.alice).post(haarlem_url).status_code == 404
    assert Quote.objects.unscoped().shown().count() == 2


# --- Query counts ----------------------------------------------------------------------------------


def test_the_hub_keeps_its_query_count_as_the_programme_grows(
    harvest: Harvest, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(harvest.world.alice)
    programme = harvest.world.programme

    def grow(count: int) -> None:
        alice_contribution = own(harvest) or ContributionFactory(programme=programme, author=harvest.world.alice)
        for number in range(count):
            QuoteFactory(contribution=alice_contribution, text=f"Citaat {number}")
            GoalFactory(membership=harvest.alice, title=f"Doel {number}", outcome="achieved")
            other = participant(harvest.world, f"Deelnemer{number}")
            community = CommunityFactory(programme=programme)
            community.coaches.add(harvest.world.bob)
            CommunityMemberFactory(community=community, membership=other)
            ContributionFactory(programme=programme, community=community, author=other.user)
            ContributionFactory(programme=programme, author=other.user)
            LearningStoryFactory(membership=other)

    grow(1)
    with django_assert_max_num_queries(30) as few:
        assert client.get(harvest.base).status_code == 200
    limit = len(few.captured_queries)
    grow(25)

    with django_assert_max_num_queries(limit):
        assert client.get(harvest.base).status_code == 200
    coach = login_client(harvest.world.bob)
    with django_assert_max_num_queries(limit):
        page = coach.get(harvest.base).content.decode()
    assert page.count("Samen wijzigen") == 26


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_leave_one_of_them_stale_on_postgresql(harvest: Harvest) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    programme, community = harvest.world.programme, harvest.community
    opened = ContributionFactory(programme=programme, community=community, author=harvest.dirk)
    seen = contributions.version_of(opened)
    start = threading.Barrier(2)
    results: list[str] = []

    def save(writer: object, achieved: str) -> None:
        fields = {"achieved": achieved, "not_achieved": "", "why_not": "", "learned": ""}
        try:
            start.wait()
            contributions.contribution_save(
                programme=programme, writer=writer, community=community, fields=fields, seen=seen
            )
            results.append("saved")
        except contributions.StaleContribution:
            results.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(harvest.world.alice, "Versie van Alice")),
        threading.Thread(target=save, args=(harvest.world.bob, "Versie van Bob")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == ["saved", "stale"]
    saved = Contribution.objects.unscoped().get(community=community)
    assert saved.achieved == f"Versie van {saved.author.first_name}"
