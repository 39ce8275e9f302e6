"""“Wie kan mij helpen?” finds colleagues only among people who shared; the timeline shows one's own learning."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from learners.models import Action, Goal, Reflection, Swot
from programmes.models import Competency, Membership, Programme
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, ProgrammeFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SECRET = "GEHEIME-SWOT-TEKST"


@pytest.fixture
def skills(world: World) -> dict[str, Competency]:
    """Three competencies of Rotterdam's programme."""
    made = {}
    for name in ("Initiatief tonen", "Verantwoordelijkheid nemen", "Samenwerken"):
        competency = Competency.objects.create(organisation=world.rotterdam, name=name)
        world.programme.competencies.add(competency)
        made[name] = competency
    return made


def alice_membership(world: World) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")


def add_plan(
    membership: Membership,
    *,
    strong_in: Iterable[Competency] = (),
    goals: Iterable[tuple[str, Competency | None, str]] = (),
) -> Membership:
    """A SWOT with secret text and ``strong_in``, and goals as (title, competency, visibility)."""
    swot = Swot.objects.create(membership=membership, strengths=f"{SECRET} sterk", weaknesses=f"{SECRET} zwak")
    swot.strong_in.set(strong_in)
    for title, competency, visibility in goals:
        goal = Goal.objects.create(membership=membership, title=title, visibility=visibility)
        if competency:
            goal.competencies.add(competency)
    return membership


def colleague(
    name: str,
    programme: Programme,
    *,
    strong_in: Iterable[Competency] = (),
    goals: Iterable[tuple[str, Competency | None, str]] = (),
) -> Membership:
    membership = MembershipFactory(programme=programme, user__first_name=name, user__last_name="Jansen")
    return add_plan(membership, strong_in=strong_in, goals=goals)


def help_page(world: World, user=None) -> tuple[str, str, str]:
    """The whole page, the “who can help me” section and the “whom I can help” section."""
    response = login_client(user or world.alice).get(f"/programmes/{world.programme.pk}/plan/help/")
    assert response.status_code == 200
    page = response.content.decode()
    helpers, helping = page.split('id="helping-heading"')
    return page, helpers.split('id="helpers-heading"')[1], helping


def goal_url(world: World, title: str) -> str:
    return f"/programmes/{world.programme.pk}/plan/goals/{Goal.objects.unscoped().get(title=title).pk}/"


# --- Who can help me ----------------------------------------------------------------------


def test_someone_strong_in_my_goal_who_shared_a_goal_is_listed_and_nobody_else(world: World, skills: dict) -> None:
    initiative, responsibility = skills["Initiatief tonen"], skills["Verantwoordelijkheid nemen"]
    add_plan(alice_membership(world), goals=[("Initiatief in het wijkoverleg", initiative, "private")])
    colleague("Lotte", world.programme, strong_in=[initiative], goals=[("Lottes doel", responsibility, "programme")])
    colleague(
        "Kees",
        world.programme,
        strong_in=[initiative],
        goals=[("Kees privé", initiative, "private"), ("Kees coach", responsibility, "coach")],
    )
    colleague("Priya", world.programme, strong_in=[initiative])
    colleague("Bram", world.programme, strong_in=[responsibility], goals=[("Brams doel", None, "programme")])

    page, helpers, _helping = help_page(world)

    assert "<h3" in helpers and "Initiatief tonen" in helpers
    assert "Lotte Jansen" in helpers
    assert f'href="{goal_url(world, "Lottes doel")}">Lottes doel</a>' in helpers
    for hidden in ("Kees", "Priya", "Bram", SECRET):
        assert hidden not in page, hidden


def test_a_competency_nobody_can_help_with_says_so(world: World, skills: dict) -> None:
    add_plan(alice_membership(world), goals=[("Samen optrekken", skills["Samenwerken"], "coach")])

    _page, helpers, _helping = help_page(world)

    assert "Samenwerken" in helpers
    assert (
        "Nog niemand die een doel met het leertraject deelt, heeft deze competentie als sterkte aangevinkt." in helpers
    )


