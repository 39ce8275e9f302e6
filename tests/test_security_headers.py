"""Security headers on real pages, secure session cookies, and sessions that end when unused
or simply too old."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import World, login_client, settings_printed
from tests.intervision.test_live import Scene


def directives(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_secure_headers(response) -> None:
    assert response.status_code == 200
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    permissions = dict(feature.split("=") for feature in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert permissions[feature] == "()"


def key_pages(world: World) -> list[tuple[Client, str]]:
    scene = Scene(world)
    programme = world.programme.pk
    return [
        (Client(), "/"),
        (Client(), "/account/login/"),
        (Client(), "/toegankelijkheid"),
        (login_client(world.alice), "/"),
        (login_client(world.alice), f"/programmes/{programme}/"),
        (login_client(world.alice), f"/programmes/{programme}/plan/print/"),
        (login_client(world.manager), f"/programmes/{programme}/harvest/room/"),
        (login_client(scene.dirk), scene.url("live")),
    ]


def test_key_pages_send_a_strict_content_security_policy_and_the_other_headers(world: World) -> None:
    for client, path in key_pages(world):
        response = client.get(path)

        assert_secure_headers(response)
        # Scripts come from our static files only; the one inline <style> carries the nonce.
        page = response.content.decode()
        assert "<script>" not in page
        nonce = next(source for source in directives(response)["style-src"] if source.startswith("'nonce-"))
        assert f'<style nonce="{nonce[7:-1]}">' in page


def test_the_nonce_differs_on_every_response(client: Client, db: None) -> None:
    first = directives(client.get("/"))["style-src"]
    second = directives(client.get("/"))["style-src"]

    assert first != second


def test_the_print_button_works_without_an_inline_script(world: World) -> None:
    page = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/print/").content.decode()

    assert 'data-print id="print-plan"' in page
    assert '<script src="/static/js/print.js" defer></script>' in page


def test_the_session_cookie_is_http_only_and_same_site(world: World) -> None:
    # As set by the response that signed her in.
    cookie = login_client(world.alice).cookies[settings.SESSION_COOKIE_NAME]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def later(minutes: int) -> mock._patch:
    """The clock ``minutes`` from now, for the session store and the middleware alike."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=minutes))


def test_a_session_unused_for_the_idle_timeout_ends(world: World) -> None:
    alice = login_client(world.alice)
    idle = settings.SESSION_IDLE_TIMEOUT

    with later(idle + 1):
        response = alice.get(f"/programmes/{world.programme.pk}/")

    assert response.status_code == 302
    assert response.url.startswith("/account/login/?next=")


def test_every_request_renews_the_idle_timeout(world: World) -> None:
    alice = login_client(world.alice)
    idle = settings.SESSION_IDLE_TIMEOUT

    for step in (1, 2, 3):
        with later(step * (idle - 5)):
            assert alice.get(f"/programmes/{world.programme.pk}/").status_code == 200


def test_an_active_session_still_ends_at_the_absolute_timeout(world: World, settings) -> None:
    idle = settings.SESSION_IDLE_TIMEOUT
    settings.SESSION_COOKIE_AGE = 2 * idle * 60
    alice = login_client(world.alice)
    alice.get("/")

    with later(idle - 1):
        assert alice.get(f"/programmes/{world.programme.pk}/").status_code == 200
    with later(2 * idle - 2):
        assert alice.get(f"/programmes/{world.programme.pk}/").status_code == 200
    with later(2 * idle + 1):
        response = alice.get(f"/programmes/{world.programme.pk}/")

    assert response.status_code == 302
    assert response.url.startswith("/account/login/?next=")


def test_polling_within_a_minute_does_not_write_the_session(world: World) -> None:
    alice = login_client(world.alice)
    alice.get("/")

    with CaptureQueriesContext(connection) as queries:
        alice.get("/")

    assert not [
        query for query in queries.captured_queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]
    ]


def test_the_idle_timeout_comes_from_the_environment() -> None:
    code = "from django.conf import settings; print(settings.SESSION_IDLE_TIMEOUT, settings.SESSION_COOKIE_AGE)"
    printed = settings_printed(code, SESSION_IDLE_TIMEOUT="15")

    assert printed.split() == ["15", str(8 * 60 * 60)]
