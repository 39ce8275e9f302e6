"""Benchmark: the daily reminder run for 10,000 participants, and the same run again with nothing new.

Run with ``make bench`` (or ``.venv/bin/python bench/reminders.py``); uses a scratch test database
(SQLite in memory, or PostgreSQL when ``DATABASE_URL`` is set, whose test database it creates and
drops). 100 active programmes in 4 organisations, 100 participants each: nine in ten have a goal
with two open or done actions due at offsets around today, one in ten has no plan yet; every
programme has a coach and a start day, twenty have a harvest session coming (ten of them tomorrow).

With ``REDIS_URL`` set, the time is ``plan_daily(now)`` = the planners (compute and record) plus
``enqueue_due`` publishing the batches to that Redis, on a queue of its own that no worker reads
and that is deleted afterwards: nothing is mailed. Without ``REDIS_URL`` tasks would run in
process, so only the planners (compute and record) are measured, and the report says so.
Each timed run starts from an empty outbox; "again" runs on top of the last one.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leertraject.settings.test")

import django

django.setup()

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

PROGRAMMES, PARTICIPANTS, ORGANISATIONS, RUNS = 100, 100, 4, 3
# A Monday: the reflection prompt of half the programmes and the coaches' weekly digest fall on it.
NOW = timezone.make_aware(datetime(2026, 11, 30, 7, 0))
# Days from today to an action's due date: due soon (2), overdue (-1, -3, -7), and others.
DUE_OFFSETS = (2, -1, -3, -7, 5, -2, 0, 10, -30)
BROKER_URL = os.environ.get("REDIS_URL", "")
QUEUE = "bench-reminders"


def build() -> None:
    from accounts.models import Organisation, User
    from learners.models import Action, Goal
    from programmes.models import Membership, Phase, Programme, Weekday

    today = timezone.localdate(NOW)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Gemeente Bench {number}", slug=f"bench-{number}") for number in range(ORGANISATIONS)
    )
    programmes = Programme.objects.bulk_create(
        Programme(
            organisation=organisations[number % ORGANISATIONS],
            title=f"Leertraject {number}",
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 6, 30),
            status=Programme.Status.ACTIVE,
            reflection_weekday=Weekday.MONDAY if number % 2 == 0 else Weekday.FRIDAY,
        )
        for number in range(PROGRAMMES)
    )
    start_day = timezone.make_aware(datetime(2026, 9, 1, 9, 0))
    phases = [Phase(programme=programme, kind=Phase.Kind.KICK_OFF, starts_at=start_day) for programme in programmes]
    for number, programme in enumerate(programmes[:20]):
        harvest = timezone.make_aware(datetime.combine(today + timedelta(days=1 if number < 10 else 14), NOW.time()))
        phases.append(Phase(programme=programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=harvest))
    Phase.objects.bulk_create(phases)

    people = User.objects.bulk_create(
        User(
            email=f"p{programme.pk}-{number}@bench.example",
            first_name=f"Deelnemer {number}",
            organisation_id=programme.organisation_id,
            last_login=start_day,
        )
        for programme in programmes
        for number in range(PARTICIPANTS)
    )
    coaches = User.objects.bulk_create(
        User(email=f"coach{programme.pk}@bench.example", first_name="Coach", organisation_id=programme.organisation_id)
        for programme in programmes
    )
    memberships = Membership.objects.bulk_create(
        Membership(programme=programmes[index // PARTICIPANTS], user=person, role=Membership.Role.PARTICIPANT)
        for index, person in enumerate(people)
    )
    Membership.objects.bulk_create(
        Membership(programme=programme, user=coach, role=Membership.Role.COACH)
        for programme, coach in zip(programmes, coaches, strict=True)
    )
    goals = Goal.objects.bulk_create(
        Goal(membership=membership, title="Beter adviseren")
        for index, membership in enumerate(memberships)
        if index % 10 != 0
    )
    Action.objects.bulk_create(
        Action(
            goal=goal,
            description=f"Actie {number}",
            due_on=today + timedelta(days=DUE_OFFSETS[(index + number) % len(DUE_OFFSETS)]),
            done_at=start_day if (index + number) % 5 == 0 else None,
        )
        for index, goal in enumerate(goals)
        for number in range(2)
    )
    # Planner statistics, as a live database has them (autovacuum): without, PostgreSQL plans the
    # coach digest's per-participant subqueries as nested scans and takes minutes instead of seconds.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run_planners(now: datetime) -> int:
    from notifications.kinds import DAILY_PLANNERS

    return sum(import_string(path)(now) for path in DAILY_PLANNERS)


def queued_messages() -> int:
    from leertraject.celery import app

    with app.connection_for_write() as broker:
        return app.amqp.queues[QUEUE].bind(broker.default_channel).queue_declare(passive=True).message_count


def empty_queue(delete: bool = False) -> None:
    from leertraject.celery import app

    with app.connection_for_write() as broker:
        queue = app.amqp.queues[QUEUE].bind(broker.default_channel)
        if delete:
            queue.declare()  # Redis forgets only bindings this channel knows
            queue.delete()
        else:
            queue.purge()


def timed(function, now: datetime) -> tuple[float, int, int]:
    """Seconds, queries and notifications added by ``function(now)``."""
    from notifications.models import Notification

    rows = Notification.objects.unscoped().count()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        function(now)
        seconds = time.perf_counter() - started
    return seconds, len(queries), Notification.objects.unscoped().count() - rows


def main() -> None:
    from notifications import outbox
    from notifications.kinds import DAILY_PLANNERS
    from notifications.models import Notification

    if BROKER_URL:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = BROKER_URL
        settings.CELERY_TASK_DEFAULT_QUEUE = QUEUE
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        build()
        print(
            f"database: {connection.vendor}; {PROGRAMMES * PARTICIPANTS} participants in {PROGRAMMES} programmes "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        reverse("notifications:inbox")  # load the URLconf first, as a worker that runs has done
        print(f"{'planner (compute and record)':<52} {'time':>8} {'queries':>8} {'rows':>7}")
        for path in DAILY_PLANNERS:
            seconds, queries, added = timed(import_string(path), NOW)
            print(f"{path:<52} {seconds:>6.2f} s {queries:>8} {added:>7}")
        if BROKER_URL:
            seconds, queries, _added = timed(outbox.enqueue_due, NOW)
            print(f"{'enqueue_due (publish to Redis)':<52} {seconds:>6.2f} s {queries:>8} {queued_messages():>7} tasks")
            empty_queue()
        kinds = Counter(Notification.objects.unscoped().values_list("kind", flat=True))
        print("rows by kind: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))

        if BROKER_URL:
            label, function = "plan_daily (compute, record, enqueue)", outbox.plan_daily
            print(f"broker: Redis, queue {QUEUE!r} that no worker reads (deleted afterwards)")
        else:
            label, function = "planners (compute, record; no REDIS_URL)", run_planners
            print("broker: none (no REDIS_URL), so enqueue_due is not measured: it would deliver in process")
        timings = []
        for _ in range(RUNS):
            Notification.objects.unscoped().all().delete()
            if BROKER_URL:
                empty_queue()
            seconds, queries, added = timed(function, NOW)
            timings.append(seconds)
        queued = Notification.objects.unscoped().filter(queued_at=NOW).count()
        print(f"{label + f' (median of {RUNS})':<52} {statistics.median(timings):>6.2f} s {queries:>8} queries")
        print(f"{'':<52} {added:>8} rows added, {queued} queued")
        if BROKER_URL:
            print(f"{'':<52} {queued_messages():>8} tasks on the queue (batches of {outbox.BATCH_SIZE})")
        seconds, queries, added = timed(function, NOW + timedelta(minutes=1))
        queued = Notification.objects.unscoped().filter(queued_at=NOW + timedelta(minutes=1)).count()
        print(f"{'again, nothing new':<52} {seconds:>6.2f} s {queries:>8} queries")
        print(f"{'':<52} {added:>8} rows added, {queued} queued")
        assert added == 0
        assert queued == 0
    finally:
        if BROKER_URL:
            empty_queue(delete=True)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
