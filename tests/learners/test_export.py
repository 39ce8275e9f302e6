"""A participant takes her learning plan along: a print-friendly page and a PDF, for her eyes only."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from learners.models import Action, Activity, Goal, Reflection, Swot
from programmes.models import BehaviourIndicator, Competency, Membership, Programme
from tests.conftest import World, login_client
from tests.factories import MembershipFactory

DUTCH_DATE = r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}"


def membership_of(world: World) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")


def urls(world: World) -> tuple[str, str]:
    base = f"/programmes/{world.programme.pk}/plan/"
    return f"{base}print/", f"{base}plan.pdf"


def pdf_text(content: bytes) -> str:
    """The text a reader of the PDF sees, over all pages, with runs of whitespace as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def plan(world: World) -> Goal:
    """Alice's plan: a SWOT and one goal with all its parts."""
    membership = membership_of(world)
    competency = Competency.objects.create(organisation=world.rotterdam, name="Initiatief tonen")
    indicator = BehaviourIndicator.objects.create(competency=competency, text="Doet zelf voorstellen in overleg")
    world.programme.competencies.add(competency)
    swot = Swot.objects.create(membership=membership, strengths="Ik ken de wijk.", threats="Te weinig tijd.")
    swot.strong_in.add(competency)
    goal = Goal.objects.create(
        membership=membership,
        title="Initiatief nemen in het wijkoverleg",
        why="Bewoners verwachten het.",
        success="Elk overleg een eigen voorstel.",
        visibility=Goal.Visibility.COACH,
    )
    goal.competencies.add(competency)
    goal.indicators.add(indicator)
    Activity.objects.create(goal=goal, kind=Activity.Kind.ON_THE_JOB, description="Elk overleg een voorstel inbrengen")
    Activity.objects.create(goal=goal, kind=Activity.Kind.FORMAL, description="Training overtuigen")
    Action.objects.create(goal=goal, description="Voorstel speeltuin inbrengen", due_on=date(2026, 12, 15))
    Action.objects.create(
        goal=goal,
        description="Buurtwethouder bellen",
        done_at=timezone.make_aware(datetime(2026, 3, 3, 10, 0)),
        done_note="Ze komt in april langs.",
    )
    Reflection.objects.create(
        goal=goal,
        tried="Zelf het overleg geopend",
        learned="Anderen sluiten aan.",
        created_at=timezone.make_aware(datetime(2026, 3, 2, 14, 30)),
    )
    return goal


# --- What the participant gets ------------------------------------------------------------


def test_the_print_page_holds_the_whole_plan_in_dutch(world: World, plan: Goal) -> None:
    print_url, pdf_url = urls(world)

    response = login_client(world.alice).get(print_url)

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert re.search(r"<h1[^>]*>Leerplan</h1>", page)
    assert "Gebiedsnetwerkers" in page
    assert escape(world.alice.get_full_name()) in page
    assert re.search(rf"Afgedrukt op</dt><dd[^>]*><time datetime=\"[^\"]+\">{DUTCH_DATE} \d\d:\d\d</time>", page)
    # SWOT
    assert re.search(r"Sterktes</dt><dd[^>]*>Ik ken de wijk.</dd>", page)
    assert re.search(r"Bedreigingen</dt><dd[^>]*>Te weinig tijd.</dd>", page)
    assert re.search(r"Competenties waarin ik sterk ben</dt><dd[^>]*>Initiatief tonen</dd>", page)
    # The goal, who sees it, why, success, competencies and behaviours
    assert "Initiatief nemen in het wijkoverleg</h3>" in page
    assert "Wie kan dit doel zien: Ik en mijn leercoach" in page
    assert "Bewoners verwachten het." in page and "Elk overleg een eigen voorstel." in page
    assert "Doet zelf voorstellen in overleg" in page
    # 70-20-10 activities, actions with due date and done state, the reflection journal
    assert "70 – in het werk:</strong> Elk overleg een voorstel inbrengen" in page
    assert "10 – formeel leren:</strong> Training overtuigen" in page
    assert re.search(
        r"Voorstel speeltuin inbrengen\s*<span[^>]*>\(uiterlijk 15 december 2026\)</span>\s*<div[^>]*>Nog niet klaar",
        page,
    )
    assert "Klaar op 3 maart 2026</strong>: Ze komt in april langs." in page
    assert "2 maart 2026 14:30</time></h5>" in page
    assert "Zelf het overleg geopend" in page and "Anderen sluiten aan." in page
    # On screen: print, download and back; the page itself stays in the site's layout
    assert 'id="print-plan">Afdrukken</button>' in page
    assert f'href="{pdf_url}">Downloaden als pdf</a>' in page
    assert f'href="/programmes/{world.programme.pk}/plan/">Terug naar mijn leerplan</a>' in page


