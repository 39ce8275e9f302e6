"""Personal access codes: mailed in the invitee's language, single use, expiring, revocable."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from programmes.models import Invitation, Membership
from tests.conftest import World, login_client


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that refuses every recipient, as a mailbox that does not exist does."""

    def send_messages(self, messages: list) -> int:
        raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user") for message in messages})


def enrol_new(world: World, email: str = "sem@rotterdam.example", language: str = "nl") -> Membership:
    user = User.objects.create(email=email, first_name="Sem", organisation=world.rotterdam, language=language)
    user.set_unusable_password()
    user.save()
    return Membership.objects.create(programme=world.programme, user=user, role="participant")


def invite_all(world: World, capture: Callable) -> Client:
    """HR invites everyone; returns HR's client (a TOTP code signs in only once)."""
    hr = login_client(world.hr)
    with capture(execute=True):
        response = hr.post(f"/programmes/{world.programme.pk}/people/invite/")
    assert response.status_code == 302
    return hr


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"http://testserver(/invitation/[^/\s]+/)", message.body).group(1)


def test_everyone_not_yet_invited_gets_a_personal_link(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol_new(world)

    hr = invite_all(world, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.alice.email, sem.user.email])
    message = next(m for m in mail.outbox if m.to == [sem.user.email])
    assert message.subject == f"[Leertraject] Uw uitnodiging voor {world.programme.title}"
    assert "Beste Sem," in message.body
    assert message.alternatives and "Doe mee aan het leertraject" in message.alternatives[0][0]
    page = hr.get(f"/programmes/{world.programme.pk}/people/").content.decode()
    assert "Uitgenodigd" in page


