"""A community's actions board: members and coaches organise actions, others read along.

Actions end with an outcome and, when they fell short, the reason why: the harvest needs it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from coaching import actions
from coaching.models import Community, CommunityAction, CommunityMember
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory

Kind, Status, Outcome = CommunityAction.Kind, CommunityAction.Status, CommunityAction.Outcome


def membership_of(world: World, user: User) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user, role=Membership.Role.PARTICIPANT)


@pytest.fixture
def community(world: World) -> Community:
    """ "Kennis delen": Alice is a member, Bob its learning coach."""
    community = Community.objects.create(
        programme=world.programme, name="Kennis delen", question="Hoe delen wij kennis en ervaring?"
    )
    community.coaches.add(world.bob)
    CommunityMember.objects.create(community=community, membership=membership_of(world, world.alice))
    return community


@pytest.fixture
def lotte(world: World, community: Community) -> User:
    """A second member of the community."""
    membership = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__last_name="van Dijk")
    CommunityMember.objects.create(community=community, membership=membership)
    return membership.user


@pytest.fixture
def dirk(world: World) -> User:
    """A participant of the same programme who is in another community: he reads, he does not take part."""
    other = Community.objects.create(programme=world.programme, name="Functieprofiel")
    membership = MembershipFactory(programme=world.programme, user__first_name="Dirk")
    CommunityMember.objects.create(community=other, membership=membership)
    return membership.user


def board_url(community: Community) -> str:
    return f"/programmes/{community.programme_id}/communities/{community.pk}/actions/"


def action_url(action: CommunityAction, step: str) -> str:
    return f"{board_url(action.community)}{action.pk}/{step}/"


def make_action(community: Community, owner: User, **fields: object) -> CommunityAction:
    values = {"kind": Kind.KNOWLEDGE_CAFE, "title": "Kenniscafé bewonersinitiatieven", "status": Status.PLANNED}
    values["due_on"] = timezone.localdate() + timedelta(days=10)
    values.update(fields)
    return CommunityAction.objects.create(community=community, owner=owner, **values)


def action_data(**overrides: object) -> dict[str, object]:
    data = {
        "kind": Kind.KNOWLEDGE_CAFE,
        "title": "Kenniscafé bewonersinitiatieven",
        "description": "Elk gebied neemt één voorbeeld mee.",
        "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "status": Status.PLANNED,
    }
    data.update(overrides)
    return data


# --- Adding and editing --------------------------------------------------------------------


def test_a_member_adds_an_action_that_she_owns_by_default(world: World, community: Community) -> None:
    client = login_client(world.alice)
    form = client.get(f"{board_url(community)}new/").content.decode()
    assert f'<option value="{world.alice.pk}" selected>' in form
    assert 'value="done"' not in form, "done is reached by recording the outcome"

    page = client.post(f"{board_url(community)}new/", action_data(owner=world.alice.pk), follow=True)

    action = CommunityAction.objects.unscoped().get()
    assert page.redirect_chain[-1][0] == f"{board_url(community)}#action-{action.pk}"
    assert (action.owner, action.community, action.status) == (world.alice, community, Status.PLANNED)
    html = page.content.decode()
    assert "Actie “Kenniscafé bewonersinitiatieven” staat op het actiebord." in html
    assert "Elk gebied neemt één voorbeeld mee." in html


def test_the_owner_is_any_member_or_coach_of_the_community_and_nobody_else(
    world: World, community: Community, dirk: User
) -> None:
    client = login_client(world.alice)
    url = f"{board_url(community)}new/"

    refused = client.post(url, action_data(owner=dirk.pk))
    assert "Selecteer een geldige keuze" in refused.content.decode()
    refused_manager = client.post(url, action_data(owner=world.manager.pk))
    assert "Selecteer een geldige keuze" in refused_manager.content.decode()
    assert not CommunityAction.objects.unscoped().exists()

    client.post(url, action_data(owner=world.bob.pk))
    assert CommunityAction.objects.unscoped().get().owner == world.bob


def test_a_planned_action_needs_a_date_an_idea_does_not(world: World, community: Community) -> None:
    client = login_client(world.alice)
    url = f"{board_url(community)}new/"

    refused = client.post(url, action_data(owner=world.alice.pk, due_on=""))
    assert "Een geplande actie heeft een datum nodig. Zonder datum blijft het een idee." in refused.content.decode()
    assert 'id="error-summary"' in refused.content.decode()
    assert not CommunityAction.objects.unscoped().exists()

    client.post(url, action_data(owner=world.alice.pk, due_on="", status=Status.IDEA))
    assert CommunityAction.objects.unscoped().get().status == Status.IDEA


def test_a_coach_edits_an_action_and_a_new_owner_stops_joining(world: World, community: Community, lotte: User) -> None:
    action = make_action(community, world.alice)
    action.joiners.add(lotte)
    client = login_client(world.bob)

    page = client.post(
        action_url(action, "edit"), action_data(owner=lotte.pk, title="Kenniscafé in de bibliotheek"), follow=True
    )

    assert "Actie “Kenniscafé in de bibliotheek” opgeslagen." in page.content.decode()
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Kenniscafé in de bibliotheek", lotte)
    assert list(action.joiners.all()) == []


def test_reopening_a_done_action_clears_its_outcome(world: World, community: Community) -> None:
    action = make_action(community, world.alice, status=Status.DONE, outcome=Outcome.PARTLY, outcome_reason="Te kort")
    client = login_client(world.alice)
    assert 'value="done"' in client.get(action_url(action, "edit")).content.decode()

    client.post(action_url(action, "edit"), action_data(owner=world.alice.pk, status=Status.PLANNED))

    action.refresh_from_db()
    assert (action.status, action.outcome, action.outcome_reason) == (Status.PLANNED, "", "")


def test_a_former_member_stays_the_owner_when_the_action_is_edited(world: World, community: Community) -> None:
    former = MembershipFactory(programme=world.programme, user__first_name="Esra").user
    action = make_action(community, former)
    client = login_client(world.alice)

    client.post(action_url(action, "edit"), action_data(owner=former.pk, title="Kenniscafé, tweede ronde"))

    action.refresh_from_db()
    assert (action.title, action.owner) == ("Kenniscafé, tweede ronde", former)


# --- Joining and leaving --------------------------------------------------------------------


def test_a_member_joins_and_leaves_with_one_click(world: World, community: Community, lotte: User) -> None:
    action = make_action(community, world.alice)
    client = login_client(lotte)

    joined = client.post(action_url(action, "join"), follow=True)
    assert joined.redirect_chain[-1][0] == f"{board_url(community)}#action-{action.pk}"
    assert "U doet mee aan “Kenniscafé bewonersinitiatieven”." in joined.content.decode()
    assert list(action.joiners.all()) == [lotte]
    assert "Lotte van Dijk" in joined.content.decode()

    left = client.post(action_url(action, "leave"), follow=True)
    assert "U doet niet meer mee aan “Kenniscafé bewonersinitiatieven”." in left.content.decode()
    assert list(action.joiners.all()) == []


def test_the_coach_joins_too_but_the_owner_and_closed_actions_do_not(
    world: World, community: Community, lotte: User
) -> None:
    action = make_action(community, world.alice)
    login_client(world.bob).post(action_url(action, "join"))
    assert list(action.joiners.all()) == [world.bob]

    owner = login_client(world.alice).post(action_url(action, "join"), follow=True)
    assert "U bent zelf de trekker van “Kenniscafé bewonersinitiatieven”." in owner.content.decode()

    done = make_action(community, world.alice, title="Academie van de straat", status=Status.DONE)
    cancelled = make_action(community, world.alice, title="Intervisie", status=Status.CANCELLED)
    client = login_client(lotte)
    assert "“Academie van de straat” is al klaar: meedoen kan niet meer." in (
        client.post(action_url(done, "join"), follow=True).content.decode()
    )
    assert "“Intervisie” is geannuleerd: meedoen kan niet meer." in (
        client.post(action_url(cancelled, "join"), follow=True).content.decode()
    )
    assert not done.joiners.exists() and not cancelled.joiners.exists()
    assert set(action.joiners.all()) == {world.bob}


def test_joining_is_a_post(world: World, community: Community, lotte: User) -> None:
    action = make_action(community, world.alice)
    assert login_client(lotte).get(action_url(action, "join")).status_code == 405
    assert not action.joiners.exists()


# --- The outcome and why ----------------------------------------------------------------------


def test_partly_achieved_needs_a_why_and_then_the_action_is_done(world: World, community: Community) -> None:
    action = make_action(community, world.alice)
    client = login_client(world.alice)

    refused = client.post(action_url(action, "outcome"), {"outcome": Outcome.PARTLY, "outcome_reason": "  "})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Vertel waarom: de oogstsessie leert het meest van wat niet lukte." in html
    assert 'id="error-summary"' in html
    action.refresh_from_db()
    assert (action.status, action.outcome) == (Status.PLANNED, "")

    page = client.post(
        action_url(action, "outcome"),
        {"outcome": Outcome.PARTLY, "outcome_reason": "De helft van de gebieden kwam; de uitnodiging was laat."},
        follow=True,
    )
    action.refresh_from_db()
    assert (action.status, action.outcome) == (Status.DONE, Outcome.PARTLY)
    html = page.content.decode()
    assert "Resultaat van “Kenniscafé bewonersinitiatieven” vastgelegd: deels bereikt." in html
    assert "De helft van de gebieden kwam; de uitnodiging was laat." in html


def test_not_achieved_needs_a_why_achieved_does_not(world: World, community: Community) -> None:
    action = make_action(community, world.alice)
    client = login_client(world.bob)

    refused = client.post(action_url(action, "outcome"), {"outcome": Outcome.NOT_ACHIEVED})
    assert "Vertel waarom" in refused.content.decode()
    missing = client.post(action_url(action, "outcome"), {"outcome_reason": "Geen idee"})
    assert "Kies wat de actie heeft opgeleverd." in missing.content.decode()

    client.post(action_url(action, "outcome"), {"outcome": Outcome.ACHIEVED, "outcome_reason": ""})
    action.refresh_from_db()
    assert (action.status, action.outcome, action.outcome_reason) == (Status.DONE, Outcome.ACHIEVED, "")


def test_a_cancelled_action_keeps_its_status_with_its_outcome(world: World, community: Community) -> None:
    action = make_action(community, world.alice, title="Intervisie", kind=Kind.INTERVISION, status=Status.CANCELLED)
    client = login_client(world.alice)
    assert "De actie is geannuleerd en blijft dat." in client.get(action_url(action, "outcome")).content.decode()

    client.post(
        action_url(action, "outcome"),
        {"outcome": Outcome.NOT_ACHIEVED, "outcome_reason": "Niemand kon een vast moment vrijmaken."},
    )

    action.refresh_from_db()
    assert (action.status, action.outcome) == (Status.CANCELLED, Outcome.NOT_ACHIEVED)


def test_the_service_refuses_a_short_outcome_without_a_why(world: World, community: Community) -> None:
    action = make_action(community, world.alice)
    assert actions.reason_required(Outcome.PARTLY) and actions.reason_required(Outcome.NOT_ACHIEVED)
    assert not actions.reason_required(Outcome.ACHIEVED)
    with pytest.raises(actions.ActionError):
        actions.record_outcome(action, Outcome.NOT_ACHIEVED, " ")
    with pytest.raises(actions.ActionError):
        actions.record_outcome(action, "maybe", "Omdat")
    action.refresh_from_db()
    assert action.status == Status.PLANNED


# --- The board --------------------------------------------------------------------------------


def test_the_board_groups_by_status_and_filters(world: World, community: Community, lotte: User) -> None:
    today = timezone.localdate()
    make_action(community, world.alice, title="Kenniscafé", due_on=today + timedelta(days=5))
    visit = make_action(community, lotte, title="Wijkreis Charlois", kind=Kind.AREA_VISIT)
    visit.joiners.add(world.alice)
    make_action(community, lotte, title="Meelopen met de wijkconciërge", kind=Kind.JOB_SHADOWING, status=Status.IDEA)
    make_action(community, lotte, title="Oud kenniscafé", due_on=today - timedelta(days=3))
    make_action(
        community,
        lotte,
        title="Academie van de straat",
        kind=Kind.STREET_ACADEMY,
        status=Status.DONE,
        outcome=Outcome.ACHIEVED,
        outcome_reason="Op locatie en met één vraag.",
    )
    client = login_client(world.alice)

    html = client.get(board_url(community)).content.decode()
    planned, idea, done = html.index("Gepland</span>"), html.index("Idee</span>"), html.index("Klaar</span>")
    title = lambda text: html.index(f">{text}</h3>")  # noqa: E731
    assert planned < title("Kenniscafé") < title("Wijkreis Charlois") < idea
    assert idea < title("Meelopen met de wijkconciërge") < done < title("Academie van de straat")
    assert "Op locatie en met één vraag." in html
    assert "De datum is voorbij: leg het resultaat vast." in html
    assert html.count("De datum is voorbij") == 1

    only_visits = client.get(board_url(community), {"kind": Kind.AREA_VISIT}).content.decode()
    assert ">Wijkreis Charlois</h3>" in only_visits and ">Kenniscafé</h3>" not in only_visits
    mine = client.get(board_url(community), {"mine": "on"}).content.decode()
    assert ">Wijkreis Charlois</h3>" in mine and ">Kenniscafé</h3>" in mine
    assert ">Academie van de straat</h3>" not in mine and ">Oud kenniscafé</h3>" not in mine
    nothing = client.get(board_url(community), {"kind": Kind.INTERVISION}).content.decode()
    assert "Geen acties die aan dit filter voldoen." in nothing


def test_an_empty_board_invites_members_and_informs_readers(world: World, community: Community) -> None:
    member = login_client(world.alice).get(board_url(community)).content.decode()
    assert "Nog geen acties. Wat gaat de groep organiseren" in member
    assert "Nieuwe actie" in member
    reader = login_client(world.manager).get(board_url(community)).content.decode()
    assert "Deze leergemeenschap heeft nog geen acties." in reader


def test_the_board_needs_the_same_queries_for_3_and_for_40_actions(
    world: World, community: Community, lotte: User, django_assert_max_num_queries: object
) -> None:
    def add(count: int) -> None:
        kinds, statuses = list(Kind.values), list(Status.values)
        for number in range(count):
            action = make_action(
                community,
                lotte if number % 2 else world.alice,
                title=f"Actie {number}",
                kind=kinds[number % len(kinds)],
                status=statuses[number % len(statuses)],
                outcome=Outcome.PARTLY if statuses[number % len(statuses)] == Status.DONE else "",
            )
            action.joiners.add(world.bob, *([lotte] if number % 2 == 0 else []))

    client = login_client(world.alice)
    add(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(board_url(community)).status_code == 200
    add(37)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(board_url(community))
    assert page.content.decode().count('<article class="card') == 40


# --- The community page -----------------------------------------------------------------------


def test_the_community_page_shows_the_next_three_planned_actions(world: World, community: Community) -> None:
    today = timezone.localdate()
    for days, title in [(30, "Vierde"), (3, "Eerste"), (20, "Derde"), (10, "Tweede")]:
        make_action(community, world.alice, title=title, due_on=today + timedelta(days=days))
    make_action(community, world.alice, title="Een idee", status=Status.IDEA, due_on=None)
    make_action(community, world.alice, title="Al gedaan", status=Status.DONE, due_on=today - timedelta(days=1))

    html = login_client(world.manager).get(f"/programmes/{world.programme.pk}/communities/{community.pk}/").content
    html = html.decode()

    assert html.index("Eerste") < html.index("Tweede") < html.index("Derde")
    for absent in ("Vierde", "Een idee", "Al gedaan"):
        assert absent not in html
    assert f'href="{board_url(community)}"' in html
    assert "Naar het actiebord" in html


def test_the_community_page_without_planned_actions(world: World, community: Community) -> None:
    make_action(community, world.alice, title="Een idee", status=Status.IDEA, due_on=None)
    html = login_client(world.alice).get(f"/programmes/{world.programme.pk}/communities/{community.pk}/").content
    assert "Nog geen acties gepland: wat gaat de groep organiseren?" in html.decode()


# --- Who may do what --------------------------------------------------------------------------


def test_everyone_who_sees_the_community_reads_the_board_without_controls(
    world: World, community: Community, dirk: User
) -> None:
    action = make_action(community, world.alice)
    for reader in (dirk, world.manager, world.hr):
        response = login_client(reader).get(board_url(community))
        html = response.content.decode()
        assert response.status_code == 200, reader
        assert "Kenniscafé bewonersinitiatieven" in html
        assert "Nieuwe actie" not in html
        assert action_url(action, "edit") not in html and action_url(action, "join") not in html
        assert "u kunt meelezen" in html
    member = login_client(world.alice).get(board_url(community)).content.decode()
    assert action_url(action, "edit") in member and action_url(action, "outcome") in member


def test_a_participant_of_another_community_cannot_add_edit_join_or_close(
    world: World, community: Community, dirk: User
) -> None:
    action = make_action(community, world.alice)
    client = login_client(dirk)

    assert client.get(f"{board_url(community)}new/").status_code == 403
    assert client.post(f"{board_url(community)}new/", action_data(owner=dirk.pk)).status_code == 403
    assert client.get(action_url(action, "edit")).status_code == 403
    assert client.post(action_url(action, "edit"), action_data(owner=dirk.pk, title="Gekaapt")).status_code == 403
    assert client.post(action_url(action, "join")).status_code == 403
    assert client.post(action_url(action, "leave")).status_code == 403
    outcome = {"outcome": Outcome.ACHIEVED}
    assert client.post(action_url(action, "outcome"), outcome).status_code == 403
    action.refresh_from_db()
    assert (action.title, action.status, CommunityAction.objects.unscoped().count()) == (
        "Kenniscafé bewonersinitiatieven",
        Status.PLANNED,
        1,
    )
    assert not action.joiners.exists()


def test_the_manager_and_hr_read_but_cannot_edit(world: World, community: Community) -> None:
    action = make_action(community, world.alice)
    for user in (world.manager, world.hr):
        client = login_client(user)
        assert client.get(action_url(action, "edit")).status_code == 403
        assert client.post(action_url(action, "outcome"), {"outcome": Outcome.ACHIEVED}).status_code == 403
        assert client.post(action_url(action, "join")).status_code == 403
    action.refresh_from_db()
    assert action.status == Status.PLANNED


def test_other_organisations_and_people_without_a_role_get_404(world: World, community: Community) -> None:
    action = make_action(community, world.alice)
    for user in (world.charlie, world.haarlem_hr, world.colleague):
        client = login_client(user)
        assert client.get(board_url(community)).status_code == 404, user
        assert client.get(f"{board_url(community)}new/").status_code == 404
        assert client.get(action_url(action, "edit")).status_code == 404
        assert client.post(action_url(action, "join")).status_code == 404
        assert client.post(action_url(action, "outcome"), {"outcome": Outcome.ACHIEVED}).status_code == 404
    assert not action.joiners.exists()


def test_an_action_is_only_reached_through_its_own_community(world: World, community: Community, dirk: User) -> None:
    other = Community.objects.unscoped().get(name="Functieprofiel")
    action = make_action(other, dirk)
    client = login_client(world.alice)
    assert client.get(f"{board_url(community)}{action.pk}/edit/").status_code == 404
    assert client.post(f"{board_url(community)}{action.pk}/join/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(community: Community) -> None:
    from django.test import Client

    response = Client().get(board_url(community))
    assert response.status_code == 302 and response.url.startswith("/account/login/")


def test_the_date_of_an_action_shows_in_dutch(world: World, community: Community) -> None:
    make_action(community, world.alice, due_on=date(2026, 10, 1))
    assert "1 oktober 2026" in login_client(world.alice).get(board_url(community)).content.decode()
