"""Single sign-on rules: who may sign in through an organisation's own identity provider.

The identity provider's answer (the claims of its ID token) is handed to allauth's real
social-login flow, exactly as its OpenID Connect callback does after talking to the provider;
the browser test in tests/browser/test_sso.py runs the whole round trip against a real one.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts.models import IdentityProvider, Organisation, User
from programmes.models import Invitation, Membership
from tests.conftest import World
from tests.factories import TEST_PASSWORD, IdentityProviderFactory, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def identity_provider(organisation: Organisation, name: str = "Rotterdam Entra ID") -> SocialApp:
    return IdentityProviderFactory(
        organisation=organisation, app__name=name, app__provider_id=f"{organisation.slug}-entra"
    ).app


def sign_in_through(
    app: SocialApp, email: str, *, verified: bool = True, sub: str = "idp-user-1", connecting: User | None = None
) -> HttpResponse:
    """Complete allauth's social login with the claims the identity provider returned.

    With ``connecting``, that signed-in person links the work account from their connections page.
    """
    request = RequestFactory().get(f"/account/oidc/{app.provider_id}/login/callback/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request.session.save()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    request.user = connecting or AnonymousUser()
    claims = {"sub": sub, "email": email, "email_verified": verified, "given_name": "Fatima", "family_name": "Amrani"}
    with context.request_context(request):
        sociallogin = app.get_provider(request).sociallogin_from_response(request, claims)
        if connecting:
            sociallogin.state["process"] = "connect"
        response = complete_social_login(request, sociallogin)
    response.wsgi_request = request  # type: ignore[attr-defined]
    return response


def signed_in_user(response: HttpResponse) -> Any:
    return response.wsgi_request.user  # type: ignore[attr-defined]


def assert_refused(response: HttpResponse) -> None:
    assert response.status_code == 403
    assert "U hebt een uitnodiging nodig" in response.content.decode()
    assert not signed_in_user(response).is_authenticated


def test_a_person_of_the_organisation_is_matched_by_verified_email(world: World) -> None:
    app = identity_provider(world.rotterdam)

    response = sign_in_through(app, world.alice.email.upper())

    assert response.status_code == 302
    assert signed_in_user(response) == world.alice
    assert SocialAccount.objects.get(user=world.alice).uid == "idp-user-1"


def test_once_connected_the_identity_provider_account_signs_in_again(world: World) -> None:
    app = identity_provider(world.rotterdam)
    sign_in_through(app, world.alice.email)

    response = sign_in_through(app, world.alice.email)

    assert signed_in_user(response) == world.alice
    assert SocialAccount.objects.filter(user=world.alice).count() == 1


def test_an_unverified_email_is_not_matched(world: World) -> None:
    app = identity_provider(world.rotterdam)

    assert_refused(sign_in_through(app, world.alice.email, verified=False))
    assert not SocialAccount.objects.exists()


def test_a_person_of_another_organisation_never_signs_in_through_it(world: World) -> None:
    app = identity_provider(world.rotterdam)

    assert_refused(sign_in_through(app, world.charlie.email))
    assert not SocialAccount.objects.exists()


def test_an_account_connected_elsewhere_does_not_cross_organisations(world: World) -> None:
    haarlem_app = identity_provider(world.haarlem, name="Haarlem Entra ID")
    sign_in_through(haarlem_app, world.charlie.email, sub="charlie")
    SocialAccount.objects.filter(user=world.charlie).update(user=world.alice)

    assert_refused(sign_in_through(haarlem_app, world.charlie.email, sub="charlie"))


def test_an_app_linked_to_no_organisation_signs_nobody_in(world: World) -> None:
    app = identity_provider(world.rotterdam)
    IdentityProvider.objects.for_organisation(world.rotterdam).delete()

    response = sign_in_through(SocialApp.objects.get(pk=app.pk), world.alice.email)

    assert response.status_code == 403
    assert not signed_in_user(response).is_authenticated


def test_an_invited_person_signing_in_accepts_the_invitation(world: World) -> None:
    app = identity_provider(world.rotterdam)
    membership = Membership.objects.for_organisation(world.rotterdam).get(user=world.alice, role="participant")
    invitation = InvitationFactory(membership=membership, code_hash="abc", expires_at=timezone.now())
    EmailAddress.objects.filter(user=world.alice).update(verified=False)

    response = sign_in_through(app, world.alice.email)

    assert signed_in_user(response) == world.alice
    invitation = Invitation.objects.for_organisation(world.rotterdam).get(pk=invitation.pk)
    assert invitation.accepted_at is not None
    assert invitation.code_hash == ""
    assert EmailAddress.objects.get(user=world.alice, email=world.alice.email).verified


def test_an_address_in_an_allowed_domain_gets_an_account_of_the_organisation(world: World) -> None:
    world.rotterdam.sign_in_domains = "rotterdam.nl, @Rotterdam.example"
    world.rotterdam.save()
    app = identity_provider(world.rotterdam)

    response = sign_in_through(app, "Fatima.Amrani@rotterdam.nl")

    user = User.objects.get(email="fatima.amrani@rotterdam.nl")
    assert signed_in_user(response) == user
    assert user.organisation == world.rotterdam
    assert not user.is_hr_admin
    assert user.get_full_name() == "Fatima Amrani"
    assert EmailAddress.objects.get(user=user).verified


def test_an_unknown_address_outside_the_allowed_domains_needs_an_invitation(world: World) -> None:
    world.rotterdam.sign_in_domains = "rotterdam.nl"
    world.rotterdam.save()
    app = identity_provider(world.rotterdam)

    response = sign_in_through(app, "iemand@rotterdam.nl.example")

    assert_refused(response)
    assert "Gemeente Rotterdam" in response.content.decode()
    assert not User.objects.filter(email="iemand@rotterdam.nl.example").exists()


def test_an_allowed_domain_does_not_take_over_an_account_of_another_organisation(world: World) -> None:
    world.haarlem.sign_in_domains = "testdorp.example"
    world.haarlem.save()
    app = identity_provider(world.haarlem, name="Haarlem Entra ID")

    assert_refused(sign_in_through(app, world.alice.email))
    assert User.objects.get(email=world.alice.email).organisation == world.rotterdam


def test_a_deactivated_person_is_refused(world: World) -> None:
    app = identity_provider(world.rotterdam)
    colleague = UserFactory(organisation=world.rotterdam, is_active=False)

    assert_refused(sign_in_through(app, colleague.email))


def test_an_hr_admin_still_gives_the_second_factor(world: World) -> None:
    app = identity_provider(world.rotterdam)

    response = sign_in_through(app, world.hr.email)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/authenticate")
    assert not signed_in_user(response).is_authenticated


def test_the_sign_in_page_of_an_organisation_shows_its_own_identity_providers(world: World) -> None:
    identity_provider(world.rotterdam)
    identity_provider(world.haarlem, name="Haarlem Entra ID")

    rotterdam = Client().get("/account/login/?organisation=rotterdam").content.decode()
    plain = Client().get("/account/login/").content.decode()

    assert "Inloggen met Rotterdam Entra ID" in rotterdam
    assert 'action="/account/oidc/rotterdam-entra/login/"' in rotterdam
    assert "Haarlem Entra ID" not in rotterdam
    assert 'name="password"' in rotterdam
    assert "Entra ID" not in plain


def test_an_identity_provider_that_sends_no_verified_claim_can_be_trusted_in_its_settings(world: World) -> None:
    app = identity_provider(world.rotterdam)
    app.settings["verified_email"] = ["testdorp.example"]
    app.save()

    response = sign_in_through(app, world.alice.email, verified=False)

    assert signed_in_user(response) == world.alice


def test_a_saml_app_of_the_organisation_shows_its_button_too(world: World) -> None:
    app = SocialApp.objects.create(
        provider="saml",
        provider_id="rotterdam",
        client_id="rotterdam",
        name="Rotterdam ADFS",
        settings={"idp": {"entity_id": "https://adfs.example/", "metadata_url": "https://adfs.example/metadata"}},
    )
    IdentityProvider.objects.create(organisation=world.rotterdam, app=app)

    page = Client().get("/account/login/?organisation=rotterdam").content.decode()

    assert "Inloggen met Rotterdam ADFS" in page
    assert 'action="/account/saml/rotterdam/login/"' in page


def test_platform_staff_link_an_identity_provider_to_an_organisation_in_the_admin(world: World) -> None:
    app = SocialApp.objects.create(provider="openid_connect", provider_id="rotterdam-entra", name="Rotterdam Entra ID")
    client = Client()
    client.force_login(User.objects.create_superuser("beheer@leertraject.example", TEST_PASSWORD))
    url = f"/admin/accounts/organisation/{world.rotterdam.pk}/change/"
    created = timezone.localtime(world.rotterdam.created_at)

    response = client.post(
        url,
        {
            "name": world.rotterdam.name,
            "slug": world.rotterdam.slug,
            "primary_colour": world.rotterdam.primary_colour,
            "sign_in_domains": "rotterdam.nl",
            "created_at_0": created.date().isoformat(),
            "created_at_1": created.time().replace(microsecond=0).isoformat(),
            "identity_providers-TOTAL_FORMS": "1",
            "identity_providers-INITIAL_FORMS": "0",
            "identity_providers-0-app": str(app.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert IdentityProvider.objects.for_organisation(world.rotterdam).get().app == app


def test_a_person_connects_only_their_own_organisations_identity_provider(world: World) -> None:
    own = identity_provider(world.rotterdam)
    other = identity_provider(world.haarlem, name="Haarlem Entra ID")

    refused = sign_in_through(other, world.alice.email, connecting=world.alice)
    assert refused.status_code == 403
    assert not SocialAccount.objects.exists()

    sign_in_through(own, "alice.werk@rotterdam.nl", connecting=world.alice)
    assert SocialAccount.objects.get().user == world.alice


def test_the_connections_page_lists_only_the_own_organisations_identity_providers(world: World, as_user: Any) -> None:
    identity_provider(world.rotterdam)
    identity_provider(world.haarlem, name="Haarlem Entra ID")

    page = as_user(world.alice).get("/account/3rdparty/").content.decode()

    assert "Rotterdam Entra ID" in page
    assert "Haarlem Entra ID" not in page
