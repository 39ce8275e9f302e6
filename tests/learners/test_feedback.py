"""Collegial feedback: colleagues and outsiders answer a question about a goal through a signed
link without an account; the answers land in the plan for its owner only; one reminder."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from learners import feedback
from learners.models import FeedbackAsk, FeedbackRequest, Goal
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory


@pytest.fixture
def goal(world: World) -> Goal:
    membership = Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")
    return Goal.objects.create(membership=membership, title="Initiatief nemen in het wijkoverleg")


def ask_url(world: World, goal: Goal) -> str:
    return f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/feedback/new/"


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"http://testserver(/feedback/[^/\s]+/)", message.body).group(1)


def ask_lotte_and_an_outsider(world: World, goal: Goal, capture: Callable) -> Membership:
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__last_name="van Dijk")
    with capture(execute=True):
        response = login_client(world.alice).post(
            ask_url(world, goal),
            {
                "question": "Wat zie je mij doen als ik het initiatief neem?",
                "colleagues": [lotte.user.pk],
                "emails": "wijkagent@politie.example\n",
            },
            follow=True,
        )
    assert "Uw vraag is onderweg naar 2 personen." in response.content.decode()
    return lotte


def test_colleagues_and_outsiders_get_a_personal_link_and_answer_without_an_account(
    world: World, goal: Goal, django_capture_on_commit_callbacks: Callable
) -> None:
    lotte = ask_lotte_and_an_outsider(world, goal, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([lotte.user.email, "wijkagent@politie.example"])
    outsider_mail = next(m for m in mail.outbox if m.to == ["wijkagent@politie.example"])
    assert outsider_mail.subject == f"[Leertraject] {world.alice.get_full_name()} vraagt om uw feedback"
    assert "Wat zie je mij doen als ik het initiatief neem?" in outsider_mail.body
    assert outsider_mail.reply_to == [world.alice.email]

    anonymous = Client()
    link = link_in(outsider_mail)
    page = anonymous.get(link).content.decode()
    assert "Initiatief nemen in het wijkoverleg" in page

    empty = anonymous.post(link, {"name": "", "answer": ""})
    assert empty.status_code == 200
    assert "Dit veld is verplicht." in empty.content.decode()
    assert not FeedbackAsk.objects.unscoped().filter(answered_at__isnull=False).exists()

    done = anonymous.post(link, {"name": "Wijkagent Bram", "answer": "Je zet de eerste stap; vraag eerder hulp."})
    assert done.status_code == 302
    assert "Dank u wel voor uw feedback" in anonymous.get(link).content.decode()
    again = anonymous.post(link, {"name": "Iemand anders", "answer": "Overschreven?"})
    assert again.status_code == 200
    outsider = FeedbackAsk.objects.unscoped().get(email="wijkagent@politie.example")
    assert outsider.answer == "Je zet de eerste stap; vraag eerder hulp." and outsider.name == "Wijkagent Bram"

    goal_page = login_client(world.alice).get(goal.get_absolute_url()).content.decode()
    assert "Je zet de eerste stap; vraag eerder hulp." in goal_page
    assert "Wijkagent Bram" in goal_page
    assert "Wacht op antwoord" in goal_page  # Lotte has not answered


def test_mail_goes_out_in_the_colleagues_own_language(
    world: World, goal: Goal, django_capture_on_commit_callbacks: Callable
) -> None:
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__language="en")
    with django_capture_on_commit_callbacks(execute=True):
        feedback.ask(goal, question="Hoe zie jij dat?", colleagues=[lotte.user], emails=[])

    assert mail.outbox[0].subject == f"[Leertraject] {world.alice.get_full_name()} asks for your feedback"
    assert '<html lang="en">' in mail.outbox[0].alternatives[0][0]


def test_answers_are_for_the_owner_only(world: World, goal: Goal, django_capture_on_commit_callbacks: Callable) -> None:
    goal.visibility = Goal.Visibility.PROGRAMME
    goal.save()
    ask_lotte_and_an_outsider(world, goal, django_capture_on_commit_callbacks)
    FeedbackAsk.objects.unscoped().update(answer="Vertrouwelijk antwoord", answered_at=timezone.now())

    for user in (world.bob, world.hr, world.manager):
        page = login_client(user).get(goal.get_absolute_url())
        assert page.status_code == 200, user
        assert "Vertrouwelijk antwoord" not in page.content.decode(), user


@pytest.mark.parametrize(
    "data, error",
    [
        ({"question": "Hoe?", "emails": ""}, "Kies minstens één collega of vul een e-mailadres in."),
        ({"question": "Hoe?", "emails": "geen-adres"}, "“geen-adres” is geen geldig e-mailadres."),
        ({"question": "", "emails": "a@example.org"}, "Dit veld is verplicht."),
        ({"question": "Hoe?", "emails": "ALICE@{domain}"}, "U kunt uzelf niet om feedback vragen."),
        (
            {"question": "Hoe?", "emails": "\n".join(f"p{n}@example.org" for n in range(11))},
            "Vraag hoogstens 10 mensen tegelijk.",
        ),
    ],
)
def test_a_request_without_valid_people_or_question_is_refused(
    world: World, goal: Goal, data: dict, error: str
) -> None:
    data = {**data, "emails": data["emails"].replace("ALICE@{domain}", world.alice.email.upper())}
    response = login_client(world.alice).post(ask_url(world, goal), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not FeedbackRequest.objects.unscoped().exists()
    assert not mail.outbox


def test_only_colleagues_of_the_programme_can_be_chosen(world: World, goal: Goal) -> None:
    response = login_client(world.alice).post(
        ask_url(world, goal), {"question": "Hoe?", "colleagues": [world.charlie.pk, world.colleague.pk]}
    )

    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not FeedbackRequest.objects.unscoped().exists()


def test_only_the_owner_asks_for_feedback(world: World, goal: Goal) -> None:
    goal.visibility = Goal.Visibility.PROGRAMME
    goal.save()
    other = MembershipFactory(programme=world.programme, user__first_name="Lotte").user

    for user in (other, world.bob, world.hr):
        assert login_client(user).post(ask_url(world, goal), {"question": "x", "emails": "a@b.nl"}).status_code == 403
    for user in (world.haarlem_hr, world.charlie):
        assert login_client(user).get(ask_url(world, goal)).status_code == 404
    assert not FeedbackRequest.objects.unscoped().exists()


def test_forged_altered_or_old_links_show_a_clear_404(
    world: World, goal: Goal, client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feedback.ask(goal, question="Hoe?", colleagues=[], emails=["a@example.org"])
    link = link_in(mail.outbox[0])
    forged = link.replace(link.split("/")[2].split(":")[0], str(int(link.split("/")[2].split(":")[0]) + 1), 1)

    for url in (forged, link[:-3] + "x/", "/feedback/1/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Deze feedbacklink werkt niet (meer)" in response.content.decode()
    later = timezone.now() + feedback.LINK_VALID_FOR + timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        assert client.get(link).status_code == 404


def test_one_reminder_after_five_days_to_whoever_has_not_answered(
    world: World, goal: Goal, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        feedback.ask(goal, question="Hoe?", colleagues=[], emails=["a@example.org", "b@example.org"])
    FeedbackAsk.objects.unscoped().filter(email="b@example.org").update(answered_at=timezone.now(), answer="Goed bezig")
    mail.outbox.clear()

    assert feedback.remind_unanswered(timezone.now() + timedelta(days=4)) == 0
    assert feedback.remind_unanswered(timezone.now() + timedelta(days=5, minutes=1)) == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert mail.outbox[0].subject.startswith("[Leertraject] Herinnering:")
    assert feedback.remind_unanswered(timezone.now() + timedelta(days=6)) == 0
    assert feedback.send(FeedbackAsk.objects.unscoped().get(email="a@example.org").pk, reminder=True) is False
    assert len(mail.outbox) == 1


def test_a_mail_that_fails_stays_unsent_for_the_retry(world: World, goal: Goal, settings) -> None:
    request = FeedbackRequest.objects.create(goal=goal, question="Hoe?")
    feedback_ask = FeedbackAsk.objects.create(request=request, email="a@example.org")
    settings.EMAIL_BACKEND = "tests.learners.test_feedback.BrokenBackend"

    with pytest.raises(ConnectionError):
        feedback.send(feedback_ask.pk)

    feedback_ask.refresh_from_db()
    assert feedback_ask.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert feedback.send(feedback_ask.pk) is True
    assert feedback.send(feedback_ask.pk) is False
    assert len(mail.outbox) == 1


def test_a_mail_that_never_went_out_is_sent_by_the_hourly_sweep(world: World, goal: Goal, settings) -> None:
    """An ask whose mail failed for longer than its task's retries: the goal page says it is not
    sent yet, and the sweep sends it once it is an hour old; not an answered one, one already
    sent, or one whose link has expired."""
    settings.EMAIL_BACKEND = "tests.learners.test_feedback.BrokenBackend"
    with pytest.raises(ConnectionError):
        feedback.ask(goal, question="Hoe?", colleagues=[], emails=["a@example.org"])
        feedback.send(FeedbackAsk.objects.unscoped().get(email="a@example.org").pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    never_sent = FeedbackAsk.objects.unscoped().get(email="a@example.org")
    answered = FeedbackRequest.objects.create(goal=goal, question="Beantwoord?")
    FeedbackAsk.objects.create(request=answered, email="b@example.org", answered_at=timezone.now(), answer="Ja")
    sent = FeedbackRequest.objects.create(goal=goal, question="Verstuurd?")
    FeedbackAsk.objects.create(request=sent, email="c@example.org", sent_at=timezone.now())
    expired = FeedbackRequest.objects.create(goal=goal, question="Verlopen?")
    FeedbackAsk.objects.create(request=expired, email="d@example.org")
    FeedbackRequest.objects.filter(pk=expired.pk).update(created_at=timezone.now() - feedback.LINK_VALID_FOR)

    page = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/")
    assert "Nog niet verstuurd" in page.content.decode()
    assert feedback.send_unsent(timezone.now() + timedelta(minutes=59)) == 0
    assert feedback.send_unsent(timezone.now() + feedback.SEND_AGAIN_AFTER) == 1

    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    never_sent.refresh_from_db()
    assert never_sent.sent_at is not None
    assert feedback.send_unsent(timezone.now() + feedback.SEND_AGAIN_AFTER) == 0


def test_the_beat_runs_the_sweep_every_hour(settings) -> None:
    from learners.tasks import send_unsent_feedback_task

    entry = settings.CELERY_BEAT_SCHEDULE["send-unsent-feedback"]
    assert entry["task"] == send_unsent_feedback_task.name
    assert len(entry["schedule"].hour) == 24


class BrokenBackend:
    """A mail server that cannot be reached."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list) -> int:
        raise ConnectionError("SMTP server unreachable")


def test_goal_page_keeps_its_query_count_as_feedback_grows(
    world: World, goal: Goal, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)

    def add(count: int) -> None:
        for number in range(count):
            request = FeedbackRequest.objects.create(goal=goal, question=f"Vraag {number}")
            for person in range(3):
                FeedbackAsk.objects.create(request=request, email=f"p{person}@example.org", answer="Ja")

    add(1)
    with django_assert_max_num_queries(40) as few:
        client.get(goal.get_absolute_url())
    add(20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(goal.get_absolute_url()).status_code == 200