def test_people_of_another_programme_or_organisation_are_never_listed(world: World, skills: dict) -> None:
    initiative = skills["Initiatief tonen"]
    add_plan(
        alice_membership(world),
        strong_in=[initiative],
        goals=[("Initiatief in het wijkoverleg", initiative, "programme")],
    )
    other_programme = ProgrammeFactory(organisation=world.rotterdam, title="Ander traject")
    other_programme.competencies.add(initiative)
    colleague("Ezra", other_programme, strong_in=[initiative], goals=[("Ezras doel", initiative, "programme")])
    # Even data that wrongly crosses organisations stays out.
    charlie = Membership.objects.unscoped().get(user=world.charlie)
    add_plan(charlie, strong_in=[initiative], goals=[("Charlies doel", initiative, "programme")])
    # Alice in another role, or Alice herself, is no colleague to find.
    coach = MembershipFactory(programme=world.programme, role=Membership.Role.COACH, user__first_name="Coach")
    add_plan(coach, strong_in=[initiative], goals=[("Doel van de coach", initiative, "programme")])

    page, helpers, helping = help_page(world)

    for hidden in ("Ezra", "Charlie", "Coach", "Doel van de coach", SECRET):
        assert hidden not in page, hidden
    assert "Initiatief in het wijkoverleg" not in helpers + helping
    assert "Nog niemand heeft een doel op deze competentie met het leertraject gedeeld." in helping


# --- Whom I can help ----------------------------------------------------------------------


def test_whom_i_can_help_lists_goals_shared_with_the_programme_on_my_strengths(world: World, skills: dict) -> None:
    initiative, responsibility = skills["Initiatief tonen"], skills["Verantwoordelijkheid nemen"]
    add_plan(alice_membership(world), strong_in=[initiative], goals=[("Mijn doel", responsibility, "programme")])
    colleague(
        "Lotte",
        world.programme,
        goals=[
            ("Lotte deelt met iedereen", initiative, "programme"),
            ("Lotte houdt het voor zich", initiative, "private"),
            ("Lotte deelt met de coach", initiative, "coach"),
            ("Lotte over iets anders", responsibility, "programme"),
        ],
    )

    page, _helpers, helping = help_page(world)

    url = goal_url(world, "Lotte deelt met iedereen")
    assert f'href="{url}">Lotte deelt met iedereen</a>' in helping
    assert "Een leerdoel van Lotte Jansen" in helping
    for hidden in ("Lotte houdt het voor zich", "Lotte deelt met de coach", "Lotte over iets anders"):
        assert hidden not in page, hidden
    assert "Collega's kunnen u nog niet vinden" not in page
    assert login_client(world.alice).get(url).status_code == 200


def test_empty_states_explain_what_to_do(world: World, skills: dict) -> None:
    base = f"/programmes/{world.programme.pk}/plan"

    _page, helpers, helping = help_page(world)
    assert "U hebt nog geen leerdoelen." in helpers
    assert f'href="{base}/goals/new/"' in helpers
    assert "U hebt nog geen competenties aangevinkt waarin u sterk bent." in helping
    assert f'href="{base}/swot/"' in helping

    add_plan(alice_membership(world), strong_in=[skills["Samenwerken"]], goals=[("Zonder competentie", None, "coach")])
    _page, helpers, helping = help_page(world)
    assert "Uw doelen noemen nog geen competenties." in helpers
    assert "Collega's kunnen u nog niet vinden" in helping
    assert "Samenwerken" in helping


def test_the_plan_links_to_both_pages(world: World) -> None:
    page = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/").content.decode()

    assert f'href="/programmes/{world.programme.pk}/plan/help/"' in page
    assert f'href="/programmes/{world.programme.pk}/plan/timeline/"' in page


# --- Timeline -----------------------------------------------------------------------------


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 30, tzinfo=AMSTERDAM)


def entries(page: str) -> list[str]:
    """Label and goal of every timeline entry, in page order."""
    items = page.split('<ol class="learning-timeline')[1].split("</ol>")[0].split("<li")[1:]
    found = []
    for item in items:
        label = re.search(r'<span class="badge[^"]*">([^<]+)</span>', item).group(1)
        goal = re.search(r"<a href=\"[^\"]+\">([^<]+)</a>", item).group(1)
        found.append(f"{label}: {goal}")
    return found


