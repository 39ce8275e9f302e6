"""End to end: a reminder goes through a real Redis broker and a real Celery worker to a real
SMTP server, exactly once.

The worker is ``celery -A leertraject worker`` in its own process with the normal settings,
pointed by environment variables at the test database, the Redis database ``TEST_REDIS_URL``
(default ``redis://127.0.0.1:6379/5``, emptied first) and the SMTP server this test runs.
The worker reads what the test committed, so it needs a database two processes can open:
PostgreSQL (CI runs the suite on it). SQLite's test database lives in this process's memory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications import outbox
from notifications.models import Category, Notification
from notifications.tasks import deliver_batch_task
from tests.factories import UserFactory

from .conftest import SmtpSink

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
CELERY = Path(sys.executable).with_name("celery")
T = TypeVar("T")


def wait_until(check: Callable[[], T], what: str, timeout: float = 30) -> T:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)
    return result


class Worker:
    def __init__(self, process: subprocess.Popen[bytes], log: Path) -> None:
        self.process = process
        self.log = log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 30) -> None:
        def seen() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker stopped (exit {self.process.returncode}):\n{self.output()}")
            return text in self.output()

        wait_until(seen, f"{text!r} in the worker's log", timeout)


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def broker() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture
def worker(transactional_db: None, broker: str, smtp_sink: SmtpSink, tmp_path: Path) -> Iterator[Worker]:
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process cannot open SQLite's in-memory test database")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leertraject.settings.local",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "SITE_URL": settings.SITE_URL,
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
    }
    log = tmp_path / "worker.log"
    command = [str(CELERY), "-A", "leertraject", "worker", "--pool", "solo", "-l", "info", "-n", "test-worker@%h"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own worker, no shell
            command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR
        )
    running = Worker(process, log)
    try:
        running.wait_for(" ready.")
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_a_reminder_goes_through_redis_and_the_worker_to_the_mail_server_once(
    worker: Worker, smtp_sink: SmtpSink, publish_to: Any
) -> None:
    user = UserFactory(first_name="Fatima")
    reminder = outbox.Planned(
        recipient_id=user.pk,
        organisation_id=user.organisation_id,
        key="programme:7",
        occurrence="2026-W48",
        context={"programme": "Samen leren in de wijk"},
        link="/learners/reflections/",
    )
    publish_to(REDIS_URL)
    outbox.record("reflection_prompt", [reminder])
    notification = Notification.objects.unscoped().get(recipient=user)

    assert outbox.enqueue_due() == 1

    [message] = wait_until(lambda: smtp_sink.messages, "the mail at the SMTP server")
    sent = wait_until(
        lambda: Notification.objects.unscoped().filter(pk=notification.pk, status=Notification.Status.SENT).first(),
        "the notification marked sent",
    )
    assert message["To"] == user.email
    [(_, subject)] = outbox.subjects_in([sent], user.language)
    assert message["Subject"] == settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject
    assert "Samen leren in de wijk" in message["Subject"]
    unsubscribe = message["List-Unsubscribe"].strip()  # a long header is folded
    prefix = f"<{settings.SITE_URL}/notifications/stop/"
    assert unsubscribe.startswith(prefix)
    assert outbox.read_unsubscribe_token(unsubscribe.removeprefix(prefix).rstrip("/>")) == (
        user.pk,
        Category.REFLECTION,
    )
    assert sent.attempts == 1
    assert sent.sent_at is not None

    # The planner runs again, the sweep runs again, and a task is delivered twice (as Redis
    # does after a lost acknowledgement): nothing is mailed again.
    outbox.record("reflection_prompt", [reminder])
    assert outbox.enqueue_due(timezone.now() + outbox.REQUEUE_AFTER * 2) == 0
    duplicate = deliver_batch_task.delay([notification.pk])
    worker.wait_for(f"[{duplicate.id}] succeeded")

    [line] = [line for line in worker.output().splitlines() if duplicate.id in line and "succeeded" in line]
    assert line.endswith(": 0")  # mailed none
    assert len(smtp_sink.messages) == 1
    assert Notification.objects.unscoped().filter(recipient=user).count() == 1
