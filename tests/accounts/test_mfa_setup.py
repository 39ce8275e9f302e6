"""An HR admin without an authenticator app: sent to set one up, and walked through it."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from tests.accounts.test_organisation import png_bytes
from tests.conftest import World, login_client, totp_code
from tests.factories import TEST_PASSWORD, HRAdminFactory

ACTIVATE_URL = "/account/2fa/totp/activate/"
WARNING = "Als HR-beheerder meldt u zich aan met twee-factor-authenticatie"


def newcomer_client(world: World) -> tuple[User, Client]:
    """A freshly signed-in HR admin of Rotterdam who has no authenticator app yet."""
    newcomer = HRAdminFactory(organisation=world.rotterdam, authenticator=False)
    client = Client()
    response = client.post("/account/login/", {"login": newcomer.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    return newcomer, client


def test_the_redirect_explains_itself_in_dutch(world: World) -> None:
    _newcomer, client = newcomer_client(world)

    response = client.get("/programmes/", follow=True)

    assert response.redirect_chain[0] == (ACTIVATE_URL, 302)
    page = response.content.decode()
    assert page.count(WARNING) == 1
    assert "Stel eerst uw authenticator-app in." in page


def test_signing_out_switching_language_and_health_stay_reachable(world: World) -> None:
    _newcomer, client = newcomer_client(world)

    assert client.get("/healthz").status_code == 200
    switched = client.post("/i18n/setlang/", {"language": "en", "next": ACTIVATE_URL})
    assert switched.status_code == 302
    assert switched.url == ACTIVATE_URL
    assert client.get("/account/logout/").status_code == 200
    assert client.post("/account/logout/").status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_the_organisation_logo_on_the_setup_pages_is_served_without_a_warning(world: World) -> None:
    """The setup pages show the logo in the header: fetching it must neither fail nor queue a warning."""
    world.rotterdam.logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    world.rotterdam.save()
    _newcomer, client = newcomer_client(world)
    client.get("/account/2fa/")  # shows (and so uses up) the sign-in message

    logo = client.get(world.rotterdam.get_logo_url())

    assert logo.status_code == 200
    assert b"".join(logo.streaming_content).startswith(b"\x89PNG")
    assert WARNING not in client.get("/account/2fa/").content.decode()


def test_activating_the_app_opens_the_site_and_creates_recovery_codes(world: World) -> None:
    newcomer, client = newcomer_client(world)

    # Setting up the app asks for the password once more, then shows the secret to scan.
    asked = client.get(ACTIVATE_URL)
    assert asked.status_code == 302
    assert asked.url.startswith("/account/reauthenticate/")
    setup = client.post(asked.url, {"password": TEST_PASSWORD}, follow=True)
    assert setup.redirect_chain[-1][0] == ACTIVATE_URL
    page = setup.content.decode()
    assert "Activeer authenticator-app" in page
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page).group(1)

    wrong = client.post(ACTIVATE_URL, {"code": "000000"})
    assert wrong.status_code == 200
    assert "Ongeldige code" in wrong.content.decode()
    still_blocked = client.get("/", follow=True)
    assert still_blocked.redirect_chain == [(ACTIVATE_URL, 302)]
    # Opening the setup page again shows a new secret to scan.
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', still_blocked.content.decode()).group(1)

    activated = client.post(ACTIVATE_URL, {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    home = client.get("/")
    assert home.status_code == 200
    assert WARNING not in home.content.decode()

    codes = Authenticator.objects.get(user=newcomer, type=Authenticator.Type.RECOVERY_CODES).wrap()
    listing = client.get("/account/2fa/recovery-codes/")
    assert listing.status_code == 200
    listing_page = listing.content.decode()
    assert "Herstelcodes" in listing_page
    assert all(code in listing_page for code in codes.get_unused_codes())


def test_an_hr_admin_with_an_app_is_not_redirected(world: World) -> None:
    client = login_client(world.hr)

    response = client.get("/programmes/")

    assert response.status_code == 200
    assert WARNING not in response.content.decode()


def test_a_participant_made_hr_admin_must_set_up_the_app_on_the_next_page(world: World) -> None:
    client = login_client(world.colleague)
    assert client.get("/").status_code == 200

    world.colleague.is_hr_admin = True
    world.colleague.save(update_fields=["is_hr_admin"])

    response = client.get("/")
    assert response.status_code == 302
    assert response.url == ACTIVATE_URL


@pytest.mark.parametrize("path", ["/toegankelijkheid", "/privacyverklaring"])
def test_the_statements_in_the_footer_stay_readable_before_the_app_is_set_up(world: World, path: str) -> None:
    _newcomer, client = newcomer_client(world)

    response = client.get(path)

    assert response.status_code == 200
