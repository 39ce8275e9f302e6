"""Managers answer the harvest: agreed, we act by a date, or not now and why. Participants see
the answer on their home page and are notified; a change keeps the earlier version, visibly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from harvest import answers
from harvest.models import Answer, AnswerVersion
from notifications.models import Category, Notification
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import (
    AnswerFactory,
    AnswerVersionFactory,
    CommunityFactory,
    ContributionFactory,
    MembershipFactory,
    PreferenceFactory,
    ProgrammeFactory,
)


def new_url(world: World, contribution: object | None = None) -> str:
    query = f"?contribution={contribution.pk}" if contribution is not None else ""
    return f"/programmes/{world.programme.pk}/harvest/answers/new/{query}"


def edit_url(answer: Answer) -> str:
    return f"/programmes/{answer.programme_id}/harvest/answers/{answer.pk}/"


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def item(world: World):
    community = CommunityFactory(programme=world.programme, name="Functieprofiel")
    return ContributionFactory(
        programme=world.programme,
        author=world.alice,
        community=community,
        not_achieved="Geen reactie van HR op ons functieprofiel.",
        why_not="De schrijvers bij HR waren niet bereikbaar.",
    )


def test_a_manager_answers_a_harvest_item_and_every_participant_is_notified_once(
    world: World, item, django_capture_on_commit_callbacks: Callable
) -> None:
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte").user
    english = MembershipFactory(programme=world.programme, user__first_name="Emma", user__language="en").user
    client = login_client(world.manager)

    page = client.get(new_url(world, item)).content.decode()
    assert "De oogst van Functieprofiel" in page
    assert "Geen reactie van HR op ons functieprofiel." in page
    assert 'name="theme"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_url(world, item),
            {"decision": "will_act", "act_by": in_days(30), "text": "HR nodigt de groep uit voor een gesprek."},
            follow=True,
        )

    answer = Answer.objects.unscoped().get()
    assert (answer.contribution, answer.theme, answer.manager) == (item, "", world.manager)
    assert answer.act_by == timezone.localdate() + timedelta(days=30)
    assert response.redirect_chain[-1][0] == edit_url(answer)
    assert "Uw antwoord is opgeslagen. Alle deelnemers van het leertraject krijgen een bericht." in (
        response.content.decode()
    )
    notifications = Notification.objects.unscoped().filter(kind="harvest_answer")
    assert sorted(notifications.values_list("recipient", flat=True)) == sorted([world.alice.pk, lotte.pk, english.pk])
    assert set(notifications.values_list("key", "occurrence")) == {(f"answer:{answer.pk}", "1")}
    context = notifications.first().context
    assert context["programme"] == "Gebiedsnetwerkers"
    assert context["decision"] == "will_act"
    assert context["community"] == "Functieprofiel"
    assert context["act_by_on"] == in_days(30)
    assert notifications.first().link == f"/#answers-{world.programme.pk}"

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {world.alice.email, lotte.email, english.email}
    dutch = by_address[world.alice.email]
    assert "Het management beantwoordt de oogst (Gebiedsnetwerkers)" in dutch.subject
    assert "Het management heeft de oogst van Functieprofiel in “Gebiedsnetwerkers” beantwoord." in dutch.body
    assert "Besluit: Wij gaan ermee aan de slag – uiterlijk" in dutch.body
    assert "HR nodigt de groep uit voor een gesprek." in dutch.body
    english_mail = by_address[english.email]
    assert "Management answers the harvest (Gebiedsnetwerkers)" in english_mail.subject
    assert "Decision: We will act on it – by" in english_mail.body
    assert "Read the answer" in english_mail.alternatives[0][0]


def test_a_muted_participant_gets_the_answer_in_the_app_but_no_mail(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    PreferenceFactory(user=world.alice, category=Category.PROGRAMME, mail=False)

    with django_capture_on_commit_callbacks(execute=True):
        login_client(world.manager).post(
            new_url(world), {"theme": "Tijd voor leren", "decision": "agreed", "text": "Twee uur per week."}
        )

    assert Notification.objects.unscoped().get(recipient=world.alice).status == Notification.Status.MUTED
    assert mail.outbox == []


def test_a_theme_answer_needs_its_theme_once(world: World) -> None:
    client = login_client(world.manager)
    assert 'name="theme"' in client.get(new_url(world)).content.decode()

    missing = client.post(new_url(world), {"decision": "agreed", "text": "Prima."})
    assert missing.status_code == 400
    assert "Dit veld is verplicht." in missing.content.decode()

    assert (
        client.post(new_url(world), {"theme": "Tijd voor leren", "decision": "agreed", "text": "Ja."}).status_code
        == 302
    )
    again = client.post(new_url(world), {"theme": "tijd voor leren ", "decision": "not_now", "text": "Toch niet."})
    assert again.status_code == 400
    assert "Op dit thema is al geantwoord: wijzig dat antwoord." in again.content.decode()
    assert Answer.objects.unscoped().count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "will_act", "act_by": "", "text": "Komt goed."}, "Geef aan wanneer u uiterlijk in actie komt."),
        (
            {"decision": "will_act", "act_by": "yesterday", "text": "Komt goed."},
            "De datum waarop u uiterlijk in actie komt, kan niet in het verleden liggen.",
        ),
        (
            {"decision": "not_now", "text": "  "},
            "Zeg waarom nu niet: deelnemers hebben de reden nodig, niet alleen het besluit.",
        ),
        ({"decision": "agreed", "text": ""}, "Schrijf uw antwoord aan de deelnemers."),
        ({"decision": "later", "text": "Misschien."}, "Selecteer een geldige keuze."),
        ({"decision": "will_act", "act_by": "31-02-2027", "text": "Ja."}, "Voer een geldige datum in."),
    ],
)
def test_invalid_answers_re_render_with_the_reason(
    world: World, item, data: dict[str, str], message: str, django_capture_on_commit_callbacks: Callable
) -> None:
    if data.get("act_by") == "yesterday":
        data = {**data, "act_by": in_days(-1)}

    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(world.manager).post(new_url(world, item), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert escape(message) in page
    assert 'id="error-summary"' in page
    assert page.count('<li><a href="#id_') == 1  # one clear reason, not two
    assert not Answer.objects.unscoped().exists()
    assert not Notification.objects.unscoped().exists()
    assert mail.outbox == []


def test_a_second_answer_to_the_same_item_leads_to_changing_the_first(world: World, item) -> None:
    answer = AnswerFactory(programme=world.programme, manager=world.manager, contribution=item, theme="")
    client = login_client(world.manager)

    response = client.get(new_url(world, item))
    assert response.status_code == 302 and response.url == edit_url(answer)
    posted = client.post(new_url(world, item), {"decision": "agreed", "text": "Nog een keer."})
    assert posted.status_code == 302 and posted.url == edit_url(answer)
    with pytest.raises(answers.AlreadyAnswered):
        answers.answer_create(
            programme=world.programme, by=world.manager, contribution=item, decision="agreed", text="x"
        )
    assert Answer.objects.unscoped().count() == 1


def test_changing_an_answer_keeps_the_earlier_version_and_notifies_again(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    written_at = timezone.now() - timedelta(days=5)
    answer = AnswerFactory(
        programme=world.programme,
        manager=world.manager,
        theme="Tijd voor leren",
        decision="not_now",
        text="We wachten op het strategisch plan.",
        created_at=written_at,
        updated_at=written_at,
    )
    successor = MembershipFactory(
        programme=world.programme, role=Membership.Role.MANAGER, user__first_name="Jeroen"
    ).user

    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(successor).post(
            edit_url(answer),
            {"decision": "will_act", "act_by": in_days(40), "text": "Teamleiders plannen twee uur per week."},
            follow=True,
        )

    page = response.content.decode()
    assert "Uw antwoord is gewijzigd. De eerdere versie blijft zichtbaar en de deelnemers krijgen een bericht." in page
    answer.refresh_from_db()
    assert (answer.decision, answer.manager, answer.text) == (
        "will_act",
        successor,
        "Teamleiders plannen twee uur per week.",
    )
    version = AnswerVersion.objects.unscoped().get()
    assert (version.decision, version.act_by, version.text) == ("not_now", None, "We wachten op het strategisch plan.")
    assert (version.written_by, version.written_at) == (world.manager, written_at)
    assert version.replaced_at == answer.updated_at
    assert "gewijzigd op" in page
    assert "De eerdere versie" in page
    assert "We wachten op het strategisch plan." in page
    notifications = Notification.objects.unscoped().filter(recipient=world.alice).order_by("occurrence")
    assert list(notifications.values_list("key", "occurrence")) == [(f"answer:{answer.pk}", "2")]
    assert notifications.get().context["changed"] is True
    assert "Het management wijzigde een antwoord op de oogst (Gebiedsnetwerkers)" in mail.outbox[0].subject
    assert "De eerdere versie blijft zichtbaar." in mail.outbox[0].body


def test_saving_the_same_answer_again_makes_no_version_and_no_message(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    answer = AnswerFactory(programme=world.programme, manager=world.manager, decision="agreed", text="Akkoord.")

    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(world.manager).post(
            edit_url(answer), {"decision": "agreed", "act_by": in_days(3), "text": " Akkoord. "}, follow=True
        )

    assert "Er is niets veranderd: er is niets opgeslagen en niemand kreeg een bericht." in response.content.decode()
    assert not AnswerVersion.objects.unscoped().exists()
    assert not Notification.objects.unscoped().exists()
    assert mail.outbox == []


def test_each_change_notifies_with_its_own_version_number(world: World) -> None:
    answer = answers.answer_create(
        programme=world.programme, by=world.manager, theme="Tijd", decision="not_now", text="Later."
    )
    answers.answer_change(answer=answer, by=world.manager, decision="agreed", text="Toch wel.")
    answers.answer_change(answer=answer, by=world.manager, decision="agreed", text="Toch wel.")
    answers.answer_change(answer=answer, by=world.manager, decision="will_act", act_by=timezone.localdate(), text="Nu.")

    occurrences = Notification.objects.unscoped().filter(recipient=world.alice).values_list("occurrence", flat=True)
    assert sorted(occurrences) == ["1", "2", "3"]
    assert AnswerVersion.objects.unscoped().count() == 2


def test_a_passed_date_may_stay_when_only_the_words_change(world: World) -> None:
    passed = timezone.localdate() - timedelta(days=3)
    answer = AnswerFactory(programme=world.programme, decision="will_act", act_by=passed, text="Voor de zomer.")
    client = login_client(world.manager)

    kept = client.post(edit_url(answer), {"decision": "will_act", "act_by": passed.isoformat(), "text": "Bijna klaar."})
    assert kept.status_code == 302
    moved = client.post(edit_url(answer), {"decision": "will_act", "act_by": in_days(-1), "text": "Bijna klaar."})
    assert moved.status_code == 400


def test_recording_the_notifications_is_set_based(world: World, django_assert_max_num_queries: Callable) -> None:
    def answer_with(count: int) -> int:
        for _ in range(count):
            MembershipFactory(programme=world.programme)
        with django_assert_max_num_queries(20) as queries:
            answers.answer_create(
                programme=world.programme, by=world.manager, theme=f"Thema {count}", decision="agreed", text="Ja."
            )
        return len(queries.captured_queries)

    assert answer_with(1) == answer_with(60)
    assert Notification.objects.unscoped().filter(key__startswith="answer:").count() == 2 + 62


def test_only_the_programmes_managers_answer(world: World, item) -> None:
    answer = AnswerFactory(programme=world.programme, manager=world.manager)
    other = ProgrammeFactory(organisation=world.rotterdam, title="Ander traject")
    other_manager = MembershipFactory(programme=other, role=Membership.Role.MANAGER).user
    data = {"theme": "Inbraak", "decision": "agreed", "text": "Ja."}

    for user in (world.alice, world.bob, world.hr):
        client = login_client(user)
        assert client.get(new_url(world, item)).status_code == 403, user
        assert client.post(new_url(world), data).status_code == 403, user
        assert client.get(edit_url(answer)).status_code == 403, user
        assert client.post(edit_url(answer), data).status_code == 403, user
    for user in (other_manager, world.charlie, world.haarlem_hr, world.colleague):
        client = login_client(user)
        assert client.get(new_url(world)).status_code == 404, user
        assert client.post(new_url(world), data).status_code == 404, user
        assert client.get(edit_url(answer)).status_code == 404, user
        assert client.post(edit_url(answer), data).status_code == 404, user
    assert Answer.objects.unscoped().count() == 1
    assert not AnswerVersion.objects.unscoped().exists()


def test_items_and_answers_of_another_programme_are_not_found(world: World) -> None:
    other = ProgrammeFactory(organisation=world.rotterdam, title="Ander traject")
    MembershipFactory(programme=other, user=world.manager, role=Membership.Role.MANAGER)
    foreign_item = ContributionFactory(programme=other)
    foreign_answer = AnswerFactory(programme=other)
    client = login_client(world.manager)

    assert client.get(new_url(world, foreign_item)).status_code == 404
    assert client.get(new_url(world) + "?contribution=abc").status_code == 404
    assert client.get(f"/programmes/{world.programme.pk}/harvest/answers/{foreign_answer.pk}/").status_code == 404
    assert client.get(edit_url(foreign_answer)).status_code == 200


def test_participants_see_the_answers_with_their_history_on_their_home_page(world: World, item) -> None:
    answer = AnswerFactory(
        programme=world.programme,
        manager=world.manager,
        theme="Tijd voor leren",
        decision="will_act",
        act_by=timezone.localdate() + timedelta(days=20),
        text="Twee uur per week in de agenda.",
    )
    AnswerVersionFactory(answer=answer, decision="not_now", text="We wachten op het strategisch plan.")
    AnswerFactory(programme=world.programme, contribution=item, theme="", text="HR komt langs.")
    AnswerFactory(programme=world.haarlem_programme, theme="Van Haarlem", text="Niet voor Rotterdam.")

    page = login_client(world.alice).get("/").content.decode()

    assert f'id="answers-{world.programme.pk}"' in page
    assert "Antwoorden van het management" in page
    assert "Thema: Tijd voor leren" in page
    assert "Wij gaan ermee aan de slag" in page and "uiterlijk" in page
    assert "gewijzigd op" in page
    assert "We wachten op het strategisch plan." in page
    assert "De oogst van Functieprofiel" in page and "HR komt langs." in page
    assert "Niet voor Rotterdam." not in page
    hub = login_client(world.alice).get(f"/programmes/{world.programme.pk}/harvest/").content.decode()
    assert "Twee uur per week in de agenda." in hub
    assert "Dit antwoord wijzigen" not in hub
    assert (
        "Dit antwoord wijzigen"
        in login_client(world.manager).get(f"/programmes/{world.programme.pk}/harvest/").content.decode()
    )


def test_a_participant_reads_their_own_contribution_as_theirs(world: World) -> None:
    own = ContributionFactory(programme=world.programme, author=world.alice)
    AnswerFactory(programme=world.programme, contribution=own, theme="", text="Dank voor uw inbreng.")
    lotte = MembershipFactory(programme=world.programme).user

    assert "Uw eigen oogstbijdrage" in login_client(world.alice).get("/").content.decode()
    lottes_home = login_client(lotte).get("/").content.decode()
    assert "Een oogstpunt" in lottes_home and "Uw eigen oogstbijdrage" not in lottes_home
    assert "Vragen stellen werkt beter" not in lottes_home  # the item's words stay with its readers


def test_the_home_page_keeps_its_query_count_with_many_answers(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)
    AnswerVersionFactory(answer=AnswerFactory(programme=world.programme, theme="Eerste"))
    with django_assert_max_num_queries(45) as one:
        client.get("/")
    for number in range(25):
        answer = AnswerFactory(programme=world.programme, theme=f"Thema {number}")
        AnswerVersionFactory(answer=answer)
        AnswerVersionFactory(answer=answer)

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/").content.decode()
    assert "Alle 26 antwoorden" in page
