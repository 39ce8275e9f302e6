"""The live session guide: only the facilitator runs it, only the group's members see it,
steps advance one at a time, notes per step, one learning point per member that they may add
to their own plan as a reflection."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intervision import live
from intervision.models import IntervisionSession, LearningPoint, MethodStep, StepNote
from learners.models import Reflection
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import (
    CaseFactory,
    GoalFactory,
    GroupMemberFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    MembershipFactory,
    MethodFactory,
    MethodStepFactory,
)

STEP_TITLES = ["Incidenten inbrengen", "Kiezen", "Vragen stellen", "Adviseren", "Leerpunten"]


class Scene:
    def __init__(self, world: World, steps: int = 5) -> None:
        self.world = world
        programme = world.programme
        self.group = IntervisionGroupFactory(programme=programme, name="Groep Noord")
        self.alice = world.alice
        GroupMemberFactory(
            group=self.group, membership=Membership.objects.unscoped().get(programme=programme, user=world.alice)
        )
        self.dirk = GroupMemberFactory(group=self.group, membership__user__first_name="Dirk").membership.user
        self.fatima = GroupMemberFactory(group=self.group, membership__user__first_name="Fatima").membership.user
        self.method = MethodFactory(organisation=world.rotterdam, name="Incidentmethode")
        for position, title in enumerate(STEP_TITLES[:steps], start=1):
            MethodStepFactory(method=self.method, position=position * 10, title=title, minutes=position)
        self.session = IntervisionSessionFactory(
            group=self.group, method=self.method, case_bringer=self.alice, facilitator=self.dirk, timekeeper=self.fatima
        )
        # A member of another group of the same programme.
        other_group = IntervisionGroupFactory(programme=programme, name="Groep Zuid")
        self.outsider = GroupMemberFactory(group=other_group, membership__user__first_name="Olga").membership.user

    def url(self, name: str, **extra: Any) -> str:
        return reverse(
            f"intervision:{name}", kwargs={"pk": self.group.programme_id, "session_pk": self.session.pk, **extra}
        )

    def refresh(self) -> IntervisionSession:
        self.session.refresh_from_db()
        return self.session


@pytest.fixture
def scene(world: World) -> Scene:
    return Scene(world)


def test_only_the_facilitator_starts_moves_and_ends(scene: Scene) -> None:
    alice = login_client(scene.alice)
    for name in ("live_start", "live_next", "live_previous", "live_end"):
        assert alice.post(scene.url(name)).status_code == 403
    assert scene.refresh().status == IntervisionSession.Status.PLANNED

    dirk = login_client(scene.dirk)
    response = dirk.post(scene.url("live_start"))
    assert response.status_code == 302
    session = scene.refresh()
    assert session.status == IntervisionSession.Status.RUNNING
    assert session.current_step == 10
    assert session.step_started_at is not None
    assert alice.post(scene.url("live_next"), {"from_step": 10}).status_code == 403
    assert scene.refresh().current_step == 10

    dirk.post(scene.url("live_next"), {"from_step": 10})
    assert scene.refresh().current_step == 20
    dirk.post(scene.url("live_previous"), {"from_step": 20})
    assert scene.refresh().current_step == 10
    response = dirk.post(scene.url("live_end"), follow=True)
    assert "De sessie is afgelopen." in response.content.decode()
    session = scene.refresh()
    assert session.status == IntervisionSession.Status.ENDED
    assert session.ended_at is not None


def test_services_refuse_anyone_but_the_facilitator(scene: Scene) -> None:
    with pytest.raises(PermissionDenied):
        live.start(scene.session, scene.alice)
    live.start(scene.session, scene.dirk)
    for service in (live.next_step, live.previous_step, live.end):
        with pytest.raises(PermissionDenied):
            service(scene.session, scene.fatima)


@pytest.mark.parametrize("who", ["hr", "manager", "bob", "charlie", "colleague", "outsider"])
def test_nobody_outside_the_group_reaches_any_live_url(scene: Scene, who: str) -> None:
    user = scene.outsider if who == "outsider" else getattr(scene.world, who)
    point = LearningPoint.objects.create(session=scene.session, user=scene.alice, text="Eerst luisteren.")
    client = login_client(user)
    assert client.get(scene.url("live")).status_code == 404
    assert client.get(scene.url("live_state")).status_code == 404
    for name in ("live_start", "live_next", "live_previous", "live_end", "live_note", "live_learning_point"):
        assert (
            client.post(scene.url(name), {"note-text": "x", "note-position": 10, "point-text": "x"}).status_code == 404
        )
    assert client.post(scene.url("learning_point_to_plan", point_pk=point.pk)).status_code == 404
    assert scene.refresh().status == IntervisionSession.Status.PLANNED
    assert not StepNote.objects.unscoped().exists()


def test_a_double_click_on_next_advances_one_step(scene: Scene) -> None:
    dirk = login_client(scene.dirk)
    dirk.post(scene.url("live_start"))
    # Both clicks were made on the page that showed step 10.
    dirk.post(scene.url("live_next"), {"from_step": 10})
    dirk.post(scene.url("live_next"), {"from_step": 10})
    assert scene.refresh().current_step == 20
    assert live.next_step(scene.session, scene.dirk, from_step=10) is False
    assert scene.refresh().current_step == 20
    # Past the last step there is nowhere to go; before the first neither.
    for expected in (30, 40, 50, 50):
        live.next_step(scene.session, scene.dirk)
        assert scene.refresh().current_step == expected
    for _ in range(6):
        live.previous_step(scene.session, scene.dirk)
    assert scene.refresh().current_step == 10
    # A second start changes nothing.
    assert live.start(scene.session, scene.dirk) is False
    assert scene.refresh().current_step == 10


def test_moving_locks_the_session_row(scene: Scene) -> None:
    live.start(scene.session, scene.dirk)
    with CaptureQueriesContext(connection) as queries:
        live.next_step(scene.session, scene.dirk, from_step=10)
    locking = [q["sql"] for q in queries.captured_queries if "intervision_intervisionsession" in q["sql"]]
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in sql for sql in locking)


def test_the_state_tells_the_current_step_and_seconds_left(scene: Scene) -> None:
    fatima = login_client(scene.fatima)
    state = fatima.get(scene.url("live_state")).json()
    assert state["status"] == "planned"
    assert state["step"] is None
    assert state["seconds_left"] is None
    assert state["step_count"] == 5
    planned_version = state["version"]

    live.start(scene.session, scene.dirk)
    live.next_step(scene.session, scene.dirk)
    IntervisionSession.objects.unscoped().filter(pk=scene.session.pk).update(
        step_started_at=timezone.now() - timedelta(seconds=30)
    )
    response = fatima.get(scene.url("live_state"))
    assert "no-cache" in response["Cache-Control"]
    state = response.json()
    assert state["status"] == "running"
    assert state["version"] != planned_version
    assert state["step_number"] == 2
    assert state["step"] == {
        "position": 20,
        "title": "Kiezen",
        "purpose": "",
        "speaker": MethodStep.Speaker.CASE_BRINGER,
        "speaker_label": "Inbrenger",
        "minutes": 2,
    }
    assert 88 <= state["seconds_left"] <= 90

    IntervisionSession.objects.unscoped().filter(pk=scene.session.pk).update(
        step_started_at=timezone.now() - timedelta(minutes=10)
    )
    assert fatima.get(scene.url("live_state")).json()["seconds_left"] == 0


def test_the_guide_shows_the_current_step_countdown_case_and_buttons(scene: Scene) -> None:
    CaseFactory(session=scene.session, title="De corporatie blijft weg", question="Hoe spreek ik hem aan?")
    live.start(scene.session, scene.dirk)
    live.next_step(scene.session, scene.dirk)
    page = login_client(scene.fatima).get(scene.url("live")).content.decode()
    assert 'aria-current="step"' in page
    assert 'role="timer"' in page
    assert "02:00" in page or "01:59" in page
    assert "De corporatie blijft weg" in page and "Hoe spreek ik hem aan?" in page
    assert "intervision-live.js" in page and "<script>" not in page
    assert "Volgende stap" not in page  # only the facilitator gets the buttons
    facilitator_page = login_client(scene.dirk).get(scene.url("live")).content.decode()
    for button in ("Vorige stap", "Volgende stap", "Sessie beëindigen"):
        assert button in facilitator_page


def test_notes_are_stored_per_step(scene: Scene) -> None:
    fatima = login_client(scene.fatima)
    response = fatima.post(scene.url("live_note"), {"note-position": 10, "note-text": "Te vroeg"})
    assert response.status_code == 302
    assert not StepNote.objects.unscoped().exists()  # not before the start
    live.start(scene.session, scene.dirk)
    fatima.post(scene.url("live_note"), {"note-position": 10, "note-text": "Wat wil je bereiken?"})
    live.next_step(scene.session, scene.dirk)
    login_client(scene.alice).post(scene.url("live_note"), {"note-position": 20, "note-text": "Kies incident 2"})
    assert fatima.post(scene.url("live_note"), {"note-position": 20, "note-text": ""}).status_code == 400
    with pytest.raises(live.LiveError):
        live.add_note(scene.session, scene.fatima, 99, "Geen stap")
    with pytest.raises(PermissionDenied):
        live.add_note(scene.session, scene.outsider, 20, "Niet van deze groep")
    notes = StepNote.objects.unscoped().order_by("position")
    assert [(n.position, n.text, n.author) for n in notes] == [
        (10, "Wat wil je bereiken?", scene.fatima),
        (20, "Kies incident 2", scene.alice),
    ]
    page = fatima.get(scene.url("live")).content.decode()
    assert page.index("Wat wil je bereiken?") < page.index("Kies incident 2")


def test_one_learning_point_per_member_after_the_session(scene: Scene) -> None:
    alice = login_client(scene.alice)
    alice.post(scene.url("live_learning_point"), {"point-text": "Te vroeg"})
    assert not LearningPoint.objects.unscoped().exists()
    live.start(scene.session, scene.dirk)
    live.end(scene.session, scene.dirk)
    response = alice.post(scene.url("live_learning_point"), {"point-text": "Eerst vragen, dan adviseren."}, follow=True)
    assert "Uw leerpunt is opgeslagen." in response.content.decode()
    alice.post(scene.url("live_learning_point"), {"point-text": "Eerst luisteren."})
    login_client(scene.fatima).post(scene.url("live_learning_point"), {"point-text": "Stiltes laten vallen."})
    points = LearningPoint.objects.unscoped().order_by("user__first_name")
    assert [(p.user, p.text) for p in points] == [
        (scene.alice, "Eerst luisteren."),
        (scene.fatima, "Stiltes laten vallen."),
    ]
    page = login_client(scene.dirk).get(scene.url("live")).content.decode()
    assert "Eerst luisteren." in page and "Stiltes laten vallen." in page


def test_adding_a_learning_point_to_the_own_plan(scene: Scene) -> None:
    CaseFactory(session=scene.session, title="De corporatie blijft weg")
    alice_membership = Membership.objects.unscoped().get(programme=scene.world.programme, user=scene.alice)
    own_goal = GoalFactory(membership=alice_membership, title="Initiatief tonen")
    fatima_goal = GoalFactory(
        membership=Membership.objects.unscoped().get(programme=scene.world.programme, user=scene.fatima),
        title="Van Fatima",
    )
    live.start(scene.session, scene.dirk)
    live.end(scene.session, scene.dirk)
    point = live.add_learning_point(scene.session, scene.alice, "Eerst vragen wat de ander nodig heeft.")
    alice = login_client(scene.alice)

    # Someone else's goal is refused, by the form and by the service.
    response = alice.post(scene.url("learning_point_to_plan", point_pk=point.pk), {"plan-goal": fatima_goal.pk})
    assert response.status_code == 400
    with pytest.raises(PermissionDenied):
        live.add_to_plan(point, fatima_goal)
    assert not Reflection.objects.unscoped().exists()
    # Fatima cannot add Alice's point to anything.
    fatima = login_client(scene.fatima)
    url = scene.url("learning_point_to_plan", point_pk=point.pk)
    assert fatima.post(url, {"plan-goal": fatima_goal.pk}).status_code == 404

    response = alice.post(url, {"plan-goal": own_goal.pk}, follow=True)
    assert "als reflectie op" in response.content.decode()
    reflection = Reflection.objects.unscoped().get()
    assert reflection.goal == own_goal
    assert reflection.tried == "De corporatie blijft weg"
    assert reflection.learned == "Eerst vragen wat de ander nodig heeft."
    point.refresh_from_db()
    assert point.reflection == reflection
    # Only once.
    with pytest.raises(live.LiveError):
        live.add_to_plan(point, own_goal)


def test_without_a_case_the_reflection_names_the_session_date(scene: Scene) -> None:
    goal = GoalFactory(membership=Membership.objects.unscoped().get(programme=scene.world.programme, user=scene.alice))
    live.start(scene.session, scene.dirk)
    live.end(scene.session, scene.dirk)
    point = live.add_learning_point(scene.session, scene.alice, "Doorvragen.")
    live.add_to_plan(point, goal)
    assert Reflection.objects.unscoped().get().tried.startswith("Intervisie ")


def test_a_member_without_goals_gets_a_link_to_write_one(scene: Scene) -> None:
    live.start(scene.session, scene.dirk)
    live.end(scene.session, scene.dirk)
    live.add_learning_point(scene.session, scene.fatima, "Doorvragen.")
    page = login_client(scene.fatima).get(scene.url("live")).content.decode()
    assert reverse("learners:goal_create", args=[scene.world.programme.pk]) in page


def _guide_queries(scene: Scene, client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(scene.url("live")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("status", ["running", "ended"])
def test_the_guide_page_makes_a_fixed_number_of_queries(world: World, status: str) -> None:
    small = Scene(world, steps=2)
    client = login_client(small.alice)
    GoalFactory(membership=Membership.objects.unscoped().get(programme=world.programme, user=small.alice))
    live.start(small.session, small.dirk)
    if status == "ended":
        live.end(small.session, small.dirk)
    live.add_note(small.session, small.alice, 10, "Eén")
    if status == "ended":
        live.add_learning_point(small.session, small.alice, "Punt")
    before = _guide_queries(small, client)

    for position in range(3, 12):
        MethodStepFactory(method=small.method, position=position * 10, minutes=2)
    for n in range(12):
        live.add_note(small.session, small.fatima if n % 2 else small.dirk, 10 * (n % 5 + 1), f"Notitie {n}")
    if status == "ended":
        live.add_learning_point(small.session, small.fatima, "Nog een punt")
        live.add_learning_point(small.session, small.dirk, "En nog een")
        point = LearningPoint.objects.unscoped().get(user=small.alice)
        live.add_to_plan(point, live.own_goals(small.alice, small.session).get())
        # The link to the goal costs the same whether or not the point is in the plan.
        before = _guide_queries(small, client)
        extra = MembershipFactory(programme=world.programme)
        GroupMemberFactory(group=small.group, membership=extra)
        live.add_learning_point(small.session, extra.user, "Vierde")
    assert _guide_queries(small, client) == before
