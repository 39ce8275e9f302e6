from django.contrib import admin

from leertraject.admin import TenantModelAdmin, TenantTabularInline

from .models import Membership, Programme


class MembershipInline(TenantTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(TenantModelAdmin):
    list_display = ["title", "organisation", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]
    inlines = [MembershipInline]
