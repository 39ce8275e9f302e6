"""HR sets per programme what participants are reminded of: actions before and after their date,
and the day of the weekly reflection prompt."""

from __future__ import annotations

import pytest

from programmes.models import Programme
from tests.conftest import World, login_client

from .test_setup import programme_data


def edit(world: World, **overrides: object):
    return login_client(world.hr).post(
        f"/programmes/{world.programme.pk}/edit/",
        programme_data(title=world.programme.title, status="active", **overrides),
    )


def reminder_settings(world: World) -> tuple[int, str, int | None]:
    programme = Programme.objects.for_organisation(world.rotterdam).get(pk=world.programme.pk)
    return programme.action_due_soon_days, programme.action_overdue_days, programme.reflection_weekday


def test_the_form_shows_the_reminders_together_with_their_explanation(world: World) -> None:
    page = login_client(world.hr).get(f"/programmes/{world.programme.pk}/edit/").content.decode()

    legend = page.index("Herinneringen</legend>")
    assert page.index('name="action_due_soon_days"') > legend
    assert page.index('name="action_overdue_days"') > legend
    assert page.index('name="reflection_weekday"') > legend
    assert 'value="1,3,7"' in page
    assert "Bij 0 gaat er geen herinnering vóór de streefdatum uit." in page
    assert "Geen wekelijkse reflectievraag" in page
    assert '<option value="4" selected>vrijdag</option>' in page


def test_hr_sets_the_reminders_of_a_programme(world: World) -> None:
    response = edit(world, action_due_soon_days="3", action_overdue_days=" 5, 2,5", reflection_weekday="0")

    assert response.status_code == 302
    assert reminder_settings(world) == (3, "2,5", 0)


def test_hr_switches_every_reminder_off(world: World) -> None:
    response = edit(world, action_due_soon_days="0", action_overdue_days="", reflection_weekday="")

    assert response.status_code == 302
    assert reminder_settings(world) == (0, "", None)


def test_leaving_the_days_before_empty_keeps_them(world: World) -> None:
    assert edit(world, action_overdue_days="1,3,7", reflection_weekday="4").status_code == 302

    assert reminder_settings(world) == (2, "1,3,7", 4)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("action_overdue_days", "1,x", "Geef hoogstens 5 hele dagen van 1 tot en met 60, gescheiden door komma"),
        ("action_overdue_days", "0", "Geef hoogstens 5 hele dagen van 1 tot en met 60, gescheiden door komma"),
        ("action_overdue_days", "70", "Geef hoogstens 5 hele dagen van 1 tot en met 60, gescheiden door komma"),
        (
            "action_overdue_days",
            "1,2,3,4,5,6",
            "Geef hoogstens 5 hele dagen van 1 tot en met 60, gescheiden door komma",
        ),
        ("action_due_soon_days", "70", "Zorg ervoor dat deze waarde hoogstens 30 is."),
        ("action_due_soon_days", "-1", "Zorg ervoor dat deze waarde minstens 0 is."),
        ("reflection_weekday", "7", "Selecteer een geldige keuze"),
    ],
)
def test_bad_reminder_settings_rerender_with_a_dutch_message_and_change_nothing(
    world: World, field: str, value: str, message: str
) -> None:
    before = reminder_settings(world)

    response = edit(world, **{"action_overdue_days": "1,3,7", "reflection_weekday": "4", field: value})

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'id="error-summary"' in page
    assert reminder_settings(world) == before


@pytest.mark.parametrize("who", ["alice", "bob", "manager", "haarlem_hr", "charlie"])
def test_only_the_own_hr_admin_changes_the_reminders(world: World, who: str) -> None:
    response = login_client(getattr(world, who)).post(
        f"/programmes/{world.programme.pk}/edit/",
        programme_data(title=world.programme.title, action_due_soon_days="9", action_overdue_days="9"),
    )

    assert response.status_code in (403, 404)
    assert reminder_settings(world) == (2, "1,3,7", 4)
