"""Every account page is one of ours: inside the site layout, in Dutch, whatever the browser asks."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import World, login_client


def assert_dutch_page_in_layout(page: str) -> None:
    assert '<html lang="nl">' in page
    assert '<a class="visually-hidden-focusable skip-link" href="#content">Naar de inhoud</a>' in page
    assert '<main id="content"' in page
    assert "Taal:" in page  # the footer with the language switch


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/account/login/", "Aanmelden"),
        ("/account/password/reset/", "Nieuw wachtwoord"),
        ("/account/password/reset/done/", "Nieuw wachtwoord"),
        ("/account/signup/", "Registratie gesloten"),
        ("/account/confirm-email/", "Verifieer uw e-mailadres"),
        ("/account/inactive/", "Account inactief"),
    ],
)
def test_entrance_pages(client: Client, db: None, path: str, heading: str) -> None:
    response = client.get(path, headers={"accept-language": "en-GB,en;q=0.9"})

    assert response.status_code == 200
    page = response.content.decode()
    assert_dutch_page_in_layout(page)
    assert f'<h1 class="mb-3">{heading}</h1>' in " ".join(page.split()).replace("> ", ">").replace(" <", "<")


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/account/logout/", "Afmelden"),
        ("/account/email/", "E-mailadressen"),
        ("/account/password/change/", "Wachtwoord wijzigen"),
        ("/account/2fa/", "Twee-factor-authenticatie"),
    ],
)
def test_account_settings_pages(world: World, path: str, heading: str) -> None:
    response = login_client(world.alice).get(path, headers={"accept-language": "en"})

    assert response.status_code == 200
    page = response.content.decode()
    assert_dutch_page_in_layout(page)
    assert f'<h1 class="mb-3">{heading}</h1>' in " ".join(page.split()).replace("> ", ">").replace(" <", "<")
    assert 'aria-label="Accountinstellingen"' in page
