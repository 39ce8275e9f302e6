"""Benchmark: reading, checking and applying a spreadsheet of 1,000 people, and importing it again.

Run with ``make bench`` (or ``.venv/bin/python bench/import_rows.py``); uses a scratch test
database (SQLite in memory, or PostgreSQL when ``DATABASE_URL`` is set).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leertraject.settings.test")

import django

django.setup()

from django.db import connection
from django.test.utils import CaptureQueriesContext, setup_test_environment

ROWS = 1000


def spreadsheet(count: int) -> bytes:
    lines = ["Voornaam;Achternaam;E-mailadres;Functie;Afdeling;E-mail leidinggevende"]
    lines += [
        f"Deelnemer{n};van Wijk;deelnemer{n}@bench.example;Gebiedsnetwerker;Gebied {n % 14};"
        f"leidinggevende{n % 20}@bench.example"
        for n in range(count)
    ]
    lines += [f"Leidinggevende{n};de Vries;leidinggevende{n}@bench.example;Gebiedsmanager;Gebied;" for n in range(20)]
    return "\r\n".join(lines).encode("utf-8-sig")


def timed(label: str, function, *args):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function(*args)
        seconds = time.perf_counter() - started
    print(f"{label:<34} {seconds:>8.2f} s {len(queries):>8} queries")
    return result


def main() -> None:
    from accounts.models import Organisation
    from programmes.enrolment import apply_rows, check_rows, read_rows
    from programmes.models import Programme

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        organisation = Organisation.objects.create(name="Gemeente Bench", slug="bench")
        programme = Programme.objects.create(
            organisation=organisation, title="Bench", starts_on=date(2026, 9, 1), ends_on=date(2027, 3, 1)
        )
        data = spreadsheet(ROWS)
        print(f"database: {connection.vendor}; {ROWS} participants + 20 managers ({len(data) // 1024} KiB CSV)")
        rows = timed("read the file", read_rows, data)
        check = timed("check every row (preview)", check_rows, programme, rows)
        assert check.can_apply, [row.errors for row in check.rows if row.errors][:3]
        timed("apply (first import)", apply_rows, programme, rows)
        timed("apply again (nothing changed)", apply_rows, programme, read_rows(data))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
