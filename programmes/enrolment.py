"""Enrolling people in a programme: one by one or from the spreadsheet HR already has.

Reading a file (``read_rows``) and checking its rows (``check_rows``) change nothing;
``apply_rows`` writes everything in one transaction, and only rows without errors
reach it. Importing the same file again updates people and never duplicates them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from privacy import audit

from .models import Membership, Programme

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
FIELDS = ("first_name", "last_name", "email", "job_title", "department", "manager_email")
REQUIRED = ("first_name", "last_name", "email")

# Header texts as Dutch and English spreadsheets write them, normalised by ``_normalise``.
HEADERS = {
    "first_name": {"voornaam", "roepnaam", "first name", "firstname", "given name"},
    "last_name": {"achternaam", "last name", "lastname", "surname", "family name"},
    "email": {"e-mail", "email", "e-mailadres", "emailadres", "email address", "e-mail address", "mail"},
    "job_title": {"functie", "function", "job title", "role", "rol"},
    "department": {"afdeling", "department", "team", "directie"},
    "manager_email": {
        "e-mail leidinggevende",
        "email leidinggevende",
        "e-mailadres leidinggevende",
        "leidinggevende",
        "manager",
        "manager email",
        "manager e-mail",
        "manager's email",
        "managers email",
        "email manager",
        "e-mail manager",
    },
}
COLUMN_LABELS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "email": gettext_lazy("email"),
    "job_title": gettext_lazy("function"),
    "department": gettext_lazy("department"),
    "manager_email": gettext_lazy("manager's email"),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in the user's language."""


@dataclass
class EnrolmentRow:
    """One person to enrol, with what is wrong (errors) or worth knowing (notes)."""

    line: int
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    job_title: str = ""
    department: str = ""
    manager_email: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, **{name: getattr(self, name) for name in FIELDS}}


@dataclass
class EnrolmentCheck:
    rows: list[EnrolmentRow]

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def can_apply(self) -> bool:
        return bool(self.rows) and self.error_count == 0


@dataclass
class EnrolmentResult:
    created: int = 0
    updated: int = 0
    enrolled: int = 0


def _normalise(header: Any) -> str:
    text = unicodedata.normalize("NFKC", str(header or "")).strip().lower().replace("’", "'")
    return re.sub(r"[\s_]+", " ", text).rstrip(":*")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise Windows-1252, as Dutch Excel saves CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if "\ufffd" in text or "\x00" in text:
            raise ImportFileError(_("This file is not a spreadsheet we can read. Save it as CSV or XLSX.")) from None
        return text


