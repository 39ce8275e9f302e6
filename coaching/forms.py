"""Forms for communities."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programmes.forms import DateInput, PeopleChoiceField
from programmes.models import Membership, Programme

from .models import Community, CommunityProposal


class CommunityForm(forms.ModelForm):
    coaches = PeopleChoiceField(
        label=_("Learning coaches"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The programme's learning coaches; HR assigns them on the programme's people page."),
    )

    class Meta:
        model = Community
        fields = ["name", "question", "description", "capacity", "switch_until", "continues_after_programme", "coaches"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "switch_until": DateInput()}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["coaches"].queryset = User.objects.filter(
            memberships__programme=programme, memberships__role=Membership.Role.COACH
        ).order_by("first_name", "last_name")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = self.instance.programme.communities.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This programme already has a community with this name."))
        return name

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and self.instance.pk and capacity < self.instance.members.count():
            raise forms.ValidationError(
                _("%(count)d people are already a member: the number of places cannot be lower."),
                params={"count": self.instance.members.count()},
            )
        return capacity

    def clean_switch_until(self) -> Any:
        switch_until = self.cleaned_data["switch_until"]
        programme = self.instance.programme
        if switch_until and not programme.starts_on <= switch_until <= programme.ends_on:
            raise forms.ValidationError(_("Choose a date within the programme."))
        return switch_until


class ProposalForm(forms.ModelForm):
    class Meta:
        model = CommunityProposal
        fields = ["question"]
        labels = {"question": _("Your question for a community")}
        help_texts = {"question": _("For example: “How do I get residents involved from the start?”")}
