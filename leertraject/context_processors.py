"""What every page's layout needs: the organisation's branding and the navigation for the user's roles."""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from django.http import HttpRequest

from accounts.models import DEFAULT_PRIMARY_COLOUR
from notifications.selectors import unread_count
from programmes.selectors import roles_by_programme


def layout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"brand_colour": DEFAULT_PRIMARY_COLOUR, "organisation": None, "nav": {}}
    organisation = user.organisation
    nav = {
        "programmes": bool(roles_by_programme(user)) or user.has_perm("accounts.manage_organisation"),
        "hr": user.has_perm("accounts.manage_organisation"),
        "admin_site": user.is_staff,
    }
    return {
        "organisation": organisation,
        "brand_colour": organisation.primary_colour if organisation else DEFAULT_PRIMARY_COLOUR,
        "nav": nav,
        # Counted once, and only when the page shows it (templates call it like a method).
        "unread_notifications": cache(partial(unread_count, user)) if organisation else None,
    }
