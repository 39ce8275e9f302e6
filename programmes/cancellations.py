"""Removing an appointment that people have in their agenda (an event, a harvest session): they
are told by mail, with a file that takes it out again (the same UID as the file they have, a
later SEQUENCE, METHOD:CANCEL)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from leertraject.calendar import calendar_file, current_sequence
from notifications.models import Notification
from notifications.outbox import Planned, key_pk, moment, record

from .models import Event, Phase


def remove_and_tell(
    appointment: Event | Phase, *, kind: str, people: Iterable[int], context: dict[str, Any], link: str
) -> int:
    """Delete ``appointment`` and record a ``kind`` message to each of ``people`` (user ids) in
    the outbox, in the same transaction. The message keeps what its mail and file need, since
    the appointment is gone: ``context`` and where and when it was. Returns how many are told."""
    context = {
        **context,
        "starts_at": moment(appointment.starts_at),
        "ends_at": moment(appointment.ends_at),
        "location": appointment.location,
        "online_url": appointment.online_url,
    }
    with transaction.atomic():
        planned = [
            Planned(
                recipient_id=user_id,
                organisation_id=appointment.programme.organisation_id,
                key=f"{kind}:{appointment.pk}",
                occurrence=context["starts_at"],
                context=context,
                link=link,
            )
            for user_id in people
        ]
        if planned:
            record(kind, planned)
        appointment.delete()
    return len(planned)


def cancellation_file(notification: Notification, *, uid_prefix: str, summary: str) -> bytes:
    """The .ics file that takes the appointment of a ``remove_and_tell`` message out of the
    recipient's agenda, under the UID of the file they were sent before ("event-12": prefix
    "event")."""
    context = notification.context
    return calendar_file(
        uid=f"{uid_prefix}-{key_pk(notification)}",
        summary=summary,
        starts_at=datetime.fromisoformat(context["starts_at"]),
        ends_at=datetime.fromisoformat(context["ends_at"]) if context["ends_at"] else None,
        sequence=current_sequence(),
        location=", ".join(part for part in (context["location"], context["online_url"]) if part),
        cancelled=True,
    )
