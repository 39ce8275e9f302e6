"""Beat keeps its schedule in the database and never removes an entry that left the settings:
drop the periodic tasks the outbox planners replaced, or workers would log unknown tasks."""

from django.db import migrations

REPLACED_TASKS = [
    "coaching.tasks.send_forum_digests_task",
    "coaching.tasks.remind_coaching_sessions_task",
    "intervision.tasks.remind_intervision_sessions_task",
]


def drop_replaced_entries(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=REPLACED_TASKS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(drop_replaced_entries, migrations.RunPython.noop)]
