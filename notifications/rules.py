"""Who may see and do what with notifications (registered with django-rules).

A notification is its recipient's own: nobody else opens it or reads its content. HR sees
that a message to someone in their organisation could not be mailed (who, what kind, the
error), so that they can fix the address and try again.
"""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import is_hr_admin

from .models import Notification


@rules.predicate
def belongs_to_organisation(user: Any) -> bool:
    return bool(user.is_authenticated and user.organisation_id)


@rules.predicate
def is_recipient(user: Any, notification: Notification) -> bool:
    return bool(user.is_authenticated and notification is not None and notification.recipient_id == user.pk)


@rules.predicate
def has_failed(_user: Any, notification: Notification) -> bool:
    return notification is not None and notification.status == Notification.Status.FAILED


# The in-app list and settings: everyone who belongs to an organisation.
rules.add_perm("notifications.view_inbox", belongs_to_organisation)
# A notification: its recipient; HR sees failed ones of their organisation (tenancy scopes them).
rules.add_perm("notifications.view_notification", is_recipient | (is_hr_admin & has_failed))
# Opening it (which marks it read): its recipient only.
rules.add_perm("notifications.open_notification", is_recipient)
# The failed messages of the organisation, and trying one again: HR.
rules.add_perm("notifications.view_failed", is_hr_admin)
rules.add_perm("notifications.retry_notification", is_hr_admin & has_failed)
