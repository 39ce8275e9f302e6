"""Access (AVG art. 15): a person downloads and reads everything stored about them, and only that."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from privacy.access_export import SECTIONS, personal_data

from ..conftest import World
from ..factories import GoalFactory, PostFactory, ReflectionFactory, ThreadFactory
from .test_erasure import EMAIL, FIRST, person_with_data


def test_the_export_holds_data_of_every_app(world: World) -> None:
    person = person_with_data(world)

    data = personal_data(person.user)

    assert data["account"]["email"] == EMAIL
    assert [goal["title"] for goal in data["goals"]] == [f"Doel van {FIRST} Quaxelaar"]
    assert data["reflections"][0]["learned"] == f"{FIRST} leerde luisteren."
    assert len(data["goal_versions"]) == 1
    assert len(data["assessments"]) == 4
    assert data["swot"][0]["weaknesses"] == f"{FIRST} is ongeduldig."
    assert data["feedback_asked"][0]["answer"] == "Goed bezig"
    assert data["feedback_given"][0]["answer"] == "Alice vat goed samen."
    assert data["posts"][0]["body"] == "Wie gaat er mee op wijkreis?"
    assert len(data["threads"]) == 1
    assert len(data["community_actions"]) == len(data["community_actions_joined"]) == 1
    assert len(data["registrations"]) == 1
    assert data["coaching_sessions"][0]["agenda"] == f"Gesprek met {FIRST}"
    assert len(data["intervision_step_notes"]) == len(data["learning_points"]) == len(data["intervision_cases"]) == 1
    assert len(data["harvest_contributions"]) == 1
    assert len(data["quotes"]) == 3
    assert len(data["learning_story"]) == len(data["recognitions"]) == len(data["initiative_signups"]) == 1
    assert len(data["notifications"]) == 1
    assert len(data["preferences"]) == 1


def test_the_coachs_confidential_note_is_left_out(world: World) -> None:
    person = person_with_data(world)

    dumped = json.dumps(personal_data(person.user), default=str)

    assert "twijfelt over de nieuwe rol" not in dumped


def test_another_persons_data_never_appears(world: World) -> None:
    person_with_data(world)
    alice_goal = GoalFactory(membership=world.alice.memberships.get(), title="Geheim doel van Alice")
    ReflectionFactory(goal=alice_goal, learned="Alice leerde iets")
    charlie_goal = GoalFactory(membership=world.charlie.memberships.get(), title="Doel van Charlie")
    PostFactory(thread=ThreadFactory(community__programme=world.haarlem_programme), author=world.charlie)

    dumped = json.dumps(personal_data(world.alice), default=str)

    assert "Geheim doel van Alice" in dumped
    assert FIRST not in dumped
    assert "Wie gaat er mee op wijkreis?" not in dumped
    assert charlie_goal.title not in dumped
    assert world.charlie.email not in dumped


def test_the_number_of_queries_does_not_grow_with_the_data(world: World) -> None:
    with CaptureQueriesContext(connection) as small:
        personal_data(world.alice)
    person = person_with_data(world)
    for number in range(5):
        ReflectionFactory(goal=GoalFactory(membership=person.membership, title=f"Extra {number}"))
    with CaptureQueriesContext(connection) as large:
        personal_data(person.user)

    assert len(large) == len(small) <= len(SECTIONS) + 1


def test_the_download_is_a_json_attachment(world: World, as_user) -> None:
    person = person_with_data(world)

    response = as_user(person.user).get("/privacy/my-data/download/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["account"]["email"] == EMAIL


def test_the_page_shows_sections_with_dutch_dates(world: World, as_user) -> None:
    person = person_with_data(world)
    client = as_user(person.user)

    page = client.get("/privacy/my-data/").content.decode()

    assert "<h2" in page and "Reflecties" in page
    assert escape(f"{FIRST} leerde luisteren.") in page
    joined = timezone.localtime(person.user.date_joined)  # the page's day, also just after midnight
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december"]  # fmt: skip
    assert f"{joined.day} {months[joined.month - 1]} {joined.year}" in page
    assert 'href="/privacy/my-data/"' in client.get("/").content.decode()


def test_signing_in_is_needed(client, db: None) -> None:
    assert client.get("/privacy/my-data/").status_code == 302
    assert client.get("/privacy/my-data/download/").status_code == 302
