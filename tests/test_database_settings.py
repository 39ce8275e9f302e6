"""The PostgreSQL settings the app connects with (leertraject/settings/base.py)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.conftest import settings_printed


@pytest.mark.django_db
def test_postgresql_plans_with_the_random_page_cost_of_an_ssd() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def database_settings(**environment: str) -> dict:
    """The ``default`` database's options and server-side cursor setting for ``environment``."""
    code = (
        "import json; from django.conf import settings; db = settings.DATABASES['default']; "
        "print(json.dumps([db['OPTIONS'], db['DISABLE_SERVER_SIDE_CURSORS']]))"
    )
    printed = settings_printed(code, DATABASE_URL="postgres://app@db.example:5432/leertraject", **environment)
    options, no_server_side_cursors = json.loads(printed)
    return {"options": options, "no_server_side_cursors": no_server_side_cursors}


def test_behind_pgbouncer_no_startup_option_and_no_server_side_cursors() -> None:
    """PgBouncer refuses a startup option and, in transaction mode, a cursor that outlives its
    transaction: both can be switched off from the environment (README, "Scale")."""
    default = database_settings()
    assert default["options"]["options"] == "-c random_page_cost=1.1"
    assert default["no_server_side_cursors"] is False

    behind_pgbouncer = database_settings(DATABASE_RANDOM_PAGE_COST="", DATABASE_DISABLE_SERVER_SIDE_CURSORS="true")
    assert "options" not in behind_pgbouncer["options"]
    assert behind_pgbouncer["no_server_side_cursors"] is True
