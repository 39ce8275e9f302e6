"""On PostgreSQL a trigger refuses UPDATE and DELETE of audit events, also from raw SQL.

The one change allowed is the one Django makes when a person is erased: the actor becomes
NULL (on_delete=SET_NULL) and nothing else of the row changes. SQLite (development, tests)
relies on the model and queryset refusing changes.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.actor_id IS NULL
        AND (NEW.id, NEW.organisation_id, NEW.action, NEW.target_type, NEW.target_id, NEW.summary, NEW.created_at)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.organisation_id, OLD.action, OLD.target_type, OLD.target_id, OLD.summary, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_auditevent_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditevent
    FOR EACH ROW EXECUTE FUNCTION privacy_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS privacy_auditevent_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_auditevent_append_only();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
