"""An HR admin imports a spreadsheet of 80 people, checks the preview, confirms and sends the invitations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core import mail
from playwright.sync_api import Page, expect

from programmes.models import Invitation, Membership
from tests.conftest import World

from .conftest import assert_accessible


def write_csv(path: Path, count: int, manager: str) -> Path:
    lines = ["Voornaam;Achternaam;E-mailadres;Functie;Afdeling;E-mail leidinggevende"]
    lines += [
        f"Deelnemer{n};van Wijk;deelnemer{n}@rotterdam.example;Gebiedsnetwerker;Noord;{manager}" for n in range(count)
    ]
    path.write_text("\r\n".join(lines), encoding="utf-8-sig")
    return path


def test_hr_admin_imports_80_people_and_invites_them(
    live_server: Any, login: Any, page: Page, world: World, tmp_path: Path
) -> None:
    login(world.hr)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/")
    page.get_by_role("link", name="Mensen en uitnodigingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mensen")
    assert_accessible(page)

    page.get_by_label("Spreadsheet").set_input_files(write_csv(tmp_path / "fout.csv", 3, "onbekend@rotterdam.example"))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("alert")).to_contain_text("3 regels hebben een probleem.")
    expect(page.get_by_role("button", name="Bevestigen en inschrijven")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Terug naar mensen").click()
    page.get_by_label("Spreadsheet").set_input_files(write_csv(tmp_path / "deelnemers.csv", 80, world.manager.email))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("status")).to_contain_text("Geen problemen gevonden")
    expect(page.locator("tbody tr")).to_have_count(80)
    assert_accessible(page)
    page.get_by_role("button", name="Bevestigen en inschrijven").click()
    expect(page.get_by_text("Import klaar: 80 ingeschreven, 80 nieuwe accounts")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Nodig iedereen uit die nog geen uitnodiging heeft").click()
    expect(page.get_by_text("81 uitnodigingen worden verstuurd.")).to_be_visible()
    assert_accessible(page)

    participants = Membership.objects.for_organisation(world.rotterdam).filter(
        programme=world.programme, role="participant"
    )
    assert participants.count() == 81
    assert Invitation.objects.for_organisation(world.rotterdam).filter(sent_at__isnull=False).count() == 81
    assert len(mail.outbox) == 81
