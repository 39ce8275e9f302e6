"""Fixtures shared by the intervision session tests."""

from __future__ import annotations

import pytest

from intervision.methods import seed_library
from intervision.models import GroupMember, IntervisionGroup
from programmes.models import Membership
from tests.conftest import World
from tests.factories import GroupMemberFactory, IntervisionGroupFactory


@pytest.fixture
def group(world: World) -> IntervisionGroup:
    """Alice's group of four: Alice, Dirk, Eva and Fatima, with the organisation's method library."""
    group = IntervisionGroupFactory(programme=world.programme, name="Groep Noord")
    GroupMember.objects.create(
        group=group, membership=Membership.objects.unscoped().get(user=world.alice, programme=world.programme)
    )
    for name in ("Dirk", "Eva", "Fatima"):
        GroupMemberFactory(group=group, membership__user__first_name=name, membership__user__last_name="Test")
    seed_library(world.rotterdam)
    return group
