"""Every demo role signs in through the browser and finds the home page that fits them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.models import User

from .conftest import assert_accessible

# (demo email, heading of the section that role must see)
DEMO_ROLES = [
    ("deelnemer@rotterdam.example", "Mijn leertrajecten"),
    ("coach@rotterdam.example", "Trajecten die ik begeleid"),
    ("manager@rotterdam.example", "Trajecten die ik volg als leidinggevende"),
    ("hr@rotterdam.example", "Alle leertrajecten van Gemeente Rotterdam"),
    ("deelnemer@haarlem.example", "Mijn leertrajecten"),
    ("coach@haarlem.example", "Trajecten die ik begeleid"),
    ("manager@haarlem.example", "Trajecten die ik volg als leidinggevende"),
    ("hr@haarlem.example", "Alle leertrajecten van Gemeente Haarlem"),
]


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize(("email", "section"), DEMO_ROLES)
def test_demo_role_signs_in_and_sees_their_home(
    demo_data: None, login: Any, live_server: Any, page: Page, email: str, section: str
) -> None:
    user = User.objects.get(email=email)
    login(user, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)

    expect(page.get_by_role("heading", level=1)).to_contain_text(user.first_name)
    expect(page.get_by_role("heading", name=section)).to_be_visible()
    expect(page.locator("header")).to_contain_text(user.organisation.name)
    assert_accessible(page)
