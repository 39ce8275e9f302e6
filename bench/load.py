"""Load test: the four kinds of user against gunicorn, PostgreSQL and Redis, on the loopback.

Run with ``.venv/bin/python bench/load.py --manifest <manifest.json>`` after installing
``requirements/bench.txt``. It needs ``DATABASE_URL`` (PostgreSQL that already holds the data,
e.g. from ``manage.py seed_bench --manifest <manifest.json>``) and ``REDIS_URL``.

1. Collects the static files and starts gunicorn (``gunicorn.conf.py``, so its default number
   of workers) with the production settings on 127.0.0.1:8093, ``CONN_MAX_AGE=60``, and gives
   every worker its first (slow) requests before measuring.
2. Runs ``bench/locustfile.py`` headless: 50 people (``-u``), 2 more a second (``-r``), for two
   minutes (``-t``); each signs in once, HR admins with their TOTP code, then reads its pages
   with five to fifteen seconds between them (reading a page) and now and then writes.
3. Stops gunicorn, prints the figures and writes them to the "Load test" section of
   ``docs/performance.md`` (between its markers; the rest of the file stays as it is).

It exits with 1 when a request failed or the 95th percentile of all requests reached 300 ms.
Sign-ins are counted and shown apart: one costs an Argon2 hash, about 95 ms of a core.
All 50 people sign in from 127.0.0.1 within ten seconds, as a municipality's staff behind one
NAT address could; allauth allows 30 sign-ins a minute per address, so the run sets
``LOGIN_RATE_LIMIT`` (``--login-rate-limit``) as such a deployment would.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import resource
import runpy
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

import psutil
from machine import describe, write_section

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOC = ROOT / "docs" / "performance.md"
P95_LIMIT_MS = 300
ACCESS_STATUS = re.compile(r'" (\d{3}) ')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", required=True, type=Path, help="accounts and pages (manage.py seed_bench)")
    parser.add_argument("-u", "--users", type=int, default=50)
    parser.add_argument("-r", "--spawn-rate", type=float, default=2)
    parser.add_argument("-t", "--run-time", default="2m", help="locust's --run-time, e.g. 20s or 2m")
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--login-rate-limit", default="100/m/ip", help="LOGIN_RATE_LIMIT for the site under test")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/performance.md alone")
    return parser.parse_args()


def seconds(run_time: str) -> int:
    """locust's run time (``90``, ``20s``, ``2m``, ``1h30m``) in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    parts = re.findall(r"(\d+)([hms]?)", run_time)
    return sum(int(number) * units[unit or "s"] for number, unit in parts)


def site_environment(port: int, login_rate_limit: str) -> dict[str, str]:
    """Production settings on the loopback: requests arrive as if through the TLS proxy."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leertraject.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "LOGIN_RATE_LIMIT": login_rate_limit,
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "consolemail://",
    }


def get(port: int, path: str, timeout: float = 60) -> int:
    """GET a page as the TLS proxy would pass it on; the status (an error status raises)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own loopback URL
        return response.status


