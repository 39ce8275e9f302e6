"""iCalendar files for people's own agendas: one builder for events, sessions and phases."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent


def calendar_file(
    *,
    uid: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    description: str = "",
    location: str = "",
    url: str = "",
) -> bytes:
    """One appointment as an .ics file. ``uid`` names it (e.g. "event-12"): a calendar that gets
    the file again for the same uid updates the appointment instead of adding a second one."""
    calendar = Calendar()
    calendar.add("prodid", "-//Leertraject//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"{uid}@{settings.SITE_URL.split('://', 1)[-1].split('/', 1)[0]}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", starts_at)
    if ends_at:
        entry.add("dtend", ends_at)
    entry.add("summary", summary)
    entry.add("description", "\n\n".join(part for part in (description, url) if part))
    if location:
        entry.add("location", location)
    if url:
        entry.add("url", url)
    calendar.add_component(entry)
    return calendar.to_ical()
