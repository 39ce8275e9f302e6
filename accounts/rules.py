"""Who may do what with organisations and people (registered with django-rules)."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_hr_admin(user: Any) -> bool:
    """An active HR admin of some organisation."""
    return bool(user.is_authenticated and user.is_active and user.is_hr_admin and user.organisation_id)


@rules.predicate
def is_member_of_organisation(user: Any, organisation: Any) -> bool:
    return bool(user.is_authenticated and organisation is not None and user.organisation_id == organisation.pk)


rules.add_perm("accounts.view_organisation", is_member_of_organisation)
rules.add_perm("accounts.manage_organisation", is_hr_admin)
