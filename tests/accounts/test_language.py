"""Dutch first: the browser's language never decides; the user's own choice does."""

from __future__ import annotations

from django.test import Client

from tests.conftest import World, login_client


def test_pages_are_dutch_even_when_the_browser_asks_for_english(client: Client, db: None) -> None:
    page = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).content.decode()

    assert '<html lang="nl">' in page
    assert "Welkom bij Leertraject" in page


def test_anonymous_visitor_switches_to_english_with_a_cookie(client: Client, db: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/account/login/"})

    assert response.status_code == 302
    assert response.url == "/account/login/"
    page = client.get("/account/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page


def test_signed_in_user_keeps_their_language_on_every_device(world: World) -> None:
    laptop = login_client(world.alice)
    laptop.post("/i18n/setlang/", {"language": "en", "next": "/"})

    world.alice.refresh_from_db()
    assert world.alice.language == "en"
    phone = login_client(world.alice)
    phone.cookies.pop("leertraject_language", None)
    assert "My learning programmes" in phone.get("/").content.decode()


def test_unknown_language_changes_nothing(world: World) -> None:
    client = login_client(world.alice)

    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    world.alice.refresh_from_db()
    assert world.alice.language == "nl"
    assert '<html lang="nl">' in client.get("/").content.decode()


def test_switch_only_redirects_inside_the_site(client: Client, db: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_language_switch_refuses_get(client: Client, db: None) -> None:
    assert client.get("/i18n/setlang/?language=en").status_code == 405
