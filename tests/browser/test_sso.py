"""Single sign-on in the browser, against a real identity provider in a second process.

The identity provider is a small second Django site (tests/idp_site/) running allauth's own
OpenID Connect provider, with its own database. Leertraject links it to Rotterdam as an
OpenID Connect app; a person clicks "Inloggen met ...", signs in at the identity provider and
comes back signed in, or is refused with the page that says they need an invitation.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.utils.html import escape
from playwright.sync_api import Page, expect

from accounts.models import IdentityProvider, User
from tests.conftest import World

from .conftest import assert_accessible

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "rotterdam-idp"
CLIENT_SECRET = "client-secret-of-the-test"
IDP_PASSWORD = "idp-password-of-the-test"
STRANGER = "onbekend@elders.example"
STARTUP_SECONDS = 30


@dataclass
class IdentityProviderSite:
    url: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the identity provider stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the identity provider did not answer within {STARTUP_SECONDS} seconds")


@pytest.fixture
def idp_site(live_server: Any, world: World, tmp_path: Path) -> Iterator[IdentityProviderSite]:
    """The identity provider in its own process, knowing Alice and a stranger; always stopped afterwards."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.idp_site.settings", "IDP_SITE_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    callback = f"{live_server.url}/account/oidc/{PROVIDER_ID}/login/callback/"
    people = [f"{world.alice.email}:{IDP_PASSWORD}:verified", f"{STRANGER}:{IDP_PASSWORD}:verified"]
    subprocess.run(  # noqa: S603 - the identity provider site of this test, no shell
        [sys.executable, "-m", "tests.idp_site.prepare", callback, CLIENT_SECRET, *people],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603 - the identity provider site of this test, no shell
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_serving(url, process)
        app = SocialApp.objects.create(
            provider="openid_connect",
            provider_id=PROVIDER_ID,
            name="Rotterdam Entra ID",
            client_id="leertraject",
            secret=CLIENT_SECRET,
            settings={"server_url": url},
        )
        IdentityProvider.objects.create(organisation=world.rotterdam, app=app)
        yield IdentityProviderSite(url=url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _sign_in_at_the_identity_provider(page: Page, live_server: Any, idp: IdentityProviderSite, email: str) -> None:
    page.goto(f"{live_server.url}/account/login/?organisation=rotterdam")
    assert_accessible(page)
    page.get_by_role("button", name="Inloggen met Rotterdam Entra ID").click()
    page.wait_for_url(f"{idp.url}/**")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_person_signs_in_with_the_organisations_identity_provider(
    live_server: Any, page: Page, world: World, idp_site: IdentityProviderSite
) -> None:
    _sign_in_at_the_identity_provider(page, live_server, idp_site, world.alice.email)

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text(escape(world.alice.get_full_name())).first).to_be_visible()
    assert SocialAccount.objects.get(provider=PROVIDER_ID).user == world.alice
    assert_accessible(page)


def test_an_unknown_address_outside_the_allowed_domains_is_refused(
    live_server: Any, page: Page, world: World, idp_site: IdentityProviderSite
) -> None:
    world.rotterdam.sign_in_domains = "rotterdam.nl"
    world.rotterdam.save()

    _sign_in_at_the_identity_provider(page, live_server, idp_site, STRANGER)

    expect(page.get_by_role("heading", name="U kunt hier nog niet inloggen", level=1)).to_be_visible()
    expect(page.get_by_text("U hebt een uitnodiging nodig")).to_be_visible()
    assert not User.objects.filter(email=STRANGER).exists()
    assert_accessible(page)
