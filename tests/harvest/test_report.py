"""The managers' harvest report: every section's figures on a known harvest, the fewer-than-five
rule, quotes only with consent, answers with their history, who may read it, and a query count
that does not grow with the number of participants."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from coaching.models import CommunityAction, CommunityMember
from harvest.models import Contribution, Initiative, InitiativeSignup, Quote
from harvest.report import Participation, harvest_report
from learners.models import AssessmentAnswer, AssessmentResponse, Goal, Reflection
from programmes.models import AssessmentItem, Membership, Programme
from tests.conftest import World, login_client
from tests.factories import (
    AssessmentAnswerFactory,
    AssessmentItemFactory,
    CommunityFactory,
    CompetencyFactory,
    MembershipFactory,
    ProgrammeFactory,
)

from .report_data import (
    NAMED_QUOTE,
    NOT_ACHIEVED_WHY,
    PARTLY_WHY,
    UNCONSENTED_QUOTE,
    UNNAMED_QUOTE,
    WITHDRAWN_QUOTE,
    ZUID_WHY,
    KnownHarvest,
    known_harvest,
)

HIDDEN = "Minder dan 5 mensen: niet getoond."


@pytest.fixture
def known(world: World) -> KnownHarvest:
    return known_harvest(world)


def page_of(user: User, url: str) -> str:
    response = login_client(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Every section on a known harvest ----------------------------------------------------------


def test_the_whole_programme_in_figures_and_words(known: KnownHarvest) -> None:
    report = harvest_report(known.programme)

    assert report.people == 8 and report.shown
    assert report.participation == Participation(enrolled=8, active=7, with_plan=6, with_reflections=2)
    goals = report.goals
    assert (goals.achieved, goals.partly, goals.not_achieved, goals.open, goals.total) == (3, 1, 2, 1, 7)
    assert [(reason.label, reason.why) for reason in goals.reasons] == [
        ("Niet bereikt", NOT_ACHIEVED_WHY),
        ("Niet bereikt", ZUID_WHY),
        ("Deels bereikt", PARTLY_WHY),
    ]
    # The community's contribution first, under its name; then the individual ones.
    assert [item.community.name if item.community else None for item in report.contributions] == [
        "Noord",
        None,
        None,
        None,
    ]
    assert [answer.pk for answer in report.contributions[0].answers] == [known.answer.pk]
    assert report.contributions[0].answers[0].changed is True
    assert [(answer.pk, answer.changed) for answer in report.theme_answers] == [(known.theme_answer.pk, False)]
    assert report.answer_count == 2
    assert [
        (block.community.name, [(action.title, action.outcome, action.outcome_reason) for action in block.actions])
        for block in report.community_actions
    ] == [
        (
            "Noord",
            [
                ("Kenniscafé initiatief", "achieved", ""),
                ("Wijkreis met de corporatie", "not_achieved", "Geen budget voor de bus."),
            ],
        ),
        ("Zuid", [("Academie van de straat", "", "")]),
    ]
    initiative, responsibility = report.growth
    assert initiative.shown and initiative.name == "Initiatief tonen"
    assert initiative.growth.people == 6
    assert initiative.growth.start == pytest.approx(13 / 6) and initiative.growth.end == pytest.approx(23 / 6)
    assert not responsibility.shown and responsibility.growth.people == 4
    assert report.rising == 1
    assert [(quote.text, quote.community, quote.name) for quote in report.quotes] == [
        (NAMED_QUOTE, "Noord", known.world.alice.get_full_name()),
        (UNNAMED_QUOTE, "", ""),
    ]
    assert {quote.session for quote in report.quotes} == {"Oogstsessie Gebiedsnetwerkers"}
    assert [(item.initiative.title, item.signups) for item in report.initiatives] == [
        ("Intervisiegroep starten", 6),
        ("Buurtlunch", None),  # two people signed up
    ]


def test_a_community_of_five_in_figures(known: KnownHarvest) -> None:
    report = harvest_report(known.programme, known.noord)

    assert report.people == 5
    assert report.participation == Participation(enrolled=5, active=4, with_plan=4, with_reflections=2)
    goals = report.goals
    assert (goals.achieved, goals.partly, goals.not_achieved, goals.open) == (2, 1, 1, 1)
    assert [reason.why for reason in goals.reasons] == [NOT_ACHIEVED_WHY, PARTLY_WHY]
    contributions = report.contributions
    assert [item.community.name if item.community else None for item in contributions] == ["Noord", None]
    assert contributions[1].contribution.author == known.participants[1].user  # a member's own
    assert [block.community.name for block in report.community_actions] == ["Noord"]
    initiative = report.growth[0]
    assert initiative.shown and initiative.growth.people == 5
    assert (initiative.growth.start, initiative.growth.end) == (2.0, 4.0)
    assert [quote.text for quote in report.quotes] == [NAMED_QUOTE]
    # Sign-ups of the community's own members only: five for intervision, none for the lunch.
    assert [item.signups for item in report.initiatives] == [5, None]


def test_a_community_of_two_shows_no_figure_but_keeps_the_words(known: KnownHarvest) -> None:
    report = harvest_report(known.programme, known.zuid)

    assert report.people == 2 and not report.shown
    assert report.participation is None
    assert report.goals.total is None and report.goals.achieved is None
    assert [reason.why for reason in report.goals.reasons] == [ZUID_WHY]
    assert not any(figure.shown for figure in report.growth)
    assert report.chart is None
    assert [item.signups for item in report.initiatives] == [None, None]
    assert [item.contribution.learned for item in report.contributions] == ["Hulp vragen is sterk."]
    assert report.quotes == []  # its only quote was withdrawn


def test_the_page_shows_each_section_in_dutch(known: KnownHarvest) -> None:
    page = page_of(known.world.manager, known.url)

    for heading in (
        "In het kort",
        "Deelname",
        "Leerdoelen",
        "Wat we bereikten, wat niet, en waarom",
        "Acties van de leergemeenschappen",
        "Groei per competentie",
        "In hun eigen woorden",
        "Nieuwe initiatieven",
        "Antwoorden van het management op thema's",
    ):
        assert f">{heading}</h2>" in page
    assert "8 deelnemers, van wie 7 actief waren (88%)." in page
    assert "Van 7 leerdoelen werden er 3 bereikt, 1 deels en 2 niet; 1 hebben nog geen resultaat." in page
    assert escape(NOT_ACHIEVED_WHY) in page and escape(PARTLY_WHY) in page
    assert "Leergemeenschap Noord" in page and "De corporatie had geen tijd." in page
    assert "Geen budget voor de bus." in page
    # Dutch numbers in the table and on the chart's bars, drawn on the server.
    assert '<td class="text-end">2,2</td>' in page and '<td class="text-end">3,8</td>' in page
    assert 'role="img" aria-labelledby="growth-chart-title growth-chart-desc"' in page
    assert ">2,2</text>" in page and ">3,8</text>" in page
    assert "Verantwoordelijkheid nemen</th>" in page and HIDDEN in page
    assert "Oogstsessie Gebiedsnetwerkers, <time" in page and "18 februari 2027" in page
    assert "we handelen uiterlijk 1 april 2027" in page
    # The participants' names never appear, except with a quote whose author asked for it.
    for membership in known.participants[1:]:
        assert escape(membership.user.get_full_name()) not in page


def test_contributions_and_actions_show_their_texts_escaped_with_their_line_breaks(known: KnownHarvest) -> None:
    contribution = known.noord_contribution
    contribution.achieved = "Een <b>bus</b>\nen een fiets."
    contribution.not_achieved = ""
    contribution.save(update_fields=["achieved", "not_achieved"])
    action = CommunityAction.objects.unscoped().get(title="Wijkreis met de corporatie")
    action.outcome_reason = "Geen budget.\nGeen <i>bus</i>."
    action.save(update_fields=["outcome_reason"])

    page = page_of(known.world.manager, known.url)

    noord = page.split('<h3 class="h5">Leergemeenschap Noord</h3>')[1].split("</dl>")[0]
    assert "<dt>Wat we bereikten</dt><dd>Een &lt;b&gt;bus&lt;/b&gt;<br>en een fiets.</dd>" in noord
    assert "Wat we niet bereikten" not in noord  # left empty: not shown
    assert noord.index("Wat we bereikten") < noord.index("Waarom niet") < noord.index("Wat we leerden")
    # Community contributions come first, by name; then the individual ones in the order written.
    assert page.index("Leergemeenschap Noord</h3>") < page.index("Individuele bijdrage</h3>")
    assert "<td>Geen budget.<br>Geen &lt;i&gt;bus&lt;/i&gt;.</td>" in page
    assert '<time datetime="2027-01-12">12 januari 2027</time>' in page


def test_a_changed_answer_says_so_and_when(known: KnownHarvest) -> None:
    page = page_of(known.world.manager, known.url)

    changed_on = timezone.localtime(known.answer.updated_at)  # the page's day, also just after midnight
    assert f"gewijzigd op {changed_on.day} " in page
    assert "We zoeken samen met de corporatie een nieuwe datum." in page
    assert "Eerst overleggen we met de corporatie." not in page  # the history is on the answer's page


def test_a_manager_gets_a_link_to_answer_each_item_and_a_theme(known: KnownHarvest) -> None:
    page = page_of(known.world.manager, known.url)
    base = f"/programmes/{known.programme.pk}/harvest/answers/"

    unanswered = Contribution.objects.unscoped().filter(programme=known.programme).exclude(answers__isnull=False)
    for contribution in unanswered:
        assert f'href="{base}new/?contribution={contribution.pk}"' in page
    assert f'href="{base}new/?contribution={known.noord_contribution.pk}"' not in page
    assert f'href="{base}{known.answer.pk}/"' in page and f'href="{base}{known.theme_answer.pk}/"' in page
    assert f'href="{base}new/">Een thema beantwoorden</a>' in page


@pytest.mark.parametrize("reader", ["hr", "bob"])
def test_hr_and_coaches_read_the_report_without_answering(known: KnownHarvest, reader: str) -> None:
    page = page_of(getattr(known.world, reader), known.url)

    assert "8 deelnemers" in page
    assert "/harvest/answers/" not in page and "Een thema beantwoorden" not in page


# --- Quotes: consent, withdrawal and names ------------------------------------------------------


def test_only_consented_quotes_show_and_a_name_only_when_asked(known: KnownHarvest) -> None:
    page = page_of(known.world.manager, known.url)

    assert escape(NAMED_QUOTE) in page and escape(known.world.alice.get_full_name()) + ", Noord" in page
    assert escape(UNNAMED_QUOTE) in page and "— individuele bijdrage ·" in page
    assert escape(known.participants[7].user.get_full_name()) not in page
    assert escape(WITHDRAWN_QUOTE) not in page and escape(UNCONSENTED_QUOTE) not in page


def test_a_quote_without_the_name_hides_the_name(known: KnownHarvest) -> None:
    Quote.objects.unscoped().filter(text=NAMED_QUOTE).update(named=False)

    page = page_of(known.world.manager, known.url)

    assert escape(NAMED_QUOTE) in page
    assert escape(known.world.alice.get_full_name()) not in page


def test_a_quote_its_author_withdraws_disappears_from_the_report(known: KnownHarvest) -> None:
    quote = Quote.objects.unscoped().get(text=NAMED_QUOTE)
    assert escape(NAMED_QUOTE) in page_of(known.world.manager, known.url)

    withdraw = f"/programmes/{known.programme.pk}/harvest/quotes/{quote.pk}/withdraw/"
    assert login_client(known.world.alice).post(withdraw).status_code == 302

    page = page_of(known.world.manager, known.url)
    assert escape(NAMED_QUOTE) not in page
    assert escape(known.world.alice.get_full_name()) not in page


# --- The fewer-than-five rule ---------------------------------------------------------------------


def small_programme(world: World, people: int) -> Programme:
    programme = ProgrammeFactory(organisation=world.rotterdam, title="Klein traject")
    MembershipFactory(programme=programme, user=world.manager, role=Membership.Role.MANAGER)
    for _ in range(people):
        Goal.objects.create(membership=MembershipFactory(programme=programme), title="Doel", outcome="achieved")
    return programme


@pytest.mark.parametrize(("people", "shown"), [(4, False), (5, True)])
def test_a_programme_of_four_shows_no_figure_and_of_five_it_does(world: World, people: int, shown: bool) -> None:
    programme = small_programme(world, people)

    page = page_of(world.manager, f"/programmes/{programme.pk}/harvest/report/")

    assert (f"{people} deelnemers, van wie {people} actief waren (100%)." in page) is shown
    assert (f"Van {people} leerdoelen werden er {people} bereikt" in page) is shown
    assert ("Ingeschreven</th>" in page) is shown
    assert ("Deze groep telt minder dan 5 mensen, dus het rapport toont geen cijfers" in page) is not shown
    assert (HIDDEN in page) is not shown


@pytest.mark.parametrize(("members", "shown"), [(4, False), (5, True)])
def test_a_community_of_four_shows_no_figure_and_of_five_it_does(
    known: KnownHarvest, members: int, shown: bool
) -> None:
    CommunityMember.objects.unscoped().filter(
        community=known.noord, membership__in=known.participants[members:5]
    ).delete()

    page = page_of(known.world.manager, f"{known.url}?community={known.noord.pk}")

    assert (f"{members} deelnemers, van wie" in page) is shown
    assert ("Ingeschreven</th>" in page) is shown
    assert ('<td class="text-end">2,0</td>' in page) is shown
    assert ("Deze groep telt minder dan 5 mensen" in page) is not shown
    assert escape(NAMED_QUOTE) in page  # words stay, without figures


def test_a_competency_scored_by_four_is_hidden_and_by_five_shown(known: KnownHarvest) -> None:
    responsibility = AssessmentItem.objects.unscoped().get(competency=known.responsibility)
    assert not harvest_report(known.programme).growth[1].shown

    end = AssessmentResponse.objects.unscoped().get(membership=known.participants[4], moment="end")
    AssessmentAnswerFactory(response=end, item=responsibility, score=2)

    figure = harvest_report(known.programme).growth[1]
    assert figure.shown and figure.growth.people == 5
    assert figure.growth.start == pytest.approx((4 * 2 + 1) / 5) and figure.growth.end == pytest.approx((4 * 4 + 2) / 5)
    page = page_of(known.world.manager, known.url)
    assert HIDDEN not in page.split("Groei per competentie")[1].split("In hun eigen woorden")[0]


def test_growth_counts_only_statements_scored_at_both_moments_of_handed_in_assessments(world: World) -> None:
    programme = small_programme(world, 5)
    competency = CompetencyFactory(organisation=world.rotterdam, name="Samenwerken")
    programme.competencies.add(competency)
    item = AssessmentItemFactory(programme=programme, competency=competency)
    participants = list(programme.memberships.filter(role=Membership.Role.PARTICIPANT))
    for index, membership in enumerate(participants):
        for moment, score in (("start", 2), ("end", 3)):
            submitted = None if (index == 4 and moment == "end") else timezone.now()
            response = AssessmentResponse.objects.create(membership=membership, moment=moment, submitted_at=submitted)
            AssessmentAnswer.objects.create(response=response, item=item, score=score)

    (figure,) = harvest_report(programme).growth
    assert figure.growth.people == 4 and not figure.shown  # the fifth end assessment was not handed in

    AssessmentResponse.objects.unscoped().filter(submitted_at__isnull=True).update(submitted_at=timezone.now())
    (figure,) = harvest_report(programme).growth
    assert figure.shown and (figure.growth.start, figure.growth.end) == (2.0, 3.0)


# --- Who may read it -------------------------------------------------------------------------------


def test_a_participant_may_not_read_the_report(known: KnownHarvest) -> None:
    assert login_client(known.world.alice).get(known.url).status_code == 403


@pytest.mark.parametrize("outsider", ["charlie", "haarlem_hr", "colleague"])
def test_people_outside_the_programme_get_404(known: KnownHarvest, outsider: str) -> None:
    assert login_client(getattr(known.world, outsider)).get(known.url).status_code == 404


def test_a_manager_of_programme_a_gets_404_on_the_report_of_b(known: KnownHarvest) -> None:
    other = ProgrammeFactory(organisation=known.world.rotterdam, title="Programma B")
    manager_of_b = MembershipFactory(programme=other, role=Membership.Role.MANAGER).user

    assert login_client(manager_of_b).get(known.url).status_code == 404
    assert login_client(known.world.manager).get(f"/programmes/{other.pk}/harvest/report/").status_code == 404


def test_a_draft_programme_has_no_report_yet(known: KnownHarvest) -> None:
    Programme.objects.unscoped().filter(pk=known.programme.pk).update(status=Programme.Status.DRAFT)

    assert login_client(known.world.manager).get(known.url).status_code == 404
    assert login_client(known.world.hr).get(known.url).status_code == 403


def test_the_community_filter_lists_the_programmes_communities_and_refuses_others(known: KnownHarvest) -> None:
    client = login_client(known.world.manager)
    page = client.get(known.url).content.decode()
    assert f'<option value="{known.noord.pk}">Noord</option>' in page
    assert f'<option value="{known.zuid.pk}">Zuid</option>' in page

    filtered = client.get(f"{known.url}?community={known.zuid.pk}").content.decode()
    assert f'<option value="{known.zuid.pk}" selected>Zuid</option>' in filtered
    assert f"report/exports/new/?community={known.zuid.pk}" in filtered

    elsewhere = CommunityFactory(programme=ProgrammeFactory(organisation=known.world.rotterdam))
    haarlem = CommunityFactory(programme=known.world.haarlem_programme)
    for value in (elsewhere.pk, haarlem.pk, 999999, "noord"):
        assert client.get(f"{known.url}?community={value}").status_code == 404


def test_the_hr_programme_page_links_to_the_report(known: KnownHarvest) -> None:
    page = page_of(known.world.hr, f"/programmes/{known.programme.pk}/")

    assert f'href="{known.url}"' in page


# --- Queries: the same for 10 and for 1,000 participants -----------------------------------------


def crowd(world: World, size: int) -> Programme:
    """A programme with ``size`` participants in two communities, each with a goal (an outcome for
    two in three, a reflection for half), start and end assessments, their own contribution with a
    quote, and a sign-up for an initiative; bulk inserts, so that 1,000 stay cheap."""
    programme = ProgrammeFactory(organisation=world.rotterdam, title=f"Traject van {size}")
    MembershipFactory(programme=programme, user=world.manager, role=Membership.Role.MANAGER)
    communities = [CommunityFactory(programme=programme, name=name) for name in ("Noord", "Zuid")]
    competency = CompetencyFactory(organisation=world.rotterdam, name=f"Initiatief {size}")
    programme.competencies.add(competency)
    item = AssessmentItemFactory(programme=programme, competency=competency)
    users = User.objects.bulk_create(
        User(email=f"p{index}@traject{size}.example", first_name=f"Deelnemer {index}", organisation=world.rotterdam)
        for index in range(size)
    )
    members = Membership.objects.bulk_create(
        Membership(programme=programme, user=user, role=Membership.Role.PARTICIPANT) for user in users
    )
    CommunityMember.objects.bulk_create(
        CommunityMember(community=communities[index % 2], membership=member) for index, member in enumerate(members)
    )
    outcomes = ["achieved", "partly", ""]
    goals = Goal.objects.bulk_create(
        Goal(membership=member, title="Doel", outcome=outcomes[index % 3], outcome_why="Geen tijd." * (index % 3 == 1))
        for index, member in enumerate(members)
    )
    Reflection.objects.bulk_create(Reflection(goal=goal, tried="Iets nieuws") for goal in goals[::2])
    now = timezone.now()
    responses = AssessmentResponse.objects.bulk_create(
        AssessmentResponse(membership=member, moment=moment, submitted_at=now)
        for member in members
        for moment in ("start", "end")
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(response=response, item=item, score=2 if response.moment == "start" else 4)
        for response in responses
    )
    contributions = Contribution.objects.bulk_create(
        Contribution(programme=programme, author=user, learned="Samen leren werkt.") for user in users
    )
    Quote.objects.bulk_create(
        Quote(contribution=contribution, author=contribution.author, text="Mooi traject.", consented_at=now)
        for contribution in contributions[::10]
    )
    initiative = Initiative.objects.create(programme=programme, title="Intervisie", proposed_by=users[0])
    InitiativeSignup.objects.bulk_create(InitiativeSignup(initiative=initiative, user=user) for user in users)
    return programme


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_takes_as_many_queries_for_1000_participants_as_for_10(world: World) -> None:
    few, many = crowd(world, 10), crowd(world, 1000)
    client = login_client(world.manager)
    # Warm (session and permissions) with the CSV: a view of the page would keep it (report_cache).
    client.get(f"/programmes/{few.pk}/harvest/report.csv")

    counts = {}
    for programme in (few, many):
        community = programme.communities.get(name="Noord")
        counts[programme.pk] = [
            queries_of(client, f"/programmes/{programme.pk}/harvest/report/"),
            queries_of(client, f"/programmes/{programme.pk}/harvest/report/?community={community.pk}"),
            queries_of(client, f"/programmes/{programme.pk}/harvest/report.csv"),
        ]

    assert counts[few.pk] == counts[many.pk]
    assert counts[few.pk][0] <= 24  # 13 for the report, the rest for session, user, roles and layout
    report = harvest_report(many)
    assert report.participation == Participation(enrolled=1000, active=1000, with_plan=1000, with_reflections=500)
    assert report.growth[0].growth.people == 1000 and len(report.quotes) == 100
    assert report.initiatives[0].signups == 1000
