"""django-allauth's pages, mails and messages address people formally ("u"), like the rest of Leertraject.

allauth's own Dutch says "je"; ``locale_allauth/`` overrides exactly those messages.
"""

from __future__ import annotations

import re
from pathlib import Path

import allauth
from allauth.account.models import EmailAddress
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.conftest import World
from tests.factories import TEST_PASSWORD, UserFactory

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
ALLAUTH_CATALOGUE = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
OUR_CATALOGUE = Path(settings.BASE_DIR) / "locale_allauth" / "nl" / "LC_MESSAGES" / "django.po"


def catalogue(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po)


def translations(message: Message) -> list[str]:
    """The msgstr of a message, or each of its plural forms."""
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def key(message: Message) -> tuple:
    """What gettext looks a message up by: its msgctxt and msgid (with msgid_plural)."""
    return message.context, message.id if isinstance(message.id, str) else tuple(message.id)


def informal_keys(path: Path) -> set[tuple]:
    """The messages in ``path`` whose Dutch says je, jij, jou or jouw."""
    return {
        key(message)
        for message in catalogue(path)
        if message.id and any(INFORMAL.search(text) for text in translations(message))
    }


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post("/account/login/", {"login": email, "password": password})


def reset_link(body: str) -> str:
    return re.search(r"http://testserver(/account/password/reset/key/\S+/)", body).group(1)


def test_the_override_catalogue_comes_after_ours_and_wins_over_allauths() -> None:
    assert settings.LOCALE_PATHS[0] == Path(settings.BASE_DIR) / "locale"  # where `make messages` writes
    assert settings.LOCALE_PATHS[1] == OUR_CATALOGUE.parents[2]
    with translation.override("nl"):
        assert translation.gettext("You have signed out.") == "U bent afgemeld."
        assert (
            translation.ngettext("You have added %(count)s security key.", "You have added %(count)s security keys.", 2)
            == "U hebt %(count)s beveiligingssleutels toegevoegd."
        )


def test_the_override_catalogue_never_says_je() -> None:
    texts = [text for message in catalogue(OUR_CATALOGUE) if message.id for text in translations(message)]

    assert len(texts) > 90
    assert all(texts)
    assert [text for text in texts if INFORMAL.search(text)] == []


def test_every_informal_allauth_message_is_overridden_and_nothing_else() -> None:
    """Fails after an allauth upgrade that brings new "je" messages, or drops ones we override."""
    ours = {key(message) for message in catalogue(OUR_CATALOGUE) if message.id}

    assert informal_keys(ALLAUTH_CATALOGUE) == ours


def test_wrong_password_and_unknown_address_are_answered_formally(client: Client, world: World) -> None:
    wrong_password = sign_in(client, world.alice.email, "niet-het-wachtwoord").content.decode()
    unknown = sign_in(Client(), "niemand@nergens.example").content.decode()

    for page in (wrong_password, unknown):
        assert "Het opgegeven e-mailadres en/of wachtwoord is niet correct." in page
        assert not INFORMAL.search(page)


def test_sign_in_and_sign_out_messages_are_formal(client: Client, world: World) -> None:
    sign_in(client, world.alice.email)
    home = client.get("/").content.decode()
    question = client.get("/account/logout/").content.decode()
    done = client.post("/account/logout/", follow=True).content.decode()

    assert f"U bent aangemeld als {world.alice}." in home
    assert "Weet u zeker dat u zich wilt afmelden?" in question
    assert "U bent afgemeld." in done
    for page in (question, done):
        assert not INFORMAL.search(page)


def test_password_reset_pages_and_mail_are_formal(client: Client, world: World) -> None:
    form = client.get("/account/password/reset/").content.decode()
    sent = client.post("/account/password/reset/", {"email": world.alice.email}, follow=True).content.decode()
    body = mail.outbox[0].body
    new_password_url = client.get(reset_link(body), follow=True).redirect_chain[-1][0]
    mismatch = client.post(new_password_url, {"password1": "zomer-in-de-wijk-2026", "password2": "winter-2026-wijk"})

    assert "Vul hieronder uw e-mailadres in." in form
    assert "We hebben u een e-mail gestuurd." in sent
    assert "U ontvangt deze e-mail omdat u of iemand anders een nieuw wachtwoord" in body
    assert mismatch.status_code == 200
    assert "U moet twee keer hetzelfde wachtwoord invullen." in mismatch.content.decode()
    for text in (form, sent, body, mismatch.content.decode()):
        assert not INFORMAL.search(text)


def test_email_verification_page_and_mail_are_formal(client: Client, db: None) -> None:
    person = UserFactory(verified_email=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    page = sign_in(client, person.email)
    page = client.get(page.url).content.decode()
    message = mail.outbox[0]

    assert "Verifieer uw e-mailadres" in page
    assert message.subject == "[Leertraject] Bevestig uw e-mailadres"
    for text in (page, message.subject, message.body):
        assert not INFORMAL.search(text)


def test_two_factor_code_page_is_formal(client: Client, world: World) -> None:
    sign_in(client, world.hr.email)
    page = client.get("/account/2fa/authenticate/").content.decode()

    assert "Uw account is beveiligd met twee-factor-authenticatie." in page
    assert not INFORMAL.search(page)
