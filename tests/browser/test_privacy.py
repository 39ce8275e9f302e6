"""AVG rights and the audit trail in the browser: a participant reads what is stored about them;
HR erases a person (a wrong confirmation first), then finds the erasure in the audit trail.
Every page accessible."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from accounts.models import User
from tests.conftest import World
from tests.factories import GoalFactory, MembershipFactory

from .conftest import assert_accessible


def test_a_participant_reads_their_data_and_hr_erases_a_person(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    GoalFactory(membership=world.programme.memberships.get(user=world.alice), title="Beter netwerken in Feijenoord")
    leaver = MembershipFactory(programme=world.programme, user__first_name="Zebedeüs", user__last_name="Quaxelaar").user

    login(world.alice)
    page.get_by_role("button", name="Alice – accountmenu").click()
    page.get_by_role("link", name="Mijn gegevens").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Beter netwerken in Feijenoord")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    login(world.hr)
    page.goto(f"{live_server.url}/privacy/people/")
    expect(page.get_by_role("heading", name="Persoonsgegevens wissen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="Quaxelaar").get_by_role("link").click()
    page.get_by_role("textbox").fill("iemand-anders@example.nl")
    page.get_by_role("button", name="Persoonsgegevens wissen").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox").fill(leaver.email)
    page.get_by_role("button", name="Persoonsgegevens wissen").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_be_visible()

    leaver = User.objects.get(pk=leaver.pk)
    assert "Quaxelaar" not in f"{leaver.first_name} {leaver.last_name} {leaver.email}"
    assert not leaver.is_active

    page.goto(f"{live_server.url}/privacy/audit/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("main").get_by_text("Gewist").first).to_be_visible()
    assert_accessible(page)
