"""Shared pieces of the fault drills (``drill_redis.py``, ``drill_postgres.py``): servers of their
own to stop and start, the app as production runs it (gunicorn, a Celery worker, a real SMTP
server), and a prober that keeps signed-in people reading key pages while a server is gone.

A drill never touches the machine's own PostgreSQL (5432, but for a database of its own) or
Redis (6379): it starts Redis on port 6391 (6392 for the PostgreSQL drill) and, for the PostgreSQL
drill, a cluster of its own on port 5441. Nothing here imports Django when imported: a drill sets
the environment first, then sets Django up.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
DEMO_PASSWORD = "leertraject-demo"  # noqa: S105 - accounts/demo.py: public, for demo data only
PROBE_INTERVAL = 0.15  # seconds between two requests of the prober: a modest load on 2 cores
REQUEST_TIMEOUT = 15


def wait_until(check: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    """Poll ``check`` until it answers something true; give up loudly after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """SIGTERM to the process group a drill started, SIGKILL if it does not end in time."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class RedisServer:
    """A throw-away Redis without persistence: stopping it loses every queued task, as a
    crashed Redis would; the outbox in PostgreSQL is what must bring them back."""

    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log = port, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if port_open(self.port):
            raise SystemExit(f"port {self.port} is taken: is an earlier drill's Redis still running?")
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own server, no shell
                command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(lambda: port_open(self.port), f"Redis on port {self.port}", timeout=20)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


class PostgresCluster:
    """A PostgreSQL 15 cluster of the drill's own (trust authentication, in a temporary folder),
    run by the ``postgres`` user as the packaged server is."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self.data, self.sockets, self.log = folder / "data", folder / "sockets", folder / "postgres.log"

    def _as_postgres(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(  # noqa: S603 - fixed programs, no shell
            [RUNUSER, "-u", "postgres", "--", *command], check=check, capture_output=True, timeout=120
        )

    def pg_ctl(self, action: str, *extra: str) -> float:
        """Run ``pg_ctl action`` and wait for it; returns the seconds it took."""
        started = time.monotonic()
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-o", options, action, *extra
        )
        return time.monotonic() - started

    def create(self) -> None:
        self.sockets.mkdir(parents=True)
        shutil.chown(self.folder, "postgres")
        shutil.chown(self.sockets, "postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.pg_ctl("start")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_postgres(
                str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-m", "immediate", "stop", check=False
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def create_database(server_url: str, name: str) -> None:
    """(Re)create database ``name`` on the server ``server_url`` points at (its ``postgres`` database)."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(*, database_url: str, redis_url: str, email_url: str, web_port: int) -> dict[str, str]:
    """The environment production.py demands, for gunicorn, the worker and the drill itself."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leertraject.settings.production",
        "SECRET_KEY": "drill-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{web_port}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": email_url,
        "CONN_MAX_AGE": "60",  # as docker-compose runs it: persistent connections, health-checked
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *arguments], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603


def prepare_app(env: dict[str, str]) -> None:
    """Migrate, load the demo data and collect static files (production uses the manifest)."""
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--no-input")


