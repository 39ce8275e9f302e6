"""Which categories a person receives by mail: on unless they switched it off."""

from __future__ import annotations

from typing import Any

from .models import OPTIONAL_CATEGORIES, Category, Notification, Preference


def mail_settings(user: Any) -> dict[str, bool]:
    """Every optional category with whether it is mailed to ``user``."""
    off = set(
        Preference.objects.for_organisation(user.organisation_id)
        .filter(user=user, mail=False)
        .values_list("category", flat=True)
    )
    return {category.value: category.value not in off for category in OPTIONAL_CATEGORIES}


def set_mail(user: Any, category: str, on: bool) -> None:
    """Switch a category on or off; messages not yet mailed follow the new choice."""
    if category == Category.ESSENTIAL or category not in Category.values:
        raise ValueError(category)
    Preference.objects.for_organisation(user.organisation_id).update_or_create(
        user=user, category=category, defaults={"mail": on}
    )
    waiting = Notification.objects.for_organisation(user.organisation_id).filter(recipient=user, category=category)
    if on:
        waiting.filter(status=Notification.Status.MUTED, sent_at__isnull=True, read_at__isnull=True).update(
            status=Notification.Status.PENDING
        )
    else:
        waiting.filter(status=Notification.Status.PENDING).update(status=Notification.Status.MUTED)
