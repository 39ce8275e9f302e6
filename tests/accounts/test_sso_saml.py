"""SAML 2.0 sign-in through allauth's SAML provider, with the same rules as OpenID Connect.

The test plays the identity provider: it reads Leertraject's real authentication request and
answers with a SAML response signed with its own key, which python3-saml checks against the
certificate set up in the organisation's SAML app.
"""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client
from django.utils import timezone
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from accounts.models import User
from tests.conftest import World
from tests.factories import IdentityProviderFactory

pytestmark = pytest.mark.django_db

IDP_ENTITY_ID = "https://adfs.rotterdam.example/adfs/services/trust"
ACS_URL = "http://testserver/account/saml/rotterdam/acs/"
SP_ENTITY_ID = "http://testserver/account/saml/rotterdam/metadata/"


def _key_and_certificate() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "adfs.rotterdam.example")])
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


KEY, CERTIFICATE = _key_and_certificate()


@pytest.fixture
def saml_app(world: World) -> None:
    IdentityProviderFactory(
        organisation=world.rotterdam,
        app__provider="saml",
        app__provider_id="rotterdam-adfs",
        app__client_id="rotterdam",
        app__name="Rotterdam ADFS",
        app__settings={
            "idp": {
                "entity_id": IDP_ENTITY_ID,
                "sso_url": "https://adfs.rotterdam.example/adfs/ls/",
                "x509cert": CERTIFICATE,
            },
            "attribute_mapping": {"uid": "uid", "email": "email", "email_verified": "email_verified"},
            "advanced": {"allow_single_label_domains": True},
        },
    )


def _saml_response(request_id: str, email: str, *, verified: bool, key: str, certificate: str) -> str:
    def instant(delta: timedelta = timedelta()) -> str:
        return (timezone.now() + delta).strftime("%Y-%m-%dT%H:%M:%SZ")

    flag = "true" if verified else "false"
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_response-1" Version="2.0"
 IssueInstant="{instant()}" Destination="{ACS_URL}" InResponseTo="{request_id}">
<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion ID="_assertion-1" Version="2.0" IssueInstant="{instant()}">
<saml:Issuer>{IDP_ENTITY_ID}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData NotOnOrAfter="{instant(timedelta(minutes=5))}" Recipient="{ACS_URL}"
 InResponseTo="{request_id}"/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{instant(timedelta(minutes=-1))}" NotOnOrAfter="{instant(timedelta(minutes=5))}">
<saml:AudienceRestriction><saml:Audience>{SP_ENTITY_ID}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{instant()}" SessionIndex="_session-1">
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>
<saml:Attribute Name="uid"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="email"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="email_verified"><saml:AttributeValue>{flag}</saml:AttributeValue></saml:Attribute>
</saml:AttributeStatement>
</saml:Assertion>
</samlp:Response>"""
    signed = OneLogin_Saml2_Utils.add_sign(
        xml,
        key,
        certificate,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return base64.b64encode(signed).decode()


def sign_in_with_saml(
    client: Client, email: str, *, verified: bool = True, signed_with: tuple[str, str] = (KEY, CERTIFICATE)
) -> Client:
    """Click "Inloggen met Rotterdam ADFS", answer the request as the identity provider, come back."""
    to_idp = client.post("/account/saml/rotterdam/login/")
    assert to_idp.status_code == 302
    query = parse_qs(urlparse(to_idp["Location"]).query)
    request_xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0]).decode()
    request_id = re.search(r'ID="([^"]+)"', request_xml).group(1)  # type: ignore[union-attr]
    return client.post(
        "/account/saml/rotterdam/acs/",
        {
            "SAMLResponse": _saml_response(
                request_id, email, verified=verified, key=signed_with[0], certificate=signed_with[1]
            )
        },
        follow=True,
    )


def test_a_person_signs_in_through_the_organisations_saml_identity_provider(world: World, saml_app: None) -> None:
    client = Client(HTTP_HOST="testserver")

    response = sign_in_with_saml(client, world.alice.email)

    assert response.wsgi_request.user == world.alice
    assert SocialAccount.objects.get(provider="rotterdam-adfs").user == world.alice


def test_saml_sign_in_of_a_stranger_is_refused_like_openid_connect(world: World, saml_app: None) -> None:
    response = sign_in_with_saml(Client(HTTP_HOST="testserver"), "iemand@elders.example")

    assert response.status_code == 403
    assert "U hebt een uitnodiging nodig" in response.content.decode()
    assert not User.objects.filter(email="iemand@elders.example").exists()


def test_an_unverified_saml_address_is_not_matched(world: World, saml_app: None) -> None:
    response = sign_in_with_saml(Client(HTTP_HOST="testserver"), world.alice.email, verified=False)

    assert response.status_code == 403
    assert not response.wsgi_request.user.is_authenticated


def test_a_response_not_signed_by_the_organisations_identity_provider_is_rejected(world: World, saml_app: None) -> None:
    response = sign_in_with_saml(Client(HTTP_HOST="testserver"), world.alice.email, signed_with=_key_and_certificate())

    assert not response.wsgi_request.user.is_authenticated
    assert not SocialAccount.objects.exists()
