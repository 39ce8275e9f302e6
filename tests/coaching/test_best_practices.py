"""Best practices: written by members and coaches of a community (or HR), read and searched by
everyone with a role in the organisation, and never by another organisation.

Search runs on PostgreSQL's Dutch full-text search and on a simple fallback elsewhere; the tests
use exact words so that they hold on both, except the one about Dutch stemming, which states
what each database does.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from coaching import best_practices
from coaching.models import BestPractice, Community, CommunityMember
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, ProgrammeFactory

URL = "/best-practices/"


@pytest.fixture
def community(world: World) -> Community:
    """ "Kennis delen": Alice is a member, Bob its learning coach."""
    community = Community.objects.create(programme=world.programme, name="Kennis delen")
    community.coaches.add(world.bob)
    membership = Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")
    CommunityMember.objects.create(community=community, membership=membership)
    return community


@pytest.fixture
def other_community(world: World) -> Community:
    return Community.objects.create(programme=world.programme, name="Logische partner")


def practice(organisation: Organisation, title: str, **fields: object) -> BestPractice:
    values = {"context": "Zie hieronder.", "what_worked": "Zie de titel.", "tags": ""}
    values.update(fields)
    return BestPractice.objects.create(organisation=organisation, title=title, **values)


def titles(response: object) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def practice_data(**overrides: object) -> dict[str, object]:
    data = {
        "title": "Kenniscafé: kort, op locatie, met één vraag",
        "context": "Vijftien gebiedsnetwerkers in de bibliotheek van Feijenoord.",
        "what_worked": "Eén vraag vooraf, anderhalf uur, in de wijk.",
        "tags": "kenniscafé,  bewoners , Kenniscafé,,",
    }
    data.update(overrides)
    return data


# --- Sharing --------------------------------------------------------------------------------


def test_a_member_shares_a_practice_from_her_community_page(world: World, community: Community) -> None:
    client = login_client(world.alice)
    community_page = client.get(f"/programmes/{world.programme.pk}/communities/{community.pk}/").content.decode()
    share_url = f"{URL}new/?community={community.pk}"
    assert f'href="{share_url}"' in community_page
    assert f'href="{URL}"' in community_page

    form = client.get(share_url).content.decode()
    assert f'<option value="{community.pk}" selected>' in form

    page = client.post(share_url, practice_data(community=community.pk), follow=True)

    saved = BestPractice.objects.unscoped().get()
    assert page.redirect_chain[-1][0] == f"{URL}{saved.pk}/"
    assert (saved.organisation, saved.community, saved.created_by) == (world.rotterdam, community, world.alice)
    assert saved.tags == "kenniscafé, bewoners"
    html = page.content.decode()
    assert "Best practice “Kenniscafé: kort, op locatie, met één vraag” opgeslagen." in html
    assert "Uit “Kennis delen” (Gebiedsnetwerkers)" in html


def test_a_member_chooses_one_of_her_communities_and_no_other(
    world: World, community: Community, other_community: Community
) -> None:
    client = login_client(world.alice)

    without = client.post(f"{URL}new/", practice_data())
    assert "Dit veld is verplicht." in without.content.decode()
    foreign = client.post(f"{URL}new/", practice_data(community=other_community.pk))
    assert "Selecteer een geldige keuze" in foreign.content.decode()
    prefilled = client.get(f"{URL}new/?community={other_community.pk}").content.decode()
    assert f'value="{other_community.pk}"' not in prefilled
    assert not BestPractice.objects.unscoped().exists()


def test_hr_shares_for_the_organisation_with_or_without_a_community(
    world: World, community: Community, other_community: Community
) -> None:
    client = login_client(world.hr)
    form = client.get(f"{URL}new/").content.decode()
    assert "Geen leergemeenschap" in form and f'value="{other_community.pk}"' in form

    client.post(f"{URL}new/", practice_data(title="Oogstsessie: laat groepen elkaar bevragen"))
    client.post(f"{URL}new/", practice_data(community=other_community.pk))

    saved = {item.title: item.community for item in BestPractice.objects.unscoped()}
    assert saved == {
        "Oogstsessie: laat groepen elkaar bevragen": None,
        "Kenniscafé: kort, op locatie, met één vraag": other_community,
    }


def test_authors_and_hr_edit_others_do_not(world: World, community: Community) -> None:
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte").user
    CommunityMember.objects.create(community=community, membership=lotte.memberships.get())
    item = practice(world.rotterdam, "Kenniscafé", community=community, created_by=world.alice)
    url = f"{URL}{item.pk}/edit/"

    for user in (lotte, world.bob, world.manager):
        client = login_client(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, practice_data(community=community.pk, title="Gekaapt")).status_code == 403
        assert "Best practice bewerken" not in client.get(f"{URL}{item.pk}/").content.decode()

    author = login_client(world.alice)
    assert "Best practice bewerken" in author.get(f"{URL}{item.pk}/").content.decode()
    author.post(url, practice_data(community=community.pk, title="Kenniscafé in de wijk"))
    login_client(world.hr).post(url, practice_data(community=community.pk, title="Kenniscafé in de wijk (HR)"))
    item.refresh_from_db()
    assert (item.title, item.created_by) == ("Kenniscafé in de wijk (HR)", world.alice)


def test_the_author_keeps_her_community_after_leaving_it(world: World, community: Community) -> None:
    item = practice(world.rotterdam, "Kenniscafé", community=community, created_by=world.alice)
    CommunityMember.objects.unscoped().filter(community=community).delete()
    # Alice is in no community now, but she may still edit what she wrote, keeping its community.
    client = login_client(world.alice)
    client.post(f"{URL}{item.pk}/edit/", practice_data(community=community.pk, title="Kenniscafé, herzien"))
    item.refresh_from_db()
    assert (item.title, item.community) == ("Kenniscafé, herzien", community)


def test_who_may_write_one(world: World, community: Community) -> None:
    for user in (world.manager, world.colleague):
        assert login_client(user).get(f"{URL}new/").status_code == 403, user
    for user in (world.alice, world.bob, world.hr):
        assert login_client(user).get(f"{URL}new/").status_code == 200, user
    listing = login_client(world.manager).get(URL).content.decode()
    assert f'href="{URL}new/"' not in listing


# --- Reading and searching ------------------------------------------------------------------


def test_everyone_with_a_role_reads_people_without_one_do_not(world: World, community: Community) -> None:
    item = practice(world.rotterdam, "Kenniscafé", community=community)
    for user in (world.alice, world.bob, world.manager, world.hr):
        client = login_client(user)
        assert client.get(URL).status_code == 200, user
        assert client.get(f"{URL}{item.pk}/").status_code == 200, user
    outsider = login_client(world.colleague)
    assert outsider.get(URL).status_code == 403
    assert outsider.get(f"{URL}{item.pk}/").status_code == 404
    assert Client().get(URL).status_code == 302


def test_other_organisations_never_see_each_others_practices(world: World, community: Community) -> None:
    ours = practice(world.rotterdam, "Kenniscafé in Rotterdam", tags="kenniscafé")
    theirs = practice(world.haarlem, "Kenniscafé in Haarlem", tags="kenniscafé", what_worked="Kenniscafé")

    rotterdam = login_client(world.alice)
    assert titles(rotterdam.get(URL)) == ["Kenniscafé in Rotterdam"]
    assert titles(rotterdam.get(URL, {"q": "kenniscafé"})) == ["Kenniscafé in Rotterdam"]
    assert titles(rotterdam.get(URL, {"q": "Haarlem"})) == []
    assert titles(rotterdam.get(URL, {"tag": "kenniscafé"})) == ["Kenniscafé in Rotterdam"]
    assert rotterdam.get(f"{URL}{theirs.pk}/").status_code == 404
    assert rotterdam.get(f"{URL}{theirs.pk}/edit/").status_code == 404
    assert "Kenniscafé in Haarlem" not in rotterdam.get(URL).content.decode()

    for user in (world.charlie, world.haarlem_hr):
        haarlem = login_client(user)
        assert titles(haarlem.get(URL, {"q": "Rotterdam"})) == []
        assert haarlem.get(f"{URL}{ours.pk}/").status_code == 404
        assert haarlem.get(f"{URL}{ours.pk}/edit/").status_code == 404


def test_search_finds_exact_words_in_title_context_what_worked_and_tags(world: World) -> None:
    practice(world.rotterdam, "Wijkreis door Charlois", context="Met drie gebieden.")
    practice(world.rotterdam, "Kenniscafé op locatie", context="In de bibliotheek van Feijenoord.")
    practice(world.rotterdam, "Afspraken vastleggen", what_worked="Een overzicht na elk overleg.", tags="partners")
    client = login_client(world.alice)

    assert titles(client.get(URL, {"q": "wijkreis"})) == ["Wijkreis door Charlois"]
    assert titles(client.get(URL, {"q": "bibliotheek"})) == ["Kenniscafé op locatie"]
    assert titles(client.get(URL, {"q": "overzicht"})) == ["Afspraken vastleggen"]
    assert titles(client.get(URL, {"q": "partners"})) == ["Afspraken vastleggen"]
    assert titles(client.get(URL, {"q": "bibliotheek Feijenoord"})) == ["Kenniscafé op locatie"]
    assert titles(client.get(URL, {"q": "bibliotheek Charlois"})) == [], "every word must match"
    assert titles(client.get(URL, {"q": "gebieden -wijkreis"})) == []
    assert len(titles(client.get(URL, {"q": "   "}))) == 3

    empty = client.get(URL, {"q": "helikopter"}).content.decode()
    assert "0 best practices gevonden." in empty
    assert "Geen best practice gevonden. Probeer andere of minder woorden, of een ander trefwoord." in empty


def test_dutch_stemming_finds_other_forms_of_a_word_on_postgresql(world: World) -> None:
    """ "samenwerking" finds a practice that says "samenwerken" with PostgreSQL's Dutch configuration.

    The SQLite fallback does not stem: it finds only the literal text, so there the same search
    finds nothing, while the exact word still works.
    """
    practice(world.rotterdam, "Partners in Delfshaven", what_worked="Samenwerken met de woningcorporatie.")
    practice(world.rotterdam, "Kenniscafé op locatie", what_worked="Eén vraag vooraf.")
    client = login_client(world.alice)

    found = titles(client.get(URL, {"q": "samenwerking"}))

    if connection.vendor == "postgresql":
        assert found == ["Partners in Delfshaven"]
        # Common Dutch words are ignored, and the query reads like a web search.
        assert titles(client.get(URL, {"q": "de samenwerking met de woningcorporatie"})) == ["Partners in Delfshaven"]
    else:
        assert found == []
    assert titles(client.get(URL, {"q": "samenwerken"})) == ["Partners in Delfshaven"]


def test_on_postgresql_title_and_tags_weigh_more_than_the_story(world: World) -> None:
    """PostgreSQL orders by rank (title and tags weigh A, the rest B); the fallback newest first."""
    now = timezone.now()
    in_title = practice(world.rotterdam, "Wijkreis door Charlois", created_at=now - timedelta(days=5))
    in_story = practice(world.rotterdam, "Bij elkaar kijken", what_worked="Een wijkreis werkt.", created_at=now)
    client = login_client(world.alice)

    found = titles(client.get(URL, {"q": "wijkreis"}))

    if best_practices.uses_full_text_search():
        assert found == [in_title.title, in_story.title]
    else:
        assert found == [in_story.title, in_title.title]


def test_the_tag_filter_matches_whole_tags(world: World) -> None:
    practice(world.rotterdam, "Bewonersavond", tags="bewonersavond, wijk")
    practice(world.rotterdam, "Buurttafel", tags="Bewoners, Wijk")
    practice(world.rotterdam, "Spreekuur", tags="wijkagent , bewoners")
    client = login_client(world.alice)

    response = client.get(URL, {"tag": "bewoners"})
    assert sorted(titles(response)) == ["Buurttafel", "Spreekuur"]
    assert [tag.lower() for tag in response.context["tags"]] == ["bewoners", "bewonersavond", "wijk", "wijkagent"]
    assert sorted(titles(client.get(URL, {"tag": "WIJK"}))) == ["Bewonersavond", "Buurttafel"]
    assert titles(client.get(URL, {"tag": "bewoners", "q": "spreekuur"})) == ["Spreekuur"]
    html = client.get(URL).content.decode()
    assert 'href="?tag=wijkagent"' in html
    assert '<option value="wijkagent">' in html


def test_empty_list_invites_writers(world: World, community: Community) -> None:
    assert (
        "Nog geen best practices. Wat werkte in uw leergemeenschap?"
        in login_client(world.alice).get(URL).content.decode()
    )
    reader = login_client(world.manager).get(URL).content.decode()
    assert "Nog geen best practices. De leergemeenschappen delen ze hier" in reader


def test_the_list_needs_the_same_queries_for_3_and_for_40_practices(
    world: World, community: Community, django_assert_max_num_queries: object
) -> None:
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            practice(
                world.rotterdam,
                f"Kenniscafé {number}",
                community=community,
                created_by=world.alice,
                tags=f"kenniscafé, tag{number}",
            )

    client = login_client(world.bob)
    add(3, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, {"q": "kenniscafé"}).status_code == 200
    add(37, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"q": "kenniscafé"})
    assert response.context["page"].paginator.count == 40
    assert len(titles(response)) == 20
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(titles(client.get(URL, {"page": 2}))) == 20


def test_the_communities_list_links_to_best_practices(world: World, community: Community) -> None:
    html = login_client(world.manager).get(f"/programmes/{world.programme.pk}/communities/").content.decode()
    assert f'href="{URL}"' in html


def test_the_shareable_communities_of_a_participant_in_two_programmes(world: World, community: Community) -> None:
    second = ProgrammeFactory(organisation=world.rotterdam, title="Gebiedsnetwerkers 2027")
    elsewhere = Community.objects.create(programme=second, name="Wijkreizen")
    CommunityMember.objects.create(
        community=elsewhere,
        membership=Membership.objects.create(programme=second, user=world.alice, role=Membership.Role.PARTICIPANT),
    )
    form = login_client(world.alice).get(f"{URL}new/").content.decode()
    assert "Kennis delen (Gebiedsnetwerkers)" in form
    assert "Wijkreizen (Gebiedsnetwerkers 2027)" in form


def test_tags_are_tidied_and_limited() -> None:
    assert best_practices.normalise_tags(" wijk ,Bewoners,, bewoners , twee  woorden ") == (
        "wijk, Bewoners, twee woorden"
    )
    assert best_practices.normalise_tags("") == ""


def test_too_many_tags_are_refused(world: World, community: Community) -> None:
    tags = ",".join(f"x{number:02}" for number in range(75))  # 299 characters, 373 once tidied
    assert len(tags) == 299
    response = login_client(world.alice).post(f"{URL}new/", practice_data(community=community.pk, tags=tags))
    assert "Gebruik minder of kortere trefwoorden" in response.content.decode()


def test_a_member_of_one_community_finds_it_chosen(world: World, community: Community) -> None:
    form = login_client(world.alice).get(f"{URL}new/").content.decode()
    assert f'<option value="{community.pk}" selected>' in form
    hr_form = login_client(world.hr).get(f"{URL}new/").content.decode()
    assert f'<option value="{community.pk}" selected>' not in hr_form
