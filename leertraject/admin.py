"""Admin base classes for tenant models: platform staff see every organisation, on purpose, and
what they add, change or delete there is in that organisation's audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField, Model, QuerySet
from django.forms import Field
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .tenancy import TenantQuerySet


def _unscoped_choices(db_field: ForeignKey | ManyToManyField, kwargs: dict[str, Any]) -> None:
    queryset = db_field.remote_field.model._default_manager.all()
    if isinstance(queryset, TenantQuerySet) and "queryset" not in kwargs:
        kwargs["queryset"] = queryset.unscoped()


def _changed_fields(message: Any) -> list[str]:
    """The object's own fields in the admin's change message, by their labels (kept untranslated
    there, as Django's own log does), never their values; inline rows are left out, as the message
    names them by their text."""
    parts = message if isinstance(message, list) else []
    return [
        _(label)
        for part in parts
        if "changed" in part and "name" not in part["changed"]
        for label in part["changed"].get("fields", [])
    ]


def _audit(request: HttpRequest, targets: Iterable[Model], summary: str) -> None:
    from privacy import audit

    for target in targets:
        audit.record(request.user, audit.Action.CHANGED, target, summary, of_target=True)


class TenantAdminMixin:
    """Lists and edits rows of all organisations, offers all of them in relation fields, and
    records what platform staff add, change or delete in the organisation's audit trail."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _audit(request, [obj], _("Added in the admin site"))
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        fields = _changed_fields(message)
        summary = (
            _("Changed in the admin site: %(fields)s") % {"fields": ", ".join(fields)}
            if fields
            else _("Changed in the admin site")
        )
        _audit(request, [obj], summary)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Iterable[Model]) -> Any:
        _audit(request, queryset, _("Deleted in the admin site"))
        return super().log_deletions(request, queryset)  # type: ignore[misc]

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
