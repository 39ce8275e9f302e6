"""Every key page stays within 20 queries on a full-size organisation of the benchmark dataset.

One municipality of ``seed_bench`` is 500 participants in five programmes, one in each stage, with
communities, plans, coaching, intervision and the harvest; the manifest it writes names the pages
each role opens (the load test uses the same). bench/key_pages.py measures their time.
"""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.management.commands.seed_bench import BENCH_PASSWORD
from accounts.models import User
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db(transaction=False)

MAX_QUERIES = 20


def _signed_in(email: str, secret: str) -> Client:
    client = Client()
    response = client.post("/account/login/", {"login": email, "password": BENCH_PASSWORD})
    if response.url.startswith("/account/2fa/authenticate"):
        response = client.post(response.url, {"code": totp_code(secret)})
    assert response.status_code == 302, email
    return client


def test_every_key_page_of_a_benchmark_organisation_takes_at_most_20_queries(
    tmp_path: Path, django_assert_max_num_queries
) -> None:
    call_command("seed_bench", "--organisations", "1", "--manifest", str(tmp_path / "manifest.json"), stdout=None)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert User.objects.filter(memberships__role="participant").distinct().count() == 500
    checked = []
    for role, people in manifest["users"].items():
        person = people[0]
        client = _signed_in(person["email"], manifest["totp_secret"])
        for name, path in person["urls"].items():
            with django_assert_max_num_queries(MAX_QUERIES):
                response = client.get(path)
            assert response.status_code == 200, (role, name, path)
            checked.append(name)
    assert {"learning plan", "coach dashboard", "demand view", "intervision composition", "harvest report"} <= set(
        checked
    )


def test_seed_bench_refuses_a_database_that_holds_organisations(world) -> None:
    with pytest.raises(CommandError, match="empty"):
        call_command("seed_bench", "--organisations", "1")
