"""The harvest report page keeps its rendered body (harvest/report_cache.py) under a version of the
rows it is made of: a view of an unchanged report reads no report data, and any change to any
kind of row the report reads, however it is made, shows at the next view.

Each change below is made with a bulk ``update()``, ``delete()`` or a new row, which fire no
signals and leave ``updated_at`` alone: what the version must notice all the same."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from coaching.models import Community, CommunityAction, CommunityMember
from harvest.models import Answer, Contribution, Initiative, InitiativeSignup, Quote
from harvest.report_cache import ReportBody
from learners.models import AssessmentAnswer, AssessmentResponse, Goal
from programmes.models import AssessmentItem, Competency, Membership, Phase
from tests.conftest import World, login_client
from tests.factories import AnswerVersionFactory, ReflectionFactory

from .report_data import NAMED_QUOTE, PARTLY_WHY, KnownHarvest, known_harvest


@pytest.fixture
def known(world: World) -> KnownHarvest:
    return known_harvest(world)


def body_of(client: Client, url: str) -> ReportBody:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["body"]


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_second_view_of_an_unchanged_report_reads_no_report_data(known: KnownHarvest) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the report's version is read from PostgreSQL's row versions")
    client = login_client(known.world.manager)
    built = queries_of(client, known.url)
    kept = queries_of(client, known.url)

    # The dozen queries of the report are left out; its version is one query.
    assert kept <= built - 10
    assert body_of(client, known.url) == body_of(client, known.url)


def test_each_community_language_and_answering_right_has_a_report_of_its_own(known: KnownHarvest) -> None:
    manager, hr = login_client(known.world.manager), login_client(known.world.hr)
    whole = body_of(manager, known.url)
    noord = body_of(manager, f"{known.url}?community={known.noord.pk}")
    assert noord != whole
    # HR reads the same report without the managers' links to change an answer.
    assert "Het antwoord wijzigen" in whole.sections
    assert "Het antwoord wijzigen" not in body_of(hr, known.url).sections
    manager.post("/i18n/setlang/", {"language": "en", "next": known.url})
    assert "Change the answer" in body_of(manager, known.url).sections


def _participant(known: KnownHarvest, index: int) -> Membership:
    return known.participants[index]


def _goal_reason(known: KnownHarvest) -> None:
    Goal.objects.unscoped().filter(outcome_why=PARTLY_WHY).update(outcome_why="De wethouder koos anders.")


def _reflection(known: KnownHarvest) -> None:
    ReflectionFactory(goal=Goal.objects.unscoped().filter(membership=_participant(known, 3)).get())


def _sign_in(known: KnownHarvest) -> None:
    User.objects.filter(pk=_participant(known, 4).user_id).update(last_login=timezone.now())


def _contribution(known: KnownHarvest) -> None:
    Contribution.objects.unscoped().filter(pk=known.noord_contribution.pk).update(learned="Vaker samen evalueren.")


def _answer(known: KnownHarvest) -> None:
    Answer.objects.unscoped().filter(pk=known.theme_answer.pk).update(text="Drie uur per week.")


def _answer_history(known: KnownHarvest) -> None:
    AnswerVersionFactory(answer=known.theme_answer, text="Eén uur per week.")


def _manager_name(known: KnownHarvest) -> None:
    User.objects.filter(pk=known.world.manager.pk).update(first_name="Mirjam")


def _quote_withdrawn(known: KnownHarvest) -> None:
    Quote.objects.unscoped().filter(text=NAMED_QUOTE).update(withdrawn_at=timezone.now())


def _quote_author_name(known: KnownHarvest) -> None:
    User.objects.filter(pk=known.world.alice.pk).update(last_name="de Vries")


def _action(known: KnownHarvest) -> None:
    CommunityAction.objects.unscoped().filter(title="Academie van de straat").update(due_on=date(2027, 3, 2))


def _community_name(known: KnownHarvest) -> None:
    Community.objects.unscoped().filter(pk=known.noord.pk).update(name="Noordoost")


def _community_member(known: KnownHarvest) -> None:
    # p5 leaves Zuid: their own contribution is no longer in Zuid's report.
    CommunityMember.objects.unscoped().filter(membership=_participant(known, 5)).delete()


def _enrolment(known: KnownHarvest) -> None:
    Membership.objects.unscoped().filter(pk=_participant(known, 7).pk).delete()


def _score(known: KnownHarvest) -> None:
    AssessmentAnswer.objects.unscoped().filter(
        response__membership=_participant(known, 0), response__moment="end", item__competency=known.initiative
    ).update(score=5)


def _assessment_withdrawn(known: KnownHarvest) -> None:
    AssessmentResponse.objects.unscoped().filter(membership=_participant(known, 1), moment="end").update(
        submitted_at=None
    )


def _competency_name(known: KnownHarvest) -> None:
    Competency.objects.unscoped().filter(pk=known.initiative.pk).update(name="Initiatief nemen")


def _programme_competency(known: KnownHarvest) -> None:
    known.programme.competencies.remove(known.initiative)


def _statement(known: KnownHarvest) -> None:
    AssessmentItem.objects.unscoped().filter(programme=known.programme, competency=known.responsibility).update(
        competency=known.initiative
    )


def _session_moved(known: KnownHarvest) -> None:
    Phase.objects.unscoped().filter(programme=known.programme, kind=Phase.Kind.HARVEST_SESSION).update(
        starts_at=timezone.now() + timedelta(days=40)
    )


def _initiative(known: KnownHarvest) -> None:
    Initiative.objects.unscoped().filter(title="Buurtlunch").update(title="Buurtontbijt")


def _signup(known: KnownHarvest) -> None:
    InitiativeSignup.objects.unscoped().filter(initiative__title="Intervisiegroep starten").first().delete()


CHANGES: list[Callable[[KnownHarvest], None]] = [
    _goal_reason,
    _reflection,
    _sign_in,
    _contribution,
    _answer,
    _answer_history,
    _manager_name,
    _quote_withdrawn,
    _quote_author_name,
    _action,
    _community_name,
    _community_member,
    _enrolment,
    _score,
    _assessment_withdrawn,
    _competency_name,
    _programme_competency,
    _statement,
    _session_moved,
    _initiative,
    _signup,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_a_change_to_anything_the_report_reads_shows_at_the_next_view(
    known: KnownHarvest, change: Callable[[KnownHarvest], None]
) -> None:
    """Of the whole programme and of a community (Zuid), whose members a change may concern alone."""
    urls = [known.url, f"{known.url}?community={known.zuid.pk}"]
    client = login_client(known.world.manager)
    before = [body_of(client, url) for url in urls]
    assert [body_of(client, url) for url in urls] == before

    change(known)
    after = [body_of(client, url) for url in urls]

    assert after != before
    caches["reports"].clear()
    assert after == [body_of(client, url) for url in urls], "the page showed a report that was kept too long"
