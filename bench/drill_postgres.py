"""Drill: PostgreSQL restarted, and stopped for a while, under a running site. While it is gone
pages answer at once with "briefly unavailable" (503, Retry-After), never hang; once it is back
they answer 200 again without a restart of gunicorn or of the Celery worker.

Run with ``.venv/bin/python bench/drill_postgres.py`` (as root: the cluster runs as the
``postgres`` user). It creates its own PostgreSQL 15 cluster in a temporary folder (port 5441,
trust authentication), its own Redis (port 6392), gunicorn with the production settings, two
workers and persistent connections (``CONN_MAX_AGE=60``, health-checked) on port 8092, a Celery
worker and an SMTP server, and loads the demo data.

1. Signed-in demo people read six key pages in turn, a request every 0.15 s.
2. ``pg_ctl restart -m fast``: every open connection is cut.
3. ``pg_ctl stop -m fast``, 10 s without a database, ``pg_ctl start``.
4. A reminder recorded after that reaches the SMTP server through the same Celery worker.

Exits non-zero when an expectation fails.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import drills

PG_PORT, REDIS_PORT, WEB_PORT, DATABASE = 5441, 6392, 8092, "leertraject_drill"
STOPPED_SECONDS = 10
# A page during the outage must answer within this, not wait for a database that is not there.
FAIL_FAST_SECONDS = 3


def main() -> int:
    began = time.monotonic()
    logs = Path(tempfile.mkdtemp(prefix="drill-postgres-"))
    cluster = drills.PostgresCluster(PG_PORT, Path(tempfile.mkdtemp(prefix="drill-postgres-cluster-")))
    redis = drills.RedisServer(REDIS_PORT, logs / "redis.log")
    sink = drills.MailSink()
    server_url = f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"
    env = drills.app_env(
        database_url=server_url.rsplit("/", 1)[0] + f"/{DATABASE}",
        redis_url=redis.url,
        email_url=sink.url,
        web_port=WEB_PORT,
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    failures: list[str] = []
    web = worker = prober = None
    try:
        cluster.create()
        redis.start()
        drills.create_database(server_url, DATABASE)
        drills.prepare_app(env)
        web = drills.Gunicorn(env, WEB_PORT, logs / "gunicorn.log")
        worker = drills.CeleryWorker(env, logs / "worker.log")
        pages, _recognise = drills.key_pages(web.base)
        # Its own session, for one look at the page people get while the database is gone.
        checker = drills.signed_in_session(web.base, "lotte.vandijk@rotterdam.example")
        connection.close()
        prober = drills.Prober(web.base, pages)
        prober.start()

        time.sleep(1)
        prober.phase = "1 before"
        time.sleep(8)
        prober.phase = "2 pg_ctl restart -m fast"
        restart_seconds = cluster.pg_ctl("restart", "-m", "fast")
        restarted_at = time.monotonic()
        prober.phase = "3 after the restart"
        time.sleep(10)
        # A page answered while pg_ctl is still stopping may be a 200: its own phase, as for the restart.
        prober.phase = "4 pg_ctl stop -m fast"
        stopped_at = time.monotonic()
        cluster.pg_ctl("stop", "-m", "fast")
        prober.phase = "5 PostgreSQL stopped"
        time.sleep(STOPPED_SECONDS / 2)
        outage_page = checker.get(web.base + "/", timeout=drills.REQUEST_TIMEOUT)
        time.sleep(STOPPED_SECONDS / 2)
        prober.phase = "6 pg_ctl start"
        start_seconds = cluster.pg_ctl("start")
        started_at = time.monotonic()
        prober.phase = "7 after the start"
        time.sleep(10)
        prober.stop()

        mailed_after = reminder_after_the_outage(sink)
        same_processes = web.pids() == web.started_pids

        print(f"\nPostgreSQL restarted, then stopped for {STOPPED_SECONDS} s; {len(pages)} pages, gunicorn 2 workers")
        print("\n".join(prober.table()))
        back_after_restart = prober.recovered_after(restarted_at, until=stopped_at)
        back_after_start = prober.recovered_after(started_at)
        print(f"pg_ctl restart took {restart_seconds:.1f} s; every page 200 again {fmt(back_after_restart)} after it")
        print(f"pg_ctl start took {start_seconds:.1f} s; every page 200 again {fmt(back_after_start)} after it")
        down = [probe for probe in prober.probes if probe.phase == "5 PostgreSQL stopped"]
        slowest_down = max(probe.seconds for probe in down)
        print(f"while stopped: slowest answer {slowest_down:.2f} s")
        says_unavailable = "Leertraject is even niet bereikbaar" in outage_page.text
        retry_after = outage_page.headers.get("Retry-After")
        print(
            f"the page while stopped: {outage_page.status_code}, Retry-After {retry_after}, says so: {says_unavailable}"
        )
        print(f"gunicorn master and workers the same processes throughout: {same_processes}")
        print(f"a reminder recorded after the outage mailed by the same Celery worker: {fmt(mailed_after)} later")

        if set(prober.statuses("1 before")) != {"200"}:
            failures.append(f"pages failed before the drill: {dict(prober.statuses('1 before'))}")
        if set(prober.statuses("5 PostgreSQL stopped")) - {"503"}:
            failures.append(f"while stopped, not every page said 503: {dict(prober.statuses('5 PostgreSQL stopped'))}")
        if outage_page.status_code != 503 or not retry_after or not says_unavailable:
            failures.append("the page while stopped did not say Leertraject is briefly unavailable")
        if slowest_down > FAIL_FAST_SECONDS:
            failures.append(f"a page took {slowest_down:.1f} s while PostgreSQL was stopped")
        for phase in ("3 after the restart", "7 after the start"):
            if prober.statuses(phase)["200"] == 0:
                failures.append(f"{phase}: no page answered 200 again")
        if back_after_restart is None or back_after_start is None:
            failures.append("the pages did not all answer 200 again")
        if not same_processes:
            failures.append("gunicorn's processes changed during the drill")
        if mailed_after is None:
            failures.append("the worker did not mail a reminder recorded after the outage")
    finally:
        if prober is not None:
            prober.stop()
        for server in (worker, web):
            if server is not None:
                server.stop()
        connection.close()
        redis.stop()
        sink.stop()
        cluster.destroy()
    for failure in failures:
        print(f"FAILED: {failure}")
    print(f"logs in {logs}" if failures else "all expectations met", f"(in {time.monotonic() - began:.0f} s)")
    if not failures:
        shutil.rmtree(logs)
    return 1 if failures else 0


def fmt(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.1f} s"


def reminder_after_the_outage(sink: drills.MailSink) -> float | None:
    """Record one reminder for a demo participant and queue it; seconds until it was mailed."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from notifications import outbox

    connection.close()  # the drill's own connection died with the restart
    person = User.objects.get(email="lotte.vandijk@rotterdam.example")
    now = timezone.now()
    planned = outbox.Planned(
        recipient_id=person.pk,
        organisation_id=person.organisation_id,
        key="programme:drill",
        occurrence=now.isoformat(),
        context={"programme": "Drill"},
    )
    outbox.record("reflection_prompt", [planned], now=now)
    started = time.monotonic()
    outbox.enqueue_due(now)
    try:
        drills.wait_until(lambda: person.email in sink.recipients, "the reminder", timeout=30)
    except SystemExit:
        return None
    return time.monotonic() - started


if __name__ == "__main__":
    sys.exit(main())