def _csv_table(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("This file is not a spreadsheet we can read. Save it as CSV or XLSX."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_table(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(_("This Excel file cannot be opened. Save it again as XLSX or CSV.")) from None
    sheet = workbook.worksheets[0]
    table = [["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def read_rows(data: bytes, filename: str = "") -> list[EnrolmentRow]:
    """The people in a CSV or XLSX file, one row each; raises ImportFileError for an unreadable file."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    table = _xlsx_table(data) if data[:4] == b"PK\x03\x04" else _csv_table(data)
    table = [row for row in table if any(str(cell).strip() for cell in row)]
    if not table:
        raise ImportFileError(_("The file is empty."))

    columns: dict[int, str] = {}
    for index, header in enumerate(table[0]):
        name = next((key for key, names in HEADERS.items() if _normalise(header) in names), None)
        if name and name not in columns.values():
            columns[index] = name
    missing = [str(COLUMN_LABELS[name]) for name in REQUIRED if name not in columns.values()]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns. Missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(_("At most %(count)d people per file.") % {"count": MAX_ROWS})

    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {name: str(cells[index]).strip() if index < len(cells) else "" for index, name in columns.items()}
        rows.append(EnrolmentRow(line=line, **values))
    return rows


def rows_from_dicts(items: list[dict[str, Any]]) -> list[EnrolmentRow]:
    """Rows kept between the preview and the confirmation (see ``EnrolmentRow.as_dict``)."""
    return [EnrolmentRow(**{key: item.get(key, "") for key in ("line", *FIELDS)}) for item in items]


def check_rows(programme: Programme, rows: list[EnrolmentRow]) -> EnrolmentCheck:
    """Mark every row's problems; three queries however long the file is. Writes nothing."""
    for row in rows:
        row.email = row.email.strip().lower()
        row.manager_email = row.manager_email.strip().lower()
        row.errors, row.notes = [], []

    emails = {row.email for row in rows} | {row.manager_email for row in rows if row.manager_email}
    people = {user.email: user for user in User.objects.filter(email__in=emails)}
    enrolled = set(
        Membership.objects.for_organisation(programme.organisation_id)
        .filter(programme=programme, role=Membership.Role.PARTICIPANT)
        .values_list("user__email", flat=True)
    )
    seen: dict[str, int] = {}
    file_emails = {row.email for row in rows}

    for row in rows:
        for name in REQUIRED:
            if not getattr(row, name):
                row.errors.append(_("%(column)s is missing.") % {"column": str(COLUMN_LABELS[name]).capitalize()})
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.errors.append(_("“%(email)s” is not a valid email address.") % {"email": row.email})
            else:
                if row.email in seen:
                    row.errors.append(_("This email address is also on line %(line)d.") % {"line": seen[row.email]})
                else:
                    seen[row.email] = row.line
                existing = people.get(row.email)
                if existing and existing.organisation_id != programme.organisation_id:
                    row.errors.append(_("This email address belongs to someone outside your organisation."))
                elif row.email in enrolled:
                    row.notes.append(_("Already enrolled: the details will be updated."))
                elif existing:
                    row.notes.append(_("Has an account already: will be enrolled."))
        if row.manager_email:
            manager = people.get(row.manager_email)
            known = (manager and manager.organisation_id == programme.organisation_id) or (
                row.manager_email in file_emails
            )
            if row.manager_email == row.email:
                row.errors.append(_("Someone cannot be their own manager."))
            elif not known:
                row.errors.append(
                    _("Unknown manager “%(email)s”: not a person of your organisation.") % {"email": row.manager_email}
                )
    return EnrolmentCheck(rows=rows)


@transaction.atomic
def apply_rows(programme: Programme, rows: list[EnrolmentRow], *, by: Any = None) -> EnrolmentResult:
    """Create or update the people and enrol them; all or nothing, in a fixed number of queries.

    The rows are checked again first: the world may have changed since the preview. When
    ``by`` (the HR admin) is given, every enrolment, new manager and changed manager is
    recorded in the audit trail; the demo seed enrols without a person doing it.
    """
    check = check_rows(programme, rows)
    if not check.can_apply:
        raise ValidationError(_("The file still has problems; nothing was saved."))
    result = EnrolmentResult()
    organisation = programme.organisation
    emails = {row.email for row in rows} | {row.manager_email for row in rows if row.manager_email}
    people = {user.email: user for user in User.objects.select_for_update().filter(email__in=emails)}
    detail_fields = ("first_name", "last_name", "job_title", "department")

    new_users, changed_users = [], []
    for row in rows:
        details = {name: getattr(row, name) for name in detail_fields}
        user = people.get(row.email)
        if user is None:
            user = User(email=row.email, organisation=organisation, **details)
            user.set_unusable_password()
            people[row.email] = user
            new_users.append(user)
        elif any(value and getattr(user, name) != value for name, value in details.items()):
            for name, value in details.items():
                if value:
                    setattr(user, name, value)
            changed_users.append(user)
    User.objects.bulk_create(new_users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=False) for user in new_users
    )
    User.objects.bulk_update(changed_users, detail_fields)
    result.created, result.updated = len(new_users), len(changed_users)

    existing = {
        (membership.user_id, membership.role): membership
        for membership in Membership.objects.for_organisation(organisation).filter(programme=programme)
    }
    new_memberships: dict[tuple[int, str], Membership] = {}
    moved = []
    for row in rows:
        user = people[row.email]
        manager = people.get(row.manager_email) if row.manager_email else None
        key = (user.pk, Membership.Role.PARTICIPANT)
        participant = existing.get(key)
        if participant is None and key not in new_memberships:
            new_memberships[key] = Membership(
                programme=programme, user=user, role=Membership.Role.PARTICIPANT, reports_to=manager
            )
        elif participant is not None and manager and participant.reports_to_id != manager.pk:
            participant.reports_to = manager
            moved.append(participant)
        manager_key = (manager.pk, Membership.Role.MANAGER) if manager else None
        if manager_key and manager_key not in existing and manager_key not in new_memberships:
            new_memberships[manager_key] = Membership(programme=programme, user=manager, role=Membership.Role.MANAGER)
    Membership.objects.bulk_create(new_memberships.values())
    Membership.objects.bulk_update(moved, ["reports_to"])
    if by is not None:
        _record(by, list(new_memberships.values()), moved)
    result.enrolled = sum(1 for user_id, role in new_memberships if role == Membership.Role.PARTICIPANT)
    return result


def _record(by: Any, created: list[Membership], moved: list[Membership]) -> None:
    """The audit trail of an enrolment: who was enrolled, who became manager, whose manager changed."""
    enrolled = [m for m in created if m.role == Membership.Role.PARTICIPANT]
    managers = [m for m in created if m.role == Membership.Role.MANAGER]
    audit.record_many(by, audit.Action.ENROLLED, enrolled, _("Enrolled as participant"))
    became = _("Role added: %(role)s") % {"role": Membership.Role.MANAGER.label}
    audit.record_many(by, audit.Action.ROLE_CHANGED, managers, became)
    audit.record_many(by, audit.Action.ROLE_CHANGED, moved, _("Manager changed"))
