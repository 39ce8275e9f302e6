"""HR admins see many people's data: they sign in with an authenticator app, always."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from tests.conftest import World, login_client, totp_code
from tests.factories import TEST_PASSWORD, HRAdminFactory


def post_after_reauthenticating(client: Client, path: str):
    """Sensitive MFA changes first ask for the password again; allauth then replays the post."""
    first = client.post(path)
    assert first.status_code == 302
    assert first.url.startswith("/account/reauthenticate/")
    return client.post(first.url, {"password": TEST_PASSWORD})


def test_hr_admin_must_enter_the_authenticator_code(client: Client, world: World) -> None:
    response = client.post("/account/login/", {"login": world.hr.email, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response.url == "/account/2fa/authenticate/"
    assert not client.get("/").wsgi_request.user.is_authenticated

    wrong = client.post("/account/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Ongeldige code" in wrong.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated

    right = client.post("/account/2fa/authenticate/", {"code": totp_code()})
    assert right.status_code == 302
    assert client.get("/").wsgi_request.user == world.hr


def test_hr_admin_without_an_app_is_sent_to_set_one_up_from_every_page(world: World) -> None:
    newcomer = HRAdminFactory(organisation=world.rotterdam, authenticator=False)
    client = Client()
    client.post("/account/login/", {"login": newcomer.email, "password": TEST_PASSWORD})

    for path in ("/", "/programmes/", f"/programmes/{world.programme.pk}/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == "/account/2fa/totp/activate/", path

    setup = client.get("/account/2fa/totp/activate/", follow=True)
    assert setup.status_code == 200
    assert "twee-factor-authenticatie" in setup.content.decode()


def test_participant_is_not_forced_to_use_an_app(world: World) -> None:
    client = login_client(world.alice)

    assert client.get("/").status_code == 200


def test_hr_admin_cannot_switch_the_app_off(world: World) -> None:
    client = login_client(world.hr)

    response = post_after_reauthenticating(client, "/account/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert "twee-factor-authenticatie niet deactiveren" in response.content.decode()
    assert Authenticator.objects.filter(user=world.hr, type=Authenticator.Type.TOTP).exists()


def test_participant_may_switch_their_app_off(world: World) -> None:
    TOTP.activate(world.alice, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.post("/account/login/", {"login": world.alice.email, "password": TEST_PASSWORD})
    client.post("/account/2fa/authenticate/", {"code": totp_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")})

    response = post_after_reauthenticating(client, "/account/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=world.alice, type=Authenticator.Type.TOTP).exists()


def test_hr_admin_can_generate_recovery_codes_and_sign_in_with_one(world: World) -> None:
    client = login_client(world.hr)
    generated = post_after_reauthenticating(client, "/account/2fa/recovery-codes/generate/")
    assert generated.status_code == 302
    codes = Authenticator.objects.get(user=world.hr, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    assert len(codes) >= 8

    fresh = Client()
    fresh.post("/account/login/", {"login": world.hr.email, "password": TEST_PASSWORD})
    response = fresh.post("/account/2fa/authenticate/", {"code": codes[0]})

    assert response.status_code == 302
    assert fresh.get("/").wsgi_request.user == world.hr
