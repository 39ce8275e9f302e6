"""Locust scenario of the load test: the four kinds of user sign in once, then read their pages.

Not a script of its own: ``bench/load.py`` runs it against gunicorn with PostgreSQL and Redis
(``LOAD_MANIFEST`` names the manifest of ``manage.py seed_bench``: accounts, password, the HR
admins' TOTP secret and, per account, the pages it may read). Each simulated person signs in
through the real allauth form (HR admins then give their TOTP code, as RequireMFAMiddleware
demands), waits five to fifteen seconds between pages (reading one), and now and then writes: a participant adds
a reflection to a goal, a coach replies in a community forum, everyone marks their
notifications read when the inbox offers it. Requests are named by page kind, so the figures
are per kind of page and not per id.

The site runs with the production settings, behind no TLS proxy: every request carries
``X-Forwarded-Proto: https`` as the proxy would, and the client sends the HTTPS-only cookies
to the loopback address as browsers do for a local address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import math
import os
import random
import re
import struct
import time
from dataclasses import dataclass
from http.cookiejar import Cookie
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser
from requests.cookies import RequestsCookieJar

MANIFEST: dict[str, Any] = json.loads(open(os.environ["LOAD_MANIFEST"], encoding="utf-8").read())  # noqa: SIM115
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOTP_PERIOD, TOTP_DIGITS = 30, 6
# The last TOTP time step used per account: allauth accepts a code only once per account, and
# two simulated people may share an account, so the second waits for the next step.
_used_totp_steps: dict[str, int] = {}
_next_account = {role: itertools.count() for role in MANIFEST["users"]}


class LoopbackCookieJar(RequestsCookieJar):
    """Send HTTPS-only cookies back to the loopback address, as browsers do for a local address.

    requests copies the session's cookies into a fresh jar for every request, so a cookie
    policy would be lost: the jar drops the Secure flag of loopback cookies as it stores them.
    """

    def set_cookie(self, cookie: Cookie, *args: Any, **kwargs: Any) -> None:
        if cookie.domain.removesuffix(".local") in LOOPBACK:
            cookie.secure = False
        super().set_cookie(cookie, *args, **kwargs)


def totp_code(secret: str, step: int) -> str:
    """RFC 6238 code (HMAC-SHA1, 30 s, 6 digits) for one time step, as an authenticator app shows it."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}d}"


def fresh_totp_step(email: str) -> int:
    """A time step whose code this account has not used yet, waiting for the next one if needed."""
    while True:
        step = int(time.time()) // TOTP_PERIOD
        if _used_totp_steps.get(email, -1) < step:
            _used_totp_steps[email] = step
            return step
        gevent.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.1)


def csrf_token(html: str) -> str | None:
    """The CSRF token of the first form on the page."""
    found = CSRF_INPUT.search(html)
    return found.group(1) if found else None


class Person(HttpUser):
    """One signed-in person of a role; subclasses set the role and its writes."""

    abstract = True
    role = ""
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.client.cookies = LoopbackCookieJar()
        # What the TLS proxy and a browser add: the request came over HTTPS, from this site.
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": f"https://{urlsplit(self.host).netloc}"})
        accounts = MANIFEST["users"][self.role]
        self.account = accounts[next(_next_account[self.role]) % len(accounts)]
        self.pages: dict[str, str] = self.account["urls"]
        self.sign_in()

    def post_form(
        self, path: str, data: dict[str, str], name: str, *, html: str | None = None, expect: str = ""
    ) -> str | None:
        """Post the form at ``path`` as a browser does (its CSRF token, the page as Referer) and
        return where the redirect after it landed; ``expect`` is a path that landing must start with.

        ``html`` is the page with the form when it was already fetched; otherwise ``path`` is.
        """
        if html is None:
            with self.client.get(path, name=f"{name} (form)", catch_response=True) as form:
                html = form.text if form.status_code == 200 else ""
        token = csrf_token(html)
        if not token:
            self.environment.events.request.fire(
                request_type="POST",
                name=name,
                response_time=0,
                response_length=0,
                response=None,
                context={},
                exception=RuntimeError(f"no form with a CSRF token at {path}"),
            )
            return None
        headers = {"Referer": f"https://{urlsplit(self.host).netloc}{path}"}
        with self.client.post(
            path, data={**data, "csrfmiddlewaretoken": token}, headers=headers, name=name, catch_response=True
        ) as response:
            landed = urlsplit(response.url).path
            if response.status_code != 200 or not response.history:
                response.failure(f"{path} answered {response.status_code} without redirecting")
                return None
            if not landed.startswith(expect):
                response.failure(f"{path} led to {landed}, not {expect}")
                return None
            return landed

    def sign_in(self) -> None:
        """The allauth login form, then for HR admins the TOTP step; stops the person on failure."""
        second_factor = "/account/2fa/authenticate/"
        landed = self.post_form(
            "/account/login/",
            {"login": self.account["email"], "password": MANIFEST["password"]},
            name="login: password",
            expect=second_factor if self.role == "hr" else "/",
        )
        if self.role == "hr" and landed:
            step = fresh_totp_step(self.account["email"])
            landed = self.post_form(
                second_factor, {"code": totp_code(MANIFEST["totp_secret"], step)}, name="login: TOTP", expect="/"
            )
        if not landed or landed.startswith("/account/"):
            raise StopUser

    def page(self, name: str) -> Any:
        """GET one of this person's pages, named by role and kind of page ("coach: community")."""
        return self.client.get(self.pages[name], name=f"{self.role}: {name.removeprefix(f'{self.role} ')}")

    def linked(self, name: str, pattern: str) -> str | None:
        """Open one of this person's pages and pick a link on it that matches ``pattern``."""
        if name not in self.pages:
            return None
        links = re.findall(rf'href="({pattern})"', self.page(name).text)
        return random.choice(links) if links else None  # noqa: S311 - picking a link, not a secret

    @task(10)
    def browse(self) -> None:
        self.page(random.choice(list(self.pages)))  # noqa: S311 - picking a page, not a secret

    @task(1)
    def read_notifications(self) -> None:
        """Open the inbox and, when it offers to, mark everything read."""
        inbox = self.client.get("/notifications/", name=f"{self.role}: notifications")
        if 'action="/notifications/read/"' in inbox.text:
            self.post_form("/notifications/read/", {}, name="write: mark notifications read", html=inbox.text)


