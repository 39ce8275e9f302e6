"""Per-request account rules: the user's own language, and two-factor sign-in for HR admins."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from .selectors import has_authenticator_app

# Paths an HR admin without an authenticator app may still reach: signing in and out,
# setting up the app itself, switching language, and what load balancers call.
MFA_SETUP_PATHS = ("/account/", "/i18n/", "/healthz", "/static/")
# Views reachable too: the setup pages show the organisation's logo in their header, and every footer
# links the statements.
MFA_SETUP_URL_NAMES = {"organisation_logo", "accessibility_statement", "privacy_statement"}


def _is_setup_request(request: HttpRequest) -> bool:
    if request.path.startswith(MFA_SETUP_PATHS):
        return True
    try:
        return resolve(request.path_info).url_name in MFA_SETUP_URL_NAMES
    except Resolver404:
        return False


class UserLanguageMiddleware:
    """A signed-in user sees the language saved in their profile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language != translation.get_language():
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class RequireMFAMiddleware:
    """HR admins see personal data of many people: they must sign in with two factors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_hr_admin
            and not _is_setup_request(request)
            and not has_authenticator_app(user)
        ):
            messages.warning(
                request,
                _("As an HR admin you sign in with two-factor authentication. Set up your authenticator app first."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
