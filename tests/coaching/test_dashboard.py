"""The coach dashboard: per community every member's state and a "stalled" signal with its
reason (thresholds per programme), stalled first, one click to offer a coaching session; state
and counts only, never what a goal says; for the programme's learning coaches only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from coaching.models import CoachingSession, Community, CommunityMember
from coaching.selectors import coach_dashboard, stalled_by_coach
from learners.models import Action, FeedbackAsk, FeedbackRequest, Goal, Reflection
from programmes.models import Membership, Phase
from tests.conftest import World, login_client
from tests.factories import MembershipFactory


def ago(days: int) -> timezone.datetime:
    return timezone.now() - timedelta(days=days)


def participation(world: World, user=None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


def dashboard_url(world: World) -> str:
    return f"/programmes/{world.programme.pk}/coaching/"


def seen_at(user, days: int) -> None:
    user.last_login = ago(days)
    user.save(update_fields=["last_login"])


@pytest.fixture
def group(world: World) -> Community:
    """The programme started 40 days ago with a start day 20 days ago; Bob coaches "Kennis delen"."""
    programme = world.programme
    programme.starts_on = timezone.localdate() - timedelta(days=40)
    programme.ends_on = timezone.localdate() + timedelta(days=140)
    programme.save()
    Phase.objects.create(programme=programme, kind=Phase.Kind.KICK_OFF, starts_at=ago(20))
    Membership.objects.unscoped().filter(programme=programme).update(created_at=ago(40))
    community = Community.objects.create(programme=programme, name="Kennis delen")
    community.coaches.add(world.bob)
    CommunityMember.objects.create(community=community, membership=participation(world))
    return community


def member(world: World, community: Community | None, first_name: str, *, last_login_days: int | None) -> Membership:
    membership = MembershipFactory(programme=world.programme, user__first_name=first_name, user__last_name="Test")
    membership.created_at = ago(40)
    membership.save(update_fields=["created_at"])
    if last_login_days is not None:
        seen_at(membership.user, last_login_days)
    if community:
        CommunityMember.objects.create(community=community, membership=membership)
    return membership


def row_of(page: str, name: str) -> str:
    """The table row of one participant (by their name as written, which the page escapes)."""
    return re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{re.escape(escape(name))}</th>.*?</tr>", page, re.S).group(0)


def test_coach_sees_each_members_state_with_stalled_first_and_reasons(world: World, group: Community) -> None:
    seen_at(world.alice, 2)
    shared = Goal.objects.create(
        membership=participation(world), title="Initiatief nemen in het wijkoverleg", visibility="programme"
    )
    Action.objects.create(
        goal=shared, description="Voorstel speeltuin", due_on=timezone.localdate() - timedelta(days=3)
    )
    Action.objects.create(goal=shared, description="Op tijd", due_on=timezone.localdate() + timedelta(days=3))
    Goal.objects.filter(pk=shared.pk).update(created_at=ago(10), updated_at=ago(10))
    request = FeedbackRequest.objects.create(goal=shared, question="Hoe zie jij mij?", created_at=ago(5))
    FeedbackAsk.objects.create(request=request, email="a@example.org")
    FeedbackAsk.objects.create(request=request, email="b@example.org", answered_at=timezone.now(), answer="Goed")
    dirk = member(world, group, "Dirk", last_login_days=20)
    eva = member(world, None, "Eva", last_login_days=1)
    Goal.objects.create(membership=eva, title="Geheim doel van Eva", visibility="private")

    page = login_client(world.bob).get(dashboard_url(world)).content.decode()

    assert "Coachdashboard" in page and "Kennis delen" in page
    assert page.index("Dirk Test") < page.index(world.alice.get_full_name())  # stalled first
    dirk_row = row_of(page, "Dirk Test")
    assert "Stilgevallen" in dirk_row
    assert "Al 20 dagen geen activiteit" in dirk_row
    assert "Geen leerplan, 20 dagen na de startdag" in dirk_row
    assert "Nog niet geschreven" in dirk_row
    assert f"/coaching/sessions/new/?member={dirk.pk}" in dirk_row
    alice_row = row_of(page, world.alice.get_full_name())
    assert "Op koers" in alice_row and "Bied een coachgesprek aan" not in alice_row
    assert "Geschreven en gedeeld" in alice_row
    assert "aangemeld" in alice_row  # last activity: signing in two days ago, the latest
    assert re.search(r'<td class="text-end">1</td>\s*<td class="text-end">1</td>', alice_row)  # overdue, waiting
    # Eva is in no community: she has her own section; her private goal shows only as "not shared".
    unassigned = page[page.index("Nog niet in een leergemeenschap") :]
    assert "Geschreven, niet gedeeld" in row_of(unassigned, "Eva Test")
    # State and counts only: no goal's title, action or question ever reaches the dashboard.
    for secret in ("Geheim doel van Eva", "Initiatief nemen in het wijkoverleg", "Voorstel speeltuin", "Hoe zie jij"):
        assert secret not in page
    assert "2 stilgevallen" not in page and "1 stilgevallen" in page


def test_last_activity_is_the_latest_of_goals_actions_reflections_and_feedback(world: World, group: Community) -> None:
    seen_at(world.alice, 30)
    goal = Goal.objects.create(membership=participation(world), title="Doel")
    Goal.objects.filter(pk=goal.pk).update(created_at=ago(25), updated_at=ago(25))
    Reflection.objects.create(goal=goal, tried="Iets", created_at=ago(3))

    page = login_client(world.bob).get(dashboard_url(world)).content.decode()

    row = row_of(page, world.alice.get_full_name())
    assert "reflectie geschreven" in row and "Op koers" in row


def test_thresholds_come_from_the_programme(world: World, group: Community) -> None:
    member(world, group, "Dirk", last_login_days=20)
    client = login_client(world.bob)
    assert "Al 20 dagen geen activiteit" in row_of(client.get(dashboard_url(world)).content.decode(), "Dirk Test")

    world.programme.stalled_after_days = 30
    world.programme.save()
    row = row_of(client.get(dashboard_url(world)).content.decode(), "Dirk Test")
    assert "geen activiteit" not in row and "Geen leerplan, 20 dagen na de startdag" in row

    world.programme.plan_due_days = 21
    world.programme.save()
    row = row_of(client.get(dashboard_url(world)).content.decode(), "Dirk Test")
    assert "Op koers" in row


def test_newcomers_are_not_stalled_before_the_threshold(world: World, group: Community) -> None:
    newcomer = member(world, group, "Nina", last_login_days=None)
    newcomer.created_at = ago(3)
    newcomer.save(update_fields=["created_at"])
    Goal.objects.create(membership=newcomer, title="Eerste doel")

    page = login_client(world.bob).get(dashboard_url(world)).content.decode()

    assert "Op koers" in row_of(page, "Nina Test")


def test_without_a_start_day_the_plan_is_due_after_the_programmes_start(world: World, group: Community) -> None:
    Phase.objects.unscoped().filter(programme=world.programme).delete()
    member(world, group, "Dirk", last_login_days=1)

    page = login_client(world.bob).get(dashboard_url(world)).content.decode()

    assert "Geen leerplan, 40 dagen na de startdag" in row_of(page, "Dirk Test")


def test_days_since_the_start_day_are_calendar_days_late_in_the_evening_after_summer_time(
    world: World, group: Community
) -> None:
    """Started on 16 October (summer time); at 23:30 on 25 November (winter time) that is 40 days
    on the calendar, though 41 periods of 24 hours have passed."""
    Phase.objects.unscoped().filter(programme=world.programme).delete()
    world.programme.starts_on = date(2026, 10, 16)
    world.programme.save()
    dirk = member(world, group, "Dirk", last_login_days=1)
    late_evening = timezone.make_aware(datetime(2026, 11, 25, 23, 30))

    dashboard = coach_dashboard(world.programme, world.bob, now=late_evening.astimezone(UTC))

    (state,) = [state for state in dashboard.communities[0].members if state.membership.pk == dirk.pk]
    assert state.no_plan_days == 40


def test_a_coach_sees_only_their_own_communities_and_those_in_none(world: World, group: Community) -> None:
    yvonne = MembershipFactory(programme=world.programme, role="coach", user__first_name="Yvonne").user
    other = Community.objects.create(programme=world.programme, name="Functieprofiel")
    other.coaches.add(yvonne)
    member(world, other, "Kees", last_login_days=1)
    member(world, None, "Eva", last_login_days=1)

    bobs = login_client(world.bob).get(dashboard_url(world)).content.decode()
    yvonnes = login_client(yvonne).get(dashboard_url(world)).content.decode()

    assert "Kees Test" not in bobs and "Eva Test" in bobs and escape(world.alice.get_full_name()) in bobs
    assert "Kees Test" in yvonnes and "Eva Test" in yvonnes and escape(world.alice.get_full_name()) not in yvonnes


def test_requests_and_sessions_on_the_dashboard(world: World, group: Community) -> None:
    membership = participation(world)
    CoachingSession.objects.create(
        membership=membership, coach=world.bob, status="requested", request_message="Ik loop vast met mijn plan."
    )
    planned = CoachingSession.objects.create(
        membership=membership, coach=world.bob, starts_at=timezone.now() + timedelta(days=2), location="Stadhuis"
    )
    yvonne = MembershipFactory(programme=world.programme, role="coach", user__first_name="Yvonne").user
    CoachingSession.objects.create(
        membership=membership, coach=yvonne, status="requested", request_message="Voor Yvonne, niet voor Bob."
    )

    page = login_client(world.bob).get(dashboard_url(world)).content.decode()

    assert "Verzoeken om een coachgesprek" in page and "Ik loop vast met mijn plan." in page
    assert "Voor Yvonne, niet voor Bob." not in page
    assert f"/coaching/sessions/{planned.pk}/" in page
    assert "Dit gesprek inplannen" in page


def test_the_dashboard_is_for_the_programmes_coaches_only(world: World, group: Community) -> None:
    url = dashboard_url(world)
    assert login_client(world.bob).get(url).status_code == 200
    for user in (world.alice, world.hr, world.manager):
        assert login_client(user).get(url).status_code == 403, user
    for user in (world.colleague, world.charlie, world.haarlem_hr):
        assert login_client(user).get(url).status_code == 404, user
    assert login_client(world.charlie).get(f"/programmes/{world.haarlem_programme.pk}/coaching/").status_code == 403


def test_the_programme_page_links_coaches_to_their_dashboard(world: World, group: Community) -> None:
    url = f"/programmes/{world.programme.pk}/"
    assert dashboard_url(world) in login_client(world.bob).get(url).content.decode()
    for user in (world.alice, world.hr, world.manager):
        assert dashboard_url(world) not in login_client(user).get(url).content.decode()


def test_empty_states(world: World) -> None:
    page = login_client(world.bob).get(dashboard_url(world)).content.decode()

    assert "U begeleidt nog geen leergemeenschap in dit leertraject." in page
    assert "Geen coachgesprekken gepland." in page


def test_dashboard_query_count_is_the_same_for_5_and_100_members(
    world: World, group: Community, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(world.bob)
    yvonne = MembershipFactory(programme=world.programme, role="coach", user__first_name="Yvonne").user

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            membership = member(world, group if number % 2 else None, f"P{number}", last_login_days=number % 30)
            goal = Goal.objects.create(membership=membership, title=f"Doel {number}", visibility="community")
            Action.objects.create(goal=goal, description="Stap", due_on=timezone.localdate() - timedelta(days=1))
            Reflection.objects.create(goal=goal, tried="Iets")
            FeedbackAsk.objects.create(
                request=FeedbackRequest.objects.create(goal=goal, question="Hoe?"), email=f"p{number}@example.org"
            )
            coach = world.bob if number % 3 else yvonne
            CoachingSession.objects.create(
                membership=membership, coach=coach, starts_at=timezone.now() + timedelta(days=number + 1)
            )
            CoachingSession.objects.create(membership=membership, coach=world.bob, status="requested")

    add(4, 0)  # with Alice: 5 members
    with django_assert_max_num_queries(30) as few:
        client.get(dashboard_url(world))
    add(95, 4)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(dashboard_url(world)).content.decode()
    assert page.count('<th scope="row">') == 100


def test_the_digest_reads_the_same_state_when_participants_are_too_many_to_name(
    world: World, group: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over many programmes the activity is read through a subquery instead of by ids: same result."""
    seen_at(world.alice, 30)
    goal = Goal.objects.create(membership=participation(world), title="Doel", visibility="private")
    Goal.objects.filter(pk=goal.pk).update(updated_at=ago(25))
    Action.objects.create(goal=goal, description="Stap", due_on=timezone.localdate() - timedelta(days=2))
    Reflection.objects.create(goal=goal, tried="Iets", created_at=ago(22))
    FeedbackAsk.objects.create(request=FeedbackRequest.objects.create(goal=goal, question="Hoe?", created_at=ago(21)))
    member(world, group, "Dirk", last_login_days=20)
    member(world, None, "Eva", last_login_days=None)

    shown = ("name", "has_plan", "shares_plan", "last_activity", "last_activity_kind")
    shown += ("overdue_actions", "feedback_waiting", "idle_days", "no_plan_days")

    def digest() -> list[tuple[int, list[tuple]]]:
        return [
            (found.coach_id, [tuple(getattr(state, name) for name in shown) for state in found.members])
            for found in stalled_by_coach([world.programme], now=timezone.now())
        ]

    by_ids = digest()
    monkeypatch.setattr("coaching.selectors._IDS_AT_MOST", 0)
    assert digest() == by_ids
    alice = next(state for state in by_ids[0][1] if state[0] == world.alice.get_full_name())
    assert alice[1:3] == (True, False) and alice[4] == "feedback" and alice[5:7] == (1, 1)