def test_invitation_is_in_the_invitees_own_language(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    enrol_new(world, language="en")

    invite_all(world, django_capture_on_commit_callbacks)

    english = next(m for m in mail.outbox if m.to == ["sem@rotterdam.example"])
    assert english.subject == f"[Leertraject] Your invitation for {world.programme.title}"
    assert "Dear Sem," in english.body


def test_redeeming_sets_a_password_signs_in_and_works_only_once(
    world: World, client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol_new(world)
    invite_all(world, django_capture_on_commit_callbacks)
    link = link_in(next(m for m in mail.outbox if m.to == [sem.user.email]))

    form = client.get(link)
    assert "Welkom, Sem" in form.content.decode()
    response = client.post(link, {"new_password1": "wijkreis-2026-noord", "new_password2": "wijkreis-2026-noord"})

    assert response.status_code == 302
    assert response.url == f"/programmes/{world.programme.pk}/"
    assert client.get("/").wsgi_request.user == sem.user
    sem.user.refresh_from_db()
    assert sem.user.check_password("wijkreis-2026-noord")
    assert EmailAddress.objects.get(user=sem.user).verified
    assert Invitation.objects.for_organisation(world.rotterdam).get(membership=sem).accepted_at
    again = Client().get(link)
    assert again.status_code == 404
    assert "werkt niet (meer)" in again.content.decode()


def test_weak_password_is_refused_and_the_code_stays_usable(
    world: World, client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol_new(world)
    invite_all(world, django_capture_on_commit_callbacks)
    link = link_in(next(m for m in mail.outbox if m.to == [sem.user.email]))

    response = client.post(link, {"new_password1": "12345", "new_password2": "12345"})

    assert response.status_code == 200
    assert "Verbeter het volgende" in response.content.decode()
    assert client.get(link).status_code == 200


def test_someone_with_an_account_is_enrolled_and_sent_to_sign_in(
    world: World, client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    invite_all(world, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])

    response = client.get(link)

    assert response.status_code == 302
    assert response.url == "/account/login/"
    assert Invitation.objects.for_organisation(world.rotterdam).get(membership__user=world.alice).accepted_at


def test_sending_again_retires_the_old_link(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    sem = enrol_new(world)
    hr = invite_all(world, django_capture_on_commit_callbacks)
    old = link_in(next(m for m in mail.outbox if m.to == [sem.user.email]))

    with django_capture_on_commit_callbacks(execute=True):
        hr.post(f"/programmes/{world.programme.pk}/people/{sem.pk}/resend/")
    new = link_in(mail.outbox[-1])

    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert Invitation.objects.for_organisation(world.rotterdam).get(membership=sem).send_count == 2


def test_revoked_and_expired_codes_do_not_work(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    sem = enrol_new(world)
    other = enrol_new(world, email="noor@rotterdam.example")
    hr = invite_all(world, django_capture_on_commit_callbacks)
    revoked = link_in(next(m for m in mail.outbox if m.to == [sem.user.email]))
    expired = link_in(next(m for m in mail.outbox if m.to == [other.user.email]))

    hr.post(f"/programmes/{world.programme.pk}/people/{sem.pk}/revoke/")
    Invitation.objects.for_organisation(world.rotterdam).filter(membership=other).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    assert Client().get(revoked).status_code == 404
    assert Client().get(expired).status_code == 404
    assert "Ingetrokken" in hr.get(f"/programmes/{world.programme.pk}/people/").content.decode()


def test_guessed_codes_find_nothing(client: Client, world: World) -> None:
    assert client.get("/invitation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/").status_code == 404


def test_only_a_hash_of_the_code_is_stored(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    invite_all(world, django_capture_on_commit_callbacks)
    code = link_in(mail.outbox[0]).split("/")[2]

    stored = Invitation.objects.for_organisation(world.rotterdam).get()

    assert len(code) >= 40
    assert code not in stored.code_hash


@override_settings(EMAIL_BACKEND="tests.programmes.test_invitations.RefusingBackend")
def test_a_refused_address_shows_as_bounced(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    hr = invite_all(world, django_capture_on_commit_callbacks)

    page = hr.get(f"/programmes/{world.programme.pk}/people/").content.decode()

    assert Invitation.objects.for_organisation(world.rotterdam).get().bounced_at is not None
    assert "Niet bezorgd" in page


@pytest.mark.parametrize(("who", "status"), [("haarlem_hr", 404), ("charlie", 404), ("bob", 403), ("alice", 403)])
def test_only_the_own_hr_admin_sends_or_revokes(
    world: World, django_capture_on_commit_callbacks: Callable, who: str, status: int
) -> None:
    membership = Membership.objects.for_organisation(world.rotterdam).get(user=world.alice, role="participant")
    client = login_client(getattr(world, who))

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/programmes/{world.programme.pk}/people/invite/").status_code == status
        assert client.post(f"/programmes/{world.programme.pk}/people/{membership.pk}/resend/").status_code == status
    assert client.post(f"/programmes/{world.programme.pk}/people/{membership.pk}/revoke/").status_code == status
    assert mail.outbox == []


def test_the_funnel_counts_who_was_invited_accepted_and_signed_in_lately(world: World) -> None:
    """On the programme page and the people page: enrolled, invited (sent), accepted, and active
    (accepted and signed in within the last two weeks); coaches and managers are not counted."""
    now = timezone.now()
    sent_only, stale, active = (enrol_new(world, f"p{number}@rotterdam.example") for number in range(3))
    Invitation.objects.create(membership=sent_only, sent_at=now)
    Invitation.objects.create(membership=stale, sent_at=now, accepted_at=now)
    Invitation.objects.create(membership=active, sent_at=now, accepted_at=now)
    User.objects.filter(pk=stale.user_id).update(last_login=now - timedelta(days=Invitation.ACTIVE_DAYS + 1))
    User.objects.filter(pk=active.user_id).update(last_login=now - timedelta(days=1))
    hr = login_client(world.hr)

    for url in (f"/programmes/{world.programme.pk}/", f"/programmes/{world.programme.pk}/people/"):
        page = hr.get(url).content.decode()
        figures = dict(re.findall(r'<dt class="small fw-normal">([^<]+)</dt><dd class="fs-3 mb-0">(\d+)</dd>', page))
        assert (figures["Ingeschreven"], figures["Uitgenodigd"], figures["Geaccepteerd"], figures["Actief"]) == (
            "4",  # Alice and the three
            "3",
            "2",
            "1",
        ), url
