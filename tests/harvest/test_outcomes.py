"""At the harvest each participant gives their goals an outcome: achieved, partly or not, and why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from harvest.contributions import goal_outcome_set
from learners.models import Goal
from tests.conftest import World, login_client
from tests.factories import GoalFactory

from .prepare import Harvest, harvest_world, membership_of

WHY_REQUIRED = "Vertel waarom het doel niet (helemaal) is bereikt."


@pytest.fixture
def harvest(world: World) -> Harvest:
    return harvest_world(world)


def outcome_data(*answers: tuple[Goal, str, str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for goal, outcome, why in answers:
        data[f"goal-{goal.pk}-outcome"] = outcome
        data[f"goal-{goal.pk}-outcome_why"] = why
    return data


def test_a_participant_gives_each_goal_an_outcome_with_its_why(harvest: Harvest) -> None:
    wijkoverleg = GoalFactory(membership=harvest.alice, title="Initiatief nemen in het wijkoverleg")
    partners = GoalFactory(membership=harvest.alice, title="Afspraken met partners nakomen")
    client = login_client(harvest.world.alice)
    url = f"{harvest.base}outcomes/"
    page = client.get(url).content.decode()
    assert "Initiatief nemen in het wijkoverleg" in page and "Afspraken met partners nakomen" in page

    response = client.post(
        url,
        outcome_data(
            (wijkoverleg, "achieved", ""),
            (partners, "partly", "De woningcorporatie wisselde twee keer van contactpersoon."),
        ),
        follow=True,
    )

    assert "De resultaten van uw doelen zijn opgeslagen." in response.content.decode()
    wijkoverleg.refresh_from_db()
    partners.refresh_from_db()
    assert wijkoverleg.outcome == "achieved" and wijkoverleg.achieved_at is not None
    assert partners.outcome == "partly" and partners.achieved_at is None
    assert partners.outcome_why == "De woningcorporatie wisselde twee keer van contactpersoon."
    assert "Resultaat gegeven voor 2 van de 2 doelen." in client.get(harvest.base).content.decode()


def test_partly_or_not_achieved_needs_a_why_and_nothing_is_saved_without_it(harvest: Harvest) -> None:
    first = GoalFactory(membership=harvest.alice, title="Eerste doel")
    second = GoalFactory(membership=harvest.alice, title="Tweede doel")
    client = login_client(harvest.world.alice)

    response = client.post(
        f"{harvest.base}outcomes/", outcome_data((first, "achieved", ""), (second, "not_achieved", "  "))
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert WHY_REQUIRED in page and "Tweede doel" in page
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.outcome == "" and second.outcome == ""


def test_an_unknown_outcome_is_refused(harvest: Harvest) -> None:
    goal = GoalFactory(membership=harvest.alice)

    response = login_client(harvest.world.alice).post(
        f"{harvest.base}outcomes/", outcome_data((goal, "fantastic", "Ging goed"))
    )

    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.outcome == ""


def test_the_service_keeps_the_rule_and_the_moment_a_goal_was_achieved(harvest: Harvest) -> None:
    goal = GoalFactory(membership=harvest.alice)

    with pytest.raises(ValidationError):
        goal_outcome_set(goal, outcome=Goal.Outcome.NOT_ACHIEVED, why="")
    goal_outcome_set(goal, outcome=Goal.Outcome.ACHIEVED, why="")
    achieved_at = goal.achieved_at
    goal_outcome_set(goal, outcome=Goal.Outcome.ACHIEVED, why="Twee partners sloten aan.")
    assert goal.achieved_at == achieved_at and goal.outcome_why == "Twee partners sloten aan."
    goal_outcome_set(goal, outcome=Goal.Outcome.PARTLY, why="Alleen in Feijenoord.")
    goal.refresh_from_db()
    assert goal.achieved_at is None and goal.outcome == "partly"
    goal_outcome_set(goal, outcome="", why="vergeten")
    goal.refresh_from_db()
    assert goal.outcome == "" and goal.outcome_why == ""


def test_the_goal_page_shows_its_outcome(harvest: Harvest) -> None:
    goal = GoalFactory(membership=harvest.alice, visibility=Goal.Visibility.PROGRAMME)
    goal_outcome_set(goal, outcome=Goal.Outcome.NOT_ACHIEVED, why="Geen tijd in de teamplanning.")

    for user in (harvest.world.alice, harvest.dirk):
        page = login_client(user).get(goal.get_absolute_url()).content.decode()
        assert "Niet bereikt" in page and "Geen tijd in de teamplanning." in page


def test_only_my_own_goals_are_on_my_page_and_others_cannot_set_them(harvest: Harvest) -> None:
    mine = GoalFactory(membership=harvest.alice, title="Mijn doel")
    dirks = GoalFactory(membership=membership_of(harvest, harvest.dirk), title="Dirks doel")
    client = login_client(harvest.world.alice)

    assert "Dirks doel" not in client.get(f"{harvest.base}outcomes/").content.decode()
    client.post(f"{harvest.base}outcomes/", outcome_data((mine, "achieved", ""), (dirks, "achieved", "")))

    dirks.refresh_from_db()
    assert dirks.outcome == ""


def test_managers_coaches_hr_and_outsiders_cannot_give_outcomes(harvest: Harvest) -> None:
    url = f"{harvest.base}outcomes/"
    for user in (harvest.world.manager, harvest.world.bob, harvest.world.hr):
        assert login_client(user).get(url).status_code == 403, user
    for user in (harvest.world.charlie, harvest.world.colleague):
        assert login_client(user).get(url).status_code == 404, user


def test_without_goals_the_page_says_so(harvest: Harvest) -> None:
    page = login_client(harvest.eva).get(f"{harvest.base}outcomes/").content.decode()

    assert "U hebt in dit traject geen leerdoelen." in page


def test_the_outcomes_page_keeps_its_query_count_as_goals_grow(
    harvest: Harvest, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(harvest.world.alice)
    GoalFactory(membership=harvest.alice)
    with django_assert_max_num_queries(30) as few:
        assert client.get(f"{harvest.base}outcomes/").status_code == 200
    limit = len(few.captured_queries)
    for number in range(20):
        GoalFactory(membership=harvest.alice, outcome="partly", outcome_why=f"Reden {number}")

    with django_assert_max_num_queries(limit):
        assert client.get(f"{harvest.base}outcomes/").status_code == 200
