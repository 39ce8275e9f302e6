"""HR admins set up a programme in the browser: details, phases, competencies, self-assessment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from programmes.models import AssessmentItem, BehaviourIndicator, Competency, Membership, Phase, Programme
from tests.conftest import World, login_client
from tests.factories import UserFactory


def competency(organisation, name: str, indicators: tuple[str, ...] = ()) -> Competency:
    made = Competency.objects.create(organisation=organisation, name=name)
    for position, text in enumerate(indicators):
        BehaviourIndicator.objects.create(competency=made, text=text, position=position)
    return made


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def programme_data(**overrides: object) -> dict[str, object]:
    data = {
        "title": "Gebiedsnetwerkers 2027",
        "description": "Het vervolg.",
        "goals": "Initiatief tonen.",
        "starts_on": "2027-03-01",
        "ends_on": "2027-09-01",
        "status": "draft",
    }
    data.update(overrides)
    return data


def phase_data(kind: str, when: datetime, **overrides: object) -> dict[str, object]:
    data = {"kind": kind, "title": "", "starts_at": when.strftime("%Y-%m-%dT%H:%M"), "location": "Stadhuis"}
    data.update(overrides)
    return data


# --- Programmes -----------------------------------------------------------------


def test_hr_admin_creates_a_programme_with_own_competencies(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen")

    response = login_client(world.hr).post(
        "/programmes/new/", programme_data(competencies=[initiative.pk]), follow=True
    )

    created = Programme.objects.for_organisation(world.rotterdam).get(title="Gebiedsnetwerkers 2027")
    assert response.redirect_chain[-1][0] == f"/programmes/{created.pk}/"
    assert list(created.competencies.all()) == [initiative]
    assert "Leertraject “Gebiedsnetwerkers 2027” aangemaakt" in response.content.decode()


def test_another_organisations_competency_cannot_be_picked(world: World) -> None:
    foreign = competency(world.haarlem, "Opgaven zien")

    response = login_client(world.hr).post("/programmes/new/", programme_data(competencies=[foreign.pk]))

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Programme.objects.for_organisation(world.rotterdam).filter(title="Gebiedsnetwerkers 2027").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2027-01-01"}, "De einddatum kan niet voor de startdatum liggen."),
        ({"title": ""}, "Dit veld is verplicht."),
        ({"starts_on": "31-02-2027"}, "Voer een geldige datum in."),
    ],
)
def test_invalid_programme_rerenders_with_a_dutch_message_and_saves_nothing(
    world: World, overrides: dict, message: str
) -> None:
    before = Programme.objects.for_organisation(world.rotterdam).count()

    response = login_client(world.hr).post("/programmes/new/", programme_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Programme.objects.for_organisation(world.rotterdam).count() == before


def test_title_is_unique_within_the_organisation_only(world: World) -> None:
    taken = login_client(world.hr).post("/programmes/new/", programme_data(title=world.programme.title.upper()))
    elsewhere = login_client(world.haarlem_hr).post("/programmes/new/", programme_data(title=world.programme.title))

    assert taken.status_code == 200
    assert "Uw organisatie heeft al een leertraject met deze titel." in taken.content.decode()
    assert elsewhere.status_code == 302


def test_hr_admin_edits_a_programme(world: World) -> None:
    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/edit/", programme_data(title="Gebiedsnetwerkers", status="active")
    )

    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.goals == "Initiatief tonen."


@pytest.mark.parametrize("who", ["alice", "bob", "manager"])
@pytest.mark.parametrize("path", ["edit/", "copy/", "phases/new/", "assessment/"])
def test_people_in_the_programme_cannot_set_it_up(world: World, who: str, path: str) -> None:
    client = login_client(getattr(world, who))

    assert client.get(f"/programmes/{world.programme.pk}/{path}").status_code == 403
    assert client.post(f"/programmes/{world.programme.pk}/{path}", {}).status_code == 403


@pytest.mark.parametrize("who", ["haarlem_hr", "charlie", "colleague"])
@pytest.mark.parametrize("path", ["edit/", "copy/", "phases/new/", "assessment/", "archive/"])
def test_outsiders_get_404_on_every_setup_page(world: World, who: str, path: str) -> None:
    client = login_client(getattr(world, who))

    assert client.post(f"/programmes/{world.programme.pk}/{path}", {}).status_code == 404
    world.programme.refresh_from_db()
    assert world.programme.archived_at is None


def test_only_hr_admins_create_programmes_and_competencies(world: World) -> None:
    client = login_client(world.bob)

    assert client.get("/programmes/new/").status_code == 403
    assert client.get("/programmes/competencies/").status_code == 403


def test_archived_programme_leaves_the_lists_and_comes_back(world: World) -> None:
    hr = login_client(world.hr)
    link = f'href="/programmes/{world.programme.pk}/"'
    hr.post(f"/programmes/{world.programme.pk}/archive/")

    assert link not in login_client(world.alice).get("/").content.decode()
    assert link not in hr.get("/programmes/").content.decode()
    assert link in hr.get("/programmes/?archived=1").content.decode()

    hr.post(f"/programmes/{world.programme.pk}/archive/")
    assert link in login_client(world.alice).get("/").content.decode()


# --- Phases ---------------------------------------------------------------------


def test_hr_admin_plans_phases_in_order(world: World) -> None:
    client = login_client(world.hr)
    start = world.programme.starts_on

    kick_off = client.post(f"/programmes/{world.programme.pk}/phases/new/", phase_data("kick_off", at(start)))
    harvest = client.post(
        f"/programmes/{world.programme.pk}/phases/new/",
        phase_data("harvest_session", at(start + timedelta(days=120), 13), online_url="https://teams.example/oogst"),
    )

    assert kick_off.status_code == harvest.status_code == 302
    page = client.get(f"/programmes/{world.programme.pk}/").content.decode()
    assert page.index("Startdag") < page.index("Oogstsessie")
    assert "https://teams.example/oogst" in page


def test_phase_outside_the_programme_is_refused(world: World) -> None:
    before_start = at(world.programme.starts_on - timedelta(days=1))

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/phases/new/", phase_data("kick_off", before_start)
    )

    assert response.status_code == 200
    assert "binnen de periode van het leertraject" in response.content.decode()
    assert not world.programme.phases.exists()


def test_phases_must_follow_the_methods_order(world: World) -> None:
    start = world.programme.starts_on
    Phase.objects.create(programme=world.programme, kind="harvest_session", starts_at=at(start + timedelta(days=10)))

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/phases/new/", phase_data("kick_off", at(start + timedelta(days=20)))
    )

    assert response.status_code == 200
    assert "Startdag kan niet na Oogstsessie beginnen" in response.content.decode()
    assert world.programme.phases.count() == 1


def test_phase_end_before_its_start_is_refused(world: World) -> None:
    start = at(world.programme.starts_on + timedelta(days=3), 13)

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/phases/new/",
        phase_data("kick_off", start, ends_at=(start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")),
    )

    assert "Het einde kan niet voor het begin liggen." in response.content.decode()
    assert not world.programme.phases.exists()


def test_phase_of_another_programme_cannot_be_edited_through_this_one(world: World) -> None:
    foreign = Phase.objects.create(
        programme=world.haarlem_programme, kind="kick_off", starts_at=at(world.haarlem_programme.starts_on)
    )

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/phases/{foreign.pk}/",
        phase_data("kick_off", at(world.programme.starts_on), location="Gekaapt"),
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.location == ""


def test_hr_admin_removes_a_phase(world: World) -> None:
    phase = Phase.objects.create(programme=world.programme, kind="kick_off", starts_at=at(world.programme.starts_on))

    response = login_client(world.hr).post(f"/programmes/{world.programme.pk}/phases/{phase.pk}/delete/")

    assert response.status_code == 302
    assert not world.programme.phases.exists()


# --- Copy -----------------------------------------------------------------------


def test_copy_moves_phases_and_keeps_competencies_and_assessment_but_not_people(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.",))
    world.programme.competencies.add(initiative)
    Phase.objects.create(programme=world.programme, kind="kick_off", starts_at=at(world.programme.starts_on, 9))
    AssessmentItem.objects.create(programme=world.programme, competency=initiative, text="Ik zet een eerste stap.")

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/copy/", {"title": "Gebiedsnetwerkers 2027", "starts_on": "2027-09-01"}
    )

    copy = Programme.objects.for_organisation(world.rotterdam).get(title="Gebiedsnetwerkers 2027")
    assert response.url == f"/programmes/{copy.pk}/"
    assert copy.status == Programme.Status.DRAFT
    assert copy.ends_on == date(2027, 9, 1) + (world.programme.ends_on - world.programme.starts_on)
    assert timezone.localtime(copy.phases.get().starts_at) == at(date(2027, 9, 1), 9)
    assert list(copy.competencies.all()) == [initiative]
    assert copy.assessment_items.get().text == "Ik zet een eerste stap."
    assert not Membership.objects.for_organisation(world.rotterdam).filter(programme=copy).exists()


def test_copy_needs_a_new_title(world: World) -> None:
    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/copy/", {"title": world.programme.title, "starts_on": "2027-09-01"}
    )

    assert response.status_code == 200
    assert "heeft al een leertraject met deze titel" in response.content.decode()


# --- Competencies ---------------------------------------------------------------


def test_hr_admin_writes_a_competency_with_indicators(world: World) -> None:
    client = login_client(world.hr)
    data = {
        "name": "Verantwoordelijkheid nemen",
        "description": "Eigenaar zijn.",
        "indicators-TOTAL_FORMS": "3",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-text": "Komt afspraken na.",
        "indicators-1-text": "Spreekt anderen aan.",
        "indicators-2-text": "",
    }

    response = client.post("/programmes/competencies/new/", data)

    assert response.status_code == 302
    made = Competency.objects.for_organisation(world.rotterdam).get(name="Verantwoordelijkheid nemen")
    assert [indicator.text for indicator in made.indicators.all()] == ["Komt afspraken na.", "Spreekt anderen aan."]
    listing = client.get("/programmes/competencies/").content.decode()
    assert "Verantwoordelijkheid nemen" in listing


def test_competency_of_another_organisation_is_not_found(world: World) -> None:
    foreign = competency(world.haarlem, "Opgaven zien")

    client = login_client(world.hr)

    assert client.get(f"/programmes/competencies/{foreign.pk}/").status_code == 404
    assert "Opgaven zien" not in client.get("/programmes/competencies/").content.decode()


def test_competency_list_has_an_empty_state(world: World) -> None:
    page = login_client(world.hr).get("/programmes/competencies/").content.decode()

    assert "Uw organisatie heeft nog geen competenties." in page


# --- Self-assessment ------------------------------------------------------------


def assessment_post(rows: list[dict[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {"items-TOTAL_FORMS": str(len(rows)), "items-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{number}-{key}"] = value
    return data


def test_hr_admin_writes_statements_and_open_questions(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen")
    world.programme.competencies.add(initiative)

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/assessment/",
        assessment_post(
            [
                {"position": 1, "kind": "statement", "text": "Ik breng onderwerpen in.", "competency": initiative.pk},
                {"position": 2, "kind": "open", "text": "Wat wil je leren?", "competency": ""},
            ]
        ),
    )

    assert response.status_code == 302
    items = list(world.programme.assessment_items.all())
    assert [(item.kind, item.text) for item in items] == [
        ("statement", "Ik breng onderwerpen in."),
        ("open", "Wat wil je leren?"),
    ]


def test_statement_needs_one_of_the_programmes_competencies(world: World) -> None:
    outside_programme = competency(world.rotterdam, "Plannen")
    client = login_client(world.hr)

    missing = client.post(
        f"/programmes/{world.programme.pk}/assessment/",
        assessment_post([{"position": 1, "kind": "statement", "text": "Ik plan.", "competency": ""}]),
    )
    foreign = client.post(
        f"/programmes/{world.programme.pk}/assessment/",
        assessment_post([{"position": 1, "kind": "statement", "text": "Ik plan.", "competency": outside_programme.pk}]),
    )

    assert "hoort bij een van de competenties van het leertraject" in missing.content.decode()
    assert "Selecteer een geldige keuze" in foreign.content.decode()
    assert not world.programme.assessment_items.exists()


# --- Query counts ---------------------------------------------------------------


def test_programme_detail_keeps_its_query_count_as_the_timeline_grows(
    world: World, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.hr)
    start = world.programme.starts_on

    def add(count: int) -> None:
        for number in range(count):
            Phase.objects.create(
                programme=world.programme, kind="activity_period", starts_at=at(start + timedelta(days=number % 100))
            )
            made = competency(world.rotterdam, f"Competentie {Competency.objects.unscoped().count()}", ("a", "b"))
            world.programme.competencies.add(made)

    add(3)
    with django_assert_max_num_queries(20) as small:
        client.get(f"/programmes/{world.programme.pk}/")
    add(27)

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/programmes/{world.programme.pk}/").status_code == 200


def test_programme_page_lists_its_competencies_with_their_behaviours_in_order(world: World) -> None:
    samenwerken = competency(world.rotterdam, "Samenwerken")
    initiative = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.", "Brengt zelf in."))
    BehaviourIndicator.objects.filter(competency=initiative, position=0).update(position=5)
    world.programme.competencies.add(samenwerken, initiative)

    html = login_client(world.hr).get(f"/programmes/{world.programme.pk}/").content.decode()

    assert '<h3 class="h6 mb-1">Samenwerken</h3>\n        \n' in html  # no list of behaviours
    assert (
        '<h3 class="h6 mb-1">Initiatief tonen</h3>\n        \n          <ul class="small">'
        "<li>Brengt zelf in.</li><li>Zet een eerste stap.</li></ul>"
    ) in html
    assert html.index("Initiatief tonen</h3>") < html.index("Samenwerken</h3>")


def test_duplicate_competency_name_is_refused_not_a_crash(world: World) -> None:
    competency(world.rotterdam, "Initiatief tonen")
    data = {"name": "initiatief tonen", "indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0"}

    response = login_client(world.hr).post("/programmes/competencies/new/", data)

    assert response.status_code == 200
    assert "Uw organisatie heeft al een competentie met deze naam." in response.content.decode()
    assert Competency.objects.for_organisation(world.rotterdam).count() == 1


# --- Additions: indicators in the self-assessment, periods, denials ---------------


def test_statement_about_one_behaviour_takes_its_competency(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.", "Brengt zelf in."))
    world.programme.competencies.add(initiative)
    first_step = initiative.indicators.get(position=0)

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/assessment/",
        assessment_post(
            [{"position": 1, "kind": "statement", "text": "Ik zet zelf een eerste stap.", "indicator": first_step.pk}]
        ),
    )

    assert response.status_code == 302
    item = world.programme.assessment_items.get()
    assert (item.competency, item.indicator) == (initiative, first_step)


def test_indicator_must_match_the_statements_competency(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.",))
    responsibility = competency(world.rotterdam, "Verantwoordelijkheid nemen", ("Komt afspraken na.",))
    world.programme.competencies.add(initiative, responsibility)

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/assessment/",
        assessment_post(
            [
                {
                    "position": 1,
                    "kind": "statement",
                    "text": "Ik kom afspraken na.",
                    "competency": initiative.pk,
                    "indicator": responsibility.indicators.get().pk,
                }
            ]
        ),
    )

    assert response.status_code == 200
    assert "indicator" in response.context["formset"].forms[0].errors
    assert not world.programme.assessment_items.exists()


@pytest.mark.parametrize("owner", ["haarlem", "rotterdam_outside_programme"])
def test_only_indicators_of_the_programmes_competencies_can_be_picked(world: World, owner: str) -> None:
    organisation = world.haarlem if owner == "haarlem" else world.rotterdam
    elsewhere = competency(organisation, "Opgaven zien", ("Agendeert een opgave.",))
    initiative = competency(world.rotterdam, "Initiatief tonen")
    world.programme.competencies.add(initiative)

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/assessment/",
        assessment_post(
            [
                {
                    "position": 1,
                    "kind": "statement",
                    "text": "Ik agendeer.",
                    "competency": initiative.pk,
                    "indicator": elsewhere.indicators.get().pk,
                }
            ]
        ),
    )

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not world.programme.assessment_items.exists()


def test_assessment_items_are_edited_reordered_and_removed(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen")
    world.programme.competencies.add(initiative)
    first = AssessmentItem.objects.create(programme=world.programme, competency=initiative, text="Eén", position=1)
    second = AssessmentItem.objects.create(programme=world.programme, kind="open", text="Twee", position=2)
    data = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-0-id": first.pk,
        "items-0-position": 5,
        "items-0-kind": "statement",
        "items-0-text": "Eén, herschreven",
        "items-0-competency": initiative.pk,
        "items-1-id": second.pk,
        "items-1-position": 2,
        "items-1-kind": "open",
        "items-1-text": "Twee",
        "items-1-DELETE": "on",
    }

    response = login_client(world.hr).post(f"/programmes/{world.programme.pk}/assessment/", data)

    assert response.status_code == 302
    assert [(item.text, item.position) for item in world.programme.assessment_items.all()] == [("Eén, herschreven", 5)]


def test_assessment_page_lists_items_in_their_order(world: World) -> None:
    AssessmentItem.objects.create(programme=world.programme, kind="open", text="Als laatste", position=9)
    AssessmentItem.objects.create(programme=world.programme, kind="open", text="Als eerste", position=1)

    page = login_client(world.hr).get(f"/programmes/{world.programme.pk}/assessment/").content.decode()

    assert page.index("Als eerste") < page.index("Als laatste")


def test_shortening_the_period_cannot_leave_phases_outside_it(world: World) -> None:
    late = Phase.objects.create(
        programme=world.programme, kind="harvest_session", starts_at=at(world.programme.ends_on - timedelta(days=3))
    )
    ends_on = world.programme.ends_on

    response = login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/edit/",
        programme_data(
            title=world.programme.title,
            starts_on=world.programme.starts_on.isoformat(),
            ends_on=(ends_on - timedelta(days=10)).isoformat(),
        ),
    )

    assert response.status_code == 200
    assert late.display_title in str(response.context["form"].non_field_errors())
    world.programme.refresh_from_db()
    assert world.programme.ends_on == ends_on


def test_copy_keeps_the_wall_clock_time_across_daylight_saving(world: World) -> None:
    # 2 November 2026 is winter time, 2 May 2027 summer time: the start day stays at 9:00.
    Phase.objects.create(programme=world.programme, kind="kick_off", starts_at=at(date(2026, 11, 2), 9))
    new_start = world.programme.starts_on + timedelta(days=181)

    login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/copy/", {"title": "Volgende ronde", "starts_on": new_start.isoformat()}
    )

    copy = Programme.objects.for_organisation(world.rotterdam).get(title="Volgende ronde")
    assert timezone.localtime(copy.phases.get().starts_at) == at(date(2027, 5, 2), 9)


def test_copy_keeps_statements_about_indicators(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.",))
    world.programme.competencies.add(initiative)
    indicator = initiative.indicators.get()
    AssessmentItem.objects.create(programme=world.programme, competency=initiative, indicator=indicator, text="Ik")

    login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/copy/", {"title": "Volgende ronde", "starts_on": "2027-09-01"}
    )

    copy = Programme.objects.for_organisation(world.rotterdam).get(title="Volgende ronde")
    assert copy.assessment_items.get().indicator == indicator


def test_hr_admin_edits_indicators_of_a_competency(world: World) -> None:
    made = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.", "Wacht af."))
    keep, drop = made.indicators.all()
    data = {
        "name": "Initiatief tonen",
        "description": "Zelf in actie komen.",
        "indicators-TOTAL_FORMS": "3",
        "indicators-INITIAL_FORMS": "2",
        "indicators-0-id": keep.pk,
        "indicators-0-text": "Zet zelf een eerste stap.",
        "indicators-1-id": drop.pk,
        "indicators-1-text": "Wacht af.",
        "indicators-1-DELETE": "on",
        "indicators-2-text": "Organiseert leeractiviteiten.",
    }

    response = login_client(world.hr).post(f"/programmes/competencies/{made.pk}/", data)

    assert response.status_code == 302
    made.refresh_from_db()
    assert made.description == "Zelf in actie komen."
    assert sorted(indicator.text for indicator in made.indicators.all()) == [
        "Organiseert leeractiviteiten.",
        "Zet zelf een eerste stap.",
    ]


def test_hr_admin_of_another_organisation_cannot_change_a_competency(world: World) -> None:
    made = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.",))
    data = {"name": "Gekaapt", "indicators-TOTAL_FORMS": "0", "indicators-INITIAL_FORMS": "0"}

    response = login_client(world.haarlem_hr).post(f"/programmes/competencies/{made.pk}/", data)

    assert response.status_code == 404
    made.refresh_from_db()
    assert made.name == "Initiatief tonen"


def test_indicator_of_another_competency_cannot_be_edited_through_the_formset(world: World) -> None:
    made = competency(world.rotterdam, "Initiatief tonen")
    foreign = competency(world.haarlem, "Opgaven zien", ("Agendeert een opgave.",)).indicators.get()
    data = {
        "name": "Initiatief tonen",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "1",
        "indicators-0-id": foreign.pk,
        "indicators-0-text": "Gekaapt",
    }

    response = login_client(world.hr).post(f"/programmes/competencies/{made.pk}/", data)

    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.text == "Agendeert een opgave."


@pytest.mark.parametrize("who", ["alice", "bob", "manager", "colleague"])
def test_people_without_hr_rights_cannot_touch_competencies(world: World, who: str) -> None:
    made = competency(world.rotterdam, "Initiatief tonen")
    client = login_client(getattr(world, who))

    assert client.get("/programmes/competencies/new/").status_code == 403
    assert client.post(f"/programmes/competencies/{made.pk}/", {"name": "Gekaapt"}).status_code == 403
    made.refresh_from_db()
    assert made.name == "Initiatief tonen"


def test_haarlem_cannot_pick_rotterdams_competency_for_its_own_programme(world: World) -> None:
    rotterdams = competency(world.rotterdam, "Initiatief tonen")

    response = login_client(world.haarlem_hr).post(
        f"/programmes/{world.haarlem_programme.pk}/edit/",
        programme_data(title=world.haarlem_programme.title, competencies=[rotterdams.pk]),
    )

    assert response.status_code == 200
    assert "competencies" in response.context["form"].errors
    assert not world.haarlem_programme.competencies.exists()


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_coach_and_participant_cannot_change_or_remove_a_phase(world: World, who: str) -> None:
    phase = Phase.objects.create(programme=world.programme, kind="kick_off", starts_at=at(world.programme.starts_on))
    client = login_client(getattr(world, who))

    edit = client.post(f"/programmes/{world.programme.pk}/phases/{phase.pk}/", phase_data("kick_off", phase.starts_at))
    delete = client.post(f"/programmes/{world.programme.pk}/phases/{phase.pk}/delete/")

    assert edit.status_code == delete.status_code == 403
    assert world.programme.phases.get() == phase


def test_home_offers_hr_admins_a_new_programme(world: World) -> None:
    hr_home = login_client(world.hr).get("/").content.decode()
    participant_home = login_client(world.alice).get("/").content.decode()

    assert 'href="/programmes/new/"' in hr_home
    assert 'href="/programmes/new/"' not in participant_home


def test_platform_staff_open_programmes_and_competencies_in_the_admin(world: World) -> None:
    initiative = competency(world.rotterdam, "Initiatief tonen", ("Zet een eerste stap.",))
    world.programme.competencies.add(initiative)
    Phase.objects.create(programme=world.programme, kind="kick_off", starts_at=at(world.programme.starts_on))
    AssessmentItem.objects.create(programme=world.programme, competency=initiative, text="Ik")
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)

    assert client.get(f"/admin/programmes/programme/{world.programme.pk}/change/").status_code == 200
    assert client.get(f"/admin/programmes/competency/{initiative.pk}/change/").status_code == 200
    assert client.get("/admin/programmes/competency/").status_code == 200
