"""Forms of intervision sessions: planning one, and the case the case bringer submits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.forms import DateTimeInput, HttpsURLField, PersonChoiceField

from . import sessions
from .models import Case, IntervisionGroup, IntervisionSession, Method


class MethodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Method) -> str:
        return f"{obj.name} ({obj.get_language_display()})"


class PlanForm(forms.ModelForm):
    """Date and place, method and the three roles (proposed by rotation)."""

    method = MethodChoiceField(label=_("Method"), queryset=Method.objects.none())
    case_bringer = PersonChoiceField(label=_("Case bringer"), queryset=User.objects.none())
    facilitator = PersonChoiceField(label=_("Facilitator"), queryset=User.objects.none())
    timekeeper = PersonChoiceField(label=_("Timekeeper"), queryset=User.objects.none())

    class Meta:
        model = IntervisionSession
        fields = ["method", "starts_at", "location", "online_url", "case_bringer", "facilitator", "timekeeper"]
        field_classes = {"online_url": HttpsURLField}
        widgets = {"starts_at": DateTimeInput()}
        help_texts = {"location": _("A room and building; or leave empty and give an online link.")}

    def __init__(self, *args: Any, group: IntervisionGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        organisation_id = group.programme.organisation_id
        language = (get_language() or "nl")[:2]
        methods = Method.objects.for_organisation(organisation_id)
        # Methods in the user's language first.
        self.fields["method"].queryset = methods.order_by(
            *(["-language"] if language == "nl" else ["language"]), "name"
        )
        people = User.objects.filter(pk__in=[person.pk for person in sessions.group_users(group)]).order_by(
            "first_name", "last_name"
        )
        for role in sessions.ROLES:
            self.fields[role].queryset = people
            self.fields[role].help_text = _("Proposed by rotation: whoever had this role least recently.")
        if not self.is_bound:
            for role, person in sessions.suggest_roles(group).items():
                if person is not None:
                    self.initial.setdefault(role, person.pk)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        errors = sessions.plan_errors(
            self.group,
            starts_at=cleaned.get("starts_at"),
            location=cleaned.get("location", ""),
            online_url=cleaned.get("online_url", ""),
            case_bringer=cleaned.get("case_bringer"),
            facilitator=cleaned.get("facilitator"),
            timekeeper=cleaned.get("timekeeper"),
        )
        for field, message in errors.items():
            if field not in self.errors and not (field == "location" and "online_url" in self.errors):
                self.add_error(field, message)
        return cleaned


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["title", "situation", "question"]
        widgets = {"situation": forms.Textarea(attrs={"rows": 6}), "question": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": _("A few words that say what it is about."),
            "situation": _("What happened, who was involved, and why it keeps you busy."),
            "question": _("What would you like the group to help you with?"),
        }
