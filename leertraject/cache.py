"""The cache backend: Redis, and this process's memory while Redis cannot be reached."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import CONNECTION_INTERRUPTED, RedisCache


class RedisWithLocalFallback(RedisCache):
    """django-redis with ``IGNORE_EXCEPTIONS``, whose reads miss and writes drop while Redis is
    down, but for the calls sign-in depends on: allauth takes a lock with ``add`` around every
    rate-limit count and marks each used TOTP code with ``add``, and a dropped ``add`` reads as
    "taken", so every sign-in would answer 429. While Redis is unreachable, ``get``, ``set``,
    ``add`` and ``delete`` use this process's memory instead: sign-in keeps working and failed
    attempts are still limited, per web process rather than across them, until Redis is back.
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.fallback = LocMemCache(f"redis-fallback-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})

    def get(self, key: Any, default: Any = None, version: int | None = None, client: Any = None) -> Any:
        value = self._get(key, default, version, client)
        if value is CONNECTION_INTERRUPTED:
            return self.fallback.get(key, default, version)
        return value

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None, **kwargs: Any
    ) -> Any:
        stored = super().set(key, value, timeout=timeout, version=version, **kwargs)
        if stored is None:  # django-redis answers None only when Redis could not be reached
            return self.fallback.set(key, value, timeout, version)
        return stored

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None, **kwargs: Any
    ) -> Any:
        added = super().add(key, value, timeout=timeout, version=version, **kwargs)
        if added is None:
            return self.fallback.add(key, value, timeout, version)
        return added

    def delete(self, key: Any, version: int | None = None, **kwargs: Any) -> Any:
        deleted = super().delete(key, version=version, **kwargs)
        self.fallback.delete(key, version)
        return deleted

    def clear(self) -> None:
        super().clear()
        self.fallback.clear()
