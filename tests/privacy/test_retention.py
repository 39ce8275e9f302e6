"""Retention: HR is warned 30 days before a closed programme's personal data is erased, then it is."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.outbox import deliver
from privacy.erasure import FORMER_PARTICIPANT
from privacy.retention import add_months, apply_retention, plan_retention
from privacy.tasks import apply_retention_task
from programmes.models import Programme

from ..conftest import World
from ..factories import MembershipFactory, ProgrammeFactory

ENDED = date(2026, 1, 31)
DUE = date(2026, 7, 31)  # six months later
WARNING_DAY = date(2026, 7, 1)  # 30 days before


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(7)))


def close(programme: Programme, months: int | None = 6) -> None:
    programme.status = Programme.Status.CLOSED
    programme.starts_on, programme.ends_on = date(2025, 9, 1), ENDED
    programme.save()
    programme.organisation.retention_months = months
    programme.organisation.save()


def warnings() -> list[Notification]:
    return list(Notification.objects.unscoped().filter(kind="retention_warning"))


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (date(2026, 1, 31), 6, date(2026, 7, 31)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
    ],
)
def test_the_due_date_is_months_after_the_end(day: date, months: int, due: date) -> None:
    assert add_months(day, months) == due


def test_hr_is_warned_once_30_days_before(world: World) -> None:
    close(world.programme)

    assert plan_retention(at(date(2026, 6, 30))) == 0
    plan_retention(at(WARNING_DAY))
    plan_retention(at(WARNING_DAY))
    plan_retention(at(date(2026, 7, 2)))

    [warning] = warnings()
    assert (warning.recipient, warning.key, warning.occurrence) == (
        world.hr,
        f"programme:{world.programme.pk}",
        "warning",
    )
    assert warning.context["due_on"] == DUE.isoformat()


def test_the_warning_mail_names_the_programme_and_the_date(world: World) -> None:
    close(world.programme)
    plan_retention(at(WARNING_DAY))

    deliver(warnings()[0].pk)

    [message] = mail.outbox
    assert message.to == [world.hr.email]
    assert "Gebiedsnetwerkers" in message.subject
    assert "31 juli 2026" in message.subject
    assert "6 maanden" in message.body


def test_no_warning_after_the_due_date_nor_without_a_retention_period(world: World) -> None:
    close(world.programme)
    assert plan_retention(at(DUE)) == 0
    close(world.programme, months=None)
    assert plan_retention(at(WARNING_DAY)) == 0
    assert warnings() == []


def test_participants_are_erased_from_the_due_date(world: World) -> None:
    close(world.programme)

    assert apply_retention(at(date(2026, 7, 30))) == 0
    assert User.objects.get(pk=world.alice.pk).first_name == "Alice"

    assert apply_retention(at(DUE)) == 1
    assert User.objects.get(pk=world.alice.pk).first_name == FORMER_PARTICIPANT
    assert apply_retention(at(date(2026, 8, 1))) == 0


def test_staff_and_people_still_in_another_programme_are_kept(world: World) -> None:
    close(world.programme)
    still = MembershipFactory(programme=world.programme, user__first_name="Sterre").user
    MembershipFactory(programme=ProgrammeFactory(organisation=world.rotterdam), user=still)

    apply_retention(at(DUE))

    assert User.objects.get(pk=still.pk).first_name == "Sterre"
    assert User.objects.get(pk=world.bob.pk).first_name == "Bob"
    assert User.objects.get(pk=world.manager.pk).first_name == "Marieke"
    assert User.objects.get(pk=world.alice.pk).first_name == FORMER_PARTICIPANT


def test_nothing_is_erased_without_a_retention_period(world: World) -> None:
    close(world.programme, months=None)

    assert apply_retention(at(date(2036, 1, 1))) == 0
    assert User.objects.get(pk=world.alice.pk).is_active


def test_other_organisations_are_untouched(world: World) -> None:
    close(world.programme)
    close(world.haarlem_programme, months=None)

    plan_retention(at(WARNING_DAY))
    apply_retention(at(DUE))

    assert {warning.recipient for warning in warnings()} == {world.hr}
    assert User.objects.get(pk=world.charlie.pk).first_name == "Charlie"


def test_the_daily_task_runs_retention(world: World) -> None:
    close(world.programme)
    world.programme.ends_on = date(2020, 1, 1)
    world.programme.starts_on = date(2019, 1, 1)
    world.programme.save()

    assert apply_retention_task.delay().get() == 1
