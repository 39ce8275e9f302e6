"""django-allauth adapters: how sign-up, single sign-on and two-factor authentication fit Leertraject."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.shortcuts import render

from . import sso


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody signs up on their own: people join an organisation through an invitation."""
        return False


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """HR admins must keep their authenticator app; others may switch it off."""
        user: Any = authenticator.user
        if user.is_hr_admin and authenticator.type == Authenticator.Type.TOTP:
            return False
        return super().can_delete_authenticator(authenticator)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Signing in through an organisation's own identity provider; the rules are in ``accounts.sso``."""

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        organisation = sso.organisation_of(sociallogin.provider.app)
        try:
            user = sso.match(organisation, sociallogin, request.user)
        except sso.SignInRefused as refused:
            response = render(request, "account/sso_refused.html", {"organisation": refused.organisation}, status=403)
            raise ImmediateHttpResponse(response) from refused
        if user is not None and not sociallogin.is_existing:
            sso.connect(request, sociallogin, user)

    def list_apps(self, request: HttpRequest, provider: str | None = None, client_id: str | None = None) -> list:
        """A signed-in person sees (and connects) only their own organisation's identity providers."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return apps
        own = sso.apps_of(user.organisation_id)
        return [app for app in apps if app.pk in own]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        organisation = sso.organisation_of(sociallogin.provider.app)
        email = sso.verified_email(sociallogin)
        return organisation is not None and email is not None and sso.may_sign_up(organisation, email)

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        """A new account belongs to the organisation whose identity provider vouched for it."""
        user: Any = sociallogin.user
        user.email = user.email.lower()
        user.organisation = sso.organisation_of(sociallogin.provider.app)
        return super().save_user(request, sociallogin, form)
