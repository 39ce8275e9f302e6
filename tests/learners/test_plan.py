"""Participants keep their own learning plan; it is private unless they share it; HR sees demand."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from learners.models import Action, AssessmentResponse, Goal, Reflection, Swot
from programmes.models import AssessmentItem, BehaviourIndicator, Competency, Membership, Programme
from tests.conftest import World, login_client
from tests.factories import MembershipFactory


@pytest.fixture
def framework(world: World) -> dict[str, Competency]:
    """Rotterdam's two competencies on the programme, each with one statement in the assessment."""
    made = {}
    for position, name in enumerate(("Initiatief tonen", "Verantwoordelijkheid nemen")):
        competency = Competency.objects.create(organisation=world.rotterdam, name=name)
        BehaviourIndicator.objects.create(competency=competency, text=f"Gedrag bij {name.lower()}")
        world.programme.competencies.add(competency)
        AssessmentItem.objects.create(
            programme=world.programme, competency=competency, text=f"Ik ben goed in {name.lower()}", position=position
        )
        made[name] = competency
    AssessmentItem.objects.create(
        programme=world.programme, kind=AssessmentItem.Kind.OPEN, text="Wat wil je leren?", position=9
    )
    return made


def membership_of(world: World, user=None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


def goal_of(world: World, visibility: str, user=None, title: str = "Initiatief nemen in het wijkoverleg") -> Goal:
    return Goal.objects.create(membership=membership_of(world, user), title=title, visibility=visibility)


def goal_data(**overrides: object) -> dict[str, object]:
    data = {
        "title": "Initiatief nemen in het wijkoverleg",
        "why": "Bewoners verwachten het.",
        "success": "Elk overleg een eigen voorstel.",
        "visibility": "private",
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-0-kind": "70",
        "activities-0-description": "Elk overleg een voorstel inbrengen",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Voorstel speeltuin inbrengen",
        "actions-0-due_on": "2026-12-15",
    }
    data.update(overrides)
    return data


def items(world: World) -> dict[str, AssessmentItem]:
    return {item.text: item for item in world.programme.assessment_items.all()}


# --- Onboarding: programme, start assessment, SWOT, plan ----------------------------------


def test_participant_goes_from_assessment_via_swot_to_a_first_goal(world: World, framework: dict) -> None:
    client = login_client(world.alice)
    statement = items(world)
    first, second = statement["Ik ben goed in initiatief tonen"], statement["Ik ben goed in verantwoordelijkheid nemen"]
    base = f"/programmes/{world.programme.pk}/plan/"

    assert "Vul de startmeting in" in client.get(base).content.decode()

    incomplete = client.post(f"{base}assessment/", {f"item_{first.pk}": "2", "submit": ""})
    assert "Kies een score van 1 tot 5 voordat u hem inlevert." in incomplete.content.decode()
    assert not AssessmentResponse.objects.unscoped().exists()

    saved = client.post(f"{base}assessment/", {f"item_{first.pk}": "2", "save": ""}, follow=True)
    assert "Opgeslagen. U kunt later verder waar u was gebleven." in saved.content.decode()
    response = AssessmentResponse.objects.unscoped().get()
    assert response.submitted_at is None
    assert re.search(r'name="item_\d+" value="2"[^>]*checked', client.get(f"{base}assessment/").content.decode())

    handed_in = client.post(
        f"{base}assessment/", {f"item_{first.pk}": "2", f"item_{second.pk}": "4", "submit": ""}, follow=True
    )
    assert handed_in.redirect_chain[-1][0] == f"{base}swot/"
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert sorted(response.answers.filter(score__isnull=False).values_list("score", flat=True)) == [2, 4]

    empty_swot = client.post(f"{base}swot/", {"strengths": "", "weaknesses": ""})
    assert "Schrijf minstens één sterkte, zwakte, kans of bedreiging op." in empty_swot.content.decode()
    swot = client.post(f"{base}swot/", {"strengths": "Ik ken de wijk."}, follow=True)
    assert swot.redirect_chain[-1][0] == f"{base}goals/new/"
    assert Swot.objects.unscoped().get().strengths == "Ik ken de wijk."

    goal_page = client.post(
        f"{base}goals/new/", goal_data(competencies=[framework["Initiatief tonen"].pk]), follow=True
    )
    goal = Goal.objects.unscoped().get()
    assert goal_page.redirect_chain[-1][0] == f"{base}goals/{goal.pk}/"
    assert "Wie kan dit doel zien: Alleen ik" in goal_page.content.decode()
    assert [a.description for a in goal.activities.all()] == ["Elk overleg een voorstel inbrengen"]
    assert [a.description for a in goal.actions.all()] == ["Voorstel speeltuin inbrengen"]
    assert "Wie kan dit doel zien: Alleen ik" in client.get(base).content.decode()


def test_a_chosen_behaviour_brings_its_competency_and_foreign_ones_are_refused(world: World, framework: dict) -> None:
    client = login_client(world.alice)
    indicator = framework["Verantwoordelijkheid nemen"].indicators.get()
    foreign = Competency.objects.create(organisation=world.haarlem, name="Adviseren")
    url = f"/programmes/{world.programme.pk}/plan/goals/new/"

    refused = client.post(url, goal_data(competencies=[foreign.pk]))
    assert "Selecteer een geldige keuze" in refused.content.decode()
    assert not Goal.objects.unscoped().exists()

    client.post(url, goal_data(indicators=[indicator.pk]))
    goal = Goal.objects.unscoped().get()
    assert list(goal.competencies.all()) == [framework["Verantwoordelijkheid nemen"]]
    assert list(goal.indicators.all()) == [indicator]


def test_a_goal_needs_a_title(world: World, framework: dict) -> None:
    response = login_client(world.alice).post(f"/programmes/{world.programme.pk}/plan/goals/new/", goal_data(title=""))

    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert not Goal.objects.unscoped().exists()
    assert not Action.objects.unscoped().exists()


def test_actions_are_marked_done_with_a_note_and_reflections_kept(world: World, framework: dict) -> None:
    goal = goal_of(world, "private")
    action = Action.objects.create(goal=goal, description="Voorstel inbrengen")
    client = login_client(world.alice)
    base = f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/"

    done = client.post(f"{base}actions/{action.pk}/done/", {"note": "Twee partners sloten aan."}, follow=True)
    assert "Goed gedaan: “Voorstel inbrengen” is klaar." in done.content.decode()
    action.refresh_from_db()
    assert action.done_at is not None and action.done_note == "Twee partners sloten aan."

    empty = client.post(f"{base}reflections/new/", {"tried": ""})
    assert "Dit veld is verplicht." in empty.content.decode()
    client.post(f"{base}reflections/new/", {"tried": "Zelf beginnen", "learned": "Anderen sluiten aan."})
    assert Reflection.objects.unscoped().get().learned == "Anderen sluiten aan."


# --- Visibility: private unless shared -----------------------------------------------------


def test_a_private_goal_is_404_for_everyone_but_its_owner(world: World) -> None:
    goal = goal_of(world, Goal.Visibility.PRIVATE)
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte").user
    url = f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/"

    assert login_client(world.alice).get(url).status_code == 200
    for user in (other, world.bob, world.manager, world.hr, world.haarlem_hr, world.charlie):
        assert login_client(user).get(url).status_code == 404, user


def test_a_goal_shared_with_coaches_reaches_coaches_only(world: World) -> None:
    goal = goal_of(world, Goal.Visibility.COACH)
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte").user
    url = f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/"

    page = login_client(world.bob).get(url)
    assert page.status_code == 200
    assert "Wie kan dit doel zien: Ik en mijn leercoach" in page.content.decode()
    for user in (other, world.manager, world.haarlem_hr):
        assert login_client(user).get(url).status_code == 404, user


def test_a_goal_shared_with_the_programme_reaches_its_people_not_other_organisations(world: World) -> None:
    goal = goal_of(world, Goal.Visibility.PROGRAMME)
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte").user
    url = f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/"

    for user in (other, world.bob, world.manager, world.hr):
        assert login_client(user).get(url).status_code == 200, user
    for user in (world.haarlem_hr, world.charlie, world.colleague):
        assert login_client(user).get(url).status_code == 404, user


def test_only_the_owner_changes_a_goal(world: World) -> None:
    goal = goal_of(world, Goal.Visibility.PROGRAMME)
    action = Action.objects.create(goal=goal, description="Voorstel inbrengen")
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte").user
    base = f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/"

    for user in (other, world.bob):
        client = login_client(user)
        assert client.post(f"{base}edit/", goal_data(title="Anders")).status_code in (403, 404)
        assert client.post(f"{base}actions/{action.pk}/done/", {"note": "x"}).status_code == 403
        assert client.post(f"{base}reflections/new/", {"tried": "x"}).status_code == 403
    goal.refresh_from_db()
    action.refresh_from_db()
    assert goal.title == "Initiatief nemen in het wijkoverleg"
    assert action.done_at is None
    assert not Reflection.objects.unscoped().exists()


def test_only_participants_of_a_running_programme_keep_a_plan_there(world: World) -> None:
    url = f"/programmes/{world.programme.pk}/plan/"
    for user in (world.bob, world.manager, world.hr, world.haarlem_hr):
        assert login_client(user).get(url).status_code in (403, 404), user
    world.programme.status = Programme.Status.DRAFT
    world.programme.save()
    assert login_client(world.alice).get(url).status_code == 404


# --- Demand --------------------------------------------------------------------------------


def _participant_with(world: World, name: str, scores: dict, goals: list[tuple[Competency, str]]) -> Membership:
    membership = MembershipFactory(programme=world.programme, user__first_name=name, user__last_name="Jansen")
    response = AssessmentResponse.objects.create(membership=membership, moment="start")
    if scores:
        response.submitted_at = timezone.now()
        response.save()
    statement = {item.competency_id: item for item in world.programme.assessment_items.filter(kind="statement")}
    for competency, score in scores.items():
        response.answers.create(item=statement[competency.pk], score=score)
    for competency, visibility in goals:
        goal = Goal.objects.create(membership=membership, title=f"Doel van {name}", visibility=visibility)
        goal.competencies.add(competency)
    return membership


def counts(row: str) -> list[str]:
    """In plans, low at the start, in all: the numbers of one row of the demand table."""
    return re.findall(r'<td class="text-end[^"]*">(\d+)</td>', row)


def test_demand_counts_plans_and_low_start_scores_and_names_only_who_shared(world: World, framework: dict) -> None:
    initiative, responsibility = framework["Initiatief tonen"], framework["Verantwoordelijkheid nemen"]
    _participant_with(world, "Lotte", {initiative: 2}, [(initiative, "programme")])
    _participant_with(world, "Kees", {initiative: 1}, [(initiative, "private")])
    _participant_with(world, "Priya", {initiative: 2, responsibility: 5}, [])
    _participant_with(world, "Bram", {initiative: 5}, [(responsibility, "coach")])

    page = login_client(world.hr).get(f"/programmes/{world.programme.pk}/demand/").content.decode()

    rows = page.split("<tbody>")[1].split("</tr>")
    initiative_row = next(row for row in rows if "Initiatief tonen" in row)
    responsibility_row = next(row for row in rows if "Verantwoordelijkheid nemen" in row)
    # Initiative: Lotte and Kees in plans; Lotte, Kees and Priya low at the start; three people in all.
    assert counts(initiative_row) == ["2", "3", "3"]
    assert "Lotte Jansen" in initiative_row
    assert "Kees" not in initiative_row and "Priya" not in initiative_row
    assert counts(responsibility_row) == ["1", "0", "1"]
    assert "Bram" not in page


def test_demand_is_for_hr_and_coaches_of_the_organisation(world: World, framework: dict) -> None:
    url = f"/programmes/{world.programme.pk}/demand/"

    assert login_client(world.bob).get(url).status_code == 200
    assert login_client(world.alice).get(url).status_code == 403
    assert login_client(world.manager).get(url).status_code == 403
    assert login_client(world.haarlem_hr).get(url).status_code == 404


def test_hr_dashboard_counts_handed_in_assessments_and_started_plans(world: World, framework: dict) -> None:
    initiative = framework["Initiatief tonen"]
    _participant_with(world, "Lotte", {initiative: 2}, [(initiative, "private"), (initiative, "coach")])
    _participant_with(world, "Kees", {initiative: 4}, [])
    _participant_with(world, "Priya", {}, [(initiative, "private")])  # saved, not handed in

    page = login_client(world.hr).get(f"/programmes/{world.programme.pk}/").content.decode()

    figures = dict(re.findall(r'<dt class="small fw-normal">([^<]+)</dt><dd class="fs-3 mb-0">(\d+)</dd>', page))
    assert figures["Ingeschreven"] == "4"
    assert figures["Startmeting ingeleverd"] == "2"
    assert figures["Leerplan begonnen"] == "2"


# --- Query counts ------------------------------------------------------------------------


def test_plan_page_keeps_its_query_count_from_1_to_50_goals(
    world: World, framework: dict, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)

    def add(count: int) -> None:
        for number in range(count):
            goal = goal_of(world, "private", title=f"Doel {number}")
            goal.competencies.set(framework.values())
            Action.objects.create(goal=goal, description="Stap")
            Reflection.objects.create(goal=goal, tried="Iets")

    add(1)
    with django_assert_max_num_queries(30) as one:
        client.get(f"/programmes/{world.programme.pk}/plan/")
    add(49)

    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(f"/programmes/{world.programme.pk}/plan/").status_code == 200


def test_demand_page_keeps_its_query_count_as_participants_grow(
    world: World, framework: dict, django_assert_max_num_queries: Callable
) -> None:
    client: Client = login_client(world.hr)
    initiative = framework["Initiatief tonen"]

    _participant_with(world, "Eerste", {initiative: 2}, [(initiative, "programme")])
    with django_assert_max_num_queries(30) as few:
        client.get(f"/programmes/{world.programme.pk}/demand/")
    for number in range(40):
        _participant_with(world, f"Deelnemer{number}", {initiative: 1 + number % 5}, [(initiative, "programme")])

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/programmes/{world.programme.pk}/demand/").status_code == 200


# --- Versions ------------------------------------------------------------------------------


def test_every_changed_save_keeps_a_version_to_look_back_on(world: World, framework: dict) -> None:
    client = login_client(world.alice)
    base = f"/programmes/{world.programme.pk}/plan/goals/"
    client.post(f"{base}new/", goal_data(competencies=[framework["Initiatief tonen"].pk]))
    goal = Goal.objects.unscoped().get()
    action = goal.actions.get()
    activity = goal.activities.get()
    edit = goal_data(
        title="Initiatief nemen in elk overleg",
        visibility="programme",
        **{
            "activities-INITIAL_FORMS": "1",
            "activities-0-id": str(activity.pk),
            "actions-INITIAL_FORMS": "1",
            "actions-0-id": str(action.pk),
            "actions-0-due_on": "2027-01-10",
        },
    )

    client.post(f"{base}{goal.pk}/edit/", edit)
    client.post(f"{base}{goal.pk}/edit/", edit)  # nothing changed: no new version

    assert list(goal.versions.values_list("number", "data__title")) == [
        (2, "Initiatief nemen in elk overleg"),
        (1, "Initiatief nemen in het wijkoverleg"),
    ]
    page = client.get(f"{base}{goal.pk}/versions/").content.decode()
    assert "Versie 1, opgeslagen op" in page and "Versie 2, opgeslagen op" in page
    assert "Initiatief nemen in het wijkoverleg" in page
    assert "Voorstel speeltuin inbrengen (uiterlijk 15 december 2026)" in page
    assert "Voorstel speeltuin inbrengen (uiterlijk 10 januari 2027)" in page
    assert "Alleen ik" in page and "Iedereen in het leertraject" in page
    assert "70 – in het werk: Elk overleg een voorstel inbrengen" in page


def test_earlier_versions_are_for_the_owner_only(world: World) -> None:
    goal = goal_of(world, Goal.Visibility.PROGRAMME)
    url = f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/versions/"

    assert login_client(world.alice).get(url).status_code == 200
    for user in (world.bob, world.hr, world.manager):
        assert login_client(user).get(url).status_code == 403, user
    assert login_client(world.haarlem_hr).get(url).status_code == 404
