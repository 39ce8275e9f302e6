"""Drill: Redis (cache and broker) stopped under a running site. Pages keep working, sign-in
too; reminders recorded while it is down go out once it is back, none lost, none doubled.

Run with ``.venv/bin/python bench/drill_redis.py``. It starts its own Redis (port 6391, no
persistence), a database ``drill_redis`` of its own on the machine's PostgreSQL (``DRILL_PG``,
default ``postgres://postgres@127.0.0.1:5432/postgres``; created and dropped), gunicorn with the
production settings and two workers (port 8091), a Celery worker and an SMTP server, and loads
the demo data.

A. Pages while Redis is down: four signed-in demo people read six key pages in turn; Redis is
   stopped for 20 s and started again (empty: a crashed Redis loses its queue). Meanwhile a
   person signs in from scratch and a manager gives recognition, which records a notification
   and tries to queue it.
B. Reminders while Redis is down: 200 reminders are recorded through the outbox, Redis is
   stopped and the sweep (``enqueue_due``, every minute in production) runs: it must return
   quickly, queue nothing and keep every row for later. Redis starts; the next sweep queues them
   and the worker mails them. The SMTP server counts what arrived.

Exits non-zero when an expectation fails.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import drills

REDIS_PORT, WEB_PORT, DATABASE = 6391, 8091, "drill_redis"
SERVER_URL = os.environ.get("DRILL_PG", "postgres://postgres@127.0.0.1:5432/postgres")
REMINDERS, OUTAGE_SECONDS = 200, 20


def main() -> int:
    began = time.monotonic()
    logs = Path(tempfile.mkdtemp(prefix="drill-redis-"))
    redis = drills.RedisServer(REDIS_PORT, logs / "redis.log")
    sink = drills.MailSink()
    database_url = SERVER_URL.rsplit("/", 1)[0] + f"/{DATABASE}"
    env = drills.app_env(database_url=database_url, redis_url=redis.url, email_url=sink.url, web_port=WEB_PORT)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    failures: list[str] = []
    web = worker = prober = None
    try:
        redis.start()
        drills.create_database(SERVER_URL, DATABASE)
        drills.prepare_app(env)
        web = drills.Gunicorn(env, WEB_PORT, logs / "gunicorn.log")
        worker = drills.CeleryWorker(env, logs / "worker.log")
        pages, recognition = drills.key_pages(web.base)
        prober = drills.Prober(web.base, pages)
        prober.start()

        # --- A. Pages while Redis is down -------------------------------------------------------
        time.sleep(1)
        prober.phase = "A1 before"
        time.sleep(8)
        prober.phase = "A2 Redis stopped"
        redis.stop()
        stopped_at = time.monotonic()
        time.sleep(3)
        sign_in = drills.fresh_sign_in(web.base, "lotte.vandijk@rotterdam.example")
        recognised = recognition()
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))
        prober.phase = "A3 Redis back"
        redis.start()
        time.sleep(8)
        prober.stop()
        sign_in_after = drills.fresh_sign_in(web.base, "lotte.vandijk@rotterdam.example")

        # --- B. Reminders while Redis is down ---------------------------------------------------
        from notifications import outbox
        from notifications.models import Notification

        connection.close()
        people = drills.record_reminders(REMINDERS)
        # The reminders, the recognition given in A, and anything the demo data left due.
        rows = Notification.objects.unscoped().filter(status="pending")
        ids = set(rows.values_list("pk", flat=True))
        expected = set(rows.values_list("recipient__email", flat=True))
        redis.stop()
        started = time.monotonic()
        queued_down = outbox.enqueue_due()
        sweep_down = time.monotonic() - started
        waiting = Notification.objects.unscoped().filter(pk__in=ids, status="pending", queued_at__isnull=True).count()
        redis.start()
        started = time.monotonic()
        queued_up = outbox.enqueue_due()
        drills.wait_until(lambda: expected <= set(sink.recipients), "the mails", timeout=90)
        delivered_after = time.monotonic() - started
        time.sleep(2)  # anything doubled would arrive now
        received = Counter(sink.recipients)
        sent = Notification.objects.unscoped().filter(pk__in=ids, status="sent").count()
        total = len(ids)

        print(f"\nA. pages while Redis is down ({OUTAGE_SECONDS} s), {len(pages)} pages, gunicorn 2 workers")
        print("\n".join(prober.table()))
        print(
            f"sign-in from scratch while Redis is down: {sign_in[0]} in {sign_in[1]:.2f} s; after: {sign_in_after[0]}"
        )
        print(f"manager gives recognition while Redis is down: {recognised[0]} in {recognised[1]:.2f} s")
        print(f"\nB. {REMINDERS} reminders recorded ({total} rows due in all), then Redis stopped")
        print(f"sweep while Redis is down: queued {queued_down} in {sweep_down:.2f} s, {waiting} rows kept for later")
        print(f"sweep once Redis is back: queued {queued_up}; all mailed {delivered_after:.1f} s later")
        lost = len(expected - set(received))
        doubled = sum(count - 1 for count in received.values())
        print(
            f"mails received {len(sink.recipients)}, distinct recipients {len(received)}, expected {len(expected)}: "
            f"lost {lost}, doubled {doubled}; rows SENT {sent} of {total}"
        )

        for phase in ("A1 before", "A2 Redis stopped", "A3 Redis back"):
            if set(prober.statuses(phase)) != {"200"}:
                failures.append(f"{phase}: not every page answered 200: {dict(prober.statuses(phase))}")
        if sign_in[0] != "302 /" or sign_in_after[0] != "302 /":
            failures.append(f"sign-in failed: while down {sign_in[0]}, after {sign_in_after[0]}")
        if not recognised[0].startswith("302"):
            failures.append(f"giving recognition while Redis is down answered {recognised[0]}")
        if queued_down != 0 or waiting != total or sweep_down > 5 or people[0] not in expected:
            failures.append(f"sweep while down: queued {queued_down}, kept {waiting}, took {sweep_down:.1f} s")
        if lost or doubled or sent != total or len(received) != len(expected):
            failures.append("a reminder was lost or doubled, or a row is not SENT")
    finally:
        if prober is not None:
            prober.stop()
        for server in (worker, web):
            if server is not None:
                server.stop()
        redis.stop()
        sink.stop()
        connection.close()
        drills.drop_database(SERVER_URL, DATABASE)
    for failure in failures:
        print(f"FAILED: {failure}")
    print(f"logs in {logs}" if failures else "all expectations met", f"(in {time.monotonic() - began:.0f} s)")
    if not failures:
        shutil.rmtree(logs)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
