"""An organisation's logo and colour brand its pages; the colour must keep text readable."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from tests.conftest import World, login_client
from tests.factories import OrganisationFactory


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
