"""Composing intervision groups: pure Python, no Django (issue 6).

Hard constraints
    * every person is in exactly one group, and group sizes differ by at most one;
    * a manager is never in the same group as someone who reports to them directly; when the
      search cannot avoid it (e.g. one group, or one person managing nearly everyone) the pair
      is reported in ``unmet`` instead of being broken silently;
    * the same people, settings and seed always give the same groups.

Soft goals
    * the **mix score** (0–100): for each group, the number of distinct functions divided by the
      most it could have (its size, or the number of distinct functions among all people when
      that is smaller), the same for departments, the two averaged; then averaged over the groups.
      Empty functions/departments count as "unknown" and add nothing. 100 = every group is as
      mixed as the people allow;
    * "not with" wishes are respected where possible; wishes that are not met are reported.

The method: a greedy start (most-constrained people first, each into the open group where they
add least conflict and most mix), then a bounded local search of swaps (sizes never change):
targeted swaps for people in a conflict, random swaps for the mix, all from ``random.Random(seed)``.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

Id = Hashable

MANAGER_TOGETHER = "manager_together"
WISH_NOT_MET = "wish_not_met"

_HARD = 1000.0  # weight of a manager/report pair in one group
_WISH = 10.0  # weight of an unmet wish; one swap changes the mix part by at most 4


class CompositionError(ValueError):
    """Invalid settings; ``code`` is one of "no_people", "size_or_count", "size", "count"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Person:
    id: Id
    function: str = ""
    department: str = ""
    manager_id: Id | None = None  # only when that manager is among the people too


@dataclass(frozen=True)
class Issue:
    """A constraint the groups do not meet: ``code`` with the two people concerned.

    For MANAGER_TOGETHER ``a`` is the manager and ``b`` the report; for WISH_NOT_MET ``a`` stated
    the wish about ``b`` (or the pair in id order when the wish's author is not known).
    """

    code: str
    a: Id
    b: Id


@dataclass
class Composition:
    groups: list[list[Id]]
    score: float
    unmet: list[Issue] = field(default_factory=list)

    @property
    def hard_unmet(self) -> list[Issue]:
        return [issue for issue in self.unmet if issue.code == MANAGER_TOGETHER]


def group_sizes(n: int, *, size: int | None = None, count: int | None = None) -> list[int]:
    """The group sizes for ``n`` people: ``count`` groups (or ceil(n/size)), differing by at most one."""
    if n < 1:
        raise CompositionError("no_people")
    if (size is None) == (count is None):
        raise CompositionError("size_or_count")
    if size is not None:
        if size < 2:
            raise CompositionError("size")
        count = math.ceil(n / size)
    if count is None or not 1 <= count <= n:
        raise CompositionError("count")
    q, r = divmod(n, count)
    return [q + 1] * r + [q] * (count - r)


def _sort_key(value: Id) -> tuple[str, Id]:
    return (type(value).__name__, value)


def _pairs(not_with: Iterable[Iterable[Id]], known: set[Id]) -> list[tuple[Id, Id]]:
    pairs = set()
    for pair in not_with:
        a, b = sorted(pair, key=_sort_key) if len(set(pair)) == 2 else (None, None)
        if a in known and b in known:
            pairs.add((a, b))
    return sorted(pairs, key=lambda p: (_sort_key(p[0]), _sort_key(p[1])))


def _mix_parts(people: Sequence[Person]) -> tuple[int, int]:
    functions = {p.function for p in people if p.function}
    departments = {p.department for p in people if p.department}
    return len(functions), len(departments)


def _group_mix(members: Sequence[Person], n_functions: int, n_departments: int) -> float:
    size = len(members)
    if size == 0:
        return 1.0
    parts = []
    for total, values in (
        (n_functions, {p.function for p in members if p.function}),
        (n_departments, {p.department for p in members if p.department}),
    ):
        parts.append(1.0 if total == 0 else len(values) / min(size, total))
    return sum(parts) / 2


