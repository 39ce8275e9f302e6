from django.contrib import admin
from django.db import models

from leertraject.admin import TenantModelAdmin, TenantTabularInline

from .models import AssessmentItem, BehaviourIndicator, Competency, Membership, Phase, Programme


class MembershipInline(TenantTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class PhaseInline(TenantTabularInline):
    model = Phase
    extra = 0
    fields = ["kind", "title", "starts_at", "ends_at", "location", "online_url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AssessmentItemInline(TenantTabularInline):
    model = AssessmentItem
    extra = 0
    fields = ["position", "kind", "text", "competency", "indicator"]
    autocomplete_fields = ["competency"]


@admin.register(Programme)
class ProgrammeAdmin(TenantModelAdmin):
    list_display = ["title", "organisation", "status", "starts_on", "ends_on", "archived_at"]
    list_filter = ["status"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]
    filter_horizontal = ["competencies"]
    inlines = [PhaseInline, AssessmentItemInline, MembershipInline]


class BehaviourIndicatorInline(TenantTabularInline):
    model = BehaviourIndicator
    extra = 0
    fields = ["position", "text"]


@admin.register(Competency)
class CompetencyAdmin(TenantModelAdmin):
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]
    inlines = [BehaviourIndicatorInline]
