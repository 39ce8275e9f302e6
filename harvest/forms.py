"""Forms for preparing the harvest: a contribution with an optional quote, goal outcomes, the story."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from learners.models import Goal

from .contributions import CONTRIBUTION_FIELDS, OfferedQuote, check_contribution, check_goal_outcome, check_quote
from .models import LearningStory

TEXTAREA = {"rows": 4}

OWN_LABELS = {
    "achieved": _("What I achieved"),
    "not_achieved": _("What I did not achieve"),
    "why_not": _("Why not"),
    "learned": _("What I learned"),
}
COMMUNITY_LABELS = {
    "achieved": _("What we achieved"),
    "not_achieved": _("What we did not achieve"),
    "why_not": _("Why not"),
    "learned": _("What we learned"),
}
HELP = {
    "achieved": _(
        "Actions that took place and what they brought: a neighbourhood tour, a knowledge café, a new contact."
    ),
    "not_achieved": _("Plans that did not happen, or only in part. They matter as much as what worked."),
    "why_not": _("What stood in the way: time, support, the right people? Required when something was not achieved."),
    "learned": _("What you would do differently next time, and what you take with you."),
}


class ContributionForm(forms.Form):
    """What was achieved, what not and why, what was learned; and optionally a quote with consent."""

    achieved = forms.CharField(widget=forms.Textarea(attrs=TEXTAREA), required=False)
    not_achieved = forms.CharField(widget=forms.Textarea(attrs=TEXTAREA), required=False)
    why_not = forms.CharField(widget=forms.Textarea(attrs=TEXTAREA), required=False)
    learned = forms.CharField(widget=forms.Textarea(attrs=TEXTAREA), required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    quote = forms.CharField(
        label=_("A quote to be shown word for word (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=600,
        required=False,
        help_text=_("A sentence in your own words about what this programme meant, for the managers to read."),
    )
    quote_consent = forms.BooleanField(
        label=_("I agree that my quote is shown word for word in the managers' harvest report and its PDF."),
        required=False,
        help_text=_("Required with a quote. You can withdraw your consent at any time on the harvest page."),
    )
    quote_named = forms.BooleanField(
        label=_("Show my name with the quote"),
        required=False,
        help_text=_("Without it the quote is shown without your name."),
    )

    def __init__(self, *args: Any, for_community: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = COMMUNITY_LABELS if for_community else OWN_LABELS
        for name in CONTRIBUTION_FIELDS:
            self.fields[name].label = labels[name]
            self.fields[name].help_text = HELP[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for check in (
            lambda: check_contribution(cleaned),
            lambda: check_quote(cleaned.get("quote", ""), consented=cleaned.get("quote_consent", False)),
        ):
            try:
                check()
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    @property
    def contribution_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in CONTRIBUTION_FIELDS}

    @property
    def offered_quote(self) -> OfferedQuote | None:
        text = self.cleaned_data["quote"]
        return OfferedQuote(text=text, named=self.cleaned_data["quote_named"]) if text.strip() else None


class GoalOutcomeForm(forms.Form):
    """The outcome of one goal, with the why; one form per goal, prefixed with its id."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Not given yet")), *Goal.Outcome.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    outcome_why = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the goal was partly or not achieved: what helped, what stood in the way?"),
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        initial = {"outcome": goal.outcome, "outcome_why": goal.outcome_why}
        super().__init__(*args, prefix=f"goal-{goal.pk}", initial=initial, **kwargs)
        self.goal = goal

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            check_goal_outcome(cleaned.get("outcome", ""), cleaned.get("outcome_why", ""))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class StoryForm(forms.ModelForm):
    class Meta:
        model = LearningStory
        fields = ["text", "shared"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "text": _(
                "Where did you start, what did you try, what changed, and what do you take with you? "
                "Write it the way you would tell a colleague."
            ),
            "shared": _(
                "Everyone in the programme then reads your story with your name in the closing session's view. "
                "You can stop sharing at any time."
            ),
        }
