"""Drill: a Celery worker killed (SIGKILL) in the middle of mailing loses no message and sends
none twice, but for the one mail that may be in flight at each kill.

Run with ``make bench`` (or ``.venv/bin/python bench/drill_worker_kill.py``). It needs
PostgreSQL (``DATABASE_URL``, whose test database it creates and drops: the worker is another
process) and Redis (``REDIS_URL``, on a queue of its own that it deletes afterwards); without
them it says so and stops. Mail goes to a local SMTP server that takes 20 ms per message.

1. 300 reminders are recorded and queued (3 tasks of 100); a worker (prefork, concurrency 1,
   late acknowledgement) starts mailing them.
2. After 60 mails the pool process running the task is killed with SIGKILL, as the
   out-of-memory killer would: the worker sees it lost and requeues the unacknowledged task
   at once (``CELERY_TASK_REJECT_ON_WORKER_LOST``); a new pool process runs it again and skips
   what was sent (each mail is committed on its own).
   After 200 mails the whole worker is killed, as a lost machine would be. Nobody requeues
   its task: it stays unacknowledged in Redis; the rows it had not mailed stay PENDING.
3. A new worker starts and takes the task still waiting in the queue.
4. The sweep (``enqueue_due``, every minute) offers again what was queued more than
   ``REQUEUE_AFTER`` ago and is still PENDING; the drill runs it as if that much time passed.
5. Redis redelivers the unacknowledged task after its visibility timeout (an hour by default;
   the drill forces it): its rows are SENT by then, so it mails nothing.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leertraject.settings.test")

import django

django.setup()

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.test.utils import setup_test_environment
from django.utils import timezone

from bench import drills

MESSAGES, SMTP_DELAY = 300, 0.02
KILL_POOL_PROCESS_AFTER, KILL_WORKER_AFTER = 60, 200
QUEUE = "drill-worker-kill"
BROKER_URL = os.environ.get("REDIS_URL", "")
CELERY = Path(sys.executable).with_name("celery")


class SlowMailServer:
    """Takes each mail in ``SMTP_DELAY`` seconds, then accepts it (and delivers it whatever
    happens to the sender afterwards, as a real server does)."""

    def __init__(self) -> None:
        self.recipients: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(SMTP_DELAY)
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def wait_until(check: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Worker:
    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.log = log
        command = [str(CELERY), "-A", "leertraject", "worker", "-Q", QUEUE, "-n", f"{name}@%h", "-l", "info"]
        command += ["--pool", "prefork", "--concurrency", "1", "--without-gossip", "--without-mingle"]
        with log.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own worker, no shell
                command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(lambda: " ready." in self.output() or self.process.poll() is not None, f"{name} to start")
        if self.process.poll() is not None:
            raise SystemExit(f"{name} did not start:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill_pool_process(self) -> None:
        """SIGKILL to the pool process that runs the task, as the out-of-memory killer picks it."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        os.kill(int(children[0]), signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL to the worker and its pool process at once: no warm shutdown, no clean-up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def broker_queue(action: str) -> int:
    """``count`` the waiting tasks, ``restore`` the unacknowledged ones as if their visibility
    timeout had passed, or ``delete`` the drill's queue."""
    from leertraject.celery import app

    with app.connection_for_write(transport_options={"visibility_timeout": 0}) as broker:
        channel = broker.default_channel
        queue = app.amqp.queues[QUEUE].bind(channel)
        if action == "restore":
            unacked = channel.client.hlen(channel.unacked_key)
            channel.qos.restore_visible(num=1000, interval=1)
            return unacked
        if action == "delete":
            queue.declare()  # Redis forgets only bindings this channel knows
            queue.delete()
            return 0
        return queue.queue_declare().message_count


def states() -> Counter[str]:
    from notifications.models import Notification

    return Counter(Notification.objects.unscoped().values_list("status", flat=True))


