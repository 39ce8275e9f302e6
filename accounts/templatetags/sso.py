"""The sign-in page's "sign in with ..." buttons for an organisation's own identity providers."""

from __future__ import annotations

from django import template

from accounts.sso import SignInButton, sign_in_buttons

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_sign_in_buttons(context: template.Context) -> list[SignInButton]:
    """Buttons for the organisation named in ``?organisation=<short name>``; none without one."""
    request = context["request"]
    slug = request.GET.get("organisation", "")
    return sign_in_buttons(request, slug) if slug else []
