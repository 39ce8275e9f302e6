"""Shared fixtures: a small world of two municipalities, after healthchecks' alice/bob/charlie.

Rotterdam holds the programme; ``charlie`` and ``haarlem_hr`` belong to Haarlem and must
never see any of Rotterdam's data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from accounts.models import Organisation, User
from programmes.models import Membership, Programme

from .factories import (
    TEST_PASSWORD,
    TEST_TOTP_SECRET,
    HRAdminFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[1]


def settings_printed(code: str, **environment: str) -> str:
    """What ``code`` prints in a fresh process whose settings (``leertraject.settings.test``)
    are read with ``environment`` added: for settings that come from the environment."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "leertraject.settings.test", **environment}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate-limit counters and used TOTP codes live in the cache: start every test clean."""
    cache.clear()


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The authenticator app's current code for ``secret``.

    Like a person who sees the code about to change, wait for the next one when fewer than
    two seconds are left: the server accepts only the code of the current 30 seconds.
    """
    left = 30 - time.time() % 30
    if left < 2:
        time.sleep(left)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@dataclass
class World:
    rotterdam: Organisation
    haarlem: Organisation
    programme: Programme
    alice: User  # participant in the programme
    bob: User  # learning coach of the programme
    manager: User  # manager of the programme
    hr: User  # HR admin of Rotterdam
    colleague: User  # Rotterdam, no role in the programme
    charlie: User  # participant of a Haarlem programme: the outsider
    haarlem_hr: User  # HR admin of Haarlem
    haarlem_programme: Programme


@pytest.fixture
def world(db: None) -> World:
    rotterdam = OrganisationFactory(name="Gemeente Rotterdam", slug="rotterdam", primary_colour="#00811f")
    haarlem = OrganisationFactory(name="Gemeente Haarlem", slug="haarlem", primary_colour="#b71c1c")
    programme = ProgrammeFactory(organisation=rotterdam, title="Gebiedsnetwerkers")
    haarlem_programme = ProgrammeFactory(organisation=haarlem, title="Effectief adviseren")
    alice = MembershipFactory(programme=programme, role=Membership.Role.PARTICIPANT, user__first_name="Alice").user
    bob = MembershipFactory(programme=programme, role=Membership.Role.COACH, user__first_name="Bob").user
    manager = MembershipFactory(programme=programme, role=Membership.Role.MANAGER, user__first_name="Marieke").user
    charlie = MembershipFactory(programme=haarlem_programme, user__first_name="Charlie").user
    return World(
        rotterdam=rotterdam,
        haarlem=haarlem,
        programme=programme,
        alice=alice,
        bob=bob,
        manager=manager,
        hr=HRAdminFactory(organisation=rotterdam, first_name="Sanne"),
        colleague=UserFactory(organisation=rotterdam, first_name="Kees"),
        charlie=charlie,
        haarlem_hr=HRAdminFactory(organisation=haarlem, first_name="Karin"),
        haarlem_programme=haarlem_programme,
    )


def login_client(user: User) -> Client:
    """A test client signed in as ``user``, including the second factor for HR admins."""
    client = Client()
    response = client.post("/account/login/", {"login": user.email, "password": TEST_PASSWORD})
    if response.status_code == 302 and response.url.startswith("/account/2fa/authenticate"):
        response = client.post(response.url, {"code": totp_code()})
    assert response.status_code == 302, "login failed"
    assert response.url == "/", f"login ended at {response.url}"
    return client


@pytest.fixture
def as_user():
    """``as_user(user)`` gives a test client signed in as that user."""
    return login_client
