"""The harvest report as PDF, CSV and Excel: the page's sections, figures, suppressions and quotes,
and the same access rules."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from harvest.models import Contribution, Quote
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, ProgrammeFactory

from .report_data import NAMED_QUOTE, UNCONSENTED_QUOTE, UNNAMED_QUOTE, WITHDRAWN_QUOTE, KnownHarvest, known_harvest

HIDDEN = "Minder dan 5 mensen: niet getoond"


@pytest.fixture
def known(world: World) -> KnownHarvest:
    return known_harvest(world)


def export_url(known: KnownHarvest, extension: str, query: str = "") -> str:
    return f"/programmes/{known.programme.pk}/harvest/report.{extension}{query}"


def pdf_text(content: bytes) -> str:
    """The PDF's text on one line per page, with line breaks inside sentences undone."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_of(known: KnownHarvest, query: str = "") -> str:
    response = login_client(known.world.manager).get(export_url(known, "pdf", query))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return pdf_text(response.content)


def csv_rows(known: KnownHarvest, query: str = "") -> list[list[str]]:
    response = login_client(known.world.manager).get(export_url(known, "csv", query))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


# --- PDF -----------------------------------------------------------------------------------------


def test_the_pdf_is_a_download_with_the_pages_sections(known: KnownHarvest) -> None:
    response = login_client(known.world.manager).get(export_url(known, "pdf"))

    assert response["Content-Disposition"] == 'attachment; filename="oogstrapport-gebiedsnetwerkers.pdf"'
    text = pdf_text(response.content)
    for heading in (
        "Oogstrapport",
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
        assert heading in text
    assert "8 deelnemers, van wie 7 actief waren (88%)." in text
    assert "Leergemeenschap Noord" in text and "De corporatie had geen tijd." in text
    assert "gewijzigd op" in text
    assert HIDDEN in text  # Verantwoordelijkheid nemen: four people
    assert "Antwoord geven" not in text and "Een thema beantwoorden" not in text


def test_the_pdf_draws_the_growth_chart_with_its_values(known: KnownHarvest) -> None:
    text = pdf_of(known)

    chart = text.split("Groei per competentie")[1]
    assert "Initiatief tonen Start 2,2 Eind 3,8" in chart


def test_the_pdf_shows_the_same_quotes_as_the_page(known: KnownHarvest) -> None:
    text = pdf_of(known)

    assert NAMED_QUOTE in text and known.world.alice.get_full_name() in text
    assert UNNAMED_QUOTE in text
    assert WITHDRAWN_QUOTE not in text and UNCONSENTED_QUOTE not in text
    assert known.participants[7].user.get_full_name() not in text


def test_a_withdrawn_quote_disappears_from_the_pdf(known: KnownHarvest) -> None:
    assert NAMED_QUOTE in pdf_of(known)
    quote = Quote.objects.unscoped().get(text=NAMED_QUOTE)

    withdraw = f"/programmes/{known.programme.pk}/harvest/quotes/{quote.pk}/withdraw/"
    assert login_client(known.world.alice).post(withdraw).status_code == 302

    text = pdf_of(known)
    assert NAMED_QUOTE not in text and known.world.alice.get_full_name() not in text


def test_an_unnamed_quote_has_no_name_in_the_pdf(known: KnownHarvest) -> None:
    Quote.objects.unscoped().filter(text=NAMED_QUOTE).update(named=False)

    text = pdf_of(known)

    assert NAMED_QUOTE in text and known.world.alice.get_full_name() not in text


def test_the_pdf_of_a_small_community_shows_no_figure(known: KnownHarvest) -> None:
    text = pdf_of(known, f"?community={known.zuid.pk}")

    assert "Leergemeenschap Zuid" in text
    assert "Deze groep telt minder dan 5 mensen, dus het rapport toont geen cijfers" in text
    assert "deelnemers, van wie" not in text and "Ingeschreven" not in text


# --- CSV and Excel -------------------------------------------------------------------------------


def test_the_csv_holds_the_same_figures_and_texts(known: KnownHarvest) -> None:
    response = login_client(known.world.manager).get(export_url(known, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="oogstrapport-gebiedsnetwerkers.csv"'
    assert response.content.startswith("\ufeff".encode())

    rows = csv_rows(known)
    assert rows[0] == ["Onderdeel", "Onderwerp", "Toelichting", "Cijfer", "Tekst"]
    assert rows[1] == ["Oogstrapport", "Gebiedsnetwerkers", "Hele leertraject", "", ""]
    assert ["Deelname", "Ingeschreven", "", "8", ""] in rows
    assert ["Deelname", "Actief", "88%", "7", ""] in rows
    assert ["Leerdoelen", "Bereikt", "", "3", ""] in rows
    assert ["Leerdoelen", "Nog geen resultaat", "", "1", ""] in rows
    assert ["Waarom deels of niet", "Deels bereikt", "", "", "De woningcorporatie haakte halverwege af."] in rows
    assert ["Bijdrage", "Noord", "Waarom niet", "", "De corporatie had geen tijd."] in rows
    assert ["Bijdrage", "Individuele bijdrage", "Wat we leerden", "", "Zelf beginnen werkt."] in rows
    answers = [row for row in rows if row[0] == "Antwoord van het management"]
    assert [row[1] for row in answers] == ["Noord", "Ruimte in de agenda voor leren"]
    assert answers[0][2].startswith("Wij gaan ermee aan de slag, uiterlijk 1 april 2027, ")
    assert "gewijzigd op" in answers[0][2] and "gewijzigd op" not in answers[1][2]
    assert ["Actie van een leergemeenschap", "Noord", "Wijkreis met de corporatie · Geannuleerd · Niet bereikt", "",
            "Geen budget voor de bus."] in rows  # fmt: skip
    assert ["Groei per competentie", "Initiatief tonen", "Mensen", "6", ""] in rows
    assert ["Groei per competentie", "Initiatief tonen", "Start", "2,2", ""] in rows
    assert ["Groei per competentie", "Initiatief tonen", "Eind", "3,8", ""] in rows
    assert ["Groei per competentie", "Verantwoordelijkheid nemen", "", "", HIDDEN] in rows
    quotes = [row for row in rows if row[0] == "Citaat"]
    assert [(row[1], row[4]) for row in quotes] == [("Noord", NAMED_QUOTE), ("Individuele bijdrage", UNNAMED_QUOTE)]
    assert quotes[0][2].endswith(known.world.alice.get_full_name())
    assert quotes[1][2] == f"Oogstsessie Gebiedsnetwerkers, {quotes[1][2].split(', ')[1]}"
    assert ["Nieuw initiatief", "Intervisiegroep starten", "Aanmeldingen", "6", ""] in rows
    assert ["Nieuw initiatief", "Buurtlunch", "Aanmeldingen", "", HIDDEN] in rows
    flat = "\n".join(";".join(row) for row in rows)
    assert WITHDRAWN_QUOTE not in flat and UNCONSENTED_QUOTE not in flat


def test_the_csv_of_a_small_community_suppresses_every_figure(known: KnownHarvest) -> None:
    rows = csv_rows(known, f"?community={known.zuid.pk}")

    assert rows[1] == ["Oogstrapport", "Gebiedsnetwerkers", "Zuid", "", ""]
    assert ["Deelname", "", "", "", HIDDEN] in rows
    assert ["Leerdoelen", "", "", "", HIDDEN] in rows
    assert all(row[3] == "" for row in rows[1:])
    assert ["Waarom deels of niet", "Niet bereikt", "", "", "Te weinig steun van mijn leidinggevende."] in rows


def test_a_text_that_looks_like_a_formula_stays_text(known: KnownHarvest) -> None:
    Contribution.objects.unscoped().filter(pk=known.noord_contribution.pk).update(learned="=HYPERLINK(1)")

    rows = csv_rows(known)

    assert ["Bijdrage", "Noord", "Wat we leerden", "", "'=HYPERLINK(1)"] in rows


def test_the_excel_file_has_the_same_rows_with_numbers_as_numbers(known: KnownHarvest) -> None:
    response = login_client(known.world.manager).get(export_url(known, "xlsx", f"?community={known.noord.pk}"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="oogstrapport-gebiedsnetwerkers-noord.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Oogstrapport"
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Onderdeel", "Onderwerp", "Toelichting", "Cijfer", "Tekst"]
    assert ["Deelname", "Ingeschreven", "", 5, ""] in rows
    assert ["Groei per competentie", "Initiatief tonen", "Start", 2.0, ""] in rows
    assert ["Groei per competentie", "Initiatief tonen", "Eind", 4.0, ""] in rows
    assert ["Nieuw initiatief", "Intervisiegroep starten", "Aanmeldingen", 5, ""] in rows
    assert ["Groei per competentie", "Verantwoordelijkheid nemen", "", "", HIDDEN] in rows
    assert UNNAMED_QUOTE not in str(rows)  # p7 is in no community


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["pdf", "csv", "xlsx"])
def test_exports_follow_the_reports_access_rules(known: KnownHarvest, extension: str) -> None:
    url = export_url(known, extension)
    other = ProgrammeFactory(organisation=known.world.rotterdam)
    manager_of_b = MembershipFactory(programme=other, role=Membership.Role.MANAGER).user

    assert login_client(known.world.alice).get(url).status_code == 403
    assert login_client(manager_of_b).get(url).status_code == 404
    assert login_client(known.world.charlie).get(url).status_code == 404
    assert login_client(known.world.hr).get(url).status_code == 200
    assert login_client(known.world.manager).get(f"{url}?community=999999").status_code == 404
