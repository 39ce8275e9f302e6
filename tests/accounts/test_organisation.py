"""An organisation's logo and colour brand its pages; the colour must keep text readable."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from accounts.models import DEFAULT_PRIMARY_COLOUR, Organisation, User
from tests.conftest import World, login_client
from tests.factories import OrganisationFactory, UserFactory


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#00811f").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("colour", ["#00811f", "#154273", "#b71c1c"])
def test_dark_colours_are_accepted(db: None, colour: str) -> None:
    OrganisationFactory.build(primary_colour=colour).full_clean()


@pytest.mark.parametrize(
    ("colour", "message"),
    [("#ffdd00", "slecht leesbaar"), ("#999999", "slecht leesbaar"), ("groen", "#rrggbb"), ("#12345", "#rrggbb")],
)
def test_unreadable_or_malformed_colours_are_refused_in_dutch(db: None, colour: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        OrganisationFactory.build(primary_colour=colour).full_clean()

    assert message in str(error.value.message_dict["primary_colour"])


def test_header_shows_the_organisations_name_colour_and_logo(world: World) -> None:
    world.rotterdam.logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    world.rotterdam.save()

    page = login_client(world.alice).get("/").content.decode()

    assert "Gemeente Rotterdam" in page
    assert "--lt-primary: #00811f" in page
    assert world.rotterdam.get_logo_url() in page


def test_logo_is_served_to_the_organisations_own_people_only(world: World) -> None:
    world.rotterdam.logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    world.rotterdam.save()
    url = world.rotterdam.get_logo_url()

    own = login_client(world.alice).get(url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content).startswith(b"\x89PNG")
    assert login_client(world.charlie).get(url).status_code == 404


def test_hr_admin_needs_an_organisation(db: None) -> None:
    person = User(email="hr@nergens.example", is_hr_admin=True)

    with pytest.raises(ValidationError) as error:
        person.full_clean()

    assert "moet bij een organisatie horen" in str(error.value.message_dict["is_hr_admin"])


@pytest.mark.parametrize(("colour", "accepted"), [("#767676", True), ("#777777", False)])
def test_contrast_limit_is_four_and_a_half_to_one(db: None, colour: str, accepted: bool) -> None:
    organisation = OrganisationFactory.build(primary_colour=colour)
    if accepted:
        organisation.full_clean()
        return
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    (message,) = error.value.message_dict["primary_colour"]
    assert "Witte tekst op deze kleur is slecht leesbaar" in message
    # 4.48:1 must not be shown rounded up to the very limit it fails.
    assert re.search(r"\(contrast 4[.,]4:1, minimaal 4[.,]5:1 nodig\)", message), message


def test_colour_messages_use_the_readers_language_and_number_format(db: None) -> None:
    for language, expected in (
        ("en", "White text on this colour is hard to read (contrast 1.3:1, at least 4.5:1 needed)."),
        ("nl", "Witte tekst op deze kleur is slecht leesbaar (contrast 1,3:1, minimaal 4,5:1 nodig)."),
    ):
        with translation.override(language), pytest.raises(ValidationError) as error:
            OrganisationFactory.build(primary_colour="#ffdd00").full_clean()
        with translation.override(language):
            assert error.value.message_dict["primary_colour"] == [expected]


def test_default_colour_is_readable(db: None) -> None:
    organisation = Organisation(name="Gemeente Zonderkleur", slug="zonderkleur")

    organisation.full_clean()

    assert organisation.primary_colour == DEFAULT_PRIMARY_COLOUR


def test_logo_needs_a_signed_in_person(client: Client, world: World) -> None:
    world.rotterdam.logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    world.rotterdam.save()
    url = world.rotterdam.get_logo_url()

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"/account/login/?next={url}"


def test_logo_is_private_to_the_browser_cache(world: World) -> None:
    world.rotterdam.logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    world.rotterdam.save()

    response = login_client(world.hr).get(world.rotterdam.get_logo_url())

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_organisation_without_logo_has_no_logo_url_and_the_address_is_not_found(world: World) -> None:
    assert world.rotterdam.get_logo_url() == ""
    assert "brand-logo" not in login_client(world.alice).get("/").content.decode()

    assert login_client(world.alice).get("/organisation/rotterdam/logo").status_code == 404


def test_platform_staff_without_organisation_gets_no_organisations_logo(world: World) -> None:
    world.rotterdam.logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    world.rotterdam.save()
    staff = UserFactory(organisation=None, is_staff=True)

    assert login_client(staff).get(world.rotterdam.get_logo_url()).status_code == 404
