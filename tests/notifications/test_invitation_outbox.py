"""The programme invitation goes through the outbox: recorded once per send, its code made only at
sending (never stored with the message), voided when accepted or revoked meanwhile."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, override_settings

from accounts.models import User
from notifications import outbox
from notifications.models import Category, Notification
from programmes import invitations
from programmes.models import Invitation, Membership
from tests.conftest import World, login_client
from tests.factories import PreferenceFactory


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient, as for a mailbox that does not exist."""

    def send_messages(self, messages: list) -> int:
        raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user") for message in messages})


def enrol(world: World, language: str = "nl") -> Membership:
    user = User.objects.create(email="sem@rotterdam.example", first_name="Sem", organisation=world.rotterdam)
    user.language = language
    user.set_unusable_password()
    user.save()
    return Membership.objects.create(programme=world.programme, user=user, role=Membership.Role.PARTICIPANT)


def invitation_rows(membership: Membership) -> list[Notification]:
    return list(
        Notification.objects.for_organisation(membership.programme.organisation_id)
        .filter(kind="invitation", recipient=membership.user)
        .order_by("occurrence")
    )


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"http://testserver(/invitation/[^/\s]+/)", message.body).group(1)


def test_inviting_records_one_message_and_mails_it_after_the_commit(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol(world)

    with django_capture_on_commit_callbacks() as queued:
        assert invitations.invite(world.programme, [sem]) == 1
    invitation = Invitation.objects.for_organisation(world.rotterdam).get(membership=sem)
    [row] = invitation_rows(sem)
    assert (row.key, row.occurrence, row.status) == (f"invitation:{invitation.pk}", "1", Notification.Status.PENDING)
    assert row.category == Category.ESSENTIAL
    assert mail.outbox == []

    for callback in queued:
        callback()

    [message] = mail.outbox
    assert message.to == ["sem@rotterdam.example"]
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    code = link_in(message).split("/")[2]
    assert code not in str(row.context) and code not in row.link
    assert row.context == {"programme": "Gebiedsnetwerkers", "organisation": "Gemeente Rotterdam"}
    invitation.refresh_from_db()
    assert invitation.send_count == 1 and invitation.sent_at is not None


def test_a_double_click_sends_one_invitation(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    sem = enrol(world)
    hr = login_client(world.hr)

    with django_capture_on_commit_callbacks(execute=True):
        hr.post(f"/programmes/{world.programme.pk}/people/{sem.pk}/resend/")
        hr.post(f"/programmes/{world.programme.pk}/people/{sem.pk}/resend/")

    assert len(invitation_rows(sem)) == 1
    assert [message.to for message in mail.outbox] == [["sem@rotterdam.example"]]


def test_sending_again_after_it_went_out_is_a_new_message_with_a_new_code(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol(world)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(world.programme, [sem])
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(world.programme, [sem])

    assert [(row.occurrence, row.status) for row in invitation_rows(sem)] == [
        ("1", Notification.Status.SENT),
        ("2", Notification.Status.SENT),
    ]
    first, second = mail.outbox
    assert Client().get(link_in(first)).status_code == 404
    assert Client().get(link_in(second)).status_code == 200


def test_the_invitation_has_a_text_and_an_html_part_and_a_subject_for_the_inbox(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol(world, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(world.programme, [sem])

    [message] = mail.outbox
    assert message.subject == "[Leertraject] Your invitation for Gebiedsnetwerkers"
    assert "Gemeente Rotterdam invites you to the learning programme “Gebiedsnetwerkers”" in message.body
    assert "Use your personal link to join and choose a password:" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="http://testserver{link_in(message)}"' in html
    assert "Join the programme" in html
    [row] = invitation_rows(sem)
    assert outbox.subject_of(row) == "Uw uitnodiging voor Gebiedsnetwerkers"


def test_an_invitation_accepted_before_it_went_out_is_void(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol(world)
    with django_capture_on_commit_callbacks():
        invitations.invite(world.programme, [sem])
    Invitation.objects.for_organisation(world.rotterdam).filter(membership=sem).update(accepted_at=sem.created_at)

    outbox.enqueue_due()

    assert [row.status for row in invitation_rows(sem)] == [Notification.Status.VOID]
    assert mail.outbox == []


def test_a_revoked_invitation_is_not_sent_until_hr_invites_again(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol(world)
    with django_capture_on_commit_callbacks():
        invitations.invite(world.programme, [sem])
    invitations.revoke(Invitation.objects.for_organisation(world.rotterdam).get(membership=sem))

    outbox.enqueue_due()
    assert [row.status for row in invitation_rows(sem)] == [Notification.Status.VOID]
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        login_client(world.hr).post(f"/programmes/{world.programme.pk}/people/{sem.pk}/resend/")

    [message] = mail.outbox
    assert Client().get(link_in(message)).status_code == 200


def test_accepted_participants_are_not_invited_again(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    alice = Membership.objects.for_organisation(world.rotterdam).get(user=world.alice, role="participant")
    Invitation.objects.create(membership=alice, accepted_at=alice.created_at)

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invite(world.programme, [alice]) == 0

    assert invitation_rows(alice) == []
    assert mail.outbox == []


def test_the_invitation_cannot_be_switched_off(world: World, django_capture_on_commit_callbacks: Callable) -> None:
    sem = enrol(world)
    PreferenceFactory(user=sem.user, category=Category.ESSENTIAL, mail=False)

    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(world.programme, [sem])

    assert [row.status for row in invitation_rows(sem)] == [Notification.Status.SENT]
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


@override_settings(EMAIL_BACKEND="tests.notifications.test_invitation_outbox.RefusingBackend")
def test_a_refused_address_fails_the_message_and_shows_as_not_delivered(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    sem = enrol(world)

    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(world.programme, [sem])

    [row] = invitation_rows(sem)
    assert row.status == Notification.Status.FAILED
    invitation = Invitation.objects.for_organisation(world.rotterdam).get(membership=sem)
    assert invitation.status == Invitation.Status.BOUNCED
    assert "Niet bezorgd" in login_client(world.hr).get(f"/programmes/{world.programme.pk}/people/").content.decode()


def test_invitations_of_another_organisations_programme_are_not_made(
    world: World, django_capture_on_commit_callbacks: Callable
) -> None:
    charlie = Membership.objects.for_organisation(world.haarlem).get(user=world.charlie)

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.invite(world.programme, [charlie]) == 0

    assert Notification.objects.for_organisation(world.haarlem).count() == 0
    assert mail.outbox == []


def test_after_a_refusal_hr_can_send_again(
    world: World, django_capture_on_commit_callbacks: Callable, settings: Any
) -> None:
    sem = enrol(world)
    settings.EMAIL_BACKEND = "tests.notifications.test_invitation_outbox.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(world.programme, [sem])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        login_client(world.hr).post(f"/programmes/{world.programme.pk}/people/{sem.pk}/resend/")

    assert [(row.occurrence, row.status) for row in invitation_rows(sem)] == [
        ("1", Notification.Status.FAILED),
        ("2", Notification.Status.SENT),
    ]
    assert Invitation.objects.for_organisation(world.rotterdam).get(membership=sem).status == Invitation.Status.INVITED
    assert len(mail.outbox) == 1
