"""Benchmark: server time and queries of the managers' harvest report page, and its PDF.

Run with ``make bench`` (or ``.venv/bin/python bench/harvest_report.py``). It builds a scratch
database (a temporary SQLite file, or ``DATABASE_URL`` when set, whose test database it creates
and drops) with a programme of 10 and one of 1,000 participants: twenty communities, two goals
each with outcomes and reasons, start and end assessments, reflections, contributions with
quotes, community actions, initiatives with sign-ups and the managers' answers. It prints the
median and 95th percentile of repeated requests through Django's test client, and the queries
of one request, for the report page built (a participant signed in just before, which changes
its data) and kept (unchanged since the last view: ``harvest/report_cache.py``, on PostgreSQL),
and the time a worker takes to make the PDF (``harvest/report_exports.py``).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leertraject.settings.test")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

SIZES = (10, 1000)
COMMUNITIES = 20
REPEAT = {"page": 20, "pdf": 5}


def build(size: int) -> dict[str, object]:
    """A programme with ``size`` participants and everything its harvest report reads."""
    from datetime import date, timedelta

    from django.utils import timezone

    from accounts.models import Organisation, User
    from coaching.models import Community, CommunityAction, CommunityMember
    from harvest.models import Answer, AnswerVersion, Contribution, Initiative, InitiativeSignup, Quote
    from learners.models import AssessmentAnswer, AssessmentResponse, Goal, Reflection
    from programmes.models import AssessmentItem, Competency, Membership, Phase, Programme

    now = timezone.now()
    organisation = Organisation.objects.create(name=f"Gemeente Oogst {size}", slug=f"oogst-{size}")
    programme = Programme.objects.create(
        organisation=organisation,
        title=f"Gebiedsnetwerkers {size}",
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 3, 1),
        status=Programme.Status.ACTIVE,
    )
    Phase.objects.create(programme=programme, kind=Phase.Kind.HARVEST_SESSION, starts_at=now - timedelta(days=1))
    manager = User.objects.create(email=f"manager@oogst{size}.example", first_name="Marieke", organisation=organisation)
    Membership.objects.create(programme=programme, user=manager, role=Membership.Role.MANAGER)
    competencies = Competency.objects.bulk_create(
        Competency(organisation=organisation, name=name) for name in ("Initiatief tonen", "Verantwoordelijkheid nemen")
    )
    programme.competencies.set(competencies)
    items = AssessmentItem.objects.bulk_create(
        AssessmentItem(programme=programme, competency=competency, text=f"Uitspraak {number}", position=number)
        for number, competency in enumerate(competencies * 3)
    )
    users = User.objects.bulk_create(
        User(email=f"p{number}@oogst{size}.example", first_name=f"Deelnemer {number}", organisation=organisation)
        for number in range(size)
    )
    members = Membership.objects.bulk_create(
        Membership(programme=programme, user=user, role=Membership.Role.PARTICIPANT) for user in users
    )
    communities = Community.objects.bulk_create(
        Community(programme=programme, name=f"Themagroep {number + 1:02d}") for number in range(COMMUNITIES)
    )
    CommunityMember.objects.bulk_create(
        CommunityMember(community=communities[number % COMMUNITIES], membership=member)
        for number, member in enumerate(members)
    )
    outcomes = ["achieved", "partly", "not_achieved", ""]
    goals = Goal.objects.bulk_create(
        Goal(
            membership=member,
            title=f"Leerdoel {goal}",
            outcome=outcomes[(number + goal) % 4],
            outcome_why="" if (number + goal) % 4 in (0, 3) else "Er was geen ruimte in de planning van het team.",
        )
        for number, member in enumerate(members)
        for goal in range(2)
    )
    Reflection.objects.bulk_create(Reflection(goal=goal, tried="Zelf een voorstel doen") for goal in goals[::4])
    responses = AssessmentResponse.objects.bulk_create(
        AssessmentResponse(membership=member, moment=moment, submitted_at=now)
        for member in members
        for moment in ("start", "end")
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(response=response, item=item, score=(2 if response.moment == "start" else 4) - number % 2)
        for number, response in enumerate(responses)
        for item in items
    )
    contributions = Contribution.objects.bulk_create(
        [
            Contribution(
                programme=programme,
                author=users[number % size],
                community=community,
                achieved="Drie kenniscafés en een wijkreis.",
                not_achieved="Intervisie in gemengde groepen.",
                why_not="De teamleiders gaven geen ruimte in de planning.",
                learned="Zelf beginnen werkt: anderen sluiten aan.",
            )
            for number, community in enumerate(communities)
        ]
        + [
            Contribution(programme=programme, author=user, learned="Vragen stellen werkt beter dan adviseren.")
            for user in users[:: max(1, size // 300)]
        ]
    )
    Quote.objects.bulk_create(
        Quote(contribution=contribution, author=contribution.author, text="Ik durf nu meer.", consented_at=now)
        for contribution in contributions[: max(1, size // 10)]
    )
    CommunityAction.objects.bulk_create(
        CommunityAction(
            community=community,
            kind=CommunityAction.Kind.KNOWLEDGE_CAFE,
            title=f"Kenniscafé {number}",
            status=CommunityAction.Status.DONE if number % 2 else CommunityAction.Status.CANCELLED,
            outcome="achieved" if number % 2 else "not_achieved",
            outcome_reason="" if number % 2 else "Geen zaal beschikbaar.",
        )
        for community in communities
        for number in range(3)
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(programme=programme, title=f"Initiatief {number}", proposed_by=users[number % size])
        for number in range(12)
    )
    InitiativeSignup.objects.bulk_create(
        InitiativeSignup(initiative=initiatives[number % 12], user=user) for number, user in enumerate(users)
    )
    answers = Answer.objects.bulk_create(
        [
            Answer(programme=programme, manager=manager, contribution=contribution, decision="agreed", text="Akkoord.")
            for contribution in contributions[:50]
        ]
        + [
            Answer(programme=programme, manager=manager, theme=f"Thema {number}", decision="not_now", text="Niet nu.")
            for number in range(5)
        ]
    )
    AnswerVersion.objects.bulk_create(
        AnswerVersion(answer=answer, decision="not_now", text="Eerder.", written_by=manager, written_at=now)
        for answer in answers[::10]
    )
    return {"programme": programme, "manager": manager}


def spread(timings: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    return statistics.median(timings) * 1000, statistics.quantiles(timings, n=20, method="inclusive")[18] * 1000


def measure(client: Client, url: str, repeat: int, before: Callable[[], object]) -> tuple[float, float, int]:
    """Median and 95th percentile in milliseconds, and the queries of one request; ``before``
    runs ahead of each request, outside the time."""
    before()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)  # read now: the next request clears the connection's query log
    timings = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return *spread(timings), query_count


def pdf_times(world: dict[str, object], repeat: int) -> tuple[float, float]:
    """What the worker takes to make the report's PDF."""
    from harvest import report_exports
    from harvest.models import ReportExport

    timings = []
    for _ in range(repeat):
        # Recorded as a request records it, without queueing: the PDF is made here, timed.
        export = ReportExport.objects.create(programme=world["programme"], requested_by=world["manager"], language="nl")
        started = time.perf_counter()
        assert report_exports.render_export(export.pk) == ReportExport.Status.READY
        timings.append(time.perf_counter() - started)
    return spread(timings)


