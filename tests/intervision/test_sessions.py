"""Intervision sessions (issue 6, lines 3 and 5): planning, rotating roles, the case, reminders, confidentiality."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from intervision import reminders, sessions
from intervision.methods import seed_library
from intervision.models import Case, IntervisionSession, Method
from notifications import outbox
from notifications.models import Notification
from tests.conftest import World, login_client
from tests.factories import (
    CaseFactory,
    GroupMemberFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "De wethouder schoof mijn advies terzijde"


def _people(group):
    return {person.first_name: person for person in sessions.group_users(group)}


def _method(world: World) -> Method:
    return Method.objects.for_organisation(world.rotterdam).get(name="Incidentmethode")


def _plan(group, world: World, **overrides) -> IntervisionSession:
    people = _people(group)
    kwargs = {
        "method": _method(world),
        "starts_at": timezone.now() + timedelta(days=7),
        "location": "Stadhuis, zaal 2.14",
        "case_bringer": people["Alice"],
        "facilitator": people["Dirk"],
        "timekeeper": people["Eva"],
        **overrides,
    }
    return sessions.plan_session(group, **kwargs)


# --- Planning --------------------------------------------------------------------------------------


def test_plan_session_keeps_date_place_method_and_roles(group, world: World) -> None:
    session = _plan(group, world, online_url="https://teams.example/noord")
    assert session.status == IntervisionSession.Status.PLANNED
    assert (session.case_bringer, session.facilitator.first_name, session.timekeeper.first_name) == (
        world.alice,
        "Dirk",
        "Eva",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at"),
        ({"location": "", "online_url": ""}, "location"),
        ({"facilitator": "Alice"}, "facilitator"),
        ({"timekeeper": "Dirk"}, "timekeeper"),
        ({"case_bringer": None}, "case_bringer"),
        ({"timekeeper": "outsider"}, "timekeeper"),
    ],
)
def test_planning_validation(group, world: World, overrides: dict, field: str) -> None:
    people = _people(group)
    outsider = MembershipFactory(programme=world.programme).user
    resolved = {
        key: (people.get(value) or (outsider if value == "outsider" else value))
        if isinstance(value, str) and key in sessions.ROLES
        else value
        for key, value in overrides.items()
    }
    with pytest.raises(ValidationError) as error:
        _plan(group, world, **resolved)
    assert field in error.value.message_dict
    assert IntervisionSession.objects.for_organisation(world.rotterdam).count() == 0


def test_method_of_another_organisation_is_refused(group, world: World) -> None:
    seed_library(world.haarlem)
    other = Method.objects.for_organisation(world.haarlem).get(name="Incidentmethode")
    with pytest.raises(ValidationError) as error:
        _plan(group, world, method=other)
    assert "method" in error.value.message_dict


def test_roles_rotate_to_whoever_had_them_least_recently(group, world: World) -> None:
    people = _people(group)
    first = sessions.suggest_roles(group)
    assert len({person.pk for person in first.values()}) == 3
    assert first["case_bringer"] == people["Alice"]  # nobody had a role yet: by name
    past = timezone.now() - timedelta(days=30)
    IntervisionSessionFactory(
        group=group,
        method=_method(world),
        starts_at=past,
        case_bringer=people["Alice"],
        facilitator=people["Dirk"],
        timekeeper=people["Eva"],
    )
    IntervisionSessionFactory(
        group=group,
        method=_method(world),
        starts_at=past + timedelta(days=14),
        case_bringer=people["Dirk"],
        facilitator=people["Eva"],
        timekeeper=people["Fatima"],
    )
    suggestion = sessions.suggest_roles(group)
    assert suggestion["case_bringer"] == people["Eva"]  # Eva and Fatima never brought a case; Eva first by name
    assert suggestion["facilitator"] == people["Alice"]  # Alice and Fatima never facilitated; Eva is taken
    assert suggestion["timekeeper"] == people["Dirk"]  # Dirk never kept time
    assert len({person.pk for person in suggestion.values()}) == 3


def test_plan_form_proposes_the_rotation_and_a_member_plans(group, world: World) -> None:
    client = login_client(world.alice)
    url = f"/programmes/{world.programme.pk}/intervision/groups/{group.pk}/sessions/new/"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["case_bringer"] == world.alice.pk
    people = _people(group)
    starts = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "method": _method(world).pk,
        "starts_at": starts,
        "location": "",
        "online_url": "",
        "case_bringer": people["Eva"].pk,
        "facilitator": people["Eva"].pk,
        "timekeeper": people["Fatima"].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Geef een plaats of een online link op" in response.text
    assert "De gespreksleider moet iemand anders zijn dan de inbrenger." in response.text
    assert IntervisionSession.objects.for_organisation(world.rotterdam).count() == 0
    data.update(location="Wijkkantoor Noord", facilitator=people["Dirk"].pk)
    response = client.post(url, data)
    session = IntervisionSession.objects.for_organisation(world.rotterdam).get()
    assert response.url == f"/programmes/{world.programme.pk}/intervision/sessions/{session.pk}/"
    assert session.case_bringer == people["Eva"]


def test_coach_may_plan_but_hr_and_manager_may_not(group, world: World) -> None:
    url = f"/programmes/{world.programme.pk}/intervision/groups/{group.pk}/sessions/new/"
    assert login_client(world.bob).get(url).status_code == 200
    assert login_client(world.hr).get(url).status_code == 403
    assert login_client(world.manager).get(url).status_code == 404
    assert login_client(world.charlie).get(url).status_code == 404


# --- The case --------------------------------------------------------------------------------------


def test_case_bringer_submits_and_changes_the_case_until_the_session_starts(group, world: World) -> None:
    session = _plan(group, world)
    client = login_client(world.alice)
    url = f"/programmes/{world.programme.pk}/intervision/sessions/{session.pk}/case/"
    response = client.post(url, {"title": "", "situation": "", "question": ""})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.text
    response = client.post(url, {"title": "Wethouder", "situation": SECRET, "question": "Hoe nu verder?"})
    assert response.status_code == 302
    case = Case.objects.for_organisation(world.rotterdam).get(session=session)
    assert (case.situation, case.submitted_by) == (SECRET, world.alice)
    client.post(url, {"title": "Wethouder", "situation": SECRET + "!", "question": "Hoe nu verder?"})
    assert Case.objects.for_organisation(world.rotterdam).get().situation == SECRET + "!"

    IntervisionSession.objects.unscoped().filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    session.refresh_from_db()
    with pytest.raises(sessions.SessionError):
        sessions.submit_case(session, world.alice, title="Te laat", situation="x", question="y")
    response = client.post(url, {"title": "Te laat", "situation": "x", "question": "y"})
    assert response.status_code == 302
    assert Case.objects.for_organisation(world.rotterdam).get().title == "Wethouder"


def test_only_the_case_bringer_submits(group, world: World) -> None:
    session = _plan(group, world)
    dirk = _people(group)["Dirk"]
    url = f"/programmes/{world.programme.pk}/intervision/sessions/{session.pk}/case/"
    response = login_client(dirk).post(url, {"title": "Niet van mij", "situation": "x", "question": "y"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        sessions.submit_case(session, dirk, title="Niet van mij", situation="x", question="y")
    assert not Case.objects.for_organisation(world.rotterdam).exists()


# --- Confidentiality -------------------------------------------------------------------------------


def test_case_text_is_for_the_groups_members_only(group, world: World) -> None:
    session = _plan(group, world)
    CaseFactory(session=session, title="Een lastige wethouder", situation=SECRET, submitted_by=world.alice)
    other_group = IntervisionGroupFactory(programme=world.programme, name="Groep Zuid")
    other_member = GroupMemberFactory(group=other_group).membership.user
    detail = f"/programmes/{world.programme.pk}/intervision/sessions/{session.pk}/"
    overview = f"/programmes/{world.programme.pk}/intervision/"
    group_list = f"/programmes/{world.programme.pk}/intervision/groups/{group.pk}/sessions/"

    for member in _people(group).values():
        response = login_client(member).get(detail)
        assert response.status_code == 200
        assert SECRET in response.text and "Incident inbrengen" in response.text

    clients = {user: login_client(user) for user in (world.hr, world.manager, world.bob, other_member, world.charlie)}
    for client in clients.values():
        assert client.get(detail).status_code == 404
        assert client.get(detail + "case/").status_code == 404
        for url in (overview, group_list):
            response = client.get(url)
            assert SECRET not in response.text and "Een lastige wethouder" not in response.text

    # HR, the manager and the coach see on the overview that the session takes place.
    for user in (world.hr, world.manager, world.bob):
        response = clients[user].get(overview)
        assert response.status_code == 200
        assert "Groep Noord" in response.text and "Incidentmethode" in response.text


def test_group_list_shows_roles_to_members_and_only_dates_to_hr_and_coach(group, world: World) -> None:
    session = _plan(group, world)
    url = f"/programmes/{world.programme.pk}/intervision/groups/{group.pk}/sessions/"
    member_page = login_client(world.alice).get(url).text
    assert f"/sessions/{session.pk}/" in member_page and "Nog niet ingediend" in member_page
    for user in (world.hr, world.bob):
        page = login_client(user).get(url).text
        assert "Incidentmethode" in page and f"/sessions/{session.pk}/" not in page
        assert "Nog niet ingediend" not in page


# --- Reminders -------------------------------------------------------------------------------------


def test_members_get_one_reminder_a_day_before_in_their_own_language(group, world: World) -> None:
    eva = _people(group)["Eva"]
    eva.language = "en"
    eva.save()
    tomorrow = _plan(group, world)
    IntervisionSession.objects.unscoped().filter(pk=tomorrow.pk).update(starts_at=timezone.now() + timedelta(hours=20))
    later = _plan(group, world, starts_at=timezone.now() + timedelta(days=2))
    CaseFactory(session=tomorrow, situation=SECRET)
    CaseFactory(session=later, situation=SECRET)

    outbox.plan_hourly(timezone.now())
    outbox.plan_hourly(timezone.now() + timedelta(hours=1))

    assert len(mail.outbox) == 4
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in _people(group).values())
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[eva.email].subject.endswith(
        "Reminder: intervision session on " + by_address[eva.email].subject.split(" on ", 1)[1]
    )
    assert "Herinnering: intervisiesessie op" in by_address[world.alice.email].subject
    assert "Groep Noord" in by_address[world.alice.email].body
    for message in mail.outbox:
        assert SECRET not in message.body and SECRET not in message.alternatives[0][0]
    reminded = Notification.objects.unscoped().filter(kind="intervision_session_reminder")
    assert {n.key for n in reminded} == {f"intervision_session:{tomorrow.pk}"}


def test_case_bringer_is_reminded_three_days_before_only_without_a_case(group, world: World) -> None:
    people = _people(group)
    people["Dirk"].language = "en"
    people["Dirk"].save()
    without = _plan(
        group,
        world,
        starts_at=timezone.now() + timedelta(days=2),
        case_bringer=people["Dirk"],
        facilitator=people["Alice"],
    )
    with_case = _plan(group, world, starts_at=timezone.now() + timedelta(days=2, hours=1))
    CaseFactory(session=with_case, situation=SECRET)
    _plan(group, world, starts_at=timezone.now() + timedelta(days=5))

    outbox.plan_hourly(timezone.now())
    outbox.plan_hourly(timezone.now() + timedelta(hours=1))

    assert [message.to for message in mail.outbox] == [[people["Dirk"].email]]
    assert mail.outbox[0].subject.endswith("Please submit your case for the intervision session")
    assert "Groep Noord" in mail.outbox[0].body
    [reminder] = Notification.objects.unscoped().filter(kind="intervision_case_reminder")
    assert reminder.key == f"intervision_session:{without.pk}"


def test_case_reminder_in_dutch_and_not_sent_when_the_case_arrived_meanwhile(group, world: World) -> None:
    session = _plan(group, world, starts_at=timezone.now() + timedelta(days=1, hours=12))
    assert reminders.plan_case_reminders(timezone.now()) == 1  # recorded, not yet mailed
    CaseFactory(session=session)
    other = _plan(group, world, starts_at=timezone.now() + timedelta(days=2, hours=12))

    outbox.plan_hourly(timezone.now())

    [message] = mail.outbox
    assert message.subject.endswith("Wilt u uw casus voor de intervisiesessie indienen?")
    statuses = dict(
        Notification.objects.unscoped().filter(kind="intervision_case_reminder").values_list("key", "status")
    )
    assert statuses == {f"intervision_session:{session.pk}": "void", f"intervision_session:{other.pk}": "sent"}


def test_the_hourly_beat_task_plans_the_reminders(group, world: World) -> None:
    from django.conf import settings

    from notifications.tasks import plan_hourly_task

    entry = settings.CELERY_BEAT_SCHEDULE["plan-hourly-notifications"]
    assert entry["task"] == plan_hourly_task.name
    _plan(group, world, starts_at=timezone.now() + timedelta(hours=5))

    assert plan_hourly_task() == 5  # the four members' reminders and the case reminder
    plan_hourly_task()
    assert len(mail.outbox) == 5


# --- Pages stay fast -------------------------------------------------------------------------------


def test_session_pages_query_count_is_constant(group, world: World, django_assert_max_num_queries: Callable) -> None:
    client = login_client(world.alice)
    first = _plan(group, world)
    CaseFactory(session=first)  # reading the case adds its audit event to every detail page
    list_url = f"/programmes/{world.programme.pk}/intervision/groups/{group.pk}/sessions/"
    detail_url = f"/programmes/{world.programme.pk}/intervision/sessions/{first.pk}/"
    client.get(list_url)
    with django_assert_max_num_queries(20) as small_list:
        client.get(list_url)
    with django_assert_max_num_queries(25) as small_detail:
        client.get(detail_url)
    for days in range(8, 20):
        session = _plan(group, world, starts_at=timezone.now() + timedelta(days=days))
        if days % 2:
            CaseFactory(session=session)
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        assert client.get(list_url).status_code == 200
    with django_assert_max_num_queries(len(small_detail.captured_queries)):
        assert client.get(detail_url).status_code == 200
