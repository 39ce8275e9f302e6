"""Reminders about a participant's own learning: actions due and overdue, an empty plan, the weekly
reflection prompt. Each on its own day only, once, in the participant's language, and never for
a programme that is not running."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from learners import reminders
from learners.models import Action, Goal
from notifications import outbox
from notifications.models import Category, Notification
from programmes.models import Membership, Programme
from tests.conftest import World
from tests.factories import (
    ActionFactory,
    GoalFactory,
    InvitationFactory,
    MembershipFactory,
    PhaseFactory,
    PreferenceFactory,
    ProgrammeFactory,
)

# Friday 27 November 2026, early morning: the daily planners' run.
NOW = datetime(2026, 11, 27, 7, 0, tzinfo=timezone.get_fixed_timezone(60))
TODAY = date(2026, 11, 27)


def day(offset: int) -> datetime:
    return NOW + timedelta(days=offset)


def rows(kind: str) -> list[Notification]:
    return list(Notification.objects.unscoped().filter(kind=kind).order_by("recipient_id", "occurrence"))


def mails_to(email: str, about: str = "") -> list[mail.EmailMessage]:
    """The mails to ``email`` whose subject mentions ``about`` (the daily run sends other kinds too)."""
    return [message for message in mail.outbox if message.to == [email] and about in message.subject]


def participation(world: World) -> Membership:
    return Membership.objects.for_organisation(world.rotterdam).get(user=world.alice, role="participant")


def goal_of(world: World, title: str = "Initiatief nemen in het wijkoverleg") -> Goal:
    return GoalFactory(membership=participation(world), title=title)


def action_due(world: World, on: date, description: str = "Voorstel speeltuin inbrengen") -> Action:
    return ActionFactory(goal=goal_of(world), description=description, due_on=on)


def participants(count: int) -> Programme:
    """``count`` people, each with work for every planner here: in one active programme a goal
    with an action due in two days and one due three days ago; in a second one an accepted
    invitation and no goal yet."""
    programme = ProgrammeFactory(reflection_weekday=TODAY.weekday())
    empty = ProgrammeFactory(organisation=programme.organisation)
    for _ in range(count):
        membership = MembershipFactory(programme=programme)
        goal = GoalFactory(membership=membership)
        ActionFactory(goal=goal, due_on=TODAY + timedelta(days=2))
        ActionFactory(goal=goal, due_on=TODAY - timedelta(days=3))
        other = MembershipFactory(programme=empty, user=membership.user)
        InvitationFactory(membership=other, accepted_at=NOW - timedelta(days=30))
    return programme


# --- Actions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before", "recorded"), [(3, False), (2, True), (1, False), (0, False)], ids=["3", "2", "1", "0"]
)
def test_an_action_is_recalled_exactly_the_set_days_before_it_is_due(
    world: World, days_before: int, recorded: bool
) -> None:
    action = action_due(world, TODAY + timedelta(days=2))

    reminders.plan_action_reminders(day(2 - days_before))

    expected = [(world.alice.pk, f"action:{action.pk}", f"due-2-{action.due_on}")] if recorded else []
    assert [(row.recipient_id, row.key, row.occurrence) for row in rows("action_due")] == expected


def test_the_reminder_holds_the_action_and_links_to_its_goal(world: World) -> None:
    action = action_due(world, TODAY + timedelta(days=2))

    reminders.plan_action_reminders(NOW)

    [row] = rows("action_due")
    assert row.organisation_id == world.rotterdam.pk
    assert row.category == Category.PLAN
    assert row.context == {
        "action": "Voorstel speeltuin inbrengen",
        "due_on": "2026-11-29",
        "days": 2,
        "goal": "Initiatief nemen in het wijkoverleg",
        "programme": "Gebiedsnetwerkers",
    }
    assert row.link == f"/programmes/{world.programme.pk}/plan/goals/{action.goal_id}/"


def test_an_overdue_action_is_recalled_on_each_set_day_after_its_date_only(world: World) -> None:
    action = action_due(world, TODAY)

    for offset in range(10):
        reminders.plan_action_reminders(day(offset))

    assert [row.occurrence for row in rows("action_overdue")] == [
        f"overdue-{days}-{action.due_on}" for days in (1, 3, 7)
    ]
    assert {row.key for row in rows("action_overdue")} == {f"action:{action.pk}"}
    assert [row.context["days"] for row in rows("action_overdue")] == [1, 3, 7]


def test_the_programme_sets_the_days_and_can_switch_both_off(world: World) -> None:
    soon = action_due(world, TODAY + timedelta(days=5))
    late = action_due(world, TODAY - timedelta(days=2))
    Programme.objects.unscoped().filter(pk=world.programme.pk).update(action_due_soon_days=5, action_overdue_days="2")

    reminders.plan_action_reminders(NOW)
    Programme.objects.unscoped().filter(pk=world.programme.pk).update(action_due_soon_days=0, action_overdue_days="")
    reminders.plan_action_reminders(day(1))

    assert [row.occurrence for row in rows("action_due")] == [f"due-5-{soon.due_on}"]
    assert [row.occurrence for row in rows("action_overdue")] == [f"overdue-2-{late.due_on}"]


def test_an_action_moved_after_its_reminder_is_reminded_of_again(world: World) -> None:
    action = action_due(world, TODAY + timedelta(days=2))
    reminders.plan_action_reminders(NOW)
    action.due_on = TODAY + timedelta(days=3)
    action.save(update_fields=["due_on"])

    reminders.plan_action_reminders(day(1))
    reminders.plan_action_reminders(day(1))

    assert [row.occurrence for row in rows("action_due")] == [
        f"due-2-{TODAY + timedelta(days=2)}",
        f"due-2-{action.due_on}",
    ]


def test_done_actions_and_programmes_that_are_not_running_get_no_reminder(world: World) -> None:
    ActionFactory(goal=goal_of(world), due_on=TODAY + timedelta(days=2), done_at=NOW - timedelta(days=1))
    for status in (Programme.Status.DRAFT, Programme.Status.CLOSED):
        other = MembershipFactory(programme=ProgrammeFactory(organisation=world.rotterdam, status=status))
        ActionFactory(goal=GoalFactory(membership=other), due_on=TODAY + timedelta(days=2))

    assert reminders.plan_action_reminders(NOW) == 0
    assert rows("action_due") == []


def test_each_participant_hears_only_about_their_own_actions(world: World) -> None:
    mine = action_due(world, TODAY + timedelta(days=2))
    charlie = Membership.objects.for_organisation(world.haarlem).get(user=world.charlie)
    theirs = ActionFactory(goal=GoalFactory(membership=charlie), due_on=TODAY + timedelta(days=2))

    reminders.plan_action_reminders(NOW)

    assert [(row.recipient_id, row.organisation_id, row.key) for row in rows("action_due")] == [
        (world.alice.pk, world.rotterdam.pk, f"action:{mine.pk}"),
        (world.charlie.pk, world.haarlem.pk, f"action:{theirs.pk}"),
    ]


def test_running_the_day_twice_mails_the_reminder_once_in_dutch_text_and_html(world: World) -> None:
    action_due(world, TODAY + timedelta(days=2))

    outbox.plan_daily(NOW)
    outbox.plan_daily(NOW + timedelta(minutes=5))

    [message] = mails_to(world.alice.email, about="Voorstel speeltuin")
    assert message.subject == "[Leertraject] Herinnering: “Voorstel speeltuin inbrengen” moet af op zondag 29 november"
    assert "Beste Alice," in message.body
    assert "zondag 29 november 2026" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Initiatief nemen in het wijkoverleg" in html
    assert f"http://testserver/programmes/{world.programme.pk}/plan/goals/" in html
    assert rows("action_due")[0].status == Notification.Status.SENT


def test_an_overdue_reminder_is_in_the_participants_own_language(world: World) -> None:
    world.alice.language = "en"
    world.alice.save(update_fields=["language"])
    action_due(world, TODAY - timedelta(days=3))

    outbox.plan_daily(NOW)

    [message] = mails_to(world.alice.email, about="Voorstel speeltuin")
    assert message.subject == "[Leertraject] “Voorstel speeltuin inbrengen” was due on Tuesday 24 November"
    assert "Dear Alice," in message.body
    assert "was due 3 days ago, on Tuesday 24 November 2026" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_participant_who_switched_plan_reminders_off_sees_it_but_gets_no_mail(world: World) -> None:
    PreferenceFactory(user=world.alice, category=Category.PLAN)
    action_due(world, TODAY + timedelta(days=2))

    outbox.plan_daily(NOW)

    assert [row.status for row in rows("action_due")] == [Notification.Status.MUTED]
    assert mails_to(world.alice.email, about="Voorstel speeltuin") == []


@pytest.mark.parametrize("change", ["done", "deleted"])
def test_an_action_done_or_removed_before_the_mail_goes_out_is_not_recalled(world: World, change: str) -> None:
    action = action_due(world, TODAY + timedelta(days=2))
    reminders.plan_action_reminders(NOW)
    if change == "done":
        Action.objects.unscoped().filter(pk=action.pk).update(done_at=NOW)
    else:
        action.delete()

    outbox.enqueue_due(NOW)

    assert [row.status for row in rows("action_due")] == [Notification.Status.VOID]
    assert mails_to(world.alice.email) == []


# --- An empty plan -----------------------------------------------------------------------------


def accepted(world: World) -> Membership:
    membership = participation(world)
    InvitationFactory(membership=membership, accepted_at=NOW - timedelta(days=20))
    return membership


def test_a_participant_without_a_goal_is_reminded_once_when_the_plan_is_due(world: World) -> None:
    # Start day on 10 November; the plan is due ten days later, on the 20th at 9:00.
    PhaseFactory(programme=world.programme, starts_at=timezone.make_aware(datetime(2026, 11, 10, 9)))
    membership = accepted(world)

    for moment in (datetime(2026, 11, 19, 7), datetime(2026, 11, 20, 8, 59)):
        reminders.plan_missing_plans(timezone.make_aware(moment))
    assert rows("plan_missing") == []

    for offset in range(3):
        reminders.plan_missing_plans(timezone.make_aware(datetime(2026, 11, 20, 9)) + timedelta(days=offset))

    [row] = rows("plan_missing")
    assert (row.recipient_id, row.key, row.occurrence) == (world.alice.pk, f"membership:{membership.pk}", "plan-due")
    assert row.context == {"programme": "Gebiedsnetwerkers"}
    assert row.link == f"/programmes/{world.programme.pk}/plan/goals/new/"


def test_without_a_start_day_the_plan_is_due_counting_from_the_programmes_start(world: World) -> None:
    accepted(world)  # the programme starts on 1 September: due on 11 September

    reminders.plan_missing_plans(timezone.make_aware(datetime(2026, 9, 10, 23)))
    assert rows("plan_missing") == []
    reminders.plan_missing_plans(timezone.make_aware(datetime(2026, 9, 11, 7)))
    assert len(rows("plan_missing")) == 1


def test_someone_with_a_goal_or_who_never_started_gets_no_plan_reminder(world: World) -> None:
    accepted(world)
    GoalFactory(membership=participation(world))
    invited = MembershipFactory(programme=world.programme)
    invited.user.last_login = None
    invited.user.save(update_fields=["last_login"])
    InvitationFactory(membership=invited, sent_at=NOW - timedelta(days=60))

    assert reminders.plan_missing_plans(NOW) == 0


def test_signing_in_counts_as_having_started(world: World) -> None:
    world.alice.last_login = NOW - timedelta(days=2)
    world.alice.save(update_fields=["last_login"])
    draft = MembershipFactory(programme=ProgrammeFactory(organisation=world.rotterdam, status="draft"))
    InvitationFactory(membership=draft, accepted_at=NOW - timedelta(days=20))

    reminders.plan_missing_plans(NOW)

    assert [row.recipient_id for row in rows("plan_missing")] == [world.alice.pk]


def test_the_plan_reminder_is_mailed_once(world: World) -> None:
    accepted(world)

    outbox.plan_daily(NOW)
    outbox.plan_daily(NOW + timedelta(days=1))

    [message] = mails_to(world.alice.email, about="leerplan")
    assert message.subject == "[Leertraject] Uw leerplan voor Gebiedsnetwerkers is nog leeg"
    assert "Schrijf uw eerste doel" in message.alternatives[0][0]
    assert f"http://testserver/programmes/{world.programme.pk}/plan/goals/new/" in message.body


def test_a_goal_written_before_the_reminder_goes_out_voids_it(world: World) -> None:
    accepted(world)
    reminders.plan_missing_plans(NOW)
    goal_of(world)

    outbox.enqueue_due(NOW)

    assert [row.status for row in rows("plan_missing")] == [Notification.Status.VOID]
    assert mails_to(world.alice.email) == []


# --- The weekly reflection prompt ----------------------------------------------------------------


def test_participants_with_a_goal_get_the_prompt_on_the_programmes_weekday_only(world: World) -> None:
    goal_of(world)
    MembershipFactory(programme=world.programme)  # no goal yet: nothing to reflect on

    for offset in range(-3, 4):
        reminders.plan_reflection_prompts(day(offset))

    [row] = rows("reflection_prompt")  # Friday is the default day
    assert (row.recipient_id, row.key, row.occurrence) == (
        world.alice.pk,
        f"programme:{world.programme.pk}",
        "2026-11-27",
    )
    assert row.context == {"programme": "Gebiedsnetwerkers"}
    assert row.link == f"/programmes/{world.programme.pk}/plan/"


def test_the_prompt_follows_the_chosen_day_and_can_be_switched_off(world: World) -> None:
    goal_of(world)
    Programme.objects.unscoped().filter(pk=world.programme.pk).update(reflection_weekday=0)
    reminders.plan_reflection_prompts(NOW)
    reminders.plan_reflection_prompts(day(3))  # Monday
    Programme.objects.unscoped().filter(pk=world.programme.pk).update(reflection_weekday=None)
    reminders.plan_reflection_prompts(day(10))  # the next Monday

    assert [row.occurrence for row in rows("reflection_prompt")] == ["2026-11-30"]


def test_no_prompt_for_programmes_that_are_not_running(world: World) -> None:
    goal_of(world)
    for status in (Programme.Status.DRAFT, Programme.Status.CLOSED):
        Programme.objects.unscoped().filter(pk=world.programme.pk).update(status=status)
        assert reminders.plan_reflection_prompts(NOW) == 0


def test_the_prompt_is_mailed_once_a_week_in_the_participants_language(world: World) -> None:
    goal_of(world)
    world.alice.language = "en"
    world.alice.save(update_fields=["language"])

    outbox.plan_daily(NOW)
    outbox.plan_daily(NOW + timedelta(hours=3))
    outbox.plan_daily(day(7))

    messages = mails_to(world.alice.email)
    assert [message.subject for message in messages] == [
        "[Leertraject] What did you learn this week? (Gebiedsnetwerkers)"
    ] * 2
    assert all(message.alternatives[0][1] == "text/html" for message in messages)


def test_a_muted_prompt_is_kept_but_not_mailed(world: World) -> None:
    goal_of(world)
    PreferenceFactory(user=world.alice, category=Category.REFLECTION)

    outbox.plan_daily(NOW)

    assert [row.status for row in rows("reflection_prompt")] == [Notification.Status.MUTED]
    assert mails_to(world.alice.email) == []


# --- A fixed number of queries, however many participants --------------------------------------


@pytest.mark.parametrize(
    ("planner", "expected"),
    [
        (reminders.plan_action_reminders, 5),  # the actions, then muted people and an insert per kind
        (reminders.plan_missing_plans, 4),  # participants, start days, muted people, an insert
        (reminders.plan_reflection_prompts, 3),  # participants, muted people, an insert
    ],
    ids=["actions", "plans", "reflection"],
)
@pytest.mark.parametrize("count", [5, 60])
def test_planners_take_the_same_queries_for_5_or_60_participants(
    db: None, django_assert_num_queries, planner, expected: int, count: int
) -> None:
    participants(count)

    with django_assert_num_queries(expected):
        recorded = planner(NOW)

    assert recorded == count * (2 if planner is reminders.plan_action_reminders else 1)
