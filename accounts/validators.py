"""Password validators whose messages Leertraject translates itself.

Django 5.2's own minimum-length message changed wording in a patch release and its Dutch
catalogue has no translation for the new text; this validator keeps the message Dutch.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
