"""The outbox for platform staff: read-only, because a row is the record of what was sent."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from leertraject.admin import TenantModelAdmin

from .kinds import KINDS
from .models import Notification, Preference


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(name, kind.label) for name, kind in KINDS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(TenantModelAdmin):
    list_display = ["recipient", "kind_label", "category", "status", "attempts", "created_at", "sent_at", "read_at"]
    list_filter = ["status", KindFilter, "category"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email"]
    date_hierarchy = "created_at"

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, notification: Notification) -> Any:
        return KINDS[notification.kind].label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(TenantModelAdmin):
    list_display = ["user", "category", "mail", "updated_at"]
    list_filter = ["category", "mail"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]
