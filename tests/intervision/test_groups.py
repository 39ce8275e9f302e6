"""Intervision groups: HR and coaches compose (preview, save), move people by hand and see the
mix score change; participants state private "not with" wishes."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from intervision import groups as services
from intervision.models import GroupMember, IntervisionGroup, NotTogetherWish
from programmes.models import Membership
from tests.conftest import World, login_client
from tests.factories import (
    GroupMemberFactory,
    IntervisionGroupFactory,
    MembershipFactory,
    NotTogetherWishFactory,
    UserFactory,
)

FUNCTIONS = ["Gebiedsnetwerker", "Wijkregisseur", "Beleidsadviseur"]
DEPARTMENTS = ["Feijenoord", "Charlois", "IJsselmonde"]


def participation(world: World, user=None) -> Membership:
    return Membership.objects.unscoped().get(programme=world.programme, user=user or world.alice, role="participant")


def add_participants(world: World, count: int, start: int = 0) -> list[Membership]:
    return [
        MembershipFactory(
            programme=world.programme,
            user__first_name=f"Deelnemer{start + n:02d}",
            user__job_title=FUNCTIONS[(start + n) % 3],
            user__department=DEPARTMENTS[(start + n) // 3 % 3],
        )
        for n in range(count)
    ]


def url(world: World, rest: str = "") -> str:
    return f"/programmes/{world.programme.pk}/intervision/{rest}"


@pytest.mark.parametrize("who", ["hr", "bob"])
def test_hr_and_coaches_preview_and_save_groups(world: World, who: str) -> None:
    add_participants(world, 8)  # with alice: 9 participants
    client = login_client(getattr(world, who))

    preview = client.post(url(world, "groups/compose/"), {"size": "3", "seed": "1", "action": "preview"})

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Mixscore" in page and "Groep 3" in page and "Wijkregisseur" in page
    assert not IntervisionGroup.objects.unscoped().exists()  # a preview saves nothing

    saved = client.post(url(world, "groups/compose/"), {"size": "3", "seed": "1", "action": "save"}, follow=True)

    assert "3 intervisiegroepen opgeslagen." in saved.content.decode()
    groups = IntervisionGroup.objects.unscoped().filter(programme=world.programme).order_by("name")
    assert [g.name for g in groups] == ["Groep 1", "Groep 2", "Groep 3"]
    assert sorted(g.members.count() for g in groups) == [3, 3, 3]
    # Same settings, same groups: what was previewed is what was saved.
    expected = services.compose_for_programme(world.programme, size=3, seed=1)
    assert [sorted(m.membership_id for m in g.members.all()) for g in groups] == [
        sorted(m.pk for m in group) for group in expected.groups
    ]


def test_a_manager_is_never_put_with_their_report(world: World) -> None:
    boss = MembershipFactory(programme=world.programme, user__first_name="Baas")
    reports = add_participants(world, 5)
    Membership.objects.unscoped().filter(pk__in=[m.pk for m in reports]).update(reports_to=boss.user)

    preview = services.compose_for_programme(world.programme, count=2, seed=0)

    # 7 people in 4 + 3: the boss shares a group only with alice and the other group's leftovers.
    boss_group = next(group for group in preview.groups if boss in group)
    assert len([m for m in boss_group if m in reports]) == len(preview.manager_pairs)
    assert preview.manager_pairs  # impossible here (5 reports, 2 groups): reported, not hidden
    page = login_client(world.hr).post(url(world, "groups/compose/"), {"count": "2", "seed": "0"}).content.decode()
    assert "die aan hem of haar rapporteert" in page or "rapporteert" in page


@pytest.mark.parametrize(
    "data, error",
    [
        ({"size": "1", "seed": "1"}, "Zorg ervoor dat deze waarde minstens 2 is."),
        ({"count": "0", "seed": "1"}, "Zorg ervoor dat deze waarde minstens 1 is."),
        ({"seed": "1"}, "Vul een groepsgrootte of een aantal groepen in."),
        ({"size": "3", "count": "2", "seed": "1"}, "Vul een groepsgrootte of een aantal groepen in, niet allebei."),
        ({"count": "40", "seed": "1"}, "Er zijn maar 5 deelnemers: kies hoogstens zoveel groepen."),
    ],
)
def test_invalid_settings_rerender_with_a_dutch_error_and_save_nothing(world: World, data: dict, error: str) -> None:
    add_participants(world, 4)

    response = login_client(world.hr).post(url(world, "groups/compose/"), {**data, "action": "save"})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not IntervisionGroup.objects.unscoped().exists()


@pytest.mark.parametrize("who", ["alice", "manager"])
def test_participants_and_managers_may_not_compose(world: World, who: str) -> None:
    client = login_client(getattr(world, who))

    assert client.get(url(world, "groups/compose/")).status_code == 403
    assert client.post(url(world, "groups/compose/"), {"size": "3", "seed": "1", "action": "save"}).status_code == 403
    assert client.post(url(world, "groups/move/"), {}).status_code == 403


def test_another_municipality_sees_nothing(world: World) -> None:
    group = IntervisionGroupFactory(programme=world.programme)
    for user in (world.charlie, world.haarlem_hr):
        client = login_client(user)
        assert client.get(url(world, "groups/compose/")).status_code == 404
        assert client.get(url(world, f"groups/{group.pk}/")).status_code == 404
        assert client.get(url(world, "wishes/")).status_code == 404


def test_the_group_page_is_for_members_coaches_and_hr(world: World) -> None:
    group = IntervisionGroupFactory(programme=world.programme, name="Groep 1")
    GroupMemberFactory(group=group, membership=participation(world))
    outsider = add_participants(world, 1)[0]

    for user in (world.alice, world.bob, world.hr):
        page = login_client(user).get(url(world, f"groups/{group.pk}/"))
        assert page.status_code == 200 and "Alice" in page.content.decode()
    assert login_client(outsider.user).get(url(world, f"groups/{group.pk}/")).status_code == 404
    assert login_client(world.manager).get(url(world, f"groups/{group.pk}/")).status_code == 404
    overview = login_client(world.alice).get(url(world)).content.decode()
    assert f'href="{url(world, f"groups/{group.pk}/")}"' in overview and url(world, "wishes/") in overview


def test_a_hand_move_changes_the_shown_score(world: World) -> None:
    people = [participation(world), *add_participants(world, 5)]
    one = IntervisionGroupFactory(programme=world.programme, name="Groep 1")
    two = IntervisionGroupFactory(programme=world.programme, name="Groep 2")
    for n, person in enumerate(people):
        GroupMemberFactory(group=one if n < 3 else two, membership=person)
    client = login_client(world.hr)
    before = services.current(world.programme)[2].score

    response = client.post(
        url(world, "groups/move/"),
        {"membership": people[3].pk, "group": one.pk, "next": url(world, f"groups/{one.pk}/")},
        follow=True,
    )

    after = services.current(world.programme)[2].score
    page = response.content.decode()
    assert GroupMember.objects.unscoped().get(membership=people[3]).group == one
    assert before != after
    shown = f"{after:.1f}".replace(".", ",")
    assert f"Mixscore: {before:.1f} → {after:.1f}".replace(".", ",") in page
    assert f"Mixscore van alle groepen: <strong>{shown}</strong>" in page


def test_a_move_next_to_ones_manager_is_refused_and_a_broken_wish_warned(world: World) -> None:
    alice = participation(world)
    boss, colleague = add_participants(world, 2)
    Membership.objects.unscoped().filter(pk=alice.pk).update(reports_to=boss.user)
    one = IntervisionGroupFactory(programme=world.programme, name="Groep 1")
    two = IntervisionGroupFactory(programme=world.programme, name="Groep 2")
    GroupMemberFactory(group=one, membership=boss)
    GroupMemberFactory(group=two, membership=alice)
    GroupMemberFactory(group=two, membership=colleague)
    NotTogetherWishFactory(membership=colleague, other=boss)
    client = login_client(world.bob)

    refused = client.post(url(world, "groups/move/"), {"membership": alice.pk, "group": one.pk}, follow=True)
    assert "is zijn of haar leidinggevende of rapporteert aan hem of haar" in refused.content.decode()
    assert GroupMember.objects.unscoped().get(membership=alice).group == two

    warned = client.post(url(world, "groups/move/"), {"membership": colleague.pk, "group": one.pk}, follow=True)
    page = warned.content.decode()
    assert GroupMember.objects.unscoped().get(membership=colleague).group == one
    assert "gaat in tegen de “niet met”-wens van een deelnemer" in page
    assert colleague.user.first_name in page and "Deelnemer00" not in page.split("niet met")[0][-200:]


def test_wishes_are_private_and_at_most_three(world: World) -> None:
    others = add_participants(world, 4)
    client = login_client(world.alice)

    for other in others[:3]:
        response = client.post(url(world, "wishes/"), {"other": other.pk}, follow=True)
        assert "Wens opgeslagen." in response.content.decode()
    page = client.get(url(world, "wishes/")).content.decode()
    assert "U hebt het maximale aantal wensen opgegeven." in page
    assert client.post(url(world, "wishes/"), {"other": others[3].pk}).status_code == 200
    assert NotTogetherWish.objects.unscoped().count() == 3

    # The colleague concerned, the coach and HR never see who stated what.
    group = IntervisionGroupFactory(programme=world.programme)
    GroupMemberFactory(group=group, membership=participation(world))
    GroupMemberFactory(group=group, membership=others[0])
    for user in (others[0].user, world.bob, world.hr):
        viewer = login_client(user)
        for rest in ("", f"groups/{group.pk}/", "wishes/"):
            response = viewer.get(url(world, rest))
            if response.status_code == 200:
                text = response.content.decode()
                assert "Alice" not in text or "niet met" not in text.split("Alice")[1][:80]
    assert "Alice" not in login_client(others[0].user).get(url(world, "wishes/")).content.decode().split("Uw wensen")[1]

    wish = NotTogetherWish.objects.unscoped().first()
    client.post(url(world, "wishes/"), {"remove": wish.pk})
    assert NotTogetherWish.objects.unscoped().count() == 2


def test_coaches_and_managers_cannot_state_wishes(world: World) -> None:
    assert login_client(world.bob).get(url(world, "wishes/")).status_code == 403
    assert login_client(world.manager).get(url(world, "wishes/")).status_code == 403


@pytest.mark.parametrize("page", ["compose", "group"])
def test_query_counts_do_not_grow_with_participants(world: World, page: str, django_assert_max_num_queries) -> None:
    client = login_client(world.hr)
    group = IntervisionGroupFactory(programme=world.programme, name="Groep 1")
    counts = []
    for extra in (4, 20):
        for person in add_participants(world, extra, start=len(counts) * 100):
            GroupMemberFactory(group=group, membership=person)
        data = {"size": "4", "seed": "1", "action": "preview"}
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            if page == "compose":
                response = client.post(url(world, "groups/compose/"), data)
            else:
                response = client.get(url(world, f"groups/{group.pk}/"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[1]):
        client.get(url(world, f"groups/{group.pk}/")) if page == "group" else client.post(
            url(world, "groups/compose/"), data
        )


def test_participants_come_in_the_databases_name_order_with_the_membership_as_tie_break(world: World) -> None:
    earlier, later = UserFactory.create_batch(
        2, organisation=world.programme.organisation, first_name="Sam", last_name="Jansen"
    )
    # The later person joined first: among equal names the membership decides, not the account.
    MembershipFactory(programme=world.programme, user=later)
    MembershipFactory(programme=world.programme, user=earlier)
    for first, last in [("émile", "Bakker"), ("Émile", "Aa"), ("anna", "de Vries"), ("Anna", "de vries"), ("Sam", "")]:
        MembershipFactory(programme=world.programme, user__first_name=first, user__last_name=last)
    by_database = (
        Membership.objects.unscoped()
        .filter(programme=world.programme, role="participant")
        .order_by("user__first_name", "user__last_name", "pk")
    )

    shown = services.participants(world.programme)

    assert [m.pk for m in shown] == [m.pk for m in by_database]
    assert [m.user.email for m in shown] == [m.user.email for m in by_database]
    sams = [m.user for m in shown if m.user.get_full_name() == "Sam Jansen"]
    assert sams == [later, earlier]


def test_the_compose_page_shows_the_current_groups_their_score_and_who_is_without_a_group(world: World) -> None:
    people = [participation(world), *add_participants(world, 5)]
    one = IntervisionGroupFactory(programme=world.programme, name="Groep 1")
    two = IntervisionGroupFactory(programme=world.programme, name="Groep 2")
    for n, person in enumerate(people[:5]):
        GroupMemberFactory(group=one if n < 3 else two, membership=person)
    NotTogetherWishFactory(membership=people[0], other=people[1])  # unmet, but not part of the score
    score = services.current(world.programme)[2].score

    page = login_client(world.hr).get(url(world, "groups/compose/")).content.decode()

    shown = f"{score:.1f}".replace(".", ",")
    assert f"Mixscore van de huidige groepen: <strong>{shown}</strong>" in page
    assert 'Groep 1</a> <span class="small text-body-secondary">· 3 leden' in page
    assert 'Groep 2</a> <span class="small text-body-secondary">· 2 leden' in page
    without = page.split("Deelnemers zonder groep")[1]
    assert escape(people[5].user.get_full_name()) in without
    assert escape(people[0].user.get_full_name()) not in without