def wait_until_up(port: int, gunicorn: subprocess.Popen, timeout: float = 120) -> None:
    """Poll /healthz (database and broker) until it answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up (exit {gunicorn.returncode}); see its log")
        try:
            if get(port, "/healthz", timeout=30) == 200:
                return
        except OSError:  # refused, timed out, or 503 (URLError and HTTPError are OSErrors too)
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f} s")


def warm_up(port: int, workers: int) -> float:
    """Give every worker its first requests before measuring; the slowest of them in seconds.

    A fresh worker imports the URLconf, and with it every view module (xhtml2pdf alone takes
    seconds), on its first request. Concurrent requests, twice as many as there are workers,
    each hold a sync worker, so every worker gets some.
    """

    def timed(_: int) -> float:
        started = time.monotonic()
        get(port, "/account/login/")
        return time.monotonic() - started

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        first = max(pool.map(timed, range(2 * workers)))
        max(pool.map(timed, range(2 * workers)))
    return first


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds spent so far: by the whole machine (busy and in all), by gunicorn's processes,
    and by this script's finished children (locust), to tell a slow site from a crowded machine."""

    machine_busy: float
    machine_total: float
    gunicorn: float
    children: float

    @classmethod
    def now(cls, gunicorn_pid: int) -> CpuUse:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        ticks = os.sysconf("SC_CLK_TCK")
        idle = fields[3] + fields[4]  # idle and iowait
        master = psutil.Process(gunicorn_pid)
        processes = [master, *master.children(recursive=True)]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return cls(
            machine_busy=(sum(fields) - idle) / ticks,
            machine_total=sum(fields) / ticks,
            gunicorn=sum(sum(process.cpu_times()[:2]) for process in processes),
            children=children.ru_utime + children.ru_stime,
        )

    def since(self, earlier: CpuUse) -> CpuUse:
        return CpuUse(*(now - then for now, then in zip(astuple(self), astuple(earlier), strict=True)))

    def describe(self) -> str:
        """A sentence on who used the cores during the run."""
        cores = os.cpu_count() or 1
        elapsed = self.machine_total / cores
        others = self.machine_busy - self.gunicorn - self.children
        return (
            f"During the run ({elapsed:.0f} s, {self.machine_total:.0f} CPU-seconds on {cores} cores) the machine "
            f"was busy {100 * self.machine_busy / self.machine_total:.0f} % of the time: gunicorn "
            f"{self.gunicorn:.0f} CPU-s, locust {self.children:.0f} CPU-s, everything else (PostgreSQL, Redis "
            f"and other work) {others:.0f} CPU-s."
        )


def is_login(name: str) -> bool:
    return name.startswith("login:")


def total_row(label: str, figures: dict[str, Any]) -> str:
    """One row of the summary table."""
    cells = [figures["requests"], f"{figures['rps']:.1f}", figures["median"], figures["p95"], figures["p99"]]
    return f"| {label} | " + " | ".join(str(cell) for cell in [*cells, figures["max"], figures["failures"]]) + " |"


def report(
    summary: dict[str, Any],
    args: argparse.Namespace,
    command: str,
    statuses: Counter,
    workers: int,
    cold_start: float,
    load_before: str,
    cpu: CpuUse,
) -> str:
    """The Markdown section with the figures of this run."""
    total, pages = summary["all"], summary["without_login"]
    rows = [
        f"| {row['name']} | {row['requests']} | {row['median']} | {row['p95']} | {row['max']} | {row['failures']} |"
        for row in sorted(summary["rows"], key=lambda row: (not is_login(row["name"]), row["name"]))
    ]
    errors = "\n".join(f"- {count} × {error}" for error, count in summary["errors"].items()) or "- none"
    verdict = "met" if total["failures"] == 0 and total["p95"] < P95_LIMIT_MS else "**not met**"
    status_line = ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))
    return f"""## Load test

{args.users} people signing in once and then reading their pages with 5–15 s between them (reading each)
(participants, coaches, managers and HR admins 40 : 6 : 3 : 1; HR admins give their TOTP code),
{args.spawn_rate:g} more a second, for {args.run_time}, against gunicorn ({workers} sync workers, the
`gunicorn.conf.py` default for this machine) with the production settings, PostgreSQL
(`CONN_MAX_AGE=60`) and Redis, all on 127.0.0.1. Target: 95th percentile under {P95_LIMIT_MS} ms and
no errors — {verdict}.

| | requests | req/s | median ms | p95 ms | p99 ms | max ms | errors |
| --- | --- | --- | --- | --- | --- | --- | --- |
{total_row("all requests", total)}
{total_row("without sign-in", pages)}
{total_row("after everyone signed in", summary["after_login"])}

"After everyone signed in" counts the pages requested once the last sign-in had finished:
sign-ins cost an Argon2 hash each (about 95 ms of a core) and crowd the first seconds, when
pages wait for a sync worker behind them.

Per kind of request (sign-in first; "(form)" is the GET of the form before its post; a post's time
includes the page it redirects to, for "login: password" the home page or the TOTP form):

| request | count | median ms | p95 ms | max ms | failures |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

Errors:
{errors}

HTTP statuses in gunicorn's access log: {status_line}.
{cpu.describe()}
Each worker served its first requests before the measurement: a fresh worker imports every
view module on its first request, which took up to {cold_start:.1f} s here (a worker restarts
after about 1,000 requests, `max_requests` in `gunicorn.conf.py`).
Percentiles are exact (nearest rank over every request), not locust's rounded ones.
Sign-in: all people sign in from 127.0.0.1 within {args.users / args.spawn_rate:.0f} s, as staff
behind one NAT address could; the run sets `LOGIN_RATE_LIMIT={args.login_rate_limit}` (allauth's
default, 30 a minute per address, would answer 429 to the rest).

- Command: `{command}`
- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC
- Machine: {describe()}; load average before the run {load_before} (other work on the machine
  shares the two cores with gunicorn and locust)
"""


