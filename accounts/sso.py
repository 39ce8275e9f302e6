"""Single sign-on per organisation: who may sign in through an organisation's identity provider.

An organisation links its own OpenID Connect or SAML 2.0 app (an allauth ``SocialApp``) through
``IdentityProvider``. Signing in through it matches a person by the email address the identity
provider says it verified, and only within that organisation: someone of another organisation
never signs in through it. A new account is made only for an address in one of the
organisation's ``sign_in_domains``; people HR enrolled already have an account (their invitation
is accepted by signing in), everyone else needs an invitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.db import transaction
from django.http import HttpRequest

from programmes.invitations import accept
from programmes.models import Invitation

from .models import IdentityProvider, Organisation, User


class SignInRefused(Exception):
    """Signing in through this identity provider is not allowed; nothing was created or connected."""

    def __init__(self, organisation: Organisation | None) -> None:
        super().__init__(str(organisation))
        self.organisation = organisation


@dataclass(frozen=True)
class SignInButton:
    name: str
    url: str


def organisation_of(app: SocialApp) -> Organisation | None:
    """The organisation whose staff sign in through this app, or None for an app linked to none."""
    try:
        return app.identity_provider.organisation
    except IdentityProvider.DoesNotExist:
        return None


def apps_of(organisation_id: int | None) -> set[int]:
    """The social apps an organisation's people may see and connect: their own organisation's."""
    return set(IdentityProvider.objects.for_organisation(organisation_id).values_list("app_id", flat=True))


def sign_in_buttons(request: HttpRequest, slug: str) -> list[SignInButton]:
    """The "sign in with ..." buttons on the sign-in page of the organisation with this short name."""
    # Nobody is signed in yet: the short name in the address says which organisation this is.
    organisation = Organisation.objects.unscoped().filter(slug=slug).first()
    if organisation is None:
        return []
    providers = IdentityProvider.objects.for_organisation(organisation).select_related("app").order_by("app__name")
    return [
        SignInButton(name=provider.app.name, url=provider.app.get_provider(request).get_login_url(request))
        for provider in providers
    ]


def allowed_domains(organisation: Organisation) -> set[str]:
    return {domain.strip().lower().lstrip("@") for domain in organisation.sign_in_domains.split(",") if domain.strip()}


def may_sign_up(organisation: Organisation, email: str) -> bool:
    """Whether an address without an account gets one: its domain is one the organisation allows."""
    return email.rpartition("@")[2].lower() in allowed_domains(organisation)


def verified_email(sociallogin: SocialLogin) -> str | None:
    """The address the identity provider says it verified; an unverified one is never trusted."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.lower()
    return None


def match(organisation: Organisation | None, sociallogin: SocialLogin, signed_in: Any) -> User | None:
    """The existing account this sign-in belongs to, or None when a new one may be made.

    Raises ``SignInRefused`` for an app linked to no organisation, an account of another
    organisation or a deactivated one, an address the identity provider did not verify, and a
    new address outside the organisation's allowed domains. A signed-in person connecting a work
    account (``signed_in``) may do so only with their own organisation's identity provider.
    """
    if organisation is None:
        raise SignInRefused(None)
    if sociallogin.state.get("process") == AuthProcess.CONNECT:
        if getattr(signed_in, "organisation_id", None) != organisation.pk:
            raise SignInRefused(organisation)
        return None
    if sociallogin.is_existing:
        user: Any = sociallogin.user
        if user.organisation_id != organisation.pk or not user.is_active:
            raise SignInRefused(organisation)
        return user
    email = verified_email(sociallogin)
    if email is None:
        raise SignInRefused(organisation)
    existing = User.objects.filter(email=email).first()
    if existing is None:
        if not may_sign_up(organisation, email):
            raise SignInRefused(organisation)
        return None
    if existing.organisation_id != organisation.pk or not existing.is_active:
        raise SignInRefused(organisation)
    return existing


@transaction.atomic
def connect(request: HttpRequest, sociallogin: SocialLogin, user: User) -> None:
    """Link the identity provider's account to the person and trust the address it verified.

    An open invitation of the person counts as accepted: they reached Leertraject with their work account.
    """
    sociallogin.connect(request, user)
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    for invitation in Invitation.objects.for_organisation(user.organisation_id).filter(
        membership__user=user, accepted_at__isnull=True, revoked_at__isnull=True
    ):
        accept(invitation)
