"""Signing in and out with email and password, verification, rate limits and closed sign-up."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.conftest import World
from tests.factories import TEST_PASSWORD, UserFactory


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


def test_participant_signs_in_with_email_and_lands_on_home(client: Client, world: World) -> None:
    response = sign_in(client, world.alice.email)

    assert response.status_code == 302
    assert response.url == "/"
    home = client.get("/")
    assert "Mijn leertrajecten" in home.content.decode()


def test_email_is_case_insensitive(client: Client, world: World) -> None:
    response = sign_in(client, world.alice.email.upper())

    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == world.alice


def test_wrong_password_rerenders_the_form_in_dutch_and_signs_nobody_in(client: Client, world: World) -> None:
    response = sign_in(client, world.alice.email, "niet-het-wachtwoord")

    assert response.status_code == 200
    page = response.content.decode()
    assert "e-mailadres en/of wachtwoord is niet correct" in page
    assert f'value="{world.alice.email}"' in page
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_unverified_address_gets_a_verification_mail_instead_of_a_session(client: Client, db: None) -> None:
    person = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    response = sign_in(client, person.email)

    assert response.status_code == 302
    assert response.url == "/account/confirm-email/"
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert mail.outbox[0].subject.startswith("[Leertraject]")

    link = re.search(r"/account/confirm-email/[^\s/]+/", mail.outbox[0].body).group(0)
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=person).verified
    assert client.get("/").wsgi_request.user == person


def test_sign_out_needs_a_post_and_ends_the_session(client: Client, world: World) -> None:
    sign_in(client, world.alice.email)

    assert client.get("/account/logout/").status_code == 200  # a confirmation page, still signed in
    assert client.get("/").wsgi_request.user.is_authenticated
    response = client.post("/account/logout/")

    assert response.status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_repeated_failures_lock_the_account_even_for_the_right_password(client: Client, world: World) -> None:
    for _attempt in range(5):
        sign_in(client, world.alice.email, "fout-wachtwoord")

    response = sign_in(client, world.alice.email)

    assert response.status_code == 200
    assert "Te veel inlogpogingen" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_failures_for_one_account_do_not_lock_another(client: Client, world: World) -> None:
    for _attempt in range(5):
        sign_in(client, world.alice.email, "fout-wachtwoord")

    assert sign_in(client, world.bob.email).status_code == 302


def test_nobody_can_sign_up_on_their_own(client: Client, db: None) -> None:
    page = client.get("/account/signup/")
    client.post(
        "/account/signup/",
        {"email": "nieuw@example.nl", "password1": "een-lang-wachtwoord", "password2": "een-lang-wachtwoord"},
    )

    assert "Registratie gesloten" in page.content.decode()
    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_sign_in_page_is_in_the_layout_and_dutch(client: Client, db: None) -> None:
    page = client.get("/account/login/", headers={"accept-language": "en"}).content.decode()

    assert '<html lang="nl">' in page
    assert "Naar de inhoud" in page
    assert "<h1" in page and "Aanmelden" in page
    assert '<main id="content"' in page
