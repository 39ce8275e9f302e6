"""Writes about people and organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from privacy import audit

from .models import Organisation, User

if TYPE_CHECKING:
    from .forms import OrganisationSettingsForm


def user_set_language(*, user: Any, language: str) -> None:
    """Remember the user's interface language (also used for the mail they receive)."""
    if language in User.Language.values and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def save_organisation_settings(form: OrganisationSettingsForm, *, by: Any) -> Organisation:
    """Save HR's changes to its organisation's settings; which settings changed (never their
    values) goes into the audit trail."""
    with transaction.atomic():
        organisation = form.save()
        if form.changed_data:
            labels = ", ".join(str(form.fields[name].label) for name in form.changed_data)
            summary = _("Settings changed: %(settings)s") % {"settings": labels}
            audit.record(by, audit.Action.CHANGED, organisation, summary)
    return organisation
