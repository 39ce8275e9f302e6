"""Demo organisations and people, after the seed articles (Rotterdam: seed 004, Haarlem: seed 000)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .models import Organisation, User

DEMO_PASSWORD = "leertraject-demo"  # noqa: S105 - printed by `make run` on purpose
# Base32 secret of the demo HR admins' authenticator app; `manage.py demo_totp` prints codes.
DEMO_TOTP_SECRET = "NRSWK4TUOJQWUZLDOQWWIZLNN4WTEZTB"  # noqa: S105

ROLE_KEYS = ("participant", "coach", "hr", "manager")


@dataclass
class DemoOrganisation:
    organisation: Organisation
    people: dict[str, User] = field(default_factory=dict)


DemoWorld = dict[str, DemoOrganisation]

ORGANISATIONS = [
    {
        "slug": "rotterdam",
        "name": "Gemeente Rotterdam",
        "colour": "#00811f",
        "people": [
            # key, first name, last name, email, HR admin
            ("hr", "Sanne", "Verbeek", "hr@rotterdam.example", True),
            ("coach", "Joost", "Bakker", "coach@rotterdam.example", False),
            ("manager", "Marieke", "Jansen", "manager@rotterdam.example", False),
            ("participant", "Fatima", "el Amrani", "deelnemer@rotterdam.example", False),
            ("coach2", "Yvonne", "de Graaf", "yvonne.degraaf@rotterdam.example", False),
            ("p1", "Mohamed", "Bouzid", "mohamed.bouzid@rotterdam.example", False),
            ("p2", "Lotte", "van Dijk", "lotte.vandijk@rotterdam.example", False),
            ("p3", "Kees", "van der Linden", "kees.vanderlinden@rotterdam.example", False),
            ("p4", "Priya", "Ramdin", "priya.ramdin@rotterdam.example", False),
            ("p5", "Bram", "Hoekstra", "bram.hoekstra@rotterdam.example", False),
            ("p6", "Esra", "Yilmaz", "esra.yilmaz@rotterdam.example", False),
            ("p7", "Wouter", "de Jong", "wouter.dejong@rotterdam.example", False),
            ("p8", "Naomi", "Koster", "naomi.koster@rotterdam.example", False),
        ],
    },
    {
        "slug": "haarlem",
        "name": "Gemeente Haarlem",
        "colour": "#b71c1c",
        "people": [
            ("hr", "Karin", "de Boer", "hr@haarlem.example", True),
            ("coach", "Pieter", "Smit", "coach@haarlem.example", False),
            ("manager", "Ingrid", "Mulder", "manager@haarlem.example", False),
            ("participant", "Daan", "Visser", "deelnemer@haarlem.example", False),
            ("p1", "Sophie", "Meijer", "sophie.meijer@haarlem.example", False),
            ("p2", "Ruben", "Kok", "ruben.kok@haarlem.example", False),
            ("p3", "Aylin", "Demir", "aylin.demir@haarlem.example", False),
            ("p4", "Thijs", "Vermeulen", "thijs.vermeulen@haarlem.example", False),
        ],
    },
]


def _logo_png(colour: str, letter: str) -> bytes:
    """A plain square logo in the organisation's colour, so the demo shows branding."""
    image = Image.new("RGB", (96, 96), colour)
    ImageDraw.Draw(image).text((34, 26), letter, fill="white", font_size=44)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _person(organisation: Organisation, first: str, last: str, email: str, hr_admin: bool) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "organisation": organisation, "is_hr_admin": hr_admin},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if hr_admin and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def seed() -> DemoWorld:
    world: DemoWorld = {}
    for spec in ORGANISATIONS:
        organisation, created = Organisation.objects.unscoped().get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "primary_colour": spec["colour"]}
        )
        if created:
            organisation.logo.save(f"{spec['slug']}.png", ContentFile(_logo_png(spec["colour"], spec["name"][9])))
        demo = DemoOrganisation(organisation)
        for key, first, last, email, hr_admin in spec["people"]:
            demo.people[key] = _person(organisation, first, last, email, hr_admin)
        world[spec["slug"]] = demo
    return world
