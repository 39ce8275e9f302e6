"""Error pages keep the site layout, so a lost user still has navigation and a way home."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views.defaults import permission_denied, server_error

from tests.conftest import World


def test_unknown_page_answers_404_in_the_layout_in_dutch(client, db) -> None:
    response = client.get("/bestaat-niet/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'href="#content"' in html
    assert '<main id="content"' in html
    assert "Pagina niet gevonden" in html


def test_signed_in_user_keeps_navigation_on_a_404(world: World, as_user) -> None:
    response = as_user(world.alice).get("/programmes/999999/")

    assert response.status_code == 404
    assert world.rotterdam.name in response.content.decode()


@pytest.mark.django_db
def test_403_page_uses_the_layout() -> None:
    request = RequestFactory().get("/")
    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert '<main id="content"' in response.content.decode()


@pytest.mark.django_db
def test_500_page_renders_without_request_context() -> None:
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert '<main id="content"' in html
    assert 'href="/"' in html
