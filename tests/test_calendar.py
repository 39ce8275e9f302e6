"""The shared .ics builder: a higher SEQUENCE updates an appointment, a cancelled file removes it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from leertraject.calendar import calendar_file, current_sequence

STARTS_AT = timezone.make_aware(datetime(2026, 12, 3, 10))


def test_a_file_carries_its_sequence_and_publishes_the_appointment() -> None:
    calendar = Calendar.from_ical(calendar_file(uid="phase-7", summary="Oogstsessie", starts_at=STARTS_AT, sequence=42))

    [entry] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert entry["SEQUENCE"] == 42
    assert "STATUS" not in entry


def test_a_cancelled_file_removes_the_appointment() -> None:
    content = calendar_file(uid="phase-7", summary="Oogstsessie", starts_at=STARTS_AT, sequence=43, cancelled=True)

    calendar = Calendar.from_ical(content)
    [entry] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(entry["STATUS"]) == "CANCELLED"
    assert entry["SEQUENCE"] == 43
    # RFC 5546 requires the organizer on a cancellation: the address the mail comes from.
    assert str(entry["ORGANIZER"]) == "mailto:noreply@leertraject.nl"
    assert entry["ORGANIZER"].params["CN"] == "Leertraject"


def test_the_sequence_of_a_later_file_is_higher(monkeypatch: pytest.MonkeyPatch) -> None:
    real_now = timezone.now
    first = current_sequence()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=1))

    assert current_sequence() > first
    assert current_sequence() < 2**31  # an RFC 5545 INTEGER
