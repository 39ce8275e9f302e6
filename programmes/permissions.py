"""Access helpers for programmes: fetch and check permission in one call."""

from __future__ import annotations

from typing import Any

from leertraject.access import get_object_for_user

from .models import Programme


def access_programme(user: Any, pk: int, *, perm: str | None = None) -> Programme:
    """The programme with this id if ``user`` may see it (and use it for ``perm``); else 404/403."""
    return get_object_for_user(user, Programme.objects.all(), perm=perm, pk=pk)
