"""/healthz tells a load balancer whether the database and the task broker answer."""

from __future__ import annotations

import os

from django.test import Client, override_settings

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def test_healthy_without_broker_when_tasks_run_in_process(client: Client, db: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"] == {"ok": True, "mode": "in-process"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=REDIS_URL)
def test_healthy_with_a_real_redis_broker(client: Client, db: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"ok": True, "mode": "broker"}


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://:geheim@127.0.0.1:1/0")
def test_unreachable_broker_answers_503_and_names_the_check(client: Client, db: None) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert "geheim" not in response.content.decode()


def test_health_needs_no_login_and_only_answers_get(client: Client, db: None) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
