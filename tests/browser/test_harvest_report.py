"""A manager in the browser reads the harvest report: the summary, the reasons, the growth chart
with its table, the quotes; filters it by community, where a community of two shows no figures;
asks for the PDF and finds its download; and finds the link to answer. Every state accessible."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from harvest.models import ReportExport
from tests.conftest import World
from tests.harvest.report_data import NAMED_QUOTE, NOT_ACHIEVED_WHY, WITHDRAWN_QUOTE, known_harvest

from .conftest import assert_accessible


def test_a_manager_reads_the_report_and_filters_it_by_community(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    known = known_harvest(world)

    login(world.manager)
    page.get_by_role("link", name="Oogstrapport").click()
    expect(page.get_by_role("heading", name="Oogstrapport", level=1)).to_be_visible()
    summary = page.locator("section", has=page.get_by_role("heading", name="In het kort"))
    expect(summary).to_contain_text("8 deelnemers, van wie 7 actief waren (88%).")
    expect(page.get_by_text(NOT_ACHIEVED_WHY)).to_be_visible()
    chart = page.get_by_role("img", name="Groei per competentie")
    expect(chart).to_be_visible()
    growth = page.get_by_role("table", name="Gemiddelde score aan het begin en aan het eind, per competentie")
    expect(growth.get_by_role("row", name=re.compile("Initiatief tonen"))).to_contain_text("2,2")
    expect(growth.get_by_role("row", name=re.compile("Verantwoordelijkheid nemen"))).to_contain_text(
        "Minder dan 5 mensen: niet getoond."
    )
    expect(page.get_by_text(NAMED_QUOTE)).to_be_visible()
    expect(page.get_by_text(WITHDRAWN_QUOTE)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Antwoord geven"))).to_have_count(3)
    assert_accessible(page)

    page.get_by_label("Toon het rapport van").select_option(label="Noord")
    page.get_by_role("button", name="Tonen").click()
    expect(page).to_have_url(re.compile(rf"\?community={known.noord.pk}$"))
    expect(page.locator(".lead")).to_contain_text("Leergemeenschap Noord")
    expect(summary).to_contain_text("5 deelnemers, van wie 4 actief waren (80%).")
    assert_accessible(page)

    # The PDF is made in the background (in process here): the status page offers the download.
    page.get_by_role("button", name="Pdf maken").click()
    expect(page).to_have_url(re.compile(r"/harvest/report/exports/\d+/$"))
    expect(page.get_by_role("heading", name="Oogstrapport als pdf", level=1)).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Leergemeenschap Noord")
    expect(page.get_by_role("link", name="Pdf downloaden")).to_have_attribute(
        "href", re.compile(r"/harvest/report/exports/\d+/report\.pdf$")
    )
    expect(page.get_by_role("link", name="Vernieuwen")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar het oogstrapport").click()
    expect(page).to_have_url(re.compile(rf"\?community={known.noord.pk}$"))

    page.get_by_label("Toon het rapport van").select_option(label="Zuid")
    page.get_by_role("button", name="Tonen").click()
    expect(summary).to_contain_text("Deze groep telt minder dan 5 mensen, dus het rapport toont geen cijfers")
    expect(page.get_by_role("img", name="Groei per competentie")).to_have_count(0)
    expect(page.get_by_role("table", name="Deelnemers naar hoe ver ze meededen")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Antwoord geven")).first.click()
    expect(page).to_have_url(re.compile(r"/harvest/answers/new/\?contribution=\d+$"))


def test_the_pdf_status_page_stops_waiting_when_the_export_is_gone(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    pending = ReportExport.objects.create(programme=world.programme, requested_by=world.manager, language="nl")

    login(world.manager)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/harvest/report/exports/{pending.pk}/")
    refresh = page.get_by_role("link", name="Vernieuwen")
    expect(refresh).to_be_hidden()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "state" in request.url else None)
    pending.delete()

    expect(refresh).to_be_visible(timeout=10_000)
    settled = len(asked)
    page.wait_for_timeout(4_500)
    assert settled >= 1 and len(asked) == settled
    assert_accessible(page)
