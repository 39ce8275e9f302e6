"""Participant lists as CSV and XLSX that open safely in Excel.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula when
the file is opened; such cells get a leading apostrophe, which Excel shows as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Membership, Programme

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def participant_rows(programme: Programme) -> list[list[str]]:
    """A header and one row per participant, in the columns the import reads back."""
    header = [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Function"),
        _("Department"),
        _("Manager's email"),
        _("Status"),
    ]
    memberships = (
        programme.memberships.filter(role=Membership.Role.PARTICIPANT)
        .select_related("user", "reports_to", "invitation")
        .order_by("user__last_name", "user__first_name")
    )
    rows = [header]
    for membership in memberships:
        user = membership.user
        rows.append(
            [
                user.first_name,
                user.last_name,
                user.email,
                user.job_title,
                user.department,
                membership.reports_to.email if membership.reports_to else "",
                str(membership.invitation_status_label),
            ]
        )
    return [[neutralise(cell) for cell in row] for row in rows]


def as_csv(rows: Iterable[list[str]]) -> bytes:
    """Semicolon-separated UTF-8 with BOM: what Dutch Excel opens correctly by double-click."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(rows: Iterable[list[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
