"""HR sets its own organisation's logo, colour, retention period and sign-in domains; nobody
else can, bad input changes nothing, and each change is in the audit trail."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Organisation
from privacy.models import AuditEvent
from tests.conftest import World, login_client

URL = "/organisation/settings/"


def png(*, noise: int = 0) -> SimpleUploadedFile:
    """A small one-colour PNG, or a noise image of ``noise`` pixels square (which barely compresses)."""
    buffer = io.BytesIO()
    if noise:
        Image.frombytes("RGB", (noise, noise), os.urandom(noise * noise * 3)).save(buffer, format="PNG")
    else:
        Image.new("RGB", (8, 8), "#154273").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def settings_of(organisation: Organisation) -> tuple:
    organisation.refresh_from_db()
    return (
        organisation.primary_colour,
        organisation.retention_months,
        organisation.sign_in_domains,
        organisation.logo.name,
    )


def test_hr_sets_colour_retention_domains_and_logo(world: World) -> None:
    hr = login_client(world.hr)
    domains = " @Rotterdam.nl,ggd.rotterdam.nl, rotterdam.nl"
    form = {"primary_colour": "#154273", "retention_months": "24", "sign_in_domains": domains}

    response = hr.post(URL, {**form, "logo": png()}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Wijzigingen opgeslagen." in response.content.decode()
    colour, months, domains, logo = settings_of(world.rotterdam)
    assert (colour, months, domains) == ("#154273", 24, "rotterdam.nl, ggd.rotterdam.nl")
    assert logo.startswith("logos/")
    assert world.rotterdam.get_logo_url() in hr.get("/").content.decode()
    event = AuditEvent.objects.unscoped().get()
    assert (event.actor, event.action, event.organisation) == (world.hr, AuditEvent.Action.CHANGED, world.rotterdam)
    assert event.summary.startswith("Instellingen gewijzigd: Logo, Huiskleur, Persoonsgegevens bewaren")
    assert "rotterdam.nl" not in event.summary and "24" not in event.summary


def test_saving_without_changes_records_nothing(world: World) -> None:
    hr = login_client(world.hr)
    form = {"primary_colour": world.rotterdam.primary_colour, "retention_months": "", "sign_in_domains": ""}

    assert hr.post(URL, form).status_code == 302
    assert not AuditEvent.objects.unscoped().exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("primary_colour", "#ffdd00", "slecht leesbaar"),
        ("retention_months", "0", "minstens 1"),
        ("retention_months", "121", "hoogstens 120"),
        ("sign_in_domains", "rotterdam.nl, iemand@", "“iemand@” is geen e-maildomein"),
        ("sign_in_domains", "rotterdam", "“rotterdam” is geen e-maildomein"),
    ],
)
def test_bad_input_rerenders_with_a_dutch_message_and_changes_nothing(
    world: World, field: str, value: str, message: str
) -> None:
    before = settings_of(world.rotterdam)
    form = {"primary_colour": "#154273", "retention_months": "12", "sign_in_domains": "rotterdam.nl", field: value}

    response = login_client(world.hr).post(URL, form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Verbeter het volgende" in page and message in page
    assert settings_of(world.rotterdam) == before
    assert not AuditEvent.objects.unscoped().exists()


def test_a_file_that_is_not_an_image_or_too_large_is_refused(world: World) -> None:
    hr = login_client(world.hr)
    form = {"primary_colour": "#154273", "retention_months": "", "sign_in_domains": ""}
    text = SimpleUploadedFile("logo.png", b"geen afbeelding", content_type="image/png")

    not_an_image = hr.post(URL, {**form, "logo": text})
    too_large = hr.post(URL, {**form, "logo": png(noise=700)})  # about 1.5 MB

    assert not_an_image.status_code == 200 and "afbeelding" in not_an_image.content.decode()
    assert too_large.status_code == 200 and "maximaal 1 MB" in too_large.content.decode()
    assert settings_of(world.rotterdam)[3] == ""


def test_only_hr_of_the_organisation_may_change_it(world: World, client) -> None:
    form = {"primary_colour": "#154273", "retention_months": "6", "sign_in_domains": "rotterdam.nl"}
    before = settings_of(world.rotterdam)

    for person in (world.alice, world.bob, world.manager, world.colleague):
        assert login_client(person).get(URL).status_code == 403, person
        assert login_client(person).post(URL, form).status_code == 403, person
    haarlem = login_client(world.haarlem_hr)
    haarlem.post(URL, form)
    assert client.get(URL).status_code == 302  # signed out: to the sign-in page

    assert settings_of(world.rotterdam) == before
    world.haarlem.refresh_from_db()
    assert world.haarlem.retention_months == 6  # Haarlem's HR changed Haarlem, never Rotterdam
    assert "Organisatie-instellingen" in login_client(world.hr).get("/").content.decode()
    assert "Organisatie-instellingen" not in login_client(world.alice).get("/").content.decode()
