"""Positive attention: a manager tells a participant what they saw, optionally about a shared goal
or action; the participant reads it on their home page and gets a message."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils.html import escape

from harvest.models import Recognition
from learners.models import Goal
from notifications.models import Notification
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import ActionFactory, GoalFactory, MembershipFactory, ProgrammeFactory, RecognitionFactory

MESSAGE = "Ik zag hoe u het bewonersoverleg voorzat: rustig en met ruimte voor iedereen."


def url(world: World, participant: Membership | None = None) -> str:
    query = f"?participant={participant.pk}" if participant is not None else ""
    return f"/programmes/{world.programme.pk}/harvest/recognition/{query}"


def membership(world: World, user=None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


@pytest.fixture
def alice(world: World) -> Membership:
    return membership(world)


@pytest.fixture
def shared_goal(alice: Membership) -> Goal:
    return GoalFactory(membership=alice, title="Initiatief nemen in het wijkoverleg", visibility="programme")


def test_the_managers_own_people_come_first(world: World, alice: Membership) -> None:
    zara = MembershipFactory(programme=world.programme, user__first_name="Aaron", user__last_name="Aalders")
    Membership.objects.unscoped().filter(pk=alice.pk).update(reports_to=world.manager)

    page = login_client(world.manager).get(url(world)).content.decode()

    own = page.index('<optgroup label="Uw eigen medewerkers">')
    others = page.index('<optgroup label="Andere deelnemers">')
    assert own < page.index(f'value="{alice.pk}"') < others < page.index(f'value="{zara.pk}"')
    assert "Bob" not in page.split("<select")[1].split("</select>")[0]  # the coach is no participant


def test_only_goals_shared_with_the_manager_are_offered(world: World, alice: Membership, shared_goal: Goal) -> None:
    private = GoalFactory(membership=alice, title="Mijn geheime doel", visibility="private")
    ActionFactory(goal=shared_goal, description="Voorstel speeltuin inbrengen")
    ActionFactory(goal=private, description="Geheime stap")

    page = login_client(world.manager).get(url(world, alice)).content.decode()

    assert escape(f"Aan {world.alice.get_full_name()}") in page
    assert "Initiatief nemen in het wijkoverleg" in page
    assert "Initiatief nemen in het wijkoverleg: Voorstel speeltuin inbrengen" in page
    assert "Mijn geheime doel" not in page and "Geheime stap" not in page


def test_a_manager_recognises_a_participant_who_reads_it_at_home_and_is_notified(
    world: World, alice: Membership, shared_goal: Goal, django_capture_on_commit_callbacks: Callable
) -> None:
    action = ActionFactory(goal=shared_goal, description="Voorstel speeltuin inbrengen")
    client = login_client(world.manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(world),
            {"participant": alice.pk, "goal": shared_goal.pk, "action": action.pk, "message": MESSAGE},
            follow=True,
        )

    recognition = Recognition.objects.unscoped().get()
    assert (recognition.membership, recognition.manager) == (alice, world.manager)
    assert (recognition.goal, recognition.action, recognition.message) == (shared_goal, action, MESSAGE)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url(world)
    assert escape(f"Uw positieve aandacht is verstuurd aan {world.alice.get_full_name()}.") in page
    assert "Eerder gegeven in dit leertraject" in page and MESSAGE in page

    notification = Notification.objects.unscoped().get()
    assert (notification.recipient, notification.kind, notification.key) == (
        world.alice,
        "recognition",
        f"recognition:{recognition.pk}",
    )
    assert notification.status == Notification.Status.SENT
    [message] = mail.outbox
    assert message.to == [world.alice.email]
    assert escape(f"Positieve aandacht van {world.manager.get_full_name()}") in escape(message.subject)
    assert MESSAGE in message.body
    assert "Over uw doel “Initiatief nemen in het wijkoverleg”. Actie: Voorstel speeltuin inbrengen" in message.body

    home = login_client(world.alice).get("/").content.decode()
    assert f'id="recognition-{world.programme.pk}"' in home
    assert "Positieve aandacht voor u" in home
    assert MESSAGE in home
    assert escape(world.manager.get_full_name()) in home
    assert "over “Initiatief nemen in het wijkoverleg”" in home


def test_the_mail_follows_the_participants_language(
    world: World, alice: Membership, django_capture_on_commit_callbacks: Callable
) -> None:
    world.alice.language = "en"
    world.alice.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        login_client(world.manager).post(url(world), {"participant": alice.pk, "message": MESSAGE})

    [message] = mail.outbox
    assert message.subject.endswith(f"Positive attention from {world.manager.get_full_name()}")
    assert "saw what you are doing in “Gebiedsnetwerkers” and wants you to know:" in message.body


def test_an_action_brings_its_goal_along(world: World, alice: Membership, shared_goal: Goal) -> None:
    action = ActionFactory(goal=shared_goal)

    login_client(world.manager).post(url(world), {"participant": alice.pk, "action": action.pk, "message": MESSAGE})

    assert Recognition.objects.unscoped().get().goal == shared_goal


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message": ""}, "Dit veld is verplicht."),
        ({"message": "x" * 501}, "Zorg dat deze waarde niet meer dan 500 tekens bevat (het zijn er nu 501)."),
    ],
)
def test_the_message_is_required_and_short(world: World, alice: Membership, data: dict[str, str], message: str) -> None:
    response = login_client(world.manager).post(url(world), {"participant": alice.pk, **data})

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not Recognition.objects.unscoped().exists()


def test_forged_goals_actions_and_participants_re_render_with_an_error(
    world: World, alice: Membership, shared_goal: Goal
) -> None:
    other = MembershipFactory(programme=world.programme)
    someone_elses = GoalFactory(membership=other, visibility="programme")
    private = GoalFactory(membership=alice, visibility="private")
    other_goal = GoalFactory(membership=alice, visibility="programme")
    foreign_action = ActionFactory(goal=someone_elses)
    mismatched = ActionFactory(goal=other_goal)
    coach = Membership.objects.unscoped().get(programme=world.programme, user=world.bob)
    elsewhere = MembershipFactory(programme=world.haarlem_programme)
    client = login_client(world.manager)
    cases = [
        ({"participant": alice.pk, "goal": someone_elses.pk}, "Selecteer een geldige keuze."),
        ({"participant": alice.pk, "goal": private.pk}, "Selecteer een geldige keuze."),
        ({"participant": alice.pk, "action": foreign_action.pk}, "Selecteer een geldige keuze."),
        ({"participant": alice.pk, "goal": "abc"}, "Selecteer een geldige keuze."),
        ({"participant": alice.pk, "goal": shared_goal.pk, "action": mismatched.pk}, "Kies een actie bij het doel"),
        ({"participant": coach.pk}, "Selecteer een geldige keuze."),
        ({"participant": elsewhere.pk}, "Selecteer een geldige keuze."),
        ({"participant": "abc"}, "Selecteer een geldige keuze."),
        ({}, "Dit veld is verplicht."),
    ]

    for data, message in cases:
        response = client.post(url(world), {"message": MESSAGE, **data})
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert client.get(url(world) + f"?participant={elsewhere.pk}").status_code == 400
    assert not Recognition.objects.unscoped().exists()
    assert not Notification.objects.unscoped().exists()


def test_only_the_programmes_managers_give_recognition(world: World, alice: Membership) -> None:
    other = ProgrammeFactory(organisation=world.rotterdam, title="Ander traject")
    other_manager = MembershipFactory(programme=other, role=Membership.Role.MANAGER).user
    data = {"participant": alice.pk, "message": MESSAGE}

    for user in (world.alice, world.bob, world.hr):
        client = login_client(user)
        assert client.get(url(world)).status_code == 403, user
        assert client.post(url(world), data).status_code == 403, user
    for user in (other_manager, world.charlie, world.haarlem_hr, world.colleague):
        client = login_client(user)
        assert client.get(url(world)).status_code == 404, user
        assert client.post(url(world), data).status_code == 404, user
    assert not Recognition.objects.unscoped().exists()


def test_an_empty_programme_says_so(world: World) -> None:
    Membership.objects.unscoped().filter(programme=world.programme, role="participant").delete()

    page = login_client(world.manager).get(url(world)).content.decode()

    assert "Dit leertraject heeft nog geen deelnemers." in page
    assert "U hebt in dit leertraject nog geen positieve aandacht gegeven." in page


def test_recognition_stays_with_its_participant(world: World, alice: Membership) -> None:
    lotte = MembershipFactory(programme=world.programme)
    RecognitionFactory(membership=lotte, manager=world.manager, message="Voor Lotte alleen.")

    assert "Voor Lotte alleen." not in login_client(world.alice).get("/").content.decode()
    assert "Voor Lotte alleen." in login_client(lotte.user).get("/").content.decode()


def test_the_recognition_page_and_home_keep_their_query_counts(
    world: World, alice: Membership, shared_goal: Goal, django_assert_max_num_queries: Callable
) -> None:
    manager, participant = login_client(world.manager), login_client(world.alice)
    RecognitionFactory(
        membership=alice, manager=world.manager, goal=shared_goal, action=ActionFactory(goal=shared_goal)
    )
    counts = {}
    for name, client, path in (
        ("page", manager, url(world)),
        ("form", manager, url(world, alice)),
        ("home", participant, "/"),
    ):
        with django_assert_max_num_queries(45) as small:
            client.get(path)
        counts[name] = (client, path, len(small.captured_queries))

    for _ in range(20):
        other = MembershipFactory(programme=world.programme)
        RecognitionFactory(membership=other, manager=world.manager)
        RecognitionFactory(
            membership=alice, manager=world.manager, goal=shared_goal, action=ActionFactory(goal=shared_goal)
        )

    for name, (client, path, count) in counts.items():
        with django_assert_max_num_queries(count):
            page = client.get(path).content.decode()
        assert page.count("<blockquote") >= (21 if name == "home" else 0), name
    assert len(re.findall(r'<option value="\d+"', manager.get(url(world)).content.decode())) == 21
