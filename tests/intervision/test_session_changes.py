"""A group moves or cancels a planned intervision session: only its members, only before it
starts; bad input changes nothing; reminders follow the new time and stop for a cancelled one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from intervision import reminders
from intervision.models import Case, IntervisionSession
from notifications import outbox
from privacy.models import AuditEvent
from tests.conftest import World, login_client
from tests.factories import CaseFactory, GroupMemberFactory, IntervisionGroupFactory
from tests.intervision.test_sessions import _people, _plan

pytestmark = pytest.mark.django_db


def urls(world: World, session: IntervisionSession) -> tuple[str, str, str]:
    detail = f"/programmes/{world.programme.pk}/intervision/sessions/{session.pk}/"
    return detail, detail + "edit/", detail + "cancel/"


def form_of(session: IntervisionSession, **changes: object) -> dict[str, object]:
    fields = {
        "method": session.method.pk,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "location": session.location,
        "online_url": session.online_url,
        "case_bringer": session.case_bringer.pk,
        "facilitator": session.facilitator.pk,
        "timekeeper": session.timekeeper.pk,
    }
    return {**fields, **changes}


def test_a_member_moves_the_session_and_the_reminder_goes_out_for_the_new_time(group, world: World) -> None:
    session = _plan(group, world, starts_at=timezone.now() + timedelta(hours=20))
    reminders.plan_session_reminders(timezone.now())  # recorded for the old time
    detail, edit, _cancel = urls(world, session)
    later = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    alice = login_client(world.alice)
    assert "Sessie wijzigen" in alice.get(detail).text

    response = alice.post(edit, form_of(session, starts_at=later.strftime("%Y-%m-%dT%H:%M"), location="Zaal 1.01"))

    assert response.status_code == 302 and response.url == detail
    session.refresh_from_db()
    assert (session.starts_at, session.location) == (later, "Zaal 1.01")
    assert "De herinneringen volgen de nieuwe tijd" in alice.get(detail).text
    outbox.enqueue_due()
    assert mail.outbox == []  # the reminders for the old time are not sent
    reminders.plan_session_reminders(later - timedelta(hours=2))
    outbox.enqueue_due(later - timedelta(hours=2))
    assert len(mail.outbox) == 4  # one per member, for the new time


def test_a_move_into_the_past_or_to_an_outsider_rerenders_and_changes_nothing(group, world: World) -> None:
    session = _plan(group, world)
    before = (session.starts_at, session.case_bringer_id)
    _detail, edit, _cancel = urls(world, session)
    yesterday = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    past = login_client(world.alice).post(edit, form_of(session, starts_at=yesterday))
    outsider = login_client(world.alice).post(edit, form_of(session, case_bringer=world.charlie.pk))

    assert past.status_code == 200 and "De sessie moet in de toekomst beginnen." in past.text
    assert outsider.status_code == 200 and "Verbeter het volgende" in outsider.text
    session.refresh_from_db()
    assert (session.starts_at, session.case_bringer_id) == before


def test_a_member_cancels_the_session_with_its_case_and_no_reminder_goes_out(group, world: World) -> None:
    session = _plan(group, world, starts_at=timezone.now() + timedelta(hours=20))
    case = CaseFactory(session=session, submitted_by=world.alice)
    reminders.plan_session_reminders(timezone.now())
    detail, _edit, cancel = urls(world, session)
    dirk = login_client(_people(group)["Dirk"])

    question = dirk.get(cancel)
    response = dirk.post(cancel, follow=True)

    assert "De casus die voor deze sessie is ingediend, wordt met de sessie verwijderd." in question.text
    assert response.redirect_chain[-1][0].endswith(f"/intervision/groups/{group.pk}/sessions/")
    assert "is geannuleerd." in response.text
    assert not IntervisionSession.objects.unscoped().filter(pk=session.pk).exists()
    assert not Case.objects.unscoped().filter(pk=case.pk).exists()
    event = AuditEvent.objects.unscoped().get(target_type="intervision.case")
    assert (event.actor.first_name, event.action, event.target_id) == ("Dirk", AuditEvent.Action.CHANGED, case.pk)
    assert dirk.get(detail).status_code == 404
    outbox.enqueue_due()
    assert mail.outbox == []


def test_only_the_groups_members_may_change_or_cancel_and_only_before_it_starts(group, world: World) -> None:
    session = _plan(group, world)
    other = IntervisionGroupFactory(programme=world.programme, name="Groep Zuid")
    outsider = GroupMemberFactory(group=other).membership.user
    _detail, edit, cancel = urls(world, session)

    for person in (world.hr, world.manager, world.bob, outsider, world.charlie):
        client = login_client(person)
        assert client.get(edit).status_code == 404, person
        assert client.post(edit, form_of(session, location="Elders")).status_code == 404, person
        assert client.post(cancel).status_code == 404, person
    IntervisionSession.objects.unscoped().filter(pk=session.pk).update(status=IntervisionSession.Status.RUNNING)
    alice = login_client(world.alice)
    refused = alice.post(cancel, follow=True)
    moved = alice.post(edit, form_of(session, location="Elders"), follow=True)

    assert "De sessie is begonnen; wijzigen of annuleren kan niet meer." in refused.text
    assert "De sessie is begonnen; wijzigen of annuleren kan niet meer." in moved.text
    session.refresh_from_db()
    assert session.location == "Stadhuis, zaal 2.14"
    assert IntervisionSession.objects.unscoped().filter(pk=session.pk).exists()
