"""Sign-ins per client address: allauth's limit by default, raised for staff behind one NAT
address (LOGIN_RATE_LIMIT), and counted per person behind the TLS proxy (TRUSTED_PROXY_COUNT)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.test import Client, override_settings

from tests.conftest import World
from tests.factories import TEST_PASSWORD

DEFAULT_PER_MINUTE = 30


def sign_in(email: str, **headers: str) -> int:
    """One person's sign-in in a fresh browser; the status of the answer."""
    return Client(**headers).post("/account/login/", {"login": email, "password": TEST_PASSWORD}).status_code


def test_one_address_may_sign_in_30_times_a_minute_then_waits(world: World) -> None:
    statuses = [sign_in(world.alice.email) for _ in range(DEFAULT_PER_MINUTE + 1)]

    assert statuses[:DEFAULT_PER_MINUTE] == [302] * DEFAULT_PER_MINUTE
    assert statuses[-1] == 429


def test_a_raised_limit_lets_a_whole_department_behind_one_nat_address_sign_in(world: World) -> None:
    limits = {**settings.ACCOUNT_RATE_LIMITS, "login": "100/m/ip"}
    with override_settings(ACCOUNT_RATE_LIMITS=limits):
        statuses = {sign_in(world.alice.email) for _ in range(50)}

    assert statuses == {302}


def test_behind_the_proxy_each_person_counts_by_their_own_address(world: World) -> None:
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        others = {sign_in(world.alice.email, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}") for n in range(2 * DEFAULT_PER_MINUTE)}
        one = [sign_in(world.alice.email, HTTP_X_FORWARDED_FOR="10.0.1.1") for _ in range(DEFAULT_PER_MINUTE + 1)]

    assert others == {302}
    assert one[-1] == 429


def test_the_limits_come_from_the_environment() -> None:
    code = (
        "from leertraject.settings import base; "
        "print(base.ACCOUNT_RATE_LIMITS['login'], base.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    unset = {
        name: value for name, value in os.environ.items() if name not in {"LOGIN_RATE_LIMIT", "TRUSTED_PROXY_COUNT"}
    }
    configured = {**unset, "LOGIN_RATE_LIMIT": "200/m/ip", "TRUSTED_PROXY_COUNT": "1"}

    def limits(env: dict[str, str]) -> list[str]:
        command = [sys.executable, "-c", code]
        return subprocess.run(  # noqa: S603 - this Python, no shell
            command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.split()

    assert limits(configured) == ["200/m/ip", "1"]
    assert limits(unset) == ["30/m/ip", "0"]
