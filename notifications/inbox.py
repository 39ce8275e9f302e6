"""Changes a person makes to their own notification list: reading one, or all of them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Notification


def mark_read(notification: Notification) -> None:
    """Mark one notification read; the first time counts."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many there were."""
    return (
        Notification.objects.for_organisation(user.organisation_id)
        .filter(recipient=user, read_at__isnull=True)
        .exclude(status=Notification.Status.VOID)
        .update(read_at=timezone.now())
    )


def local_path(link: str) -> str:
    """The stored link if it is a path on this site, else "": opening a notification never leads elsewhere."""
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link
    return ""
