"""Recording and reading the audit trail.

``record`` is called by the services and views that show or change confidential items,
enrol people, change roles or hand out exports. An event holds the target's type and id
and a short summary that never contains personal content (no note or case text, no names).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils import timezone

from accounts.models import Organisation

from .models import AuditEvent

Action = AuditEvent.Action


def target_type(target: Model) -> str:
    return f"{target._meta.app_label}.{target._meta.model_name}"


def _organisation_id(actor: Any, target: Model) -> int | None:
    """The actor's organisation, else the one the target belongs to (following its tenant path)."""
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id:
        return organisation_id
    if isinstance(target, Organisation):
        return target.pk
    *path, last = getattr(type(target)._default_manager.all(), "tenant_path", "organisation").split("__")
    owner: Any = target
    for name in path:
        owner = getattr(owner, name)
    return getattr(owner, f"{last}_id")


def _event(actor: Any, action: str, target: Model, summary: str, *, of_target: bool = False) -> AuditEvent:
    return AuditEvent(
        organisation_id=_organisation_id(None if of_target else actor, target),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_type(target),
        target_id=target.pk,
        summary=str(summary)[:300],
    )


def record(actor: Any, action: str, target: Model, summary: str = "", *, of_target: bool = False) -> AuditEvent | None:
    """Add one event: ``actor`` did ``action`` to ``target``. Keep ``summary`` free of personal data.

    The event belongs to the actor's organisation, or with ``of_target`` (platform staff in the
    admin site, acting on any organisation) to the target's. Nothing is recorded for what belongs
    to no organisation (platform staff's own account): there is no organisation whose HR could
    read it.
    """
    event = _event(actor, action, target, summary, of_target=of_target)
    if event.organisation_id is None:
        return None
    event.save()
    return event


def record_many(actor: Any, action: str, targets: Iterable[Model], summary: str = "") -> list[AuditEvent]:
    """One event per target in a single insert (an import enrols many people at once)."""
    return AuditEvent.objects.bulk_create([_event(actor, action, target, summary) for target in targets])


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    since: date | None = None
    until: date | None = None


def audit_events(organisation: Organisation | int, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The organisation's events, newest first, with their actor in the same query."""
    filters = filters or AuditFilters()
    events = AuditEvent.objects.for_organisation(organisation).select_related("actor")
    if filters.action:
        events = events.filter(action=filters.action)
    zone = timezone.get_current_timezone()
    if filters.since:
        events = events.filter(created_at__gte=datetime.combine(filters.since, time.min, tzinfo=zone))
    if filters.until:
        events = events.filter(
            created_at__lt=datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=zone)
        )
    return events.order_by("-created_at", "-pk")


def target_label(label: str) -> str:
    """A readable name for a target type such as "coaching.coachingnote"."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name).capitalize()