def main() -> None:
    from django.utils import timezone

    from accounts.models import User

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}; page: {REPEAT['page']} requests, PDF: {REPEAT['pdf']}")
        print(f"{'participants':>12}  {'what':<12} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'size':>10}")
        for size in SIZES:
            world = build(size)
            with connection.cursor() as cursor:
                # Fresh bulk inserts have no planner statistics yet; a live database has them.
                cursor.execute("ANALYZE")
            client = Client()
            client.force_login(world["manager"])
            url = f"/programmes/{world['programme'].pk}/harvest/report/"
            participant = User.objects.filter(memberships__programme=world["programme"]).exclude(pk=world["manager"].pk)
            signs_in = participant.order_by("pk")[:1].values_list("pk", flat=True)

            def changed(signs_in: object = signs_in) -> None:
                User.objects.filter(pk__in=list(signs_in)).update(last_login=timezone.now())

            length = len(client.get(url).content)
            for what, before in (("page built", changed), ("page kept", lambda: None)):
                median, p95, queries = measure(client, url, REPEAT["page"], before)
                print(f"{size:>12}  {what:<12} {median:>10.1f} {p95:>10.1f} {queries:>8} {length // 1024:>8} kB")
            median, p95 = pdf_times(world, REPEAT["pdf"])
            print(f"{size:>12}  {'PDF (worker)':<12} {median:>10.1f} {p95:>10.1f} {'':>8} {'':>10}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
