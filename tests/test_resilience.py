"""The site keeps answering when a server behind it is gone: Redis (the cache) or PostgreSQL.

The fault drills in ``bench/drill_redis.py`` and ``bench/drill_postgres.py`` stop the real
servers under a running gunicorn; these tests hold the same promises in the suite.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver

from leertraject import views
from tests.conftest import World
from tests.factories import TEST_PASSWORD

# Nothing listens here: every cache call meets a refused connection, as when Redis is stopped.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "leertraject.cache.RedisWithLocalFallback",
        "LOCATION": "redis://127.0.0.1:6399/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


@pytest.fixture
def unreachable_cache() -> Iterator[None]:
    """The production cache backend pointed at a Redis that is not there, its fallback memory
    emptied before and after (rate-limit counts must not leak between tests)."""
    with override_settings(CACHES=UNREACHABLE_REDIS):
        cache.clear()
        yield
        cache.clear()


def test_sign_in_and_pages_work_while_the_cache_is_unreachable(world: World, unreachable_cache: None) -> None:
    with pytest.raises(redis.ConnectionError):  # nothing answers there
        redis.Redis.from_url(UNREACHABLE_REDIS["default"]["LOCATION"]).ping()
    client = Client()

    assert client.get("/account/login/").status_code == 200
    response = client.post("/account/login/", {"login": world.alice.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200
    assert client.get(f"/programmes/{world.programme.pk}/plan/").status_code == 200


def test_a_wrong_password_is_still_refused_while_the_cache_is_unreachable(
    world: World, unreachable_cache: None
) -> None:
    client = Client()
    response = client.post("/account/login/", {"login": world.alice.email, "password": "not-the-password"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_are_still_limited_while_the_cache_is_unreachable(
    world: World, unreachable_cache: None
) -> None:
    client = Client()
    for _attempt in range(5):
        client.post("/account/login/", {"login": world.alice.email, "password": "not-the-password"})

    # "5/5m/key" in ACCOUNT_RATE_LIMITS, counted in this process's memory: even the right
    # password is refused now.
    response = client.post("/account/login/", {"login": world.alice.email, "password": TEST_PASSWORD})
    assert "Te veel inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _real_database_error() -> OperationalError:
    """The error a real connection attempt raises when the database cannot be reached."""
    default = connections["default"]
    unreachable = type(default)(
        {**default.settings_dict, "NAME": "/nonexistent/leertraject-unreachable", "PORT": "1"}, "unreachable"
    )
    try:
        unreachable.ensure_connection()
    except OperationalError as error:
        return error
    raise AssertionError("the unreachable database answered")


@pytest.mark.django_db
def test_an_unreachable_database_answers_503_briefly_unavailable_with_retry_after() -> None:
    assert get_resolver().resolve_error_handler(500) is views.server_error
    error = _real_database_error()
    try:
        raise error
    except OperationalError:
        response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 503
    assert response["Retry-After"] == str(views.DATABASE_DOWN_RETRY_AFTER)
    html = response.content.decode()
    assert "Leertraject is even niet bereikbaar" in html
    assert '<main id="content"' in html


@pytest.mark.django_db
def test_any_other_error_still_answers_500() -> None:
    try:
        raise ValueError("a bug")
    except ValueError:
        response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Retry-After" not in response
