"""The audit trail in the admin: read-only, nobody adds, changes or deletes events there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from leertraject.admin import TenantModelAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(TenantModelAdmin):
    list_display = ["created_at", "organisation", "actor", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "created_at"]
    list_select_related = ["organisation", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
