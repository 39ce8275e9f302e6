"""Benchmark: queries and server time of every key page on the benchmark dataset, against a floor.

Run with ``make bench`` (or ``.venv/bin/python bench/key_pages.py``). On the PostgreSQL database
``BENCH_DATABASE_URL`` names (default ``leertraject_bench`` on 127.0.0.1), which it drops and
builds again with ``manage.py seed_bench`` (20 municipalities, 10,000 participants), unless
``--reuse`` is given and the data is there. Pages are served in process by Django's test client
with the production settings (cached templates, persistent connections), so the time is the
server's: from the request entering the middleware to the response leaving it, without a
network. The floor is a page that only a signed-in person can see and that renders the base
template with nothing in it: what every page costs before it does anything of its own.

It prints the table and writes it, with the machine it ran on, to docs/performance.md between
the ``pages`` markers. It exits non-zero when a page misses a target (more than 20 queries, or a
median above three times the floor's), so it is a check as well as a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/leertraject_bench"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["DJANGO_SETTINGS_MODULE"] = "leertraject.settings.production"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["CONN_MAX_AGE"] = "60"
# The cache and the broker on Redis, as in production: asking for the PDF only queues the task.
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")

import django

django.setup()

import machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

MANIFEST = ROOT / "bench" / "out" / "manifest.json"
DOC = ROOT / "docs" / "performance.md"
REPEAT = 40
REPEAT_WORKER = 5  # the worker's PDF takes seconds
MAX_QUERIES = 20
FLOOR = "/bench/floor/"
MAX_RATIO = 3.0


def manage(*command: str) -> None:
    subprocess.run(  # noqa: S603 - our manage.py, no shell
        [sys.executable, "-W", "ignore", str(ROOT / "manage.py"), *command], check=True, cwd=ROOT
    )


def rebuild() -> None:
    """Drop and create the benchmark database, migrate it and fill it (a minute or two)."""
    import psycopg

    name = settings.DATABASES["default"]["NAME"]
    params = {key: settings.DATABASES["default"][key] for key in ("HOST", "PORT", "USER")}
    with psycopg.connect(
        host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0")
    manage("seed_bench", "--manifest", str(MANIFEST))


def pages(manifest: dict) -> list[tuple[str, str, str]]:
    """(page, role, path) of every key page, for people of the first organisation."""
    users = manifest["users"]
    participant, coach, hr, manager = (users[role][0] for role in ("participant", "coach", "hr", "manager"))
    report = manager["urls"]["harvest report"]
    return [
        ("participant home", participant["email"], "/"),
        ("learning plan", participant["email"], participant["urls"]["learning plan"]),
        ("community", participant["email"], participant["urls"]["community"]),
        ("coach home", coach["email"], "/"),
        ("coach dashboard", coach["email"], coach["urls"]["coach dashboard"]),
        ("HR home", hr["email"], "/"),
        ("HR programme dashboard", hr["email"], hr["urls"]["hr programme dashboard"]),
        ("demand view", hr["email"], hr["urls"]["demand view"]),
        ("intervision composition", hr["email"], hr["urls"]["intervision composition"]),
        ("manager home", manager["email"], "/"),
        ("harvest report", manager["email"], report),
    ]


def client_for(email: str) -> Client:
    """A signed-in client; HR admins also count as having passed their second factor."""
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    session = client.session
    session["account_authentication_methods"] = [{"method": "password"}, {"method": "mfa", "type": "totp"}]
    session.save()
    return client


def measure(client: Client, path: str, *, method: str = "get", expect: int = 200) -> dict[str, Any]:
    """Queries of one request, and the times of repeated requests, each right after a request of
    the floor by the same person: both see the same moment of a machine whose speed drifts."""
    send = getattr(client, method)
    for _ in range(2):  # warm: templates compiled, connection open
        response = send(path)
        assert response.status_code == expect, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        send(path)
    count = len(queries)
    timings, floor = [], []
    for _ in range(REPEAT):
        floor.append(timed(client.get, FLOOR))
        timings.append(timed(send, path))
    return {"queries": count, **spread(timings), "floor": floor}


def timed(send: Any, path: str) -> float:
    started = time.perf_counter()
    send(path)
    return (time.perf_counter() - started) * 1000


def spread(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)
    return {
        "median": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
        "repeat": len(timings),
    }


def harvest_report_after_changes(client: Client, report: str) -> dict[str, Any]:
    """The harvest report's first view after a change: a participant signs in before each request,
    which changes a row the report reads, so the page builds and renders the report again
    (``harvest/report_cache.py``) rather than showing the one it kept."""
    from django.utils import timezone

    from accounts.models import User
    from programmes.models import Membership

    programme_pk = int(report.strip("/").split("/")[1])  # /programmes/<pk>/harvest/report/
    participants = Membership.objects.unscoped().filter(programme=programme_pk, role=Membership.Role.PARTICIPANT)
    signs_in = User.objects.filter(pk=participants.values("user_id")[:1])
    timings, floor = [], []
    for _ in range(REPEAT):
        floor.append(timed(client.get, FLOOR))
        signs_in.update(last_login=timezone.now())
        timings.append(timed(client.get, report))
    return {**spread(timings), "floor": floor}


def harvest_pdf(client: Client, report: str) -> tuple[list[tuple[str, dict[str, float]]], dict[str, float]]:
    """The PDF's three requests (ask, status page, download) and the worker's time to make it."""
    from harvest import report_exports
    from harvest.models import ReportExport

    asked = measure(client, report.replace("report/", "report/exports/new/"), method="post", expect=302)
    pending = list(ReportExport.objects.unscoped().filter(status=ReportExport.Status.PENDING).order_by("pk"))
    made = []
    for export in pending[:REPEAT_WORKER]:
        started = time.perf_counter()
        assert report_exports.render_export(export.pk) == ReportExport.Status.READY
        made.append((time.perf_counter() - started) * 1000)
    status = report.replace("report/", f"report/exports/{pending[0].pk}/")
    rows = [
        ("harvest PDF: ask for it", asked),
        ("harvest PDF: status page", measure(client, status)),
        ("harvest PDF: download", measure(client, status + "report.pdf")),
    ]
    ReportExport.objects.unscoped().delete()
    from leertraject.celery import app

    app.control.purge()  # the tasks of the exports just deleted, which no worker ran
    return rows, spread(made)


def table(rows: list[tuple[str, dict[str, Any]]], floor: dict[str, Any]) -> list[str]:
    everything = spread([sample for _name, figures in rows for sample in figures["floor"]])
    lines = [
        "| page | queries | median ms | p95 ms | floor median ms | × floor | within target |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| floor (signed-in, empty page) | {floor['queries']} | {everything['median']:.1f} | {everything['p95']:.1f} "
        f"| | 1.0 | |",
    ]
    for name, figures in rows:
        floor_median = statistics.median(figures["floor"])
        ratio = figures["median"] / floor_median
        ok = figures["queries"] <= MAX_QUERIES and ratio <= MAX_RATIO
        lines.append(
            f"| {name} | {figures['queries']} | {figures['median']:.1f} | {figures['p95']:.1f} | {floor_median:.1f} "
            f"| {ratio:.1f} | {'yes' if ok else '**no**'} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="Keep the benchmark database if it holds data.")
    args = parser.parse_args()
    from accounts.models import Organisation

    if connection.vendor != "postgresql":
        print("key_pages needs PostgreSQL: set BENCH_DATABASE_URL.", file=sys.stderr)
        return 2
    MANIFEST.parent.mkdir(exist_ok=True)
    try:
        reuse = args.reuse and MANIFEST.exists() and Organisation.objects.exists()
    except django.db.Error:
        reuse = False
    connection.close()
    if not reuse:
        started = time.perf_counter()
        rebuild()
        print(f"dataset built in {time.perf_counter() - started:.0f} s")
    else:
        manage("migrate", "--noinput", "-v0")  # the data stays; the code may have moved on
    manifest = json.loads(MANIFEST.read_text())
    manage("collectstatic", "--noinput", "-v0")
    with override_settings(ROOT_URLCONF="floor"):
        floor = measure(client_for(manifest["users"]["participant"][0]["email"]), FLOOR)
        rows = []
        for name, email, path in pages(manifest):
            rows.append((name, measure(client_for(email), path)))
            print(
                f"  {name:<26} {rows[-1][1]['queries']:>3} queries  median {rows[-1][1]['median']:7.1f} ms", flush=True
            )
        manager = manifest["users"]["manager"][0]
        pdf_rows, worker = harvest_pdf(client_for(manager["email"]), manager["urls"]["harvest report"])
        rows += pdf_rows
        changed = harvest_report_after_changes(client_for(manager["email"]), manager["urls"]["harvest report"])
    lines = table(rows, floor)
    print("\n".join(lines))
    section = [
        "## Key pages",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} with `make bench` (`bench/key_pages.py`): {machine.describe()}.",
        "",
        machine.dataset_summary(),
        "",
        *lines,
        "",
        f"The harvest report's PDF is made by a Celery worker (`harvest.report_exports`): asking for it "
        f"queues the task, the status page waits for it, the download hands out the stored file. The worker "
        f"took a median of {worker['median'] / 1000:.1f} s (95th percentile {worker['p95'] / 1000:.1f} s, "
        f"{worker['repeat']} PDFs) to make it, in the background.",
        "",
        f"The harvest report page keeps the report it rendered under a version of every row the report "
        f"reads (`harvest/report_cache.py`), so the table shows a report read again unchanged. The first view "
        f"after a change (here: one of its participants signed in before each request) builds and renders it: "
        f"median {changed['median']:.1f} ms, 95th percentile {changed['p95']:.1f} ms, "
        f"{changed['median'] / statistics.median(changed['floor']):.1f} × the floor.",
        "",
        f"Each page: {REPEAT} requests by one person of the first organisation, each right after a request of "
        "the floor by the same person, so that both see the same moment of a machine whose speed drifts; the "
        "ratio is the page's median over that floor's median. Queries are those of one request, transaction "
        "statements included. Targets: at most 20 queries per page whatever the data size, and a median within "
        "three times the floor's.",
    ]
    machine.write_section(DOC, "pages", "\n".join(section))
    misses = [line for line in lines if line.endswith("**no** |")]
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
