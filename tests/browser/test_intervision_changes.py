"""A member of an intervision group moves a planned session to another room, then cancels it,
in the browser; every page state is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from intervision import sessions
from intervision.methods import seed_library
from intervision.models import GroupMember, IntervisionSession, Method
from programmes.models import Membership
from tests.conftest import World
from tests.factories import GroupMemberFactory, IntervisionGroupFactory

from .conftest import assert_accessible


def test_a_member_moves_and_then_cancels_a_planned_session(
    live_server: Any, login: Any, page: Page, world: World
) -> None:
    group = IntervisionGroupFactory(programme=world.programme, name="Groep Noord")
    GroupMember.objects.create(
        group=group, membership=Membership.objects.unscoped().get(user=world.alice, programme=world.programme)
    )
    for name in ("Dirk", "Eva"):
        GroupMemberFactory(group=group, membership__user__first_name=name, membership__user__last_name="Test")
    seed_library(world.rotterdam)
    people = {person.first_name: person for person in sessions.group_users(group)}
    session = sessions.plan_session(
        group,
        method=Method.objects.for_organisation(world.rotterdam).get(name="Incidentmethode"),
        starts_at=timezone.now() + timedelta(days=7),
        location="Stadhuis, zaal 2.14",
        case_bringer=people["Alice"],
        facilitator=people["Dirk"],
        timekeeper=people["Eva"],
    )

    login(world.alice)
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/intervision/sessions/{session.pk}/")
    page.get_by_role("link", name="Sessie wijzigen").click()
    expect(page.get_by_role("heading", name="Sessie wijzigen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Plaats").fill("Stadswinkel, zaal 1.01")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(page.locator(".alert-success")).to_contain_text("De herinneringen volgen de nieuwe tijd.")
    expect(page.get_by_text("Stadswinkel, zaal 1.01")).to_be_visible()

    page.get_by_role("link", name="Sessie annuleren").click()
    expect(page.get_by_role("heading", name="Sessie annuleren", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sessie annuleren").click()
    expect(page.locator(".alert-success")).to_contain_text("is geannuleerd.")
    expect(page.get_by_role("heading", name="Sessies van Groep Noord")).to_be_visible()
    assert_accessible(page)
    assert not IntervisionSession.objects.unscoped().filter(pk=session.pk).exists()
