"""Hand-written SQL for the busiest pages' reads, on PostgreSQL and SQLite alike.

Django's ORM builds and compiles a query on every request: 0.3 ms for the simplest, about a
millisecond for one with joins, groups or subqueries, several times what the database takes to
answer it. The busiest pages (the participant home, the learning plan, the coach dashboard and
the HR programme dashboard) read their rows here instead; everything else uses the ORM. Their
programmes and participations were read scoped before: these statements filter by those ids, as
the ORM queries they replace did.

``fetch(sql, **params)`` runs a statement with ``%(name)s`` parameters; a list value stands for an
``IN`` list (an empty one matches nothing), moments and dates are passed as the database stores
them. ``objects(Model, sql, **params)`` does the same through ``Model.objects.raw``, for rows the
page uses as model instances (their fields converted as the ORM does; extra columns come as
attributes, as the database gives them). ``moment`` makes a moment ``fetch`` read aware (SQLite
gives it naive, or as text when an aggregate read it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

ModelT = TypeVar("ModelT", bound=models.Model)

_PARAMETER = re.compile(r"%\((\w+)\)s")


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _bind(sql: str, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The statement with every list parameter written out as an ``IN`` list, and the values."""
    values: dict[str, Any] = {}

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        value = params[name]
        if isinstance(value, list | tuple | set | frozenset):
            items = list(value) or [None]  # IN (NULL) matches nothing
            for index, item in enumerate(items):
                values[f"{name}__{index}"] = _adapt(item)
            return ", ".join(f"%({name}__{index})s" for index in range(len(items)))
        values[name] = _adapt(value)
        return match.group(0)

    return _PARAMETER.sub(expand, sql), values


def fetch(sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, as tuples."""
    statement, values = _bind(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        return cursor.fetchall()


def objects(model: type[ModelT], sql: str, **params: Any) -> list[ModelT]:
    """The rows of ``sql`` as instances of ``model``; ``sql`` selects its columns by their names."""
    statement, values = _bind(sql, params)
    return list(model._default_manager.raw(statement, values))


def moment(value: datetime | str | None) -> datetime | None:
    """A moment as ``fetch`` read it, aware: SQLite gives a column naive and an aggregate (``MAX``)
    as text, both in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, connection.timezone)