def score(groups: Sequence[Sequence[Id]], people: Iterable[Person]) -> float:
    """The mix score (0–100) of these groups; see the module's docstring."""
    by_id = {p.id: p for p in people}
    population = [by_id[i] for group in groups for i in group if i in by_id]
    n_functions, n_departments = _mix_parts(population)
    scored = [[by_id[i] for i in group if i in by_id] for group in groups]
    scored = [members for members in scored if members]
    if not scored:
        return 100.0
    return round(100 * sum(_group_mix(m, n_functions, n_departments) for m in scored) / len(scored), 1)


def violations(
    groups: Sequence[Sequence[Id]], people: Iterable[Person], not_with: Iterable[Iterable[Id]] = ()
) -> list[Issue]:
    """Manager/report pairs in one group, then "not with" wishes not met, in a stable order."""
    by_id = {p.id: p for p in people}
    where = {i: g for g, group in enumerate(groups) for i in group}
    issues = []
    for person in sorted(by_id.values(), key=lambda p: _sort_key(p.id)):
        manager = person.manager_id
        if manager is not None and person.id in where and where.get(manager) == where[person.id]:
            issues.append(Issue(MANAGER_TOGETHER, manager, person.id))
    for a, b in _pairs(not_with, set(where)):
        if where[a] == where[b]:
            issues.append(Issue(WISH_NOT_MET, a, b))
    return issues


def evaluate(
    groups: Sequence[Sequence[Id]], people: Iterable[Person], not_with: Iterable[Iterable[Id]] = ()
) -> Composition:
    """Score and unmet constraints of given groups (e.g. after a move by hand)."""
    people = list(people)
    return Composition([list(g) for g in groups], score(groups, people), violations(groups, people, not_with))


def compose(
    people: Iterable[Person],
    *,
    size: int | None = None,
    count: int | None = None,
    not_with: Iterable[Iterable[Id]] = (),
    seed: int = 0,
) -> Composition:
    """Divide ``people`` into groups; raises CompositionError for invalid settings."""
    people = sorted({p.id: p for p in people}.values(), key=lambda p: _sort_key(p.id))
    sizes = group_sizes(len(people), size=size, count=count)
    search = _Search(people, sizes, _pairs(not_with, {p.id for p in people}), random.Random(seed))  # noqa: S311 - reproducible, not security
    search.run()
    groups = [sorted((people[i].id for i in members), key=_sort_key) for members in search.members]
    return evaluate(groups, people, not_with)