class Participant(Person):
    """Most people: their plan, community and notifications; they write reflections."""

    role = "participant"
    weight = 40

    @task(1)
    def reflect(self) -> None:
        """Add a reflection to one of the goals on the learning plan."""
        goal = self.linked("learning plan", r"/programmes/\d+/plan/goals/\d+/")
        if goal:
            self.post_form(
                f"{goal}reflections/new/",
                {
                    "tried": "Een lastig gesprek met de wijkagent voorbereid.",
                    "happened": "Het ging beter dan verwacht.",
                    "learned": "Eerst luisteren, dan pas voorstellen doen.",
                    "next_step": "Volgende week hetzelfde met de woningcorporatie.",
                },
                name="write: participant reflection",
                expect=goal,
            )


class Coach(Person):
    """Learning coaches: their dashboard, community and intervision; they reply in a forum."""

    role = "coach"
    weight = 6

    @task(1)
    def reply_in_forum(self) -> None:
        """Reply to one of the recent threads that their community's page lists."""
        thread = self.linked("community", r"/programmes/\d+/communities/\d+/forum/\d+/")
        if thread:
            self.post_form(
                thread,
                {"body": "Mooi voorbeeld. Wie wil dit de volgende bijeenkomst toelichten?"},
                name="write: coach forum reply",
                expect=thread,
            )


class Manager(Person):
    """Managers: the harvest report and the programme; their write is the inbox."""

    role = "manager"
    weight = 3


class HRAdmin(Person):
    """HR admins, few and behind a second factor: the programme dashboard, people, demand."""

    role = "hr"
    weight = 1


@dataclass(frozen=True)
class Sample:
    """One request: when it started and ended (seconds), its name, its time (ms), and whether it failed."""

    started: float
    ended: float
    name: str
    milliseconds: float
    failed: bool


_samples: list[Sample] = []


@events.request.add_listener
def record(name: str, response_time: float, exception: BaseException | None, **_kwargs: Any) -> None:
    """Keep every request, for exact percentiles (locust's own round to two digits above 100 ms)."""
    ended = time.time()
    _samples.append(Sample(ended - response_time / 1000, ended, name, response_time, exception is not None))


def percentile(ordered: list[float], fraction: float) -> int:
    """Nearest-rank percentile of sorted times."""
    return round(ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]) if ordered else 0


def figures(name: str, samples: list[Sample]) -> dict[str, Any]:
    """The figures of one row of the report."""
    ordered = sorted(sample.milliseconds for sample in samples)
    span = max((s.ended for s in samples), default=0) - min((s.started for s in samples), default=0)
    return {
        "name": name,
        "requests": len(samples),
        "failures": sum(sample.failed for sample in samples),
        "rps": len(samples) / span if span else 0.0,
        "median": percentile(ordered, 0.5),
        "p95": percentile(ordered, 0.95),
        "p99": percentile(ordered, 0.99),
        "max": round(ordered[-1]) if ordered else 0,
    }


@events.quitting.add_listener
def write_summary(environment: Environment, **_kwargs: Any) -> None:
    """Hand bench/load.py the figures: all requests, those without signing in, those after
    everyone had signed in (sign-ins, a password hash each, crowd the start), and per kind."""
    path = os.environ.get("LOAD_SUMMARY")
    if not path:
        return
    pages = [sample for sample in _samples if not sample.name.startswith("login:")]
    signed_in = max((sample.ended for sample in _samples if sample.name.startswith("login:")), default=0)
    by_name: dict[str, list[Sample]] = {}
    for sample in _samples:
        by_name.setdefault(sample.name, []).append(sample)
    summary = {
        "all": figures("all requests", _samples),
        "without_login": figures("without sign-in", pages),
        "after_login": figures("after everyone signed in", [sample for sample in pages if sample.started > signed_in]),
        "rows": [figures(name, samples) for name, samples in by_name.items()],
        "errors": {
            f"{error.method} {error.name}: {error.error}": error.occurrences
            for error in environment.stats.errors.values()
        },
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(summary, out, indent=1)
