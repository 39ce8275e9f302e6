"""Reads for the privacy pages."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User


def organisation_people(user: User) -> QuerySet[User]:
    """The people of ``user``'s organisation, by name (erased accounts included)."""
    return User.objects.for_organisation(user.organisation_id).order_by("last_name", "first_name", "email")
