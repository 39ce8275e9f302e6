"""The Celery application, configured from Django settings (CELERY_ namespace)."""

import logging
import os
from typing import Any

from celery import Celery, Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leertraject.settings.local")

app = Celery("leertraject")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


def queue_after_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` once the transaction commits. When the broker cannot be reached, run it in
    this process instead: the mail it sends is not lost and the page still answers (the outbox's
    messages wait for the next sweep instead; these few are sent at once)."""

    def publish() -> None:
        try:
            task.delay(*args, **kwargs)
        except BrokerError:
            logger.warning("Broker unreachable: running %s here", task.name, exc_info=True)
            task.apply(args=args, kwargs=kwargs)

    transaction.on_commit(publish)