def test_hr_sets_the_thresholds_per_programme(world: World) -> None:
    client = login_client(world.hr)
    url = f"/programmes/{world.programme.pk}/edit/"
    data = {
        "title": world.programme.title,
        "starts_on": world.programme.starts_on.isoformat(),
        "ends_on": world.programme.ends_on.isoformat(),
        "status": "active",
    }

    assert client.post(url, {**data, "stalled_after_days": "21", "plan_due_days": "7"}).status_code == 302
    world.programme.refresh_from_db()
    assert (world.programme.stalled_after_days, world.programme.plan_due_days) == (21, 7)

    assert client.post(url, data).status_code == 302  # left empty: unchanged
    world.programme.refresh_from_db()
    assert (world.programme.stalled_after_days, world.programme.plan_due_days) == (21, 7)

    refused = client.post(url, {**data, "stalled_after_days": "0"})
    assert refused.status_code == 200
    world.programme.refresh_from_db()
    assert world.programme.stalled_after_days == 21


def test_each_member_shows_their_earliest_coming_session_and_with_whom(world: World, group: Community) -> None:
    yvonne = MembershipFactory(programme=world.programme, role="coach", user__first_name="Yvonne").user
    alice = participation(world)
    eva = member(world, None, "Eva", last_login_days=1)
    soon = timezone.now() + timedelta(days=2)
    CoachingSession.objects.create(membership=alice, coach=world.bob, starts_at=soon + timedelta(days=5))
    CoachingSession.objects.create(membership=alice, coach=yvonne, starts_at=soon)
    CoachingSession.objects.create(membership=alice, coach=world.bob, starts_at=ago(1))  # passed, not recorded
    CoachingSession.objects.create(membership=alice, coach=world.bob, starts_at=ago(-1), status="cancelled")
    mine = CoachingSession.objects.create(membership=eva, coach=world.bob, starts_at=soon + timedelta(days=1))

    page = login_client(world.bob).get(dashboard_url(world)).content.decode()

    alices = row_of(page, escape(world.alice.get_full_name()))
    assert f'<time datetime="{timezone.localtime(soon).isoformat()}">' in alices
    assert "Yvonne" in alices and re.search(r"/coaching/sessions/\d+/", alices) is None
    evas = row_of(page, "Eva Test")
    assert f'<a href="/programmes/{world.programme.pk}/coaching/sessions/{mine.pk}/"><time datetime="' in evas
    assert timezone.localtime(mine.starts_at).isoformat() in evas
