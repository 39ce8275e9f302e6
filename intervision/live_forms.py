"""Forms of the live session guide: step buttons, a note, a learning point, adding it to the plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class StepForm(forms.Form):
    """Next/previous: the step the page showed, so that a second click does not skip a step."""

    from_step = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    prefix = "note"
    position = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Note for this step"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class LearningPointForm(forms.Form):
    prefix = "point"
    text = forms.CharField(
        label=_("My learning point"),
        max_length=2000,
        help_text=_("What do you take away from this session for your own work?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ToPlanForm(forms.Form):
    prefix = "plan"
    goal = forms.ModelChoiceField(label=_("Add to my goal"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
