"""The method library (issue 6, line 2): seeded in Dutch and English, read by the organisation, kept by HR."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from intervision.methods import LIBRARY, seed_library
from intervision.models import Method, MethodStep
from tests.conftest import World, login_client
from tests.factories import IntervisionSessionFactory, MethodFactory, MethodStepFactory

pytestmark = pytest.mark.django_db

FIVE = {
    "nl": {
        "Incidentmethode",
        "Balintmethode",
        "Roddelmethode",
        "Co-development (Payette & Champagne)",
        "Vijfminutenmethode",
    },
    "en": {
        "Incident method",
        "Balint method",
        "Gossip method",
        "Co-development (Payette & Champagne)",
        "Five-minute method",
    },
}


def _methods(organisation, language: str):
    return Method.objects.for_organisation(organisation).filter(language=language)


def test_seeded_library_has_the_five_methods_in_dutch_and_english_with_ordered_steps(world: World) -> None:
    assert seed_library(world.rotterdam) == 10
    for language, names in FIVE.items():
        methods = _methods(world.rotterdam, language)
        assert set(methods.values_list("name", flat=True)) == names
        for method in methods:
            steps = list(method.steps.all())
            assert len(steps) >= 4
            assert [step.position for step in steps] == list(range(1, len(steps) + 1))
            assert all(step.minutes >= 1 and step.purpose and step.speaker for step in steps)
    codev = _methods(world.rotterdam, "en").get(name__startswith="Co-development")
    assert [step.title for step in codev.steps.all()] == [
        "Exposé",
        "Clarification",
        "Contract",
        "Reactions and advice",
        "Synthesis and action plan",
        "Learning points",
    ]
    # Both languages describe the same steps.
    for nl, en in zip(LIBRARY["nl"], LIBRARY["en"], strict=True):
        assert [(m, s) for _t, _p, m, s in nl["steps"]] == [(m, s) for _t, _p, m, s in en["steps"]]


def test_seeding_is_idempotent_and_keeps_edits(world: World) -> None:
    seed_library(world.rotterdam)
    method = _methods(world.rotterdam, "nl").get(name="Incidentmethode")
    method.summary = "Onze eigen versie"
    method.save()
    assert seed_library(world.rotterdam) == 0
    method.refresh_from_db()
    assert method.summary == "Onze eigen versie"
    assert Method.objects.for_organisation(world.rotterdam).count() == 10
    assert Method.objects.for_organisation(world.haarlem).count() == 0


def test_library_in_the_users_language_falling_back_to_dutch(world: World) -> None:
    seed_library(world.rotterdam)
    response = login_client(world.alice).get("/intervision-methods/")
    assert response.status_code == 200
    assert "Roddelmethode" in response.text and "Gossip method" not in response.text
    response = login_client(world.alice).get("/intervision-methods/?language=en")
    assert "Gossip method" in response.text and "Roddelmethode" not in response.text
    world.alice.language = "en"
    world.alice.save()
    assert "Gossip method" in login_client(world.alice).get("/intervision-methods/").text
    Method.objects.for_organisation(world.rotterdam).filter(language="en").delete()
    assert "Roddelmethode" in login_client(world.alice).get("/intervision-methods/").text


def test_method_page_shows_ordered_steps_with_purpose_minutes_speaker_and_total(world: World) -> None:
    seed_library(world.rotterdam)
    method = _methods(world.rotterdam, "nl").get(name="Incidentmethode")
    response = login_client(world.manager).get(f"/intervision-methods/{method.pk}/")
    assert response.status_code == 200
    text = response.text
    assert text.index("Incident inbrengen") < text.index("Informatieve vragen") < text.index("Evaluatie en leerpunten")
    assert "feitelijke vragen" in text
    assert "Inbrenger" in text or "inbrenger" in text
    assert "50 minuten" in text  # 5 + 10 + 5 + 15 + 5 + 10
    assert "Bewerken" not in text  # managers read only


def test_empty_library_offers_hr_the_standard_methods(world: World) -> None:
    client = login_client(world.hr)
    response = client.get("/intervision-methods/")
    assert "/intervision-methods/standard/" in response.text
    assert "/intervision-methods/standard/" not in login_client(world.alice).get("/intervision-methods/").text
    response = client.post("/intervision-methods/standard/")
    assert response.status_code == 302
    assert Method.objects.for_organisation(world.rotterdam).count() == 10
    assert login_client(world.alice).post("/intervision-methods/standard/").status_code == 403


def _post_data(method: Method | None, steps: list[dict], **fields) -> dict:
    data = {
        "language": "nl",
        "name": "Eigen methode",
        "summary": "Kort",
        "source": "",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(sum(1 for step in steps if step.get("id"))),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{index}-{key}"] = value
    return data


def test_hr_creates_and_edits_a_method_with_steps(world: World) -> None:
    client = login_client(world.hr)
    steps = [
        {"position": "1", "title": "Inbrengen", "purpose": "Vertellen", "minutes": "5", "speaker": "case_bringer"},
        {"position": "2", "title": "Vragen", "purpose": "", "minutes": "10", "speaker": "group"},
    ]
    response = client.post("/intervision-methods/new/", _post_data(None, steps))
    assert response.status_code == 302, response.context and response.context["form"].errors
    method = Method.objects.for_organisation(world.rotterdam).get(name="Eigen methode")
    assert [(s.position, s.title) for s in method.steps.all()] == [(1, "Inbrengen"), (2, "Vragen")]
    first, second = method.steps.all()
    steps = [
        {"id": str(first.pk), "position": "2", "title": "Inbrengen", "minutes": "5", "speaker": "case_bringer"},
        {"id": str(second.pk), "position": "1", "title": "Eerst vragen", "minutes": "7", "speaker": "group"},
    ]
    response = client.post(f"/intervision-methods/{method.pk}/edit/", _post_data(method, steps, name="Eigen methode 2"))
    assert response.status_code == 302
    method.refresh_from_db()
    assert method.name == "Eigen methode 2"
    assert [(s.position, s.title, s.minutes) for s in method.steps.all()] == [
        (1, "Eerst vragen", 7),
        (2, "Inbrengen", 5),
    ]


@pytest.mark.parametrize(
    ("steps", "error"),
    [
        ([], "Een methode heeft minstens één stap nodig."),
        (
            [{"position": "1", "title": "A", "minutes": "0", "speaker": "group"}],
            "Een stap duurt minstens 1 minuut.",
        ),
        (
            [
                {"position": "1", "title": "A", "minutes": "5", "speaker": "group"},
                {"position": "1", "title": "B", "minutes": "5", "speaker": "group"},
            ],
            "Twee stappen hebben hetzelfde volgnummer",
        ),
    ],
)
def test_bad_input_rerenders_with_dutch_errors_and_changes_nothing(world: World, steps: list, error: str) -> None:
    method = MethodFactory(organisation=world.rotterdam, name="Bestaand")
    step = MethodStepFactory(method=method, position=1, title="Oud", minutes=5)
    rows = [{"id": str(step.pk), "position": "1", "title": "Oud", "minutes": "5", "speaker": "group", "DELETE": "on"}]
    response = login_client(world.hr).post(
        f"/intervision-methods/{method.pk}/edit/", _post_data(method, rows + steps, name="Nieuw")
    )
    assert response.status_code == 200
    assert error in response.text
    method.refresh_from_db()
    assert method.name == "Bestaand"
    assert list(method.steps.values_list("title", "minutes")) == [("Oud", 5)]


def test_duplicate_name_in_the_same_language_is_refused(world: World) -> None:
    MethodFactory(organisation=world.rotterdam, name="Incidentmethode", language="nl")
    steps = [{"position": "1", "title": "A", "minutes": "5", "speaker": "group"}]
    response = login_client(world.hr).post("/intervision-methods/new/", _post_data(None, steps, name="incidentmethode"))
    assert response.status_code == 200
    assert "Uw bibliotheek heeft al een methode met deze naam in deze taal." in response.text


def test_non_hr_cannot_edit_add_or_delete(world: World) -> None:
    method = MethodFactory(organisation=world.rotterdam)
    for user in (world.alice, world.bob, world.manager):
        client = login_client(user)
        assert client.get(f"/intervision-methods/{method.pk}/").status_code == 200
        assert client.get(f"/intervision-methods/{method.pk}/edit/").status_code == 403
        assert client.post(f"/intervision-methods/{method.pk}/delete/").status_code == 403
        assert client.get("/intervision-methods/new/").status_code == 403
    assert Method.objects.for_organisation(world.rotterdam).filter(pk=method.pk).exists()


def test_other_organisation_gets_404(world: World) -> None:
    method = MethodFactory(organisation=world.rotterdam, name="Rotterdamse methode")
    for user in (world.charlie, world.haarlem_hr):
        client = login_client(user)
        assert client.get(f"/intervision-methods/{method.pk}/").status_code == 404
        assert client.get(f"/intervision-methods/{method.pk}/edit/").status_code == 404
        assert client.post(f"/intervision-methods/{method.pk}/delete/").status_code == 404
        assert "Rotterdamse methode" not in client.get("/intervision-methods/").text


def test_hr_deletes_after_confirmation_but_not_a_method_in_use(world: World) -> None:
    client = login_client(world.hr)
    free = MethodFactory(organisation=world.rotterdam, name="Ongebruikt")
    assert "Ongebruikt" in client.get(f"/intervision-methods/{free.pk}/delete/").text
    assert client.post(f"/intervision-methods/{free.pk}/delete/").status_code == 302
    assert not Method.objects.for_organisation(world.rotterdam).filter(pk=free.pk).exists()

    used = IntervisionSessionFactory(group__programme=world.programme).method
    response = client.post(f"/intervision-methods/{used.pk}/delete/", follow=True)
    assert "kan daarom niet worden verwijderd" in response.text
    assert Method.objects.for_organisation(world.rotterdam).filter(pk=used.pk).exists()


def test_method_page_queries_stay_constant(world: World, django_assert_max_num_queries: Callable) -> None:
    method = MethodFactory(organisation=world.rotterdam)
    MethodStepFactory(method=method)
    client = login_client(world.alice)
    client.get(f"/intervision-methods/{method.pk}/")
    with django_assert_max_num_queries(12) as small:
        client.get(f"/intervision-methods/{method.pk}/")
    MethodStepFactory.create_batch(15, method=method)
    seed_library(world.rotterdam)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/intervision-methods/{method.pk}/").status_code == 200
    with django_assert_max_num_queries(12) as listing:
        client.get("/intervision-methods/")
    MethodFactory.create_batch(5, organisation=world.rotterdam)
    with django_assert_max_num_queries(len(listing.captured_queries)):
        client.get("/intervision-methods/")


def test_seeded_steps_use_every_kind_of_speaker_sensibly() -> None:
    speakers = {step[3] for spec in LIBRARY["nl"] for step in spec["steps"]}
    assert MethodStep.Speaker.CASE_BRINGER in speakers and MethodStep.Speaker.GROUP in speakers
