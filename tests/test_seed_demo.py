"""seed_demo gives a newcomer two municipalities with a login per role, and is idempotent."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from programmes.models import Membership

ROLE_LOGINS = {
    "participant": ["deelnemer@rotterdam.example", "deelnemer@haarlem.example"],
    "coach": ["coach@rotterdam.example", "coach@haarlem.example"],
    "manager": ["manager@rotterdam.example", "manager@haarlem.example"],
}
HR_LOGINS = ["hr@rotterdam.example", "hr@haarlem.example"]
APPS = ("accounts", "programmes", "notifications", "account", "mfa")


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple]]:
    """Every row of the project's and allauth's tables, without volatile columns."""
    volatile = {"last_login", "date_joined", "created_at", "last_used_at", "password", "data", "logo"}
    rows: dict[str, list[tuple]] = {}
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            manager = model._default_manager
            queryset = manager.unscoped() if hasattr(manager, "unscoped") else manager.all()
            fields = [field.attname for field in model._meta.concrete_fields if field.attname not in volatile]
            rows[model._meta.label] = sorted(queryset.values_list(*fields))
    return rows


@pytest.mark.django_db
def test_every_role_can_sign_in_in_both_municipalities() -> None:
    output = seed()

    for role, emails in ROLE_LOGINS.items():
        for email in emails:
            user = User.objects.get(email=email)
            assert user.check_password(DEMO_PASSWORD)
            assert EmailAddress.objects.get(user=user).verified
            assert Membership.objects.for_organisation(user.organisation).filter(user=user, role=role).exists()
            assert email in output
    for email in HR_LOGINS:
        hr = User.objects.get(email=email)
        assert hr.is_hr_admin
        assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()
        assert email in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_running_it_twice_changes_nothing() -> None:
    seed()
    first = snapshot()

    seed()

    assert snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 30
