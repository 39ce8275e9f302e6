"""The notification settings: one switch per category a person may turn off."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OPTIONAL_CATEGORIES, Category

# What each category sends, in one line, so that a person knows what they switch off.
CATEGORY_HELP = {
    Category.PROGRAMME: _("A reminder before each programme day, and the invitation to the harvest at the end."),
    Category.PLAN: _(
        "A reminder when an action in your learning plan is almost due or overdue, or your plan is still empty."
    ),
    Category.REFLECTION: _("Once a week a short prompt to write down what you tried and what you learned."),
    Category.SESSIONS: _(
        "A reminder before your coaching and intervision sessions, and when it is your turn to bring a case."
    ),
    Category.DIGESTS: _(
        "For learning coaches a weekly overview of members who stalled; for members a digest of new forum posts."
    ),
}
ESSENTIAL_HELP = _(
    "Invitations and access codes always come by email: without them you cannot get into your programme."
)


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in OPTIONAL_CATEGORIES:
            self.fields[category.value] = forms.BooleanField(
                label=category.label, help_text=CATEGORY_HELP[category], required=False
            )
