"""iCalendar files for people's own agendas: one builder for events, sessions and phases.

A calendar that already holds an appointment only takes a file with the same UID as an update
when its SEQUENCE is higher than the one it has (RFC 5545, 5546). No appointment model keeps a
revision counter or an ``updated_at``, so each file counts its revision in the seconds since
1970 at which it is made (``current_sequence``): a file made later, after a move or a
cancellation, always outranks the files made before it, and a file that is made again without a
change merely repeats the same appointment.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress
from icalendar import Event as CalendarEvent


def current_sequence() -> int:
    """The SEQUENCE for a file made now: whole seconds since 1970, so it only grows."""
    return int(timezone.now().timestamp())


def _organizer() -> vCalAddress:
    """Who sends the appointment: the platform's sender address. RFC 5546 requires an ORGANIZER
    on a cancellation, and some calendars ignore one without it."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = name
    return organizer


def calendar_file(
    *,
    uid: str,
    summary: str,
    starts_at: datetime,
    sequence: int,
    ends_at: datetime | None = None,
    description: str = "",
    location: str = "",
    url: str = "",
    cancelled: bool = False,
) -> bytes:
    """One appointment as an .ics file. ``uid`` names it (e.g. "event-12"): a calendar that gets
    the file again for the same uid and a higher ``sequence`` updates the appointment instead of
    adding a second one; a ``cancelled`` file (METHOD:CANCEL, STATUS:CANCELLED) removes it."""
    calendar = Calendar()
    calendar.add("prodid", "-//Leertraject//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"{uid}@{settings.SITE_URL.split('://', 1)[-1].split('/', 1)[0]}")
    entry.add("sequence", sequence)
    entry.add("dtstamp", timezone.now())
    entry.add("organizer", _organizer())
    entry.add("dtstart", starts_at)
    if ends_at:
        entry.add("dtend", ends_at)
    entry.add("summary", summary)
    entry.add("description", "\n\n".join(part for part in (description, url) if part))
    if location:
        entry.add("location", location)
    if url:
        entry.add("url", url)
    if cancelled:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return calendar.to_ical()
