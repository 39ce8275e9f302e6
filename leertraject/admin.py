"""Admin base classes for tenant models: platform staff see every organisation, on purpose."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField, QuerySet
from django.forms import Field
from django.http import HttpRequest

from .tenancy import TenantQuerySet


def _unscoped_choices(db_field: ForeignKey | ManyToManyField, kwargs: dict[str, Any]) -> None:
    queryset = db_field.remote_field.model._default_manager.all()
    if isinstance(queryset, TenantQuerySet) and "queryset" not in kwargs:
        kwargs["queryset"] = queryset.unscoped()


class TenantAdminMixin:
    """Lists and edits rows of all organisations, and offers all of them in relation fields."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset.unscoped() if isinstance(queryset, TenantQuerySet) else queryset

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Field | None:
        _unscoped_choices(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any) -> Field | None:
        _unscoped_choices(db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class TenantModelAdmin(TenantAdminMixin, admin.ModelAdmin):
    pass


class TenantTabularInline(TenantAdminMixin, admin.TabularInline):
    pass
