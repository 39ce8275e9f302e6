"""Benchmark: composing 500 participants into intervision groups, against random assignment.

Run with ``make bench`` (or ``.venv/bin/python bench/compose_groups.py``); pure Python, no database.
500 people with 12 functions, 8 departments, a manager tree (managers are participants too) and a
few "not with" wishes, in groups of 6. Prints the median time of ``compose`` and its mix score next
to the mean of 100 random assignments into the same group sizes, with hard-constraint violations.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intervision.composition import MANAGER_TOGETHER, Person, compose, group_sizes, score, violations

PEOPLE, SIZE, RUNS, SHUFFLES = 500, 6, 5, 100


def population(seed: int = 2026) -> tuple[list[Person], set[frozenset[int]]]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    people = []
    for i in range(PEOPLE):
        manager = rng.randrange(0, 60) if i >= 60 and rng.random() < 0.6 else None  # 60 possible managers
        people.append(Person(i, f"Functie {rng.randrange(12)}", f"Afdeling {rng.randrange(8)}", manager))
    wishes = {frozenset(rng.sample(range(PEOPLE), 2)) for _ in range(40)}
    return people, wishes


def main() -> None:
    people, wishes = population()
    reports = sum(1 for p in people if p.manager_id is not None)
    print(f"{PEOPLE} people, groups of {SIZE}; {reports} manager relations, {len(wishes)} “not with” wishes")
    times = []
    for run in range(RUNS):
        started = time.perf_counter()
        result = compose(people, size=SIZE, not_with=wishes, seed=run)
        times.append(time.perf_counter() - started)
    hard = sum(1 for issue in result.unmet if issue.code == MANAGER_TOGETHER)
    print(f"compose (median of {RUNS})            {statistics.median(times):>8.3f} s")
    wishes_unmet = len(result.unmet) - hard
    print(f"mix score, compose {'':17} {result.score:>8.1f}   hard violations {hard}, wishes unmet {wishes_unmet}")

    rng = random.Random(1)  # noqa: S311 - reproducible shuffles
    sizes = group_sizes(PEOPLE, size=SIZE)
    scores, hard_counts, wish_counts = [], [], []
    for _ in range(SHUFFLES):
        ids = [p.id for p in people]
        rng.shuffle(ids)
        groups, start = [], 0
        for size in sizes:
            groups.append(ids[start : start + size])
            start += size
        scores.append(score(groups, people))
        issues = violations(groups, people, wishes)
        hard_counts.append(sum(1 for issue in issues if issue.code == MANAGER_TOGETHER))
        wish_counts.append(len(issues) - hard_counts[-1])
    print(
        f"mix score, random (mean of {SHUFFLES})        {statistics.mean(scores):>8.1f}   "
        f"hard violations {statistics.mean(hard_counts):.1f} on average (max {max(hard_counts)}), "
        f"wishes unmet {statistics.mean(wish_counts):.1f}"
    )


if __name__ == "__main__":
    main()
