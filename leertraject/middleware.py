"""Site-wide request rules: a sign-in ends when unused for a while, and when simply too old."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SIGNED_IN_AT = "leertraject_signed_in_at"
LAST_SEEN_AT = "leertraject_last_seen_at"
# The last-seen time is stored at most once a minute, so that pages which poll (the harvest
# room, the live intervision guide) do not write the session on every request.
LAST_SEEN_RESOLUTION = 60


def session_has_expired(session: SessionBase) -> bool:
    """Whether a signed-in session went unused for SESSION_IDLE_TIMEOUT minutes, or is older
    than SESSION_COOKIE_AGE seconds however active."""
    now = timezone.now().timestamp()
    idle = now - session.get(LAST_SEEN_AT, now)
    age = now - session.get(SIGNED_IN_AT, now)
    return idle > settings.SESSION_IDLE_TIMEOUT * 60 or age > settings.SESSION_COOKIE_AGE


def note_use(session: SessionBase) -> None:
    """Remember when this sign-in started and, to the minute, when it was last used."""
    now = timezone.now().timestamp()
    session.setdefault(SIGNED_IN_AT, now)
    if now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Sign a person out once their session has expired; the page then asks them to sign in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and session_has_expired(request.session):
            logout(request)
        response = self.get_response(request)
        # After the view, so that the request that signs a person in starts the clock.
        if request.user.is_authenticated:
            note_use(request.session)
        return response
