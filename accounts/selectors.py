"""Reads about people and organisations."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator


def has_authenticator_app(user: Any) -> bool:
    """Whether the user has set up a TOTP authenticator app."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
