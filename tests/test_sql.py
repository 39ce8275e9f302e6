"""leertraject.sql: hand-written statements behave as the ORM queries they replace, on SQLite
(development) and PostgreSQL (CI) alike."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from leertraject import sql
from programmes.models import Phase
from tests.conftest import World


def test_a_list_parameter_is_an_in_list_and_an_empty_one_matches_nothing(world: World) -> None:
    rows = sql.fetch(
        "SELECT id FROM programmes_programme WHERE id IN (%(ids)s) ORDER BY id",
        ids=[world.programme.pk, world.haarlem_programme.pk],
    )
    assert [pk for (pk,) in rows] == sorted([world.programme.pk, world.haarlem_programme.pk])
    assert sql.fetch("SELECT id FROM programmes_programme WHERE id IN (%(ids)s)", ids=[]) == []


def test_moments_are_compared_and_read_back_as_the_orm_stores_them(world: World) -> None:
    """A moment passed as a parameter compares with stored moments to the microsecond, and a
    moment read back, plain or through an aggregate, is the aware moment that was stored."""
    starts_at = timezone.now().replace(microsecond=123456)
    phase = Phase.objects.create(programme=world.programme, kind=Phase.Kind.KICK_OFF, starts_at=starts_at)
    statement = "SELECT id, starts_at FROM programmes_phase WHERE programme_id = %(programme)s AND starts_at >= %(at)s"

    ((pk, read),) = sql.fetch(statement, programme=world.programme.pk, at=starts_at)
    assert pk == phase.pk and sql.moment(read) == starts_at
    assert sql.fetch(statement, programme=world.programme.pk, at=starts_at + timedelta(microseconds=1)) == []
    ((latest,),) = sql.fetch("SELECT MAX(starts_at) FROM programmes_phase WHERE id = %(pk)s", pk=phase.pk)
    assert sql.moment(latest) == starts_at and sql.moment(None) is None


def test_objects_are_model_instances_with_their_fields_converted(world: World) -> None:
    starts_at = timezone.now().replace(microsecond=0)
    Phase.objects.create(programme=world.programme, kind=Phase.Kind.KICK_OFF, starts_at=starts_at, location="Stadhuis")

    (phase,) = sql.objects(
        Phase,
        "SELECT p.*, 'extra' AS note FROM programmes_phase p WHERE p.programme_id = %(programme)s",
        programme=world.programme.pk,
    )

    assert isinstance(phase, Phase) and phase.starts_at == starts_at and phase.location == "Stadhuis"
    assert phase.get_kind_display() == "Startdag" and phase.note == "extra"
