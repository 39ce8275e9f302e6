"""Signing in and out with email and password, verification, rate limits and closed sign-up."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client

from accounts.models import User
from leertraject.settings import base
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


def test_unknown_address_gets_the_same_answer_as_a_wrong_password(client: Client, world: World) -> None:
    wrong_password = sign_in(client, world.alice.email, "niet-het-wachtwoord").content.decode()
    unknown = sign_in(Client(), "niemand@nergens.example").content.decode()

    message = "Het opgegeven e-mailadres en/of wachtwoord is niet correct."
    assert message in wrong_password
    assert message in unknown


def test_deactivated_person_cannot_sign_in(client: Client, world: World) -> None:
    world.colleague.is_active = False
    world.colleague.save(update_fields=["is_active"])

    response = sign_in(client, world.colleague.email)

    assert response.status_code == 302
    assert response.url == "/account/inactive/"
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert "Deze account is inactief." in client.get(response.url).content.decode()


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client: Client, world: World) -> None:
    asked = client.get(f"/programmes/{world.programme.pk}/")
    assert asked.status_code == 302
    assert asked.url == f"/account/login/?next=/programmes/{world.programme.pk}/"

    back = client.post(asked.url, {"login": world.alice.email, "password": TEST_PASSWORD})
    assert back.url == f"/programmes/{world.programme.pk}/"

    off_site = Client().post(
        "/account/login/", {"login": world.alice.email, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert off_site.status_code == 302
    assert off_site.url == "/"


def test_verification_pages_are_dutch_and_opening_the_link_alone_verifies_nothing(client: Client, db: None) -> None:
    person = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    sent = client.post("/account/login/", {"login": person.email, "password": TEST_PASSWORD}, follow=True)
    page = sent.content.decode()
    assert "Naar de inhoud" in page
    assert "Verifieer uw e-mailadres" in page
    assert f"Bevestigings e-mail verzonden aan {person.email}" in page
    link = re.search(r"/account/confirm-email/[^\s/]+/", mail.outbox[0].body).group(0)

    opened = client.get(link)  # mail scanners follow links: only the button confirms
    assert opened.status_code == 200
    assert "Bevestig e-mailadres" in opened.content.decode()
    assert not EmailAddress.objects.get(user=person).verified


def test_a_second_attempt_right_away_sends_no_second_verification_mail(client: Client, db: None) -> None:
    person = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    sign_in(client, person.email)
    again = sign_in(client, person.email)

    assert again.url == "/account/confirm-email/"
    assert len(mail.outbox) == 1


def test_a_forged_verification_link_verifies_nothing(client: Client, db: None) -> None:
    person = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    page = client.get("/account/confirm-email/vervalst/")
    posted = client.post("/account/confirm-email/vervalst/")

    assert "verlopen of niet geldig" in page.content.decode()
    assert posted.status_code == 404
    assert not EmailAddress.objects.get(user=person).verified
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_sign_out_confirms_in_dutch(client: Client, world: World) -> None:
    sign_in(client, world.alice.email)
    client.get("/")  # shows the sign-in message

    question = client.get("/account/logout/").content.decode()
    done = client.post("/account/logout/", follow=True).content.decode()

    assert "Weet u zeker dat u zich wilt afmelden?" in question
    assert "U bent afgemeld." in done
    assert "Welkom bij Leertraject" in done


def test_four_failures_do_not_lock_the_account(client: Client, world: World) -> None:
    for _attempt in range(4):
        assert sign_in(client, world.alice.email, "fout-wachtwoord").status_code == 200

    assert sign_in(client, world.alice.email).status_code == 302


def test_ten_failures_from_one_address_lock_out_every_account_from_it(client: Client, world: World) -> None:
    people = [world.bob, world.manager, world.colleague, world.charlie, world.hr]
    for person in people:
        for _attempt in range(2):
            sign_in(client, person.email, "fout-wachtwoord")

    response = sign_in(client, world.alice.email)

    assert response.status_code == 200
    assert "Te veel inlogpogingen" in response.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_lockout_message_follows_the_chosen_language(client: Client, world: World) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for _attempt in range(5):
        sign_in(client, world.alice.email, "fout-wachtwoord")

    response = sign_in(client, world.alice.email)

    assert "Too many failed login attempts" in response.content.decode()


def test_sign_up_post_creates_no_email_address_either(client: Client, db: None) -> None:
    response = client.post(
        "/account/signup/",
        {"email": "nieuw@example.nl", "password1": "een-lang-wachtwoord", "password2": "een-lang-wachtwoord"},
    )

    assert response.status_code == 200
    assert "Registratie gesloten" in response.content.decode()
    assert not EmailAddress.objects.filter(email="nieuw@example.nl").exists()
    assert not mail.outbox


def test_a_password_stored_with_pbkdf2_is_rehashed_with_owasps_argon2id_when_its_owner_signs_in(
    client: Client, world: World, settings
) -> None:
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    alice = world.alice
    alice.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    alice.save(update_fields=["password"])

    assert sign_in(client, alice.email, "niet-het-wachtwoord").status_code == 200
    alice.refresh_from_db()
    assert alice.password.startswith("pbkdf2_sha256$")

    assert sign_in(client, alice.email).status_code == 302
    alice.refresh_from_db()
    assert alice.password.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    client.logout()
    assert sign_in(client, alice.email).status_code == 302
