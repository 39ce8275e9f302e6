"""The harvest report as PDF, CSV and Excel: the page's sections, figures, suppressions and quotes,
and the same access rules."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from harvest import contributions, report_exports
from harvest.models import REPORT_EXPORT_LIFETIME, Contribution, Quote, ReportExport
from harvest.tasks import delete_expired_report_exports_task
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory, ProgrammeFactory, ReportExportFactory

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


def request_pdf(client: Client, known: KnownHarvest, query: str = "") -> str:
    """Press "Pdf maken" (the task runs in process, as in ``make run``); the status page's URL."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{known.url}exports/new/{query}")
    assert response.status_code == 302
    assert re.fullmatch(rf"{known.url}exports/\d+/", response.url)
    return response.url


def download(known: KnownHarvest, query: str = "", user: User | None = None) -> HttpResponse:
    """Request the PDF, find the download link on the status page, and download it."""
    client = login_client(user or known.world.manager)
    status_url = request_pdf(client, known, query)
    page = client.get(status_url).content.decode()
    assert f'href="{status_url}report.pdf"' in page
    response = client.get(f"{status_url}report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response


def pdf_of(known: KnownHarvest, query: str = "") -> str:
    return pdf_text(download(known, query).content)


def csv_rows(known: KnownHarvest, query: str = "") -> list[list[str]]:
    response = login_client(known.world.manager).get(export_url(known, "csv", query))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


# --- PDF -----------------------------------------------------------------------------------------


def test_the_pdf_is_a_download_with_the_pages_sections(known: KnownHarvest) -> None:
    response = download(known)

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


def test_the_pdf_is_in_the_language_of_the_manager_who_asked_for_it(known: KnownHarvest) -> None:
    User.objects.filter(pk=known.world.manager.pk).update(language=User.Language.ENGLISH)

    response = download(known)

    assert response["Content-Disposition"] == 'attachment; filename="harvest-report-gebiedsnetwerkers.pdf"'
    text = pdf_text(response.content)
    assert "Harvest report" in text and "Participation" in text and "Oogstrapport" not in text
    assert ReportExport.objects.unscoped().get().language == "en"


def test_the_status_page_offers_the_download_and_works_without_javascript(known: KnownHarvest) -> None:
    client = login_client(known.world.manager)
    status_url = request_pdf(client, known, f"?community={known.noord.pk}")

    page = client.get(status_url).content.decode()
    assert "Pdf downloaden" in page and "Leergemeenschap Noord" in page
    assert 'src="/static/js/report-export.js"' in page and "<script>" not in page
    assert client.get(f"{status_url}state/").json() == {"status": "ready"}
    response = client.get(f"{status_url}report.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="oogstrapport-gebiedsnetwerkers-noord.pdf"'


def test_a_pending_export_says_it_is_being_made_with_a_refresh_link(known: KnownHarvest) -> None:
    export = ReportExportFactory(
        programme=known.programme, requested_by=known.world.manager, status=ReportExport.Status.PENDING, pdf=None
    )
    client = login_client(known.world.manager)
    url = f"{known.url}exports/{export.pk}/"

    page = client.get(url).content.decode()

    assert "wordt gemaakt" in page and f'<a href="{url}">Vernieuwen</a>' in page
    assert client.get(f"{url}state/").json() == {"status": "pending"}
    assert client.get(f"{url}report.pdf").url == url


def test_a_pdf_that_could_not_be_made_says_so_and_can_be_asked_again(known: KnownHarvest) -> None:
    client = login_client(known.world.manager)
    # The manager is no longer a manager when the worker gets to the PDF: it is not made.
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = client.post(f"{known.url}exports/new/?community={known.noord.pk}")
    Membership.objects.unscoped().filter(user=known.world.manager).delete()
    for callback in callbacks:
        callback()
    export = ReportExport.objects.unscoped().get()
    assert export.status == ReportExport.Status.FAILED and export.pdf is None
    MembershipFactory(programme=known.programme, user=known.world.manager, role=Membership.Role.MANAGER)

    page = client.get(response.url).content.decode()
    assert "De pdf kon niet worden gemaakt" in page
    assert f'action="{known.url}exports/new/?community={known.noord.pk}"' in page and "Opnieuw proberen" in page


def test_a_ready_export_is_not_made_again(known: KnownHarvest) -> None:
    export = ReportExportFactory(programme=known.programme, requested_by=known.world.manager, pdf=b"%PDF-first")

    assert report_exports.render_export(export.pk) == ReportExport.Status.READY

    export.refresh_from_db()
    assert bytes(export.pdf) == b"%PDF-first"


def test_withdrawing_a_quote_deletes_the_programmes_pdfs(known: KnownHarvest, django_assert_num_queries) -> None:
    url = request_pdf(login_client(known.world.manager), known)
    elsewhere = ReportExportFactory(programme=known.world.haarlem_programme)
    quote = Quote.objects.unscoped().get(text=NAMED_QUOTE)

    with django_assert_num_queries(1):
        assert report_exports.forget_exports_quoting(quote) == 1
    url = request_pdf(login_client(known.world.manager), known)
    contributions.quote_withdraw(quote)

    assert login_client(known.world.manager).get(f"{url}report.pdf").status_code == 404
    assert list(ReportExport.objects.unscoped().values_list("pk", flat=True)) == [elsewhere.pk]


def test_an_export_older_than_an_hour_is_not_handed_out_and_is_deleted(known: KnownHarvest) -> None:
    old = ReportExportFactory(
        programme=known.programme,
        requested_by=known.world.manager,
        created_at=timezone.now() - REPORT_EXPORT_LIFETIME - timedelta(minutes=1),
    )
    young = ReportExportFactory(programme=known.programme, requested_by=known.world.manager)
    client = login_client(known.world.manager)

    assert client.get(f"{known.url}exports/{old.pk}/report.pdf").status_code == 404
    assert client.get(f"{known.url}exports/{young.pk}/report.pdf").status_code == 200
    assert delete_expired_report_exports_task() == 1
    assert list(ReportExport.objects.unscoped().values_list("pk", flat=True)) == [young.pk]


def test_asking_for_the_pdf_takes_the_same_queries_for_any_number_of_participants(known: KnownHarvest) -> None:
    client = login_client(known.world.manager)

    def post_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.post(f"{known.url}exports/new/?community={known.noord.pk}").status_code == 302
        return len(queries)

    few = post_queries()
    for _ in range(20):
        MembershipFactory(programme=known.programme)
    assert post_queries() == few <= 12


def test_the_status_page_and_download_take_a_handful_of_queries(
    known: KnownHarvest, django_assert_max_num_queries
) -> None:
    export = ReportExportFactory(programme=known.programme, requested_by=known.world.manager)
    client = login_client(known.world.manager)
    url = f"{known.url}exports/{export.pk}/"

    # Session, user, the export, the requester's roles, permissions, and the page's own
    # (organisation, unread notifications) or the audit record; two savepoints.
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"{url}state/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"{url}report.pdf").status_code == 200


def test_the_pdf_follows_the_reports_access_rules_and_is_its_requesters_only(known: KnownHarvest) -> None:
    new = f"{known.url}exports/new/"
    other = ProgrammeFactory(organisation=known.world.rotterdam)
    manager_of_b = MembershipFactory(programme=other, role=Membership.Role.MANAGER).user
    colleague = MembershipFactory(programme=known.programme, role=Membership.Role.MANAGER).user

    assert login_client(known.world.alice).post(new).status_code == 403
    assert login_client(manager_of_b).post(new).status_code == 404
    assert login_client(known.world.charlie).post(new).status_code == 404
    assert login_client(known.world.manager).post(f"{new}?community=999999").status_code == 404
    assert login_client(known.world.manager).get(new).status_code == 405
    hr = login_client(known.world.hr)  # signed in once: a second factor's code counts once
    assert hr.post(new).status_code == 302

    export = ReportExportFactory(programme=known.programme, requested_by=known.world.manager)
    url = f"{known.url}exports/{export.pk}/"
    others = [login_client(user) for user in (colleague, known.world.alice, manager_of_b, known.world.charlie)]
    for client in [hr, *others, login_client(known.world.haarlem_hr)]:
        for path in ("", "state/", "report.pdf"):
            assert client.get(f"{url}{path}").status_code == 404, path
    assert (
        login_client(known.world.manager).get(f"/programmes/{other.pk}/harvest/report/exports/{export.pk}/").status_code
        == 404
    )
    Membership.objects.unscoped().filter(user=known.world.manager).delete()
    assert login_client(known.world.manager).get(f"{url}report.pdf").status_code == 404


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


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exports_follow_the_reports_access_rules(known: KnownHarvest, extension: str) -> None:
    url = export_url(known, extension)
    other = ProgrammeFactory(organisation=known.world.rotterdam)
    manager_of_b = MembershipFactory(programme=other, role=Membership.Role.MANAGER).user

    assert login_client(known.world.alice).get(url).status_code == 403
    assert login_client(manager_of_b).get(url).status_code == 404
    assert login_client(known.world.charlie).get(url).status_code == 404
    assert login_client(known.world.hr).get(url).status_code == 200
    assert login_client(known.world.manager).get(f"{url}?community=999999").status_code == 404