def test_the_plan_page_links_to_the_print_page_and_the_pdf(world: World, plan: Goal) -> None:
    print_url, pdf_url = urls(world)

    page = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/").content.decode()

    assert f'href="{print_url}">Afdrukvriendelijke pagina</a>' in page
    assert f'href="{pdf_url}">Downloaden als pdf</a>' in page


def test_an_empty_plan_prints_with_an_invitation_to_start(world: World) -> None:
    page = login_client(world.alice).get(urls(world)[0]).content.decode()

    assert "U hebt uw SWOT nog niet geschreven." in page
    assert "Nog geen doelen. Waarin wilt u aan het eind van dit leertraject beter zijn?" in page


def test_the_pdf_is_a_real_pdf_of_the_plan_as_a_download(world: World, plan: Goal) -> None:
    response = login_client(world.alice).get(urls(world)[1])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="leerplan-gebiedsnetwerkers.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in (
        "Leerplan",
        "Gebiedsnetwerkers",
        world.alice.get_full_name(),
        "Ik ken de wijk.",
        "Initiatief nemen in het wijkoverleg",
        "Wie kan dit doel zien: Ik en mijn leercoach",
        "70 – in het werk: Elk overleg een voorstel inbrengen",
        "uiterlijk 15 december 2026",
        "Klaar op 3 maart 2026: Ze komt in april langs.",
        "Anderen sluiten aan.",
    ):
        assert expected in text, expected


def test_a_long_programme_title_gives_a_short_file_name_of_whole_words(world: World) -> None:
    world.programme.title = "Gebiedsnetwerkers: initiatief tonen en verantwoordelijkheid nemen in de wijk"
    world.programme.save()

    response = login_client(world.alice).get(urls(world)[1])

    filename = "leerplan-gebiedsnetwerkers-initiatief-tonen-en-verantwoordelijkheid.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_the_pdf_keeps_letters_of_names_beyond_western_europe(world: World, plan: Goal) -> None:
    world.alice.first_name, world.alice.last_name = "Ayşe", "Yıldız"
    world.alice.save()
    plan.title = "Łukasz en Şükrü betrekken bij het overleg"
    plan.save()

    text = pdf_text(login_client(world.alice).get(urls(world)[1]).content)

    assert "Ayşe Yıldız" in text
    assert "Łukasz en Şükrü betrekken bij het overleg" in text


# --- Only the owner ----------------------------------------------------------------------


def test_nobody_else_prints_or_downloads_the_plan(world: World, plan: Goal) -> None:
    for user in (world.bob, world.manager, world.hr, world.colleague, world.haarlem_hr, world.charlie):
        client = login_client(user)
        for url in urls(world):
            assert client.get(url).status_code in (403, 404), (url, user)


def test_another_participant_of_the_programme_gets_only_her_own_plan(world: World, plan: Goal) -> None:
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte", user__last_name="de Vries").user
    client = login_client(lotte)
    print_url, pdf_url = urls(world)

    page = client.get(print_url).content.decode()
    text = pdf_text(client.get(pdf_url).content)

    for shown in (page, text):
        assert "Lotte de Vries" in shown
        assert world.alice.get_full_name() not in shown and escape(world.alice.get_full_name()) not in shown
        assert "Initiatief nemen in het wijkoverleg" not in shown
        assert "Ik ken de wijk." not in shown


def test_no_print_or_pdf_while_the_programme_is_a_draft(world: World, plan: Goal) -> None:
    world.programme.status = Programme.Status.DRAFT
    world.programme.save()
    client = login_client(world.alice)

    for url in urls(world):
        assert client.get(url).status_code == 404, url


def test_signed_out_visitors_are_sent_to_sign_in(world: World, plan: Goal, client) -> None:
    for url in urls(world):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/account/login/")


# --- Query counts ------------------------------------------------------------------------


def test_the_print_page_keeps_its_query_count_from_1_to_30_goals(
    world: World, plan: Goal, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.alice)
    competency = plan.competencies.get()

    with django_assert_max_num_queries(30) as one:
        client.get(urls(world)[0])
    for number in range(29):
        goal = Goal.objects.create(membership=plan.membership, title=f"Doel {number}")
        goal.competencies.add(competency)
        Activity.objects.create(goal=goal, kind=Activity.Kind.FROM_OTHERS, description="Meelopen")
        Action.objects.create(goal=goal, description="Stap", due_on=date(2026, 6, 1))
        Reflection.objects.create(goal=goal, tried="Iets")

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(urls(world)[0]).content.decode()
    assert page.count("<h3 ") == 30
