"""The kick-out: participants write the story of their learning and choose whether the closing
session shows it; a story they keep to themselves never appears there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from harvest.models import LearningStory
from programmes.models import Membership, Phase
from tests.conftest import World, login_client
from tests.factories import LearningStoryFactory

from .prepare import Harvest, harvest_world, membership_of, participant

STORY = "In het begin wachtte ik af tot iemand anders begon. Nu breng ik elk wijkoverleg een eigen voorstel in."


@pytest.fixture
def harvest(world: World) -> Harvest:
    return harvest_world(world)


def test_a_participant_writes_a_story_for_themselves_and_later_shares_it(harvest: Harvest) -> None:
    client = login_client(harvest.world.alice)
    url = f"{harvest.base}story/"

    response = client.post(url, {"text": STORY}, follow=True)

    assert "Uw verhaal is opgeslagen. Alleen u kunt het lezen." in response.content.decode()
    story = LearningStory.objects.unscoped().get(membership=harvest.alice)
    assert not story.shared and story.text == STORY
    closing = client.get(f"{harvest.base}closing/").content.decode()
    assert STORY not in closing and "Uw verhaal is niet gedeeld: alleen u kunt het lezen." in closing

    response = client.post(url, {"text": STORY, "shared": "on"}, follow=True)

    assert "Uw verhaal is opgeslagen en wordt getoond bij de slotbijeenkomst." in response.content.decode()
    assert LearningStory.objects.unscoped().get(membership=harvest.alice).shared
    for user in (harvest.dirk, harvest.world.manager, harvest.world.bob, harvest.world.hr):
        closing = login_client(user).get(f"{harvest.base}closing/").content.decode()
        assert STORY in closing and escape(harvest.world.alice.get_full_name()) in closing


def test_a_story_needs_text(harvest: Harvest) -> None:
    response = login_client(harvest.world.alice).post(f"{harvest.base}story/", {"text": " ", "shared": "on"})

    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    assert not LearningStory.objects.unscoped().exists()


def test_unshared_stories_never_appear_in_the_closing_view(harvest: Harvest) -> None:
    LearningStoryFactory(membership=harvest.alice, text="Gedeeld verhaal van Alice", shared=True)
    LearningStoryFactory(membership=membership_of(harvest, harvest.dirk), text="Privéverhaal van Dirk", shared=False)

    for user in (harvest.world.alice, harvest.dirk, harvest.world.manager, harvest.world.bob, harvest.world.hr):
        page = login_client(user).get(f"{harvest.base}closing/").content.decode()
        assert "Gedeeld verhaal van Alice" in page
        assert "Privéverhaal van Dirk" not in page
        if user != harvest.dirk:
            assert escape(harvest.dirk.get_full_name()) not in page


def test_the_closing_view_shows_the_newest_story_last(harvest: Harvest) -> None:
    now = timezone.now()
    for membership, text, days_ago in (
        (harvest.alice, "Verhaal van gisteren", 1),
        (membership_of(harvest, harvest.dirk), "Oudste", 5),
    ):
        story = LearningStoryFactory(membership=membership, text=text)
        LearningStory.objects.unscoped().filter(pk=story.pk).update(updated_at=now - timedelta(days=days_ago))

    page = login_client(harvest.eva).get(f"{harvest.base}closing/").content.decode()

    assert page.index("Oudste") < page.index("Verhaal van gisteren")


def test_the_closing_view_has_an_empty_state_and_the_closing_phase(harvest: Harvest) -> None:
    Phase.objects.create(
        programme=harvest.world.programme,
        kind=Phase.Kind.CLOSING,
        starts_at=timezone.now() + timedelta(days=20),
        location="Stadhuis, zaal 2.14",
    )

    page = login_client(harvest.world.manager).get(f"{harvest.base}closing/").content.decode()

    assert "Nog geen enkele deelnemer heeft een verhaal gedeeld." in page
    assert "Stadhuis, zaal 2.14" in page


def test_a_story_is_its_writers_own(harvest: Harvest) -> None:
    LearningStoryFactory(membership=harvest.alice, text="Alleen van Alice", shared=False)

    page = login_client(harvest.dirk).get(f"{harvest.base}story/").content.decode()

    assert "Alleen van Alice" not in page
    login_client(harvest.dirk).post(f"{harvest.base}story/", {"text": "Van Dirk"})
    assert LearningStory.objects.unscoped().get(membership=harvest.alice).text == "Alleen van Alice"
    for user in (harvest.world.manager, harvest.world.bob, harvest.world.hr):
        assert login_client(user).get(f"{harvest.base}story/").status_code == 403, user
    for user in (harvest.world.charlie, harvest.world.colleague):
        assert login_client(user).get(f"{harvest.base}closing/").status_code == 404, user


def test_stories_of_another_organisation_stay_there(harvest: Harvest) -> None:
    haarlem = Membership.objects.unscoped().get(programme=harvest.world.haarlem_programme, user=harvest.world.charlie)
    LearningStoryFactory(membership=haarlem, text="Een verhaal uit Haarlem", shared=True)

    page = login_client(harvest.world.alice).get(f"{harvest.base}closing/").content.decode()

    assert "Een verhaal uit Haarlem" not in page


def test_the_closing_view_keeps_its_query_count_as_stories_grow(
    harvest: Harvest, django_assert_max_num_queries: Callable
) -> None:
    client = login_client(harvest.world.alice)
    LearningStoryFactory(membership=harvest.alice)
    with django_assert_max_num_queries(30) as few:
        assert client.get(f"{harvest.base}closing/").status_code == 200
    limit = len(few.captured_queries)
    for number in range(30):
        LearningStoryFactory(membership=participant(harvest.world, f"Deelnemer{number}"), text=f"Verhaal {number}")

    with django_assert_max_num_queries(limit):
        page = client.get(f"{harvest.base}closing/").content.decode()
    assert "Verhaal 29" in page