class Gunicorn:
    """The web server as the container runs it: ``gunicorn.conf.py``, sync workers."""

    def __init__(self, env: dict[str, str], port: int, log: Path, workers: int = 2) -> None:
        self.port, self.log = port, log
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
        with log.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own server, no shell
                [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
                env=env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(lambda: self.process.poll() is not None or port_open(port), "gunicorn", timeout=60)
        if self.process.poll() is not None:
            raise SystemExit(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
        wait_until(lambda: len(self.pids()) == workers + 1, "gunicorn's workers", timeout=60)
        self.started_pids = self.pids()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> set[int]:
        """The master and its workers: the same set at the end means nobody restarted anything."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return {pid, *map(int, children)}

    def stop(self) -> None:
        stop_process(self.process)


class CeleryWorker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        command = [str(BIN / "celery"), "-A", "leertraject", "worker", "-n", "drill@%h", "-l", "info"]
        command += ["--pool", "prefork", "--concurrency", "1", "--without-gossip", "--without-mingle"]
        with log.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own worker, no shell
                command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(lambda: " ready." in self.output() or self.process.poll() is not None, "the worker", timeout=60)
        if self.process.poll() is not None:
            raise SystemExit(f"the worker did not start:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)


class MailSink:
    """A real SMTP server on a free port that keeps every recipient it accepted."""

    def __init__(self) -> None:
        self.recipients: list[str] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.controller.start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0)
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def stop(self) -> None:
        self.controller.stop()


class PlainHttpSession(requests.Session):
    """Production cookies are Secure (HTTPS only); the drill speaks plain HTTP to gunicorn as the
    TLS proxy does, saying ``X-Forwarded-Proto: https``, so it sends them back over HTTP too (one
    host, so every cookie goes with every request)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.headers.update({"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")})

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        prepared = super().prepare_request(request)
        if cookies := "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies):
            prepared.headers["Cookie"] = cookies
        return prepared


def signed_in_session(base: str, email: str) -> requests.Session:
    """A session signed in through the real sign-in form (CSRF token, allauth, rate limits)."""
    session = PlainHttpSession(base)
    response = sign_in(session, base, email)
    if response.status_code != 302 or response.headers.get("Location") != "/":
        raise SystemExit(f"could not sign in as {email}: {response.status_code} {response.headers.get('Location')}")
    return session


def csrf_token(html: str) -> str:
    """The CSRF token of the form on a page ("" when there is none: the post is then refused)."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def sign_in(session: requests.Session, base: str, email: str) -> requests.Response:
    form = session.get(f"{base}/account/login/", timeout=REQUEST_TIMEOUT)
    data = {"login": email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": csrf_token(form.text)}
    return session.post(f"{base}/account/login/", data=data, allow_redirects=False, timeout=REQUEST_TIMEOUT)


def fresh_sign_in(base: str, email: str) -> tuple[str, float]:
    """One sign-in from scratch; ("302 /", seconds) when it worked."""
    session = PlainHttpSession(base)
    started = time.monotonic()
    try:
        response = sign_in(session, base, email)
    except requests.RequestException as error:
        return type(error).__name__, time.monotonic() - started
    return f"{response.status_code} {response.headers.get('Location', '')}".strip(), time.monotonic() - started


def key_pages(base: str) -> tuple[list[tuple[requests.Session, str, str]], Callable[[], tuple[str, float]]]:
    """Signed-in sessions on the demo's key pages, and a function that gives recognition."""
    from programmes.models import Membership

    membership = (
        Membership.objects.unscoped()
        .select_related("programme", "user", "community_member")
        .get(
            user__email="deelnemer@rotterdam.example", role=Membership.Role.PARTICIPANT, community_member__isnull=False
        )
    )
    fatima, programme, community = membership.user, membership.programme, membership.community_member.community
    participant = signed_in_session(base, fatima.email)
    coach = signed_in_session(base, "coach@rotterdam.example")
    manager = signed_in_session(base, "manager@rotterdam.example")
    p = programme.pk
    pages = [
        (participant, "participant home", "/"),
        (participant, "plan", f"/programmes/{p}/plan/"),
        (participant, "community", f"/programmes/{p}/communities/{community.pk}/"),
        (coach, "coach home", "/"),
        (coach, "coach dashboard", f"/programmes/{p}/coaching/"),
        (manager, "harvest report", f"/programmes/{p}/harvest/report/"),
    ]

    def recognise() -> tuple[str, float]:
        url = f"{base}/programmes/{p}/harvest/recognition/"
        form = manager.get(url, timeout=REQUEST_TIMEOUT)
        token = csrf_token(form.text)
        data = {"csrfmiddlewaretoken": token, "participant": membership.pk, "message": "Mooi werk in de wijk."}
        started = time.monotonic()
        response = manager.post(url, data=data, allow_redirects=False, timeout=REQUEST_TIMEOUT)
        return f"{response.status_code}", time.monotonic() - started

    return pages, recognise


@dataclass
class Probe:
    at: float
    phase: str
    page: str
    status: str  # the HTTP status, or the exception's name when there was no answer
    seconds: float


class Prober(threading.Thread):
    """Signed-in people reading key pages in turn, a request every ``PROBE_INTERVAL`` seconds;
    the drill names the phase it is in, and every answer is kept under the phase it came in."""

    def __init__(self, base: str, pages: list[tuple[requests.Session, str, str]]) -> None:
        super().__init__(daemon=True)
        self.base, self.pages = base, pages  # pages: (signed-in session, label, path)
        self.phase = "0 warm-up"
        self.probes: list[Probe] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        turn = 0
        while not self.stopping.is_set():
            session, label, path = self.pages[turn % len(self.pages)]
            turn += 1
            started = time.monotonic()
            try:
                response = session.get(self.base + path, allow_redirects=False, timeout=REQUEST_TIMEOUT)
                status = str(response.status_code)
            except requests.RequestException as error:
                status = type(error).__name__
            # Under the phase it was answered in: a request that outlived "before" saw the outage.
            self.probes.append(Probe(started, self.phase, label, status, time.monotonic() - started))
            self.stopping.wait(PROBE_INTERVAL)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=REQUEST_TIMEOUT + 5)

    def table(self) -> list[str]:
        """Per phase: requests, answers by status, median and slowest latency."""
        lines = [f"{'phase':<34} {'requests':>8}  {'median':>7} {'slowest':>7}  statuses"]
        for phase in dict.fromkeys(probe.phase for probe in self.probes):
            probes = [probe for probe in self.probes if probe.phase == phase]
            statuses = ", ".join(
                f"{status}×{count}" for status, count in sorted(Counter(p.status for p in probes).items())
            )
            seconds = [probe.seconds for probe in probes]
            lines.append(
                f"{phase:<34} {len(probes):>8}  {statistics.median(seconds) * 1000:>5.0f}ms "
                f"{max(seconds) * 1000:>5.0f}ms  {statuses}"
            )
        return lines

    def statuses(self, phase: str) -> Counter[str]:
        return Counter(probe.status for probe in self.probes if probe.phase == phase)

    def recovered_after(self, since: float, until: float = float("inf")) -> float | None:
        """Seconds from ``since`` to the first 200 after which every answer until ``until`` was 200
        (requests started from ``since`` and answered before ``until``: one that the next outage
        cut short does not count against this recovery)."""
        later = [probe for probe in self.probes if since <= probe.at and probe.at + probe.seconds < until]
        for index, probe in enumerate(later):
            if all(other.status == "200" for other in later[index:]):
                return probe.at + probe.seconds - since
        return None


def record_reminders(count: int) -> list[str]:
    """``count`` due reminders, through the outbox as the planners record them, for people of an
    organisation of the drill's own; their addresses."""
    from django.utils import timezone

    from accounts.models import Organisation, User
    from notifications import outbox

    organisation = Organisation.objects.create(name="Gemeente Drill", slug="drill")
    people = User.objects.bulk_create(
        User(email=f"deelnemer{number}@drill.example", first_name=f"Deelnemer {number}", organisation=organisation)
        for number in range(count)
    )
    now = timezone.now()
    outbox.record(
        "reflection_prompt",
        [
            outbox.Planned(
                recipient_id=person.pk,
                organisation_id=organisation.pk,
                key="programme:1",
                occurrence=now.date().isoformat(),
                context={"programme": "Drill"},
            )
            for person in people
        ],
        now=now,
    )
    return [person.email for person in people]