def main() -> None:
    if connection.vendor != "postgresql" or not BROKER_URL:
        print("skipped: the drill needs DATABASE_URL (PostgreSQL) and REDIS_URL, for a worker in another process")
        return
    from notifications import outbox
    from notifications.models import Notification

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP server's every command
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = BROKER_URL
    settings.CELERY_TASK_DEFAULT_QUEUE = QUEUE
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    mail = SlowMailServer()
    smtp = Controller(mail, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leertraject.settings.local",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": settings.SITE_URL,
        "DATABASE_URL": database_url(),
        "REDIS_URL": BROKER_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
    }
    workers: list[Worker] = []
    rows: list[tuple[str, str]] = []

    def step(label: str) -> None:
        counted = states()
        rows.append(
            (
                label,
                f"{len(mail.recipients):>5} {counted['sent']:>5} {counted['pending']:>7} {broker_queue('count'):>6}",
            )
        )

    try:
        broker_queue("delete")
        drills.record_reminders(MESSAGES)
        now = timezone.now()
        logs = Path(tempfile.mkdtemp(prefix="drill-worker-kill-"))
        workers.append(Worker("first", env, logs / "first.log"))
        queued = outbox.enqueue_due(now)
        step(f"queued {queued} in {-(-queued // outbox.BATCH_SIZE)} tasks")
        wait_until(lambda: len(mail.recipients) >= KILL_POOL_PROCESS_AFTER, f"{KILL_POOL_PROCESS_AFTER} mails")
        workers[0].kill_pool_process()
        step("its pool process killed (SIGKILL)")
        wait_until(lambda: "WorkerLostError" in workers[0].output(), "the worker to notice")
        wait_until(lambda: len(mail.recipients) >= KILL_WORKER_AFTER, f"{KILL_WORKER_AFTER} mails")
        step("the task requeued at once and ran again")
        workers[0].kill()
        step("the whole first worker killed (SIGKILL)")

        workers.append(Worker("second", env, logs / "second.log"))
        wait_until(lambda: broker_queue("count") == 0 and "succeeded" in workers[1].output(), "the waiting task")
        step("second worker ran the waiting task")

        requeued = outbox.enqueue_due(now + outbox.REQUEUE_AFTER + timedelta(seconds=1))
        wait_until(lambda: states()["pending"] == 0, "the sweep's task")
        step(f"sweep {outbox.REQUEUE_AFTER.seconds // 60} min later: {requeued} queued again")

        done = workers[1].output().count("succeeded")
        unacked = broker_queue("restore")
        wait_until(lambda: workers[1].output().count("succeeded") > done, "the redelivered task")
        step(f"Redis redelivered {unacked} unacked task")

        print(
            f"{MESSAGES} reminders, mail server {SMTP_DELAY * 1000:.0f} ms per message; pool process killed after "
            f"{KILL_POOL_PROCESS_AFTER} mails, the whole worker after {KILL_WORKER_AFTER}"
        )
        print(f"{'':<46} {'mails':>5} {'sent':>5} {'pending':>7} {'queue':>6}")
        for label, figures in rows:
            print(f"{label:<46} {figures}")
        received = Counter(mail.recipients)
        duplicates = sum(count - 1 for count in received.values())
        sent = Notification.objects.unscoped().filter(status=Notification.Status.SENT).count()
        print(
            f"mails received {len(mail.recipients)}, distinct natural keys {len(received)}, "
            f"duplicates {duplicates}, rows SENT {sent} of {MESSAGES}"
        )
        print(
            "a killed pool process: the worker requeues its task at once (late acknowledgement, reject on worker "
            f"lost); a killed worker: the sweep brings back its task's rows ({requeued}), the task itself comes back "
            "only after Redis's visibility timeout and finds them sent"
        )
        assert len(received) == sent == MESSAGES, f"a message was lost (worker logs in {logs})"
        assert duplicates <= 2, f"more than the mail in flight at each kill was sent twice (worker logs in {logs})"
        shutil.rmtree(logs)
    finally:
        for worker in workers:
            worker.stop()
        smtp.stop()
        broker_queue("delete")
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