class _Search:
    def __init__(self, people: list[Person], sizes: list[int], wishes: list[tuple[Id, Id]], rng: random.Random):
        self.people, self.sizes, self.rng = people, sizes, rng
        n = len(people)
        index = {p.id: i for i, p in enumerate(people)}
        self.conflicts: list[list[int]] = [[] for _ in range(n)]
        for i, p in enumerate(people):
            m = index.get(p.manager_id) if p.manager_id is not None else None
            if m is not None and m != i:
                self.conflicts[i].append(m)
                self.conflicts[m].append(i)
        self.wishes: list[list[int]] = [[] for _ in range(n)]
        for a, b in wishes:
            self.wishes[index[a]].append(index[b])
            self.wishes[index[b]].append(index[a])
        n_functions, n_departments = _mix_parts(people)
        self.values = [(p.function, p.department) for p in people]
        self.denominators = [
            (1 / min(s, n_functions) if n_functions else 0.0, 1 / min(s, n_departments) if n_departments else 0.0)
            for s in sizes
        ]
        self.group = [-1] * n
        self.members: list[list[int]] = [[] for _ in sizes]
        self.counts: list[tuple[Counter, Counter]] = [(Counter(), Counter()) for _ in sizes]

    # -- bookkeeping -------------------------------------------------------------------------
    def _place(self, i: int, g: int) -> None:
        self.group[i] = g
        self.members[g].append(i)
        for dim in (0, 1):
            if self.values[i][dim]:
                self.counts[g][dim][self.values[i][dim]] += 1

    def _remove(self, i: int) -> None:
        g = self.group[i]
        self.members[g].remove(i)
        for dim in (0, 1):
            if self.values[i][dim]:
                self.counts[g][dim][self.values[i][dim]] -= 1

    def _in(self, neighbours: list[int], g: int, skip: int = -1) -> int:
        group = self.group
        return sum(1 for x in neighbours if group[x] == g and x != skip)

    def _hard_count(self, i: int) -> int:
        return self._in(self.conflicts[i], self.group[i])

    # -- costs -------------------------------------------------------------------------------
    def _gain(self, g: int, add: tuple[str, str], remove: tuple[str, str] | None) -> float:
        """Mix gained in group g by adding ``add`` (and removing ``remove``)."""
        gain = 0.0
        for dim in (0, 1):
            new = add[dim]
            old = remove[dim] if remove else None
            if new == old:
                continue
            counter = self.counts[g][dim]
            change = 0
            if old and counter[old] == 1:
                change -= 1
            if new and counter[new] == 0:
                change += 1
            gain += change * self.denominators[g][dim]
        return gain

    def _swap_delta(self, a: int, b: int) -> tuple[float, int]:
        """Cost change (lower is better) and hard-conflict change of swapping a and b."""
        ga, gb = self.group[a], self.group[b]
        hard = (
            self._in(self.conflicts[a], gb, b)
            - self._in(self.conflicts[a], ga)
            + self._in(self.conflicts[b], ga, a)
            - self._in(self.conflicts[b], gb)
        )
        wish = (
            self._in(self.wishes[a], gb, b)
            - self._in(self.wishes[a], ga)
            + self._in(self.wishes[b], ga, a)
            - self._in(self.wishes[b], gb)
        )
        mix = self._gain(ga, self.values[b], self.values[a]) + self._gain(gb, self.values[a], self.values[b])
        return _HARD * hard + _WISH * wish - mix, hard

    def _swap(self, a: int, b: int) -> None:
        ga, gb = self.group[a], self.group[b]
        self._remove(a)
        self._remove(b)
        self._place(a, gb)
        self._place(b, ga)

    # -- the search --------------------------------------------------------------------------
    def run(self) -> None:
        self._greedy()
        if len(self.sizes) > 1:
            self._repair()
            self._improve()
            self._repair()

    def _greedy(self) -> None:
        n = len(self.people)
        order = list(range(n))
        self.rng.shuffle(order)
        order.sort(key=lambda i: -(len(self.conflicts[i]) * 100 + len(self.wishes[i])))
        for i in order:
            best, best_cost = -1, math.inf
            for g, capacity in enumerate(self.sizes):
                if len(self.members[g]) >= capacity:
                    continue
                cost = (
                    _HARD * self._in(self.conflicts[i], g)
                    + _WISH * self._in(self.wishes[i], g)
                    - self._gain(g, self.values[i], None)
                    + 0.001 * len(self.members[g]) / capacity
                )
                if cost < best_cost:
                    best, best_cost = g, cost
            self._place(i, best)

    def _repair(self, rounds: int = 60) -> None:
        """Targeted swaps for people with their manager or report in the group."""
        n = len(self.people)
        for _ in range(rounds):
            stuck = [i for i in range(n) if self._hard_count(i)]
            if not stuck:
                return
            improved = False
            for a in stuck:
                if not self._hard_count(a):
                    continue
                best, best_delta = -1, (0.0, 0)
                for b in range(n):
                    if self.group[b] == self.group[a]:
                        continue
                    delta = self._swap_delta(a, b)
                    if delta[1] < 0 and delta < best_delta:
                        best, best_delta = b, delta
                if best >= 0:
                    self._swap(a, best)
                    improved = True
            if not improved:
                # Sideways: move one stuck person to a group without their conflicts, swapping with
                # someone who adds no new conflict, so the next round can find new improvements.
                a = self.rng.choice(stuck)
                options = [b for b in range(n) if self.group[b] != self.group[a] and self._swap_delta(a, b)[1] <= 0]
                if not options:
                    return
                self._swap(a, self.rng.choice(options))

    def _improve(self) -> None:
        """Random swaps that lower the cost (never add a conflict), within a fixed budget."""
        n = len(self.people)
        budget = min(40 * n, 20000)
        patience = 6 * n
        idle = 0
        rng = self.rng
        for _ in range(budget):
            a, b = rng.randrange(n), rng.randrange(n)
            if self.group[a] == self.group[b]:
                continue
            cost, hard = self._swap_delta(a, b)
            if cost < -1e-9 and hard <= 0:
                self._swap(a, b)
                idle = 0
            else:
                idle += 1
                if idle > patience:
                    return
