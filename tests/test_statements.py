"""The accessibility and privacy statements: public, in Dutch and English, linked from every page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import World, login_client

STATEMENTS = {
    "/toegankelijkheid": ("Toegankelijkheidsverklaring", "Accessibility statement"),
    "/privacyverklaring": ("Privacyverklaring", "Privacy statement"),
}


@pytest.mark.parametrize("path", STATEMENTS)
def test_a_statement_is_readable_without_signing_in_in_dutch_and_english(client: Client, db: None, path: str) -> None:
    dutch, english = STATEMENTS[path]

    page = client.get(path)
    assert page.status_code == 200
    assert f'<h1 class="mb-3">{dutch}</h1>' in page.content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(path)
    assert page.status_code == 200
    assert f'<h1 class="mb-3">{english}</h1>' in page.content.decode()


def test_the_accessibility_statement_follows_the_dutch_model(client: Client, db: None) -> None:
    page = client.get("/toegankelijkheid").content.decode()

    assert "voldoet gedeeltelijk aan WCAG 2.1 niveau AA" in page
    assert "geen getagde pdf-bestanden (PDF/UA)" in page
    assert "axe-core" in page
    assert "25 november 2026" in page
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in page
    assert "Nationale ombudsman" in page


def test_the_privacy_statement_names_the_controller_and_its_retention(world: World) -> None:
    world.rotterdam.retention_months = 18
    world.rotterdam.save()

    page = login_client(world.alice).get("/privacyverklaring").content.decode()

    assert "Gemeente Rotterdam, uw werkgever, is verwerkingsverantwoordelijke" in page
    assert "Leertraject is verwerker" in page
    assert "Gemeente Rotterdam bewaart persoonsgegevens 18 maanden nadat een traject is afgesloten." in page
    assert "Aantekeningen van coachgesprekken ziet alleen de leercoach die ze schreef." in page


def test_without_a_retention_period_the_privacy_statement_names_none(world: World) -> None:
    page = login_client(world.alice).get("/privacyverklaring").content.decode()

    assert "Elke organisatie bepaalt hoe lang" in page
    assert "bewaart persoonsgegevens" not in page


def test_the_privacy_statement_for_visitors_names_the_municipality_as_controller(client: Client, db: None) -> None:
    page = client.get("/privacyverklaring").content.decode()

    assert "De gemeente waarvoor u werkt is verwerkingsverantwoordelijke" in page


def test_every_page_links_both_statements_in_its_footer(world: World, client: Client) -> None:
    pages = [
        client.get("/account/login/"),
        login_client(world.alice).get(f"/programmes/{world.programme.pk}/"),
        login_client(world.hr).get("/"),
    ]
    for response in pages:
        footer = response.content.decode().split('<footer class="site-footer')[1]
        assert '<a href="/toegankelijkheid">Toegankelijkheid</a>' in footer
        assert '<a href="/privacyverklaring">Privacy</a>' in footer
