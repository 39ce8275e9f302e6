"""The participant's home: next actions, progress per goal, what is coming, feedback asked of
them; the end assessment when it is due, and their own growth from start to end."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import CoachingSession
from learners import feedback
from learners.models import Action, AssessmentAnswer, AssessmentResponse, FeedbackAsk, Goal
from programmes.models import AssessmentItem, Competency, Event, Membership, Phase, Registration
from tests.conftest import World, login_client
from tests.factories import AnswerFactory, MembershipFactory, RecognitionFactory


def membership_of(world: World, user=None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


def days(number: int) -> timezone.datetime:
    return timezone.now() + timedelta(days=number)


def test_home_shows_next_actions_progress_and_what_is_coming(world: World) -> None:
    goal = Goal.objects.create(membership=membership_of(world), title="Initiatief nemen in het wijkoverleg")
    today = timezone.localdate()
    Action.objects.create(goal=goal, description="Lotte vragen mee te lopen", due_on=today + timedelta(days=9))
    Action.objects.create(goal=goal, description="Voorstel speeltuin", due_on=today - timedelta(days=2))
    Action.objects.create(goal=goal, description="Wijkagent bellen", done_at=timezone.now())
    Phase.objects.create(programme=world.programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=days(60))
    event = Event.objects.create(
        programme=world.programme,
        kind="workshop",
        title="Workshop afspraken",
        starts_at=days(5),
        ends_at=days(5),
        capacity=1,
    )
    Registration.objects.create(event=event, user=world.alice, status=Registration.Status.WAITING)
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte")
    Action.objects.create(
        goal=Goal.objects.create(membership=lotte, title="Van Lotte"), description="Actie van Lotte", due_on=today
    )

    page = login_client(world.alice).get("/").content.decode()

    assert "Mijn leren" in page
    assert page.index("Voorstel speeltuin") < page.index("Lotte vragen mee te lopen")
    assert re.search(r"Voorstel speeltuin</a> <span[^>]*text-danger[^>]*>· over tijd sinds", page)
    assert "Wijkagent bellen" not in page  # done
    assert "Actie van Lotte" not in page and "Van Lotte" not in page
    assert "1 van 3 acties klaar" in page
    assert 'aria-valuenow="33"' in page
    assert "Oogstsessie" in page
    assert "Workshop afspraken" in page and "wachtlijst" in page
    assert "U hebt uw startmeting nog niet ingeleverd." in page


def test_home_lists_feedback_asked_of_me_with_a_link_that_answers(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__last_name="van Dijk")
    lottes_goal = Goal.objects.create(membership=lotte, title="Afspraken nakomen")
    with django_capture_on_commit_callbacks(execute=True):
        feedback.ask(lottes_goal, question="Hoe zie jij dat?", colleagues=[world.alice], emails=[])
    client = login_client(world.alice)

    page = client.get("/").content.decode()
    assert "Collega's vragen om uw feedback" in page
    assert "Lotte van Dijk over “Afspraken nakomen”" in page
    link = re.search(r'href="(/feedback/[^"]+/)"', page).group(1)
    client.post(link, {"name": "Alice", "answer": "Je komt afspraken na."})
    assert FeedbackAsk.objects.unscoped().get().answer == "Je komt afspraken na."
    assert "Collega's vragen om uw feedback" not in client.get("/").content.decode()
    lottes_home = login_client(lotte.user).get("/").content.decode()
    assert "Collega's vragen om uw feedback" not in lottes_home


@pytest.fixture
def statements(world: World) -> list[AssessmentItem]:
    competency = Competency.objects.create(organisation=world.rotterdam, name="Initiatief tonen")
    return [
        AssessmentItem.objects.create(programme=world.programme, competency=competency, text=text, position=n)
        for n, text in enumerate(["Ik neem initiatief", "Ik zoek partners op"])
    ]


def handed_in(world: World, moment: str, scores: list[int], items: list[AssessmentItem]) -> None:
    response = AssessmentResponse.objects.create(
        membership=membership_of(world), moment=moment, submitted_at=timezone.now()
    )
    for item, score in zip(items, scores, strict=True):
        AssessmentAnswer.objects.create(response=response, item=item, score=score)


def test_end_assessment_waits_until_four_weeks_before_the_harvest(
    world: World, statements: list[AssessmentItem]
) -> None:
    harvest = Phase.objects.create(programme=world.programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=days(40))
    client = login_client(world.alice)
    url = f"/programmes/{world.programme.pk}/plan/assessment/end/"

    early = client.post(url, {f"item_{statements[0].pk}": "4", "save": ""}, follow=True)
    assert "De eindmeting gaat vier weken voor de oogstsessie open." in early.content.decode()
    assert not AssessmentResponse.objects.unscoped().exists()
    assert "De eindmeting staat open" not in client.get("/").content.decode()

    harvest.starts_at = days(20)
    harvest.save()
    assert "De eindmeting staat open" in client.get("/").content.decode()
    assert "Eindmeting" in client.get(url).content.decode()


def test_handing_in_the_end_assessment_shows_growth_from_the_start(
    world: World, statements: list[AssessmentItem]
) -> None:
    Phase.objects.create(programme=world.programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=days(10))
    handed_in(world, AssessmentResponse.Moment.START, [2, 4], statements)
    client = login_client(world.alice)

    response = client.post(
        f"/programmes/{world.programme.pk}/plan/assessment/end/",
        {f"item_{statements[0].pk}": "4", f"item_{statements[1].pk}": "3", "submit": ""},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/programmes/{world.programme.pk}/plan/growth/"
    rows = response.content.decode().split("<tbody>")[1].split("</tr>")
    cells = [re.findall(r'<td class="text-end[^"]*">([^<]+)</td>', row) for row in rows[:2]]
    assert cells == [["2", "4", "+2"], ["4", "3", "-1"]]
    start = AssessmentResponse.objects.unscoped().get(moment="start")
    assert sorted(start.answers.values_list("score", flat=True)) == [2, 4]  # the start stays as it was
    assert "Bekijk mijn groei" in client.get("/").content.decode()


def test_growth_is_for_the_participant_only(world: World, statements: list[AssessmentItem]) -> None:
    handed_in(world, AssessmentResponse.Moment.START, [2, 4], statements)
    url = f"/programmes/{world.programme.pk}/plan/growth/"

    assert login_client(world.alice).get(url).status_code == 200
    for user in (world.bob, world.hr, world.manager):
        assert login_client(user).get(url).status_code == 403, user
    for user in (world.haarlem_hr, world.charlie):
        assert login_client(user).get(url).status_code == 404, user


def test_coming_up_is_one_list_in_order_of_time(world: World) -> None:
    """Phases, the events the participant signed up for and their coaching sessions, interleaved
    by when they start; what is past, cancelled or someone else's is left out."""
    Phase.objects.create(programme=world.programme, kind=Phase.Kind.KICK_OFF, starts_at=days(-3))
    Phase.objects.create(programme=world.programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=days(20))
    first = Event.objects.create(
        programme=world.programme,
        kind="workshop",
        title="Workshop afspraken",
        starts_at=days(5),
        ends_at=days(5),
        capacity=10,
    )
    Registration.objects.create(event=first, user=world.alice)
    cancelled = Event.objects.create(
        programme=world.programme,
        kind="training",
        title="Training afgezegd",
        starts_at=days(6),
        ends_at=days(6),
        capacity=10,
    )
    Registration.objects.create(event=cancelled, user=world.alice, status=Registration.Status.CANCELLED)
    CoachingSession.objects.create(
        membership=membership_of(world), coach=world.bob, status=CoachingSession.Status.PLANNED, starts_at=days(10)
    )
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte")
    CoachingSession.objects.create(
        membership=other, coach=world.bob, status=CoachingSession.Status.PLANNED, starts_at=days(8)
    )
    # A coach whose account was removed since: the session stays, without a name.
    CoachingSession.objects.create(
        membership=membership_of(world), status=CoachingSession.Status.PLANNED, starts_at=days(12)
    )

    page = login_client(world.alice).get("/").content.decode()
    coming = page[page.index("Binnenkort") :]

    assert coming.index("Workshop afspraken") < coming.index("Coachgesprek met Bob") < coming.index("Oogstsessie")
    assert coming.count("Coachgesprek met") == 2  # not Lotte's
    assert "None" not in coming
    assert "Training afgezegd" not in coming
    assert "Startdag" not in coming  # past


