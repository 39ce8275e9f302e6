"""Composing intervision groups (pure Python): hard constraints hold for random populations.

Populations are generated so that the manager rule *can* be met: with ``k`` groups and every
person in at most ``k - 1`` manager/report relations (reports plus their own manager), an
equitable colouring into ``k`` groups exists (Hajnal–Szemerédi), so any unmet pair would be a
failure of the algorithm. Impossible cases (one group, or a manager of nearly everyone) are
tested separately: they must be reported, never hidden.
"""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intervision.composition import (
    MANAGER_TOGETHER,
    WISH_NOT_MET,
    CompositionError,
    Person,
    compose,
    group_sizes,
    score,
    violations,
)

FUNCTIONS = ["Gebiedsnetwerker", "Wijkregisseur", "Beleidsadviseur", "Projectleider", ""]
DEPARTMENTS = ["Feijenoord", "Charlois", "IJsselmonde", "Delfshaven", ""]


@st.composite
def populations(draw):
    n = draw(st.integers(2, 80))
    if draw(st.booleans()):
        size = draw(st.integers(2, max(2, n)))
        count, settings_ = math.ceil(n / size), {"size": size}
    else:
        count = draw(st.integers(1, n))
        settings_ = {"count": count}
    degree = [0] * n
    people = []
    for i in range(n):
        manager = None
        choice = draw(st.integers(-1, i - 1)) if i else -1
        if choice >= 0 and count >= 2 and degree[choice] < count - 1 and degree[i] < count - 1:
            manager = choice
            degree[choice] += 1
            degree[i] += 1
        people.append(Person(i, draw(st.sampled_from(FUNCTIONS)), draw(st.sampled_from(DEPARTMENTS)), manager))
    wishes = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n // 2))
    not_with = {frozenset(pair) for pair in wishes if pair[0] != pair[1]}
    seed = draw(st.integers(0, 2**16))
    return people, settings_, count, not_with, seed


@settings(max_examples=100, deadline=None)
@given(populations())
def test_composition_always_meets_the_hard_constraints(population) -> None:
    people, sizes, count, not_with, seed = population

    result = compose(people, not_with=not_with, seed=seed, **sizes)

    placed = [person for group in result.groups for person in group]
    assert sorted(placed) == sorted(p.id for p in people)  # everyone exactly once
    assert len(result.groups) == count
    lengths = [len(group) for group in result.groups]
    assert max(lengths) - min(lengths) <= 1
    if count >= 2:
        assert result.hard_unmet == []
    else:
        assert len(result.hard_unmet) == sum(1 for p in people if p.manager_id is not None)
    assert result.unmet == violations(result.groups, people, not_with)
    assert 0 <= result.score <= 100
    assert result.score == score(result.groups, people)
    again = compose(list(reversed(people)), not_with=set(not_with), seed=seed, **sizes)
    assert again == result  # same input and seed, same groups (input order does not matter)


def test_an_impossible_manager_rule_is_reported_not_hidden() -> None:
    # Five people, two groups (3 + 2): the boss of the other four must share a group with one of them.
    people = [Person(0, "Teamleider", "Charlois")] + [Person(i, "Wijkregisseur", "Charlois", 0) for i in range(1, 5)]

    result = compose(people, count=2)

    assert len(result.hard_unmet) == 1
    assert result.hard_unmet[0].code == MANAGER_TOGETHER and result.hard_unmet[0].a == 0


def test_wishes_are_respected_where_possible_and_mix_is_maximal() -> None:
    people = [Person(i, f"F{i % 3}", f"D{i // 3}") for i in range(9)]
    not_with = {frozenset((0, 3)), frozenset((1, 4))}

    result = compose(people, size=3, not_with=not_with, seed=7)

    assert result.unmet == []
    assert result.score == 100.0
    assert all(len({p % 3 for p in group}) == 3 for group in result.groups)


def test_a_wish_that_cannot_be_met_is_reported() -> None:
    people = [Person(1), Person(2), Person(3)]

    result = compose(people, count=1, not_with={frozenset((1, 2))})

    assert [(issue.code, issue.a, issue.b) for issue in result.unmet] == [(WISH_NOT_MET, 1, 2)]


@pytest.mark.parametrize(
    "n, kwargs, code",
    [
        (0, {"size": 4}, "no_people"),
        (5, {}, "size_or_count"),
        (5, {"size": 4, "count": 2}, "size_or_count"),
        (5, {"size": 1}, "size"),
        (5, {"count": 0}, "count"),
        (5, {"count": 6}, "count"),
    ],
)
def test_invalid_settings_are_refused(n: int, kwargs: dict, code: str) -> None:
    with pytest.raises(CompositionError) as error:
        group_sizes(n, **kwargs)
    assert error.value.code == code


def test_sizes_follow_the_wanted_size() -> None:
    assert group_sizes(13, size=5) == [5, 4, 4]
    assert group_sizes(12, count=5) == [3, 3, 2, 2, 2]


def test_five_hundred_people_in_well_under_two_seconds() -> None:
    people = [Person(i, f"F{i % 12}", f"D{(i * 7) % 8}", (i // 6) * 6 if i % 6 else None) for i in range(500)]
    started = time.perf_counter()
    result = compose(people, size=6, seed=3)
    assert time.perf_counter() - started < 2
    assert result.hard_unmet == []
