"""A small harvest world for the tests of preparing the harvest: Alice and Dirk in the community
"Kennis delen" (coached by Bob), Eva in no community, and the harvest session in ten days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from coaching.models import Community
from programmes.models import Membership, Phase
from tests.conftest import World
from tests.factories import CommunityFactory, CommunityMemberFactory, MembershipFactory


@dataclass
class Harvest:
    world: World
    community: Community
    alice: Membership
    dirk: User
    eva: User

    @property
    def base(self) -> str:
        return f"/programmes/{self.world.programme.pk}/harvest/"


def membership_of(harvest: Harvest, user: User) -> Membership:
    return Membership.objects.unscoped().get(
        programme=harvest.world.programme, user=user, role=Membership.Role.PARTICIPANT
    )


def participant(world: World, first_name: str) -> Membership:
    return MembershipFactory(programme=world.programme, role=Membership.Role.PARTICIPANT, user__first_name=first_name)


def harvest_world(world: World) -> Harvest:
    programme = world.programme
    programme.starts_on = timezone.localdate() - timedelta(days=60)
    programme.ends_on = timezone.localdate() + timedelta(days=60)
    programme.save()
    Phase.objects.create(
        programme=programme,
        kind=Phase.Kind.HARVEST_SESSION,
        starts_at=timezone.now() + timedelta(days=10),
        location="Stadhuis, raadzaal",
    )
    community = CommunityFactory(programme=programme, name="Kennis delen")
    community.coaches.add(world.bob)
    alice = Membership.objects.unscoped().get(programme=programme, user=world.alice, role=Membership.Role.PARTICIPANT)
    CommunityMemberFactory(community=community, membership=alice)
    dirk = participant(world, "Dirk")
    CommunityMemberFactory(community=community, membership=dirk)
    eva = participant(world, "Eva").user
    return Harvest(world=world, community=community, alice=alice, dirk=dirk.user, eva=eva)
