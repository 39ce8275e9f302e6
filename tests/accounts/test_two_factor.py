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


def test_an_authenticator_code_works_only_once(world: World) -> None:
    code = totp_code()
    first = Client()
    first.post("/account/login/", {"login": world.hr.email, "password": TEST_PASSWORD})
    assert first.post("/account/2fa/authenticate/", {"code": code}).status_code == 302

    second = Client()
    second.post("/account/login/", {"login": world.hr.email, "password": TEST_PASSWORD})
    replayed = second.post("/account/2fa/authenticate/", {"code": code})

    assert replayed.status_code == 200
    assert "Ongeldige code" in replayed.content.decode()
    assert not second.get("/").wsgi_request.user.is_authenticated


def test_a_recovery_code_works_only_once(world: World) -> None:
    client = login_client(world.hr)
    post_after_reauthenticating(client, "/account/2fa/recovery-codes/generate/")
    code = Authenticator.objects.get(user=world.hr, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()[0]
    for expected_status in (302, 200):
        attempt = Client()
        attempt.post("/account/login/", {"login": world.hr.email, "password": TEST_PASSWORD})
        assert attempt.post("/account/2fa/authenticate/", {"code": code}).status_code == expected_status

    recovery = Authenticator.objects.get(user=world.hr, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert code not in recovery.get_unused_codes()


def test_recovery_codes_page_lists_the_unused_codes_in_dutch(world: World) -> None:
    client = login_client(world.hr)
    post_after_reauthenticating(client, "/account/2fa/recovery-codes/generate/")
    codes = Authenticator.objects.get(user=world.hr, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()

    page = client.get("/account/2fa/recovery-codes/").content.decode()

    assert "Herstelcodes" in page
    assert "Naar de inhoud" in page
    assert all(code in page for code in codes)


def test_two_factor_pages_are_in_the_layout_and_dutch(world: World) -> None:
    pending = Client()
    pending.post("/account/login/", {"login": world.hr.email, "password": TEST_PASSWORD})
    code_page = pending.get("/account/2fa/authenticate/", headers={"accept-language": "en"}).content.decode()
    overview = login_client(world.hr).get("/account/2fa/", headers={"accept-language": "en"}).content.decode()

    for page in (code_page, overview):
        assert '<html lang="nl">' in page
        assert "Naar de inhoud" in page
        assert '<main id="content"' in page
    assert "Uw account is beveiligd met twee-factor-authenticatie" in code_page
    assert "Authenticatie middels een authenticator-app is actief." in overview
