"""Forms for composing intervision groups, moving people and "not with" wishes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import Membership

from .models import IntervisionGroup


def _label(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.email


class ComposeForm(forms.Form):
    size = forms.IntegerField(
        label=_("Group size"), required=False, min_value=2, help_text=_("For example 5: groups of 4 to 6 work best.")
    )
    count = forms.IntegerField(label=_("Number of groups"), required=False, min_value=1)
    seed = forms.IntegerField(
        label=_("Variant"),
        initial=1,
        min_value=0,
        max_value=1_000_000,
        help_text=_("The same variant gives the same groups; another number gives another proposal."),
    )

    def __init__(self, *args: Any, participant_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participant_count = participant_count

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        size, count = data.get("size"), data.get("count")
        if self.errors:
            return data
        if self.participant_count < 2:
            raise forms.ValidationError(_("The programme needs at least two participants to form groups."))
        if size is None and count is None:
            raise forms.ValidationError(_("Fill in a group size or a number of groups."))
        if size is not None and count is not None:
            raise forms.ValidationError(_("Fill in a group size or a number of groups, not both."))
        if count is not None and count > self.participant_count:
            self.add_error(
                "count",
                _("There are only %(count)d participants: choose at most that many groups.")
                % {"count": self.participant_count},
            )
        return data


class MoveForm(forms.Form):
    membership = forms.TypedChoiceField(label=_("Participant"), coerce=int)
    group = forms.ModelChoiceField(label=_("To group"), queryset=IntervisionGroup.objects.none())

    def __init__(self, *args: Any, participants: list[Membership], groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {m.pk: m for m in participants}
        self.fields["membership"].choices = [(m.pk, _label(m)) for m in participants]
        self.fields["group"].queryset = groups


class WishForm(forms.Form):
    other = forms.TypedChoiceField(label=_("Colleague"), coerce=int)

    def __init__(self, *args: Any, choices: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {m.pk: m for m in choices}
        self.fields["other"].choices = [("", "---------")] + [(m.pk, _label(m)) for m in choices]