def test_timeline_shows_my_learning_newest_first(world: World) -> None:
    membership = alice_membership(world)
    first = Goal.objects.create(membership=membership, title="Initiatief nemen", created_at=at(2))
    second = Goal.objects.create(membership=membership, title="Afspraken nakomen", created_at=at(5), visibility="coach")
    Action.objects.create(
        goal=first, description="Voorstel inbrengen", done_at=at(4), done_note="Twee partners sloten aan."
    )
    Action.objects.create(goal=first, description="Nog te doen")
    Reflection.objects.create(goal=first, tried="Zelf beginnen", learned="Anderen sluiten aan.", created_at=at(6))
    Reflection.objects.create(goal=second, tried="Actielijst rondsturen", created_at=at(7, 14))
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte")
    shared = Goal.objects.create(membership=other, title="Doel van Lotte", visibility="programme", created_at=at(8))
    Reflection.objects.create(goal=shared, tried="Iets van Lotte", created_at=at(8))

    response = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/timeline/")

    page = response.content.decode()
    assert entries(page) == [
        "Reflectie: Afspraken nakomen",
        "Reflectie: Initiatief nemen",
        "Doel gesteld: Afspraken nakomen",
        "Actie afgerond: Initiatief nemen",
        "Doel gesteld: Initiatief nemen",
    ]
    assert '<time datetime="2026-03-07T14:30:00+01:00">7 maart 2026 14:30</time>' in page
    assert "Wat ik probeerde:</span> Actielijst rondsturen" in page
    assert "Wat ik leerde:</span> Anderen sluiten aan." in page
    assert "Zelf beginnen" not in page  # a reflection shows what was learned, when there is that
    assert "Voorstel inbrengen" in page and "Twee partners sloten aan." in page
    assert "Nog te doen" not in page
    assert f'href="/programmes/{world.programme.pk}/plan/goals/{first.pk}/"' in page
    assert "Lotte" not in page


def test_an_empty_timeline_says_how_to_start(world: World) -> None:
    page = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/timeline/").content.decode()

    assert "Hier staat nog niets." in page
    assert f'href="/programmes/{world.programme.pk}/plan/goals/new/"' in page


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["help", "timeline"])
def test_both_pages_are_for_the_participant_only(world: World, skills: dict, page: str) -> None:
    initiative = skills["Initiatief tonen"]
    add_plan(alice_membership(world), strong_in=[initiative], goals=[("Alices privédoel", initiative, "private")])
    outsider = colleague("Ezra", ProgrammeFactory(organisation=world.rotterdam), goals=[]).user
    url = f"/programmes/{world.programme.pk}/plan/{page}/"

    assert login_client(world.alice).get(url).status_code == 200
    for user in (world.bob, world.manager, world.hr):
        assert login_client(user).get(url).status_code == 403, user
    for user in (world.colleague, world.haarlem_hr, world.charlie, outsider):
        assert login_client(user).get(url).status_code == 404, user
    # Another participant of the programme sees their own page, never Alice's plan.
    lotte = colleague("Lotte", world.programme).user
    response = login_client(lotte).get(url)
    assert response.status_code == 200
    assert "Alices privédoel" not in response.content.decode()


def test_both_pages_close_when_the_programme_is_a_draft(world: World) -> None:
    world.programme.status = Programme.Status.DRAFT
    world.programme.save()
    client = login_client(world.alice)

    for page in ("help", "timeline"):
        assert client.get(f"/programmes/{world.programme.pk}/plan/{page}/").status_code == 404


# --- Query counts -------------------------------------------------------------------------


def test_who_can_help_keeps_its_query_count_from_3_to_40_participants(
    world: World, skills: dict, django_assert_max_num_queries: Callable
) -> None:
    initiative, responsibility = skills["Initiatief tonen"], skills["Verantwoordelijkheid nemen"]
    add_plan(
        alice_membership(world),
        strong_in=[responsibility],
        goals=[("Initiatief nemen", initiative, "programme"), ("Samen", skills["Samenwerken"], "private")],
    )
    client = login_client(world.alice)
    url = f"/programmes/{world.programme.pk}/plan/help/"

    def add(start: int, stop: int) -> None:
        for number in range(start, stop):
            colleague(
                f"Deelnemer{number}",
                world.programme,
                strong_in=[initiative, skills["Samenwerken"]],
                goals=[(f"Doel {number}", responsibility, "programme"), (f"Ander doel {number}", initiative, "coach")],
            )

    add(0, 3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).content.decode().count("Deelnemer") == 3 * 3
    add(3, 40)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Deelnemer") == 40 * 3  # helper in two competencies, and a goal to help with


def test_timeline_keeps_its_query_count_as_it_grows(world: World, django_assert_max_num_queries: Callable) -> None:
    membership = alice_membership(world)
    client = login_client(world.alice)
    url = f"/programmes/{world.programme.pk}/plan/timeline/"
    start = at(1)

    def add(count: int) -> None:
        for number in range(count):
            goal = Goal.objects.create(membership=membership, title=f"Doel {number}", created_at=start)
            Action.objects.create(goal=goal, description="Stap", done_at=start + timedelta(hours=number))
            Reflection.objects.create(goal=goal, tried="Iets", learned="Veel", created_at=start + timedelta(days=1))

    add(1)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(40)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("<time ") == 41 * 3
