"""Tenant scoping: a query on an organisation's data must say which organisation it is for."""

from __future__ import annotations

import pytest

from leertraject.tenancy import UnscopedTenantQuery
from programmes.models import Membership, Programme
from tests.conftest import World


def test_reading_programmes_without_a_scope_fails_loudly(world: World) -> None:
    with pytest.raises(UnscopedTenantQuery):
        list(Programme.objects.all())
    with pytest.raises(UnscopedTenantQuery):
        Programme.objects.filter(title__icontains="e").first()
    with pytest.raises(UnscopedTenantQuery):
        list(Programme.objects.all().iterator())


def test_reading_memberships_without_a_scope_fails_loudly(world: World) -> None:
    with pytest.raises(UnscopedTenantQuery):
        list(Membership.objects.filter(role=Membership.Role.PARTICIPANT))


def test_scoped_query_returns_only_that_organisations_rows(world: World) -> None:
    rotterdam = set(Programme.objects.for_organisation(world.rotterdam))
    haarlem_by_id = set(Programme.objects.for_organisation(world.haarlem.pk))

    assert rotterdam == {world.programme}
    assert haarlem_by_id == {world.haarlem_programme}
    members = Membership.objects.for_organisation(world.haarlem).values_list("user_id", flat=True)
    assert set(members) == {world.charlie.pk}


def test_a_person_without_organisation_sees_nothing(world: World) -> None:
    assert list(Programme.objects.for_organisation(None)) == []
    assert list(Membership.objects.for_organisation(None)) == []


def test_scope_survives_further_filtering(world: World) -> None:
    scoped = Programme.objects.for_organisation(world.rotterdam).filter(status=Programme.Status.ACTIVE)

    assert list(scoped.order_by("title")) == [world.programme]


def test_explicit_unscoped_reads_every_organisation(world: World) -> None:
    assert set(Programme.objects.unscoped()) == {world.programme, world.haarlem_programme}


def test_rows_reached_through_a_scoped_object_need_no_second_scope(world: World) -> None:
    programme = Programme.objects.for_organisation(world.rotterdam).get()

    assert {membership.user for membership in programme.memberships.all()} == {world.alice, world.bob, world.manager}


def test_an_empty_queryset_needs_no_scope(world: World) -> None:
    assert list(Programme.objects.none()) == []
