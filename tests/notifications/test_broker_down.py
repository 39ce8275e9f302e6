"""Pages that mail straight from a task (outside the outbox) keep working while the broker is
down: the task runs in the web process instead, so the mail still goes and nothing is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from learners.models import FeedbackAsk, Goal
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import MembershipFactory

from .conftest import free_port

pytestmark = pytest.mark.django_db


def test_asking_feedback_while_the_broker_is_down_still_mails_everyone_asked(
    world: World, publish_to: Any, django_capture_on_commit_callbacks: Callable
) -> None:
    membership = Membership.objects.unscoped().get(programme=world.programme, user=world.alice, role="participant")
    goal = Goal.objects.create(membership=membership, title="Initiatief nemen in het wijkoverleg")
    lotte = MembershipFactory(programme=world.programme, user__first_name="Lotte")
    alice = login_client(world.alice)
    publish_to(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there

    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(
            f"/programmes/{world.programme.pk}/plan/goals/{goal.pk}/feedback/new/",
            {"question": "Wat zie je mij doen?", "colleagues": [lotte.user.pk], "emails": "wijkagent@politie.example"},
            follow=True,
        )

    assert response.status_code == 200
    assert "Uw vraag is onderweg naar 2 personen." in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == sorted([lotte.user.email, "wijkagent@politie.example"])
    assert FeedbackAsk.objects.unscoped().filter(sent_at__isnull=False).count() == 2
