"""Forgotten passwords: a mailed, single-use link, and no hint whether an address exists."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from tests.conftest import World
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "zomer-in-de-wijk-2026"


def test_reset_link_by_mail_sets_a_new_password(client: Client, world: World) -> None:
    response = client.post("/account/password/reset/", {"email": world.alice.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.alice.email]
    assert message.subject.startswith("[Leertraject]")
    link = re.search(r"http://testserver(/account/password/reset/key/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    world.alice.refresh_from_db()
    assert world.alice.check_password(NEW_PASSWORD)
    reused = client.get(link, follow=True)
    assert "ongeldig" in reused.content.decode().lower()


def test_unknown_address_looks_the_same_and_sends_nothing_useful(client: Client, world: World) -> None:
    known = client.post("/account/password/reset/", {"email": world.alice.email})
    unknown = client.post("/account/password/reset/", {"email": "niemand@nergens.example"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert all("niemand@nergens.example" not in message.to or "/key/" not in message.body for message in mail.outbox)


def test_too_short_new_password_is_refused_in_dutch(client: Client, world: World) -> None:
    client.post("/account/password/reset/", {"email": world.alice.email})
    link = re.search(r"http://testserver(/account/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    set_password_url = form.redirect_chain[-1][0]

    response = client.post(set_password_url, {"password1": "kort", "password2": "kort"})

    assert response.status_code == 200
    assert "Dit wachtwoord is te kort" in response.content.decode()
    world.alice.refresh_from_db()
    assert not world.alice.check_password("kort")


def reset_link(body: str) -> str:
    return re.search(r"http://testserver(/account/password/reset/key/\S+/)", body).group(1)


def test_after_a_reset_the_new_password_signs_in_and_the_old_one_does_not(client: Client, world: World) -> None:
    client.post("/account/password/reset/", {"email": world.alice.email})
    form = client.get(reset_link(mail.outbox[0].body), follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    old = Client().post("/account/login/", {"login": world.alice.email, "password": TEST_PASSWORD})
    assert old.status_code == 200
    assert "e-mailadres en/of wachtwoord is niet correct" in old.content.decode()

    fresh = Client()
    new = fresh.post("/account/login/", {"login": world.alice.email, "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert new.url == "/"
    assert fresh.get("/").wsgi_request.user == world.alice


def test_reset_by_an_upper_case_address_still_reaches_the_person(client: Client, world: World) -> None:
    client.post("/account/password/reset/", {"email": world.alice.email.upper()})

    assert len(mail.outbox) == 1
    assert "/account/password/reset/key/" in mail.outbox[0].body


def test_unknown_address_gets_no_link_and_no_invitation_to_a_closed_sign_up(client: Client, world: World) -> None:
    known = client.post("/account/password/reset/", {"email": world.alice.email}, follow=True)
    unknown = client.post("/account/password/reset/", {"email": "niemand@nergens.example"}, follow=True)

    assert known.content.decode().count("Volg de link") == unknown.content.decode().count("Volg de link") == 1
    to_unknown = [message for message in mail.outbox if message.to == ["niemand@nergens.example"]]
    for message in to_unknown:
        assert message.subject.startswith("[Leertraject]")
        assert "/account/password/reset/key/" not in message.body
        assert "/account/signup/" not in message.body  # sign-up is closed: no dead-end link
        assert world.alice.email not in message.body


def test_a_forged_or_broken_link_is_refused_in_dutch(client: Client, world: World) -> None:
    response = client.get("/account/password/reset/key/1-niet-echt/", follow=True)

    assert response.status_code == 200
    assert "Ongeldige sleutel" in response.content.decode()
    posted = client.post(
        "/account/password/reset/key/1-niet-echt/", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert posted.status_code == 200
    assert "Ongeldige sleutel" in posted.content.decode()
    world.alice.refresh_from_db()
    assert not world.alice.check_password(NEW_PASSWORD)


def test_reset_mails_for_one_address_are_rate_limited(client: Client, world: World) -> None:
    for _attempt in range(5):
        assert client.post("/account/password/reset/", {"email": world.alice.email}).status_code == 302

    response = client.post("/account/password/reset/", {"email": world.alice.email})

    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert "Naar de inhoud" in response.content.decode()
    assert len(mail.outbox) == 5


def test_reset_pages_are_in_the_layout_and_dutch(client: Client, world: World) -> None:
    form = client.get("/account/password/reset/", headers={"accept-language": "en"}).content.decode()
    sent = client.post("/account/password/reset/", {"email": world.alice.email}, follow=True).content.decode()
    new_password = client.get(reset_link(mail.outbox[0].body), follow=True).content.decode()

    for page in (form, sent, new_password):
        assert '<html lang="nl">' in page
        assert "Naar de inhoud" in page
        assert '<main id="content"' in page
    assert "Wachtwoord vergeten?" in form
    assert "Herstel mijn wachtwoord" in form
    assert "Volg de link in die e-mail om een nieuw wachtwoord in te stellen" in sent
    assert "Nieuw wachtwoord (bevestigen)" in new_password
