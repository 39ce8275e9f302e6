"""Personal access codes (seed 001): every invitee gets a single-use, expiring link.

Only a hash of the code is stored. Sending issues a fresh code, so re-sending also
retires the previous link. The mail goes through the notifications outbox, in the invitee's
own language.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.outbox import Planned, enqueue_due, key_pk, record

from .models import Invitation, Membership, Programme

VALID_FOR = timedelta(days=14)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def invite(programme: Programme, memberships: list[Membership]) -> int:
    """Queue an invitation for each participant who has not accepted one yet; returns how many.

    The outbox keeps each invitation's messages under "invitation:<pk>", numbered 1, 2, ... as
    occurrence. One still waiting to go out is not doubled: a double click, or inviting everyone
    while it waits, adds nothing (two requests at the same instant pick the same number and the
    natural key keeps one). Once it went out, failed or was voided (revoked meanwhile), inviting
    again is the next number, and thus a new mail with a fresh code. A fixed number of queries.
    """
    participants = [
        membership
        for membership in memberships
        if membership.programme_id == programme.pk and membership.role == Membership.Role.PARTICIPANT
    ]
    Invitation.objects.unscoped().bulk_create(
        [Invitation(membership_id=membership.pk) for membership in participants], ignore_conflicts=True
    )
    open_invitations = dict(
        Invitation.objects.unscoped()
        .filter(membership__in=participants, accepted_at__isnull=True)
        .values_list("pk", "membership__user_id")
    )
    keys = {f"invitation:{pk}": pk for pk in open_invitations}
    sent_before: dict[str, int] = {}
    waiting: set[str] = set()
    for key, occurrence, status in (
        Notification.objects.unscoped()
        .filter(recipient__in=list(open_invitations.values()), kind="invitation", key__in=list(keys))
        .values_list("key", "occurrence", "status")
    ):
        sent_before[key] = max(sent_before.get(key, 0), int(occurrence))
        if status == Notification.Status.PENDING:
            waiting.add(key)
    context = {"programme": programme.title, "organisation": programme.organisation.name}
    record(
        "invitation",
        [
            Planned(
                recipient_id=open_invitations[pk],
                organisation_id=programme.organisation_id,
                key=key,
                occurrence=str(sent_before.get(key, 0) + 1),
                context=context,
            )
            for key, pk in keys.items()
            if key not in waiting
        ],
    )
    transaction.on_commit(enqueue_due)
    return len(keys)


def invite_everyone_not_invited(programme: Programme) -> int:
    memberships = (
        programme.memberships.filter(role=Membership.Role.PARTICIPANT)
        .filter(invitation__isnull=True)
        .select_related("programme")
    )
    return invite(programme, list(memberships))


def issue_code(invitation: Invitation) -> str:
    """A new code for this invitation; the previous one stops working."""
    code = secrets.token_urlsafe(32)
    invitation.code_hash = _hash(code)
    invitation.expires_at = timezone.now() + VALID_FOR
    invitation.revoked_at = None
    invitation.save(update_fields=["code_hash", "expires_at", "revoked_at"])
    return code


def prepare_notification(notification: Notification) -> dict[str, Any] | None:
    """Issue a fresh code just before the invitation is mailed: the code is never stored in the
    outbox, and the previous link stops working. Void when the invitation was accepted, or revoked
    after this message was queued (HR inviting again after revoking queues a new one).

    When the outbox gives the message up as FAILED it calls ``mark_undelivered``, so HR's
    people list shows the invitation as not delivered.
    """
    invitation = (
        Invitation.objects.unscoped()
        .select_for_update(of=("self",))
        .select_related("membership__programme__organisation")
        .filter(pk=key_pk(notification), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or (invitation.revoked_at and invitation.revoked_at > notification.created_at):
        return None
    code = issue_code(invitation)
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation.bounced_at = None
    invitation.save(update_fields=["sent_at", "send_count", "bounced_at"])
    programme = invitation.membership.programme
    return {
        "link": settings.SITE_URL + reverse("invitation", args=[code]),
        "expires_at": invitation.expires_at,
        "programme": programme.title,
        "organisation": programme.organisation.name,
    }


def mark_undelivered(notification: Notification) -> None:
    """The outbox gave the invitation up: HR's people list shows it as not delivered."""
    Invitation.objects.unscoped().filter(pk=key_pk(notification)).update(bounced_at=timezone.now())


def find_invitation(code: str) -> Invitation | None:
    """The usable invitation for this code, or None (unknown, used, revoked or expired)."""
    invitation = (
        Invitation.objects.unscoped()
        .select_related("membership__user", "membership__programme__organisation")
        .filter(code_hash=_hash(code))
        .first()
    )
    return invitation if invitation and invitation.is_usable() else None


@transaction.atomic
def accept(invitation: Invitation, *, password: str | None = None) -> User:
    """Redeem the code: set the password (new accounts), verify the address, retire the code."""
    user = invitation.membership.user
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    invitation.accepted_at = timezone.now()
    invitation.code_hash = ""
    invitation.save(update_fields=["accepted_at", "code_hash"])
    return user


def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.code_hash = ""
    invitation.save(update_fields=["revoked_at", "code_hash"])
