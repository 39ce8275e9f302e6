"""Benchmark: time and query count of the main pages as an organisation grows.

Run with ``make bench`` (or ``.venv/bin/python bench/pages.py``). It builds a scratch
database (a temporary SQLite file, or ``DATABASE_URL`` when set, whose test database it
creates and drops) and prints, per data size, the median time and the queries per page.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leertraject.settings.test")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

SIZES = (10, 100, 500)
REPEAT = 15


def build(size: int) -> dict[str, object]:
    """An organisation with ``size`` participants over ``size // 10`` programmes, plus the roles."""
    from accounts.models import Organisation, User
    from programmes.models import Membership, Programme

    organisation = Organisation.objects.create(name=f"Gemeente Bench {size}", slug=f"bench-{size}")
    programmes = Programme.objects.bulk_create(
        Programme(
            organisation=organisation,
            title=f"Leertraject {number}",
            starts_on="2026-09-01",
            ends_on="2027-06-30",
            status=Programme.Status.ACTIVE,
        )
        for number in range(max(1, size // 10))
    )
    people = User.objects.bulk_create(
        User(email=f"p{number}@bench{size}.example", first_name=f"Deelnemer {number}", organisation=organisation)
        for number in range(size)
    )
    coach = User.objects.create(email=f"coach@bench{size}.example", first_name="Coach", organisation=organisation)
    hr = User.objects.create(
        email=f"hr@bench{size}.example", first_name="HR", organisation=organisation, is_hr_admin=True
    )
    # Half of everyone takes part in the first programme, whose pages (and HR dashboard) are measured.
    memberships = [
        Membership(
            programme=programmes[0 if number % 2 == 0 else number % len(programmes)],
            user=person,
            role=Membership.Role.PARTICIPANT,
        )
        for number, person in enumerate(people)
    ]
    memberships += [Membership(programme=programme, user=coach, role=Membership.Role.COACH) for programme in programmes]
    Membership.objects.bulk_create(memberships)
    return {"participant": people[0], "coach": coach, "hr": hr, "programme": programmes[0]}


def measure(client: Client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)  # read now: the next request clears the connection's query log
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, query_count


def main() -> None:
    from allauth.mfa.models import Authenticator

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}; median of {REPEAT} requests")
        print(f"{'participants':>12}  {'page':<34} {'ms':>8} {'queries':>8}")
        for size in SIZES:
            world = build(size)
            Authenticator.objects.create(user=world["hr"], type=Authenticator.Type.TOTP, data={"secret": "x"})
            in_first = world["programme"].memberships.filter(role="participant").count()
            print(f"{size:>12}  ({in_first} of them in the measured programme)")
            pages = [
                ("participant", "/"),
                ("coach", "/"),
                ("hr", "/"),
                ("hr", "/programmes/"),
                ("coach", f"/programmes/{world['programme'].pk}/"),
                ("hr", f"/programmes/{world['programme'].pk}/"),
                ("participant", f"/programmes/{world['programme'].pk}/plan/"),
            ]
            for role, url in pages:
                client = Client()
                client.force_login(world[role])
                millis, queries = measure(client, url)
                print(f"{size:>12}  {role + ' ' + url:<34} {millis:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
