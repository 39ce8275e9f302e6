"""Tenant scoping: a query on tenant data must say which organisation it is for.

Every model that belongs to an organisation uses ``TenantManager`` as its default
manager. Evaluating one of its querysets without ``for_organisation(...)`` (or an
explicit, greppable ``unscoped()`` for admin and background work) raises
``UnscopedTenantQuery``: forgetting the scope fails loudly instead of leaking
another municipality's data. Querysets reached through an object (``programme.
memberships.all()``) are scoped by that object, which was itself fetched scoped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from accounts.models import Organisation


class UnscopedTenantQuery(RuntimeError):
    """A tenant queryset was evaluated without saying for which organisation."""


class TenantQuerySet(models.QuerySet):
    """A queryset that must be scoped to one organisation before it is evaluated."""

    # The lookup from this model to its Organisation, e.g. "programme__organisation".
    tenant_path = "organisation"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tenant_scoped = False

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._tenant_scoped = self._tenant_scoped
        return clone

    def for_organisation(self, organisation: Organisation | int | None) -> Self:
        """Rows of this organisation only; no rows at all for a user without one."""
        clone = self.none() if organisation is None else self.filter(**{self.tenant_path: organisation})
        clone._tenant_scoped = True
        return clone

    def unscoped(self) -> Self:
        """All organisations: for the admin site, migrations and background jobs only."""
        clone = self._clone()
        clone._tenant_scoped = True
        return clone

    def _check_scoped(self) -> None:
        reached_through_object = self._hints.get("instance") is not None
        if not (self._tenant_scoped or reached_through_object or self.query.is_empty()):
            raise UnscopedTenantQuery(
                f"{self.model.__name__} rows were read without for_organisation(); "
                "scope the query to the user's organisation."
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scoped()
        super()._fetch_all()

    def iterator(self, chunk_size: int | None = None):  # type: ignore[override]
        self._check_scoped()
        return super().iterator(chunk_size=chunk_size)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Default manager of tenant models: see the module docstring."""