def test_home_keeps_its_query_count_from_1_to_50_goals(world: World, django_assert_max_num_queries: Callable) -> None:
    client = login_client(world.alice)
    membership = membership_of(world)
    Phase.objects.create(programme=world.programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=days(60))

    def add(count: int) -> None:
        for number in range(count):
            goal = Goal.objects.create(membership=membership, title=f"Doel {number}")
            Action.objects.create(goal=goal, description=f"Stap {number}", due_on=timezone.localdate())
            Action.objects.create(goal=goal, description="Klaar", done_at=timezone.now())
            feedback.ask(goal, question="Hoe?", colleagues=[], emails=[f"p{number}@example.org"])

    add(1)
    with django_assert_max_num_queries(40) as one:
        client.get("/")
    add(49)

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/").content.decode()
    assert "1 van 2 acties klaar" in page
    assert "50 collega's hebben uw feedbackvragen nog niet beantwoord." in page


def test_home_reads_answers_and_positive_attention_only_once_there_are_any(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)
    client.get("/")
    with django_assert_max_num_queries(40) as before:
        page = client.get("/").content.decode()
    assert "Positieve aandacht voor u" not in page and "Antwoorden van het management" not in page

    AnswerFactory(programme=world.programme, manager=world.manager, theme="Ruimte in de agenda voor leren")
    RecognitionFactory(membership=membership_of(world), manager=world.manager, message="Mooi voorgezeten.")
    with django_assert_max_num_queries(40) as after:
        page = client.get("/").content.decode()

    assert "Mooi voorgezeten." in page and "Thema: Ruimte in de agenda voor leren" in page
    # The answers, their earlier versions and the attention: three queries that a home without
    # any leaves out.
    assert len(after.captured_queries) == len(before.captured_queries) + 3
