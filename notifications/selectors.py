"""Reads for the notification screens: a person's own list and unread count, HR's failed messages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import User

from .models import Category, Notification
from .outbox import read_unsubscribe_token


def inbox(user: Any) -> QuerySet[Notification]:
    """The person's own notifications, newest first; with the recipient, which the subjects need."""
    return (
        Notification.objects.for_organisation(user.organisation_id)
        .filter(recipient=user)
        .exclude(status=Notification.Status.VOID)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: Any) -> int:
    return (
        Notification.objects.for_organisation(user.organisation_id)
        .filter(recipient=user, read_at__isnull=True)
        .exclude(status=Notification.Status.VOID)
        .count()
    )


def failed_notifications(user: Any) -> QuerySet[Notification]:
    """The messages to people of the HR admin's organisation that could not be mailed, newest first."""
    return (
        Notification.objects.for_organisation(user.organisation_id)
        .filter(status=Notification.Status.FAILED)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def failed_count(user: Any) -> int:
    return Notification.objects.for_organisation(user.organisation_id).filter(status=Notification.Status.FAILED).count()


def unsubscribe_target(token: str) -> tuple[User, Category] | None:
    """The person and the category an unsubscribe link was signed for; None for a link that is not valid."""
    signed = read_unsubscribe_token(token)
    if signed is None:
        return None
    user_id, category = signed
    if category == Category.ESSENTIAL:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, Category(category)) if user else None
