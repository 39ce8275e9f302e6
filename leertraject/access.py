"""The one way views reach protected data: tenant scope first, then the rules registry.

Rules (django-rules predicates) live in each app's ``rules.py``; views never test roles
themselves. ``get_object_for_user`` answers 404 for objects of another organisation and
for objects the user may not see, and 403 for objects they see but may not change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .tenancy import TenantQuerySet

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def view_permission(model: type[Model]) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def get_object_for_user(user: Any, queryset: TenantQuerySet, *, perm: str | None = None, **lookup: Any) -> M:
    """Fetch one object of the user's organisation that the user may see (and use for ``perm``)."""
    obj = get_object_or_404(queryset.for_organisation(getattr(user, "organisation_id", None)), **lookup)
    if not user.has_perm(view_permission(type(obj)), obj):
        raise Http404
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def require_perm(perm: str) -> Callable[[View], View]:
    """Decorate a view that needs a permission that is not about one object."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
