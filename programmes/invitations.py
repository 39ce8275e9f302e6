"""Personal access codes (seed 001): every invitee gets a single-use, expiring link.

Only a hash of the code is stored. Sending issues a fresh code, so re-sending also
retires the previous link. Mail goes out in the invitee's own language.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from leertraject.mail import send_templated

from .models import Invitation, Membership, Programme

VALID_FOR = timedelta(days=14)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def invite(programme: Programme, memberships: list[Membership]) -> int:
    """Queue an invitation for each participant who has none or whose mail bounced; returns how many."""
    from .tasks import send_invitation_task

    queued = []
    for membership in memberships:
        if membership.programme_id != programme.pk or membership.role != Membership.Role.PARTICIPANT:
            continue
        invitation, _created = Invitation.objects.unscoped().get_or_create(membership=membership)
        if invitation.accepted_at:
            continue
        queued.append(invitation.pk)
    for pk in queued:
        transaction.on_commit(lambda pk=pk: send_invitation_task.delay(pk))
    return len(queued)


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


def send_invitation(invitation_id: int) -> bool:
    """Issue a code and mail it; False when there is nothing (more) to send."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.unscoped()
            .select_for_update()
            .select_related("membership__user", "membership__programme__organisation")
            .filter(pk=invitation_id, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        code = issue_code(invitation)
        invitation.sent_at = timezone.now()
        invitation.send_count += 1
        invitation.bounced_at = None
        invitation.save(update_fields=["sent_at", "send_count", "bounced_at"])
    user = invitation.membership.user
    context = {
        "user": user,
        "programme": invitation.membership.programme,
        "organisation": invitation.membership.programme.organisation,
        "link": settings.SITE_URL + reverse("invitation", args=[code]),
        "expires_at": invitation.expires_at,
    }
    if not send_templated("programmes/email/invitation", context, to=user.email, language=user.language, html=True):
        Invitation.objects.unscoped().filter(pk=invitation.pk).update(bounced_at=timezone.now())
    return True


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