def main() -> int:
    args = parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise SystemExit(
            "The load test needs PostgreSQL: set DATABASE_URL=postgres://… to a database that holds the "
            "data of the manifest (manage.py seed_bench). SQLite serialises every write and measures nothing useful."
        )
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("The load test needs Redis for the cache and sessions' rate limits: set REDIS_URL.")
    if not args.manifest.is_file():
        raise SystemExit(f"No manifest at {args.manifest}: run manage.py seed_bench --manifest {args.manifest} first.")

    env = site_environment(args.port, args.login_rate_limit)
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    collectstatic = [BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collectstatic, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own command, no shell
    workdir = Path(tempfile.mkdtemp(prefix="leertraject-load-"))
    summary_path, access_log = workdir / "summary.json", workdir / "gunicorn.log"
    locust = [
        str(BIN / "locust"),
        "-f",
        "bench/locustfile.py",
        "--headless",
        "-u",
        str(args.users),
        "-r",
        f"{args.spawn_rate:g}",
        "-t",
        args.run_time,
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--only-summary",
        "--stop-timeout",
        "5",
        "--loglevel",
        "WARNING",
    ]
    with access_log.open("w") as log:
        gunicorn = subprocess.Popen(  # noqa: S603 - our own server, no shell
            [BIN / "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_up(args.port, gunicorn)
            workers = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
            cold_start = warm_up(args.port, workers)
            print(f"warmed up; the slowest first request took {cold_start:.1f} s", flush=True)
            print(f"gunicorn ({workers} workers) on 127.0.0.1:{args.port}; {shlex.join(locust[1:])}", flush=True)
            before = CpuUse.now(gunicorn.pid)
            subprocess.run(  # noqa: S603 - our own load generator, no shell
                locust,
                cwd=ROOT,
                env={**os.environ, "LOAD_MANIFEST": str(args.manifest.resolve()), "LOAD_SUMMARY": str(summary_path)},
                timeout=seconds(args.run_time) + 120,
                check=False,
            )
            cpu = CpuUse.now(gunicorn.pid).since(before)
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=40)
    log_text = access_log.read_text(errors="replace")
    statuses = Counter(ACCESS_STATUS.findall(log_text))
    if any(code.startswith("5") for code in statuses):
        print("gunicorn's log (server errors):", *log_text.splitlines()[-40:], sep="\n")
    summary = json.loads(summary_path.read_text())
    command = f"DATABASE_URL=… REDIS_URL=… {Path(sys.executable).name} bench/load.py " + shlex.join(sys.argv[1:])
    section = report(summary, args, command, statuses, workers, cold_start, load_before, cpu)
    print(section)
    if not args.no_docs:
        write_section(DOC, "load", section.rstrip("\n"))
        print(f"written to {DOC.relative_to(ROOT)}")
    total = summary["all"]
    return 0 if total["requests"] and total["failures"] == 0 and total["p95"] < P95_LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
