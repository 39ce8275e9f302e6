"""Django's model permissions, for platform staff only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    """Django's stored model permissions serve the admin site, which only platform staff reach;
    what people may do in the platform itself is a rule (django-rules, ``leertraject/access.py``).

    Looking the stored permissions up for everyone else cost two queries on every page that asks
    a permission without an object. The empty answer is cached on the user like Django's own, so
    allauth's backend (a ModelBackend too) does not look them up either.
    """

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_user_permissions(user_obj, obj) if user_obj.is_staff else set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_group_permissions(user_obj, obj) if user_obj.is_staff else set()
