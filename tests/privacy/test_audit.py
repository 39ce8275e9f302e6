"""The audit trail: every confidential view or change, enrolment, role change and export is
recorded once with who did it, never with the confidential text; events cannot be changed or
deleted; only the organisation's own HR admins read them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coaching.models import CoachingNote, Community
from intervision.models import Case
from privacy import audit
from privacy.admin import AuditEventAdmin
from privacy.models import AppendOnly, AuditEvent
from programmes import enrolment
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import (
    AuditEventFactory,
    CaseFactory,
    CoachingNoteFactory,
    CoachingSessionFactory,
    CompetencyFactory,
    GroupMemberFactory,
    IntervisionGroupFactory,
    IntervisionSessionFactory,
    MembershipFactory,
    MethodStepFactory,
    UserFactory,
)

SECRET_NOTE = "Vertrouwelijk: overweegt ontslag te nemen."
SECRET_CASE = "Mijn leidinggevende spreekt mij aan op mijn verzuim."
AUDIT_URL = "/privacy/audit/"


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.unscoped().order_by("pk"))


def only_event() -> AuditEvent:
    recorded = events()
    assert len(recorded) == 1, recorded
    return recorded[0]


def no_secret_in_any_event(*secrets: str) -> None:
    for event in events():
        for secret in secrets:
            assert secret not in event.summary and secret not in event.target_type


def participation(world: World) -> Membership:
    return Membership.objects.unscoped().get(
        programme=world.programme, user=world.alice, role=Membership.Role.PARTICIPANT
    )


# --- The recorded places -------------------------------------------------------------------------


def test_the_coach_reading_the_notes_is_recorded_without_their_text(world: World) -> None:
    session = CoachingSessionFactory(membership=participation(world), coach=world.bob)
    note = CoachingNoteFactory(session=session, text=SECRET_NOTE)
    url = f"/programmes/{world.programme.pk}/coaching/sessions/{session.pk}/"

    page = login_client(world.bob).get(url).content.decode()

    assert escape(SECRET_NOTE) in page
    event = only_event()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        world.bob,
        AuditEvent.Action.VIEWED,
        "coaching.coachingnote",
        note.pk,
    )
    assert event.organisation == world.rotterdam
    no_secret_in_any_event(SECRET_NOTE)


def test_the_participant_opening_their_session_page_reads_no_notes_and_records_nothing(world: World) -> None:
    session = CoachingSessionFactory(membership=participation(world), coach=world.bob)
    CoachingNoteFactory(session=session, text=SECRET_NOTE)

    login_client(world.alice).get(f"/programmes/{world.programme.pk}/coaching/sessions/{session.pk}/")

    assert events() == []


def test_recording_changed_notes_is_one_changed_event(world: World) -> None:
    session = CoachingSessionFactory(
        membership=participation(world), coach=world.bob, starts_at=timezone.now() - timedelta(days=1)
    )
    data = {
        "summary": "Over het wijkoverleg.",
        "notes": SECRET_NOTE,
        "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
    }
    url = f"/programmes/{world.programme.pk}/coaching/sessions/{session.pk}/record/"

    response = login_client(world.bob).post(url, data)

    assert response.status_code == 302
    note = CoachingNote.objects.unscoped().get(session=session)
    event = only_event()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        world.bob,
        AuditEvent.Action.CHANGED,
        "coaching.coachingnote",
        note.pk,
    )
    no_secret_in_any_event(SECRET_NOTE)


class IntervisionScene:
    def __init__(self, world: World) -> None:
        group = IntervisionGroupFactory(programme=world.programme)
        GroupMemberFactory(group=group, membership=participation(world))
        self.dirk = GroupMemberFactory(group=group, membership__user__first_name="Dirk").membership.user
        self.session = IntervisionSessionFactory(group=group, case_bringer=world.alice, facilitator=self.dirk)
        MethodStepFactory(method=self.session.method, position=10)
        self.base = f"/programmes/{world.programme.pk}/intervision/sessions/{self.session.pk}/"


def test_reading_an_intervision_case_on_the_session_page_and_the_live_guide_is_recorded(world: World) -> None:
    scene = IntervisionScene(world)
    case = CaseFactory(session=scene.session, situation=SECRET_CASE)
    dirk = login_client(scene.dirk)

    assert escape(SECRET_CASE) in dirk.get(scene.base).content.decode()
    assert escape(SECRET_CASE) in dirk.get(f"{scene.base}live/").content.decode()

    recorded = events()
    assert [(e.actor, e.action, e.target_type, e.target_id) for e in recorded] == [
        (scene.dirk, AuditEvent.Action.VIEWED, "intervision.case", case.pk)
    ] * 2
    no_secret_in_any_event(SECRET_CASE)


def test_a_session_without_a_case_records_nothing(world: World) -> None:
    scene = IntervisionScene(world)

    login_client(scene.dirk).get(scene.base)

    assert events() == []


def test_submitting_a_case_is_recorded_as_changed(world: World) -> None:
    scene = IntervisionScene(world)
    data = {"title": "Verzuim", "situation": SECRET_CASE, "question": "Hoe ga ik het gesprek aan?"}

    response = login_client(world.alice).post(f"{scene.base}case/", data)

    assert response.status_code == 302
    case = Case.objects.unscoped().get(session=scene.session)
    event = only_event()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        world.alice,
        AuditEvent.Action.CHANGED,
        "intervision.case",
        case.pk,
    )
    no_secret_in_any_event(SECRET_CASE, "Verzuim")


def test_enrolling_a_person_records_the_enrolment_and_the_new_manager(world: World) -> None:
    url = f"/programmes/{world.programme.pk}/people/add/"
    data = {
        "first_name": "Sven",
        "last_name": "Post",
        "email": "sven.post@rotterdam.example",
        "job_title": "",
        "department": "",
        "manager_email": world.colleague.email,
    }

    response = login_client(world.hr).post(url, data)

    assert response.status_code == 302
    sven = Membership.objects.unscoped().get(user__email="sven.post@rotterdam.example")
    manager = Membership.objects.unscoped().get(user=world.colleague)
    assert {(e.actor, e.action, e.target_type, e.target_id) for e in events()} == {
        (world.hr, AuditEvent.Action.ENROLLED, "programmes.membership", sven.pk),
        (world.hr, AuditEvent.Action.ROLE_CHANGED, "programmes.membership", manager.pk),
    }
    no_secret_in_any_event("Sven", "Post", "sven.post", world.colleague.first_name)


def test_a_new_manager_for_an_enrolled_participant_is_a_role_change(world: World) -> None:
    row = enrolment.EnrolmentRow(
        line=2,
        first_name="Alice",
        last_name=world.alice.last_name,
        email=world.alice.email,
        manager_email=world.manager.email,
    )

    enrolment.apply_rows(world.programme, [row], by=world.hr)

    assert [(e.actor, e.action, e.target_id) for e in events()] == [
        (world.hr, AuditEvent.Action.ROLE_CHANGED, participation(world).pk)
    ]


def test_an_enrolment_nobody_made_records_nothing(world: World) -> None:
    row = enrolment.EnrolmentRow(line=2, first_name="Sven", last_name="Post", email="sven.post@rotterdam.example")

    enrolment.apply_rows(world.programme, [row])

    assert Membership.objects.unscoped().filter(user__email="sven.post@rotterdam.example").exists()
    assert events() == []


def test_adding_and_removing_a_coach_are_role_changes(world: World) -> None:
    yvonne = UserFactory(organisation=world.rotterdam, first_name="Yvonne")
    hr = login_client(world.hr)

    hr.post(f"/programmes/{world.programme.pk}/people/roles/", {"email": yvonne.email, "role": Membership.Role.COACH})
    coach = Membership.objects.unscoped().get(user=yvonne)
    hr.post(f"/programmes/{world.programme.pk}/people/roles/{coach.pk}/remove/")

    assert not Membership.objects.unscoped().filter(user=yvonne).exists()
    assert [(e.actor, e.action, e.target_id) for e in events()] == [
        (world.hr, AuditEvent.Action.ROLE_CHANGED, coach.pk),
        (world.hr, AuditEvent.Action.ROLE_CHANGED, coach.pk),
    ]
    no_secret_in_any_event("Yvonne")


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_participant_export_is_recorded(world: World, extension: str) -> None:
    response = login_client(world.hr).get(f"/programmes/{world.programme.pk}/people/export.{extension}")

    assert response.status_code == 200
    event = only_event()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        world.hr,
        AuditEvent.Action.EXPORTED,
        "programmes.programme",
        world.programme.pk,
    )
    assert extension.upper() in event.summary


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_harvest_report_download_is_recorded(world: World, extension: str) -> None:
    response = login_client(world.manager).get(f"/programmes/{world.programme.pk}/harvest/report.{extension}")

    assert response.status_code == 200
    event = only_event()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        world.manager,
        AuditEvent.Action.EXPORTED,
        "programmes.programme",
        world.programme.pk,
    )


def test_the_learning_plan_pdf_is_recorded(world: World) -> None:
    response = login_client(world.alice).get(f"/programmes/{world.programme.pk}/plan/plan.pdf")

    assert response.status_code == 200
    event = only_event()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        world.alice,
        AuditEvent.Action.EXPORTED,
        "programmes.membership",
        participation(world).pk,
    )


def test_downloading_ones_own_data_is_recorded(world: World) -> None:
    response = login_client(world.alice).get(reverse("privacy:my_data_download"))

    assert response.status_code == 200
    event = only_event()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        world.alice,
        AuditEvent.Action.EXPORTED,
        "accounts.user",
        world.alice.pk,
    )
    no_secret_in_any_event(world.alice.email, world.alice.first_name)


def test_nothing_is_recorded_for_what_belongs_to_no_organisation(db: None) -> None:
    staff = UserFactory(organisation=None, is_staff=True)

    assert audit.record(staff, AuditEvent.Action.EXPORTED, staff) is None
    assert events() == []


def test_without_an_actor_the_organisation_comes_from_the_target(world: World) -> None:
    note = CoachingNoteFactory(session=CoachingSessionFactory(membership=participation(world), coach=world.bob))

    event = audit.record(None, AuditEvent.Action.VIEWED, note)

    assert event.organisation_id == world.rotterdam.pk and event.actor is None


# --- Append-only ---------------------------------------------------------------------------------


def test_events_cannot_be_changed_or_deleted_through_the_orm(world: World) -> None:
    event = AuditEventFactory(actor=world.hr, summary="Deelnemerslijst (CSV)")
    scoped = AuditEvent.objects.for_organisation(world.rotterdam)

    with pytest.raises(AppendOnly):
        scoped.update(summary="weg")
    with pytest.raises(AppendOnly):
        scoped.delete()
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["summary"])

    assert AuditEvent.objects.unscoped().get().summary == "Deelnemerslijst (CSV)"


def test_erasing_the_actor_keeps_the_event_without_them(world: World) -> None:
    AuditEventFactory(actor=world.bob, summary="Leerplan (PDF)")

    world.bob.delete()

    event = only_event()
    assert event.actor_id is None and event.summary == "Leerplan (PDF)"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_raw_changes_and_deletes(world: World) -> None:
    event = AuditEventFactory(actor=world.hr)
    statements = [
        ("UPDATE privacy_auditevent SET summary = %s WHERE id = %s", ["weg", event.pk]),
        ("UPDATE privacy_auditevent SET action = %s, actor_id = NULL WHERE id = %s", ["erased", event.pk]),
        ("DELETE FROM privacy_auditevent WHERE id = %s", [event.pk]),
    ]
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)

    with connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_auditevent SET actor_id = NULL WHERE id = %s", [event.pk])
    assert only_event().actor_id is None


def test_the_admin_shows_events_read_only(world: World) -> None:
    event = AuditEventFactory(actor=world.hr, summary="Deelnemerslijst (CSV)")
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    admin = AuditEventAdmin(AuditEvent, site)
    request = RequestFactory().get("/admin/privacy/auditevent/")
    request.user = staff

    assert "Deelnemerslijst (CSV)" in client.get("/admin/privacy/auditevent/").content.decode()
    assert client.get(f"/admin/privacy/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/privacy/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/privacy/auditevent/add/").status_code == 403
    assert not (admin.has_add_permission(request) or admin.has_change_permission(request))
    assert not admin.has_delete_permission(request)
    assert only_event().summary == "Deelnemerslijst (CSV)"


# --- The page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "manager", "colleague", "charlie"])
def test_only_hr_admins_reach_the_audit_trail(world: World, who: str) -> None:
    assert login_client(getattr(world, who)).get(AUDIT_URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get(AUDIT_URL)

    assert response.status_code == 302 and response.url.startswith("/account/login/")


def test_hr_sees_their_own_organisations_events_newest_first(world: World) -> None:
    now = timezone.now()
    AuditEventFactory(
        actor=world.bob,
        action=AuditEvent.Action.VIEWED,
        target_type="coaching.coachingnote",
        created_at=now - timedelta(days=2),
    )
    AuditEventFactory(
        actor=world.hr,
        action=AuditEvent.Action.EXPORTED,
        target_type="programmes.programme",
        summary="Deelnemerslijst (CSV)",
        created_at=now - timedelta(hours=1),
    )
    AuditEventFactory(actor=world.haarlem_hr, summary="Haarlems geheim", target_type="intervision.case")

    page = login_client(world.hr).get(AUDIT_URL).content.decode()

    assert "Haarlems geheim" not in page and escape(world.haarlem_hr.get_full_name()) not in page
    assert page.index("Deelnemerslijst (CSV)") < page.index("Vertrouwelijke aantekening bij een coachgesprek")
    for expected in (
        escape(world.bob.get_full_name()),
        escape(world.hr.get_full_name()),
        "Bekeken",
        "Geëxporteerd",
        "Leertraject",
    ):
        assert expected in page

    haarlem = login_client(world.haarlem_hr).get(AUDIT_URL).content.decode()
    assert "Haarlems geheim" in haarlem and "Deelnemerslijst (CSV)" not in haarlem


def test_an_erased_actor_shows_as_deleted_user(world: World) -> None:
    AuditEventFactory(actor=world.bob, organisation=world.rotterdam, action=AuditEvent.Action.ERASED)
    world.bob.delete()

    page = login_client(world.hr).get(AUDIT_URL).content.decode()

    assert "verwijderde gebruiker" in page and "Gewist" in page


def test_filters_by_action_and_period(world: World) -> None:
    now = timezone.now()
    AuditEventFactory(
        actor=world.hr, action=AuditEvent.Action.EXPORTED, summary="oud", created_at=now - timedelta(days=40)
    )
    AuditEventFactory(actor=world.hr, action=AuditEvent.Action.EXPORTED, summary="recent", created_at=now)
    AuditEventFactory(actor=world.hr, action=AuditEvent.Action.VIEWED, summary="gelezen", created_at=now)
    hr = login_client(world.hr)
    today = timezone.localdate()

    exported = hr.get(AUDIT_URL, {"action": "exported"}).content.decode()
    recent = hr.get(AUDIT_URL, {"since": (today - timedelta(days=7)).isoformat(), "until": today.isoformat()})
    old = hr.get(AUDIT_URL, {"until": (today - timedelta(days=30)).isoformat()}).content.decode()

    assert "oud" in exported and "recent" in exported and "gelezen" not in exported
    assert "recent" in recent.content.decode() and "gelezen" in recent.content.decode()
    assert ">oud<" not in recent.content.decode()
    assert ">oud<" in old and "recent" not in old
    empty = hr.get(AUDIT_URL, {"action": "erased"}).content.decode()
    assert "Geen gebeurtenissen voor deze filters" in empty


def test_an_empty_trail_says_so(world: World) -> None:
    page = login_client(world.hr).get(AUDIT_URL).content.decode()

    assert "Er is nog niets vastgelegd" in page


def test_the_home_page_links_hr_to_the_trail(world: World) -> None:
    assert f'href="{reverse("privacy:audit")}"' in login_client(world.hr).get("/").content.decode()
    assert reverse("privacy:audit") not in login_client(world.alice).get("/").content.decode()


def test_the_page_costs_the_same_number_of_queries_for_many_events(world: World) -> None:
    hr = login_client(world.hr)
    AuditEventFactory(actor=world.bob)
    hr.get(AUDIT_URL)
    with CaptureQueriesContext(connection) as few:
        hr.get(AUDIT_URL)
    for actor in (UserFactory(organisation=world.rotterdam) for _ in range(20)):
        AuditEventFactory(actor=actor)
    with CaptureQueriesContext(connection) as many:
        response = hr.get(AUDIT_URL)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_the_pages_keep_the_filters(world: World) -> None:
    for _ in range(55):
        AuditEventFactory(actor=world.hr, action=AuditEvent.Action.EXPORTED)

    page = login_client(world.hr).get(AUDIT_URL, {"action": "exported"}).content.decode()

    assert 'href="?action=exported&amp;page=2"' in page
    assert "Pagina 1 van 2" in page


def test_a_community_gaining_or_losing_a_coach_is_a_role_change_of_that_coach(world: World) -> None:
    yvonne = MembershipFactory(programme=world.programme, role=Membership.Role.COACH, user__first_name="Yvonne")
    bobs_role = Membership.objects.unscoped().get(programme=world.programme, user=world.bob, role="coach")
    hr = login_client(world.hr)
    url = f"/programmes/{world.programme.pk}/communities/"
    fields = {"name": "Kennis delen", "question": "Hoe delen wij kennis?", "capacity": "12"}

    hr.post(f"{url}new/", {**fields, "coaches": [world.bob.pk]})
    community = Community.objects.unscoped().get()
    created = [(e.actor, e.action, e.target_id) for e in events()]
    hr.post(f"{url}{community.pk}/edit/", {**fields, "coaches": [world.bob.pk]})
    unchanged = len(events())
    hr.post(f"{url}{community.pk}/edit/", {**fields, "coaches": [yvonne.user.pk]})

    assert created == [(world.hr, AuditEvent.Action.ROLE_CHANGED, bobs_role.pk)]
    assert unchanged == 1
    assert sorted((e.target_id, e.summary) for e in events()[1:]) == sorted(
        [
            (bobs_role.pk, "Niet langer leercoach van de leergemeenschap “Kennis delen”"),
            (yvonne.pk, "Vanaf nu leercoach van de leergemeenschap “Kennis delen”"),
        ]
    )
    no_secret_in_any_event("Yvonne", world.bob.first_name)


def test_what_platform_staff_change_in_the_admin_site_is_in_the_organisations_audit_trail(world: World) -> None:
    staff = UserFactory(organisation=None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    competency = CompetencyFactory(organisation=world.rotterdam, name="Samenwerken")
    url = f"/admin/programmes/competency/{competency.pk}/change/"
    inline = {f"indicators-{name}": value for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))}

    changed = client.post(url, {"organisation": world.rotterdam.pk, "name": "Verbinden", "description": "", **inline})
    deleted = client.post(f"/admin/programmes/competency/{competency.pk}/delete/", {"post": "yes"})

    assert (changed.status_code, deleted.status_code) == (302, 302)
    events = AuditEvent.objects.for_organisation(world.rotterdam).filter(target_type="programmes.competency")
    assert [(event.actor, event.action, event.target_id, event.summary) for event in events.order_by("pk")] == [
        (staff, AuditEvent.Action.CHANGED, competency.pk, "Gewijzigd in de beheersite: Naam"),
        (staff, AuditEvent.Action.CHANGED, competency.pk, "Verwijderd in de beheersite"),
    ]
    # The organisation's HR reads it; another organisation's does not.
    assert "Verwijderd in de beheersite" in login_client(world.hr).get(AUDIT_URL).text
    assert not AuditEvent.objects.for_organisation(world.haarlem).filter(target_type="programmes.competency")
