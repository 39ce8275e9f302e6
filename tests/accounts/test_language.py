"""Dutch first: the browser's language never decides; the user's own choice does."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import User
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


def test_anonymous_choice_lives_in_the_cookie_only(client: Client, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.cookies["leertraject_language"].value == "en"
    assert not User.objects.filter(language="en").exists()
    assert '<html lang="en">' in client.get("/").content.decode()


def test_anonymous_unknown_language_sets_no_cookie(client: Client, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert "leertraject_language" not in response.cookies
    assert '<html lang="nl">' in client.get("/").content.decode()


def test_a_forged_language_cookie_falls_back_to_dutch(client: Client, db: None) -> None:
    client.cookies["leertraject_language"] = "de"

    assert '<html lang="nl">' in client.get("/", headers={"accept-language": "de,en"}).content.decode()


def test_switching_back_to_dutch_is_remembered_too(world: World) -> None:
    world.alice.language = User.Language.ENGLISH
    world.alice.save(update_fields=["language"])
    client = login_client(world.alice)
    assert '<html lang="en">' in client.get("/").content.decode()

    client.post(reverse("set_language"), {"language": "nl", "next": "/"})

    world.alice.refresh_from_db()
    assert world.alice.language == "nl"
    assert "Mijn leertrajecten" in client.get("/").content.decode()


def test_the_profile_language_wins_over_a_cookie_left_on_a_shared_computer(world: World) -> None:
    world.alice.language = User.Language.ENGLISH
    world.alice.save(update_fields=["language"])
    client = login_client(world.alice)
    client.cookies["leertraject_language"] = "nl"

    page = client.get("/").content.decode()

    assert '<html lang="en">' in page
    assert "My learning programmes" in page


def test_switching_language_changes_nobody_elses_profile(world: World) -> None:
    login_client(world.alice).post(reverse("set_language"), {"language": "en", "next": "/"})

    assert User.objects.get(pk=world.bob.pk).language == "nl"
    assert '<html lang="nl">' in login_client(world.bob).get("/").content.decode()
