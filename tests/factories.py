"""factory_boy factories for every model; one place to make test data."""

from __future__ import annotations

from datetime import date

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from factory.django import DjangoModelFactory

from accounts.models import Organisation, User
from programmes.models import Membership, Programme

TEST_PASSWORD = "correct-horse-battery"
TEST_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Testdorp {n}")
    slug = factory.Sequence(lambda n: f"testdorp-{n}")
    primary_colour = "#154273"


class UserFactory(DjangoModelFactory):
    """A person of an organisation with a verified email address and a known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@testdorp.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class HRAdminFactory(UserFactory):
    """An HR admin who has set up an authenticator app with ``TEST_TOTP_SECRET``."""

    is_hr_admin = True

    @factory.post_generation
    def authenticator(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            TOTP.activate(self, TEST_TOTP_SECRET)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Leertraject {n}")
    description = "Samen leren in de wijk."
    goals = "Initiatief tonen."
    starts_on = date(2026, 9, 1)
    ends_on = date(2027, 3, 1)
    status = Programme.Status.ACTIVE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..programme.organisation"))
    role = Membership.Role.PARTICIPANT
