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
# The organisation's own settings (logo, colour, retention, sign-in domains): its HR admins.
rules.add_perm("accounts.change_organisation", is_hr_admin & is_member_of_organisation)


@rules.predicate
def is_hr_admin_of_person(user: Any, person: Any) -> bool:
    return bool(is_hr_admin(user) and person is not None and person.organisation_id == user.organisation_id)


@rules.predicate
def is_someone_else(user: Any, person: Any) -> bool:
    return person is not None and person.pk != user.pk


rules.add_perm("accounts.view_user", is_hr_admin_of_person)
# Erasing personal data on request (AVG art. 17): never one's own account, which would lock HR out.
rules.add_perm("accounts.erase_user", is_hr_admin_of_person & is_someone_else)
