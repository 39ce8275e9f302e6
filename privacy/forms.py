"""The confirmation HR gives before erasing a person's personal data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class EraseForm(forms.Form):
    email = forms.CharField(
        label=_("Type the person's email address to confirm"),
        help_text=_("Erasing cannot be undone."),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.person.email.lower():
            raise forms.ValidationError(_("This is not the email address of %(name)s.") % {"name": self.person})
        return email
