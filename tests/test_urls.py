"""A walk over every URL: nothing answers 500, and every page of ours needs a sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import World, login_client

# Pages whose link is the key (invitation codes, signed feedback and unsubscribe links) need no sign-in.
PUBLIC = {"", "healthz", "invitation/x/", "feedback/x/", "notifications/stop/x/"}
# The accessibility and privacy statements are for everyone.
PUBLIC |= {"toegankelijkheid", "privacyverklaring"}
POST_ONLY = {"i18n/setlang/"}
SAMPLE = {"int": "1", "slug": "rotterdam", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def concrete_paths(patterns: list, prefix: str = "") -> Iterator[str]:
    """Every URL pattern as a concrete path, with a sample value for each parameter."""
    for entry in patterns:
        route = str(entry.pattern)
        if route.startswith("^"):  # a regex route (admin internals): take literal ones only
            if re.fullmatch(r"\^[\w/-]*\$?", route):
                route = route.strip("^$")
            else:
                continue
        route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
        if isinstance(entry, URLResolver):
            yield from concrete_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


ALL_PATHS = sorted(set(concrete_paths(get_resolver().url_patterns)))
OWN_PATHS = [path for path in ALL_PATHS if not path.startswith(("account/", "admin/"))]


def test_the_walk_finds_our_pages() -> None:
    assert {"", "healthz", "programmes/", "programmes/1/", "organisation/rotterdam/logo"} <= set(OWN_PATHS)


@pytest.mark.parametrize("path", ALL_PATHS)
def test_no_page_fails_for_anyone(world: World, client: Client, path: str) -> None:
    for visitor in (client, login_client(world.alice), login_client(world.hr)):
        response = visitor.get(f"/{path}")
        assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("path", [p for p in OWN_PATHS if p not in PUBLIC | POST_ONLY])
def test_our_pages_send_anonymous_visitors_to_sign_in(client: Client, db: None, path: str) -> None:
    response = client.get(f"/{path}")

    assert response.status_code == 302
    assert response.url.startswith("/account/login/?next=")


def test_admin_needs_platform_staff(world: World) -> None:
    response = login_client(world.hr).get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
