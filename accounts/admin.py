from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from leertraject.admin import TenantAdminMixin, TenantModelAdmin, TenantTabularInline

from .models import IdentityProvider, Organisation, User


class IdentityProviderInline(TenantTabularInline):
    """The organisation's own sign-in services: OpenID Connect or SAML apps set up under Social applications."""

    model = IdentityProvider
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(TenantModelAdmin):
    list_display = ["name", "slug", "primary_colour"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [IdentityProviderInline]


@admin.register(User)
class UserAdmin(TenantAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_hr_admin", "is_staff"]
    list_filter = ["is_hr_admin", "is_staff", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Organisation"), {"fields": ["organisation", "is_hr_admin"]}),
        (_("Platform"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "organisation", "password1", "password2"]}),
    ]
