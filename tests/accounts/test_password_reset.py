"""Forgotten passwords: a mailed, single-use link, and no hint whether an address exists."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from tests.conftest import World

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
