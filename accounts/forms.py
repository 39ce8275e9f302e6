"""Forms of the account pages that allauth does not provide."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation

# One DNS name: labels of letters, digits and hyphens, at least one dot (e.g. rotterdam.nl).
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
MAX_LOGO_BYTES = 1024 * 1024


class OrganisationSettingsForm(forms.ModelForm):
    """What HR sets for its own organisation: the look of the site and how long personal data stays."""

    class Meta:
        model = Organisation
        fields = ["logo", "primary_colour", "retention_months", "sign_in_domains"]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color", "class": "form-control-color"}),
            "logo": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp"}),
        }

    def clean_logo(self) -> object:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo may be at most 1 MB."), code="too_large")
        return logo

    def clean_primary_colour(self) -> str:
        return self.cleaned_data["primary_colour"].lower()

    def clean_sign_in_domains(self) -> str:
        """The domains lower-cased, without "@" or spaces, each once, joined by ", "."""
        domains: list[str] = []
        for part in self.cleaned_data["sign_in_domains"].split(","):
            domain = part.strip().lower().removeprefix("@")
            if not domain:
                continue
            if not DOMAIN.match(domain):
                raise forms.ValidationError(
                    _("“%(domain)s” is not an email domain; write it like rotterdam.nl."),
                    code="invalid_domain",
                    params={"domain": part.strip()},
                )
            if domain not in domains:
                domains.append(domain)
        return ", ".join(domains)
