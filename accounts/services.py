"""Writes about people and organisations."""

from __future__ import annotations

from typing import Any

from .models import User


def user_set_language(*, user: Any, language: str) -> None:
    """Remember the user's interface language (also used for the mail they receive)."""
    if language in User.Language.values and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
