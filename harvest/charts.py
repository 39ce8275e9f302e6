"""The geometry of the report's growth chart, drawn as SVG by the template on the server.

Horizontal bars, two per competency (start and end) on the scale of the self-assessment; the
axis begins at 0 so that a bar's length is honest. Only numbers here: the template adds the
words and formats the values the Dutch way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from learners.selectors import CompetencyGrowth

SCALE_MAX = 5
WIDTH = 640
LEFT = 64  # room for the "Start" and "End" labels before the bars
RIGHT = 44  # room for the value after the longest bar
TOP = 4
NAME_HEIGHT = 24
BAR_HEIGHT = 18
BAR_GAP = 4
GROUP_GAP = 14
AXIS_HEIGHT = 26


@dataclass(frozen=True)
class Bar:
    moment: str  # "start" or "end"
    value: float
    x: float
    y: float
    width: float
    height: float

    @property
    def text_y(self) -> float:
        """Baseline of the labels beside the bar."""
        return self.y + self.height * 0.72

    @property
    def value_x(self) -> float:
        return self.x + self.width + 6


@dataclass(frozen=True)
class Group:
    name: str
    name_y: float
    bars: tuple[Bar, ...]

    @property
    def top(self) -> float:
        """Where the group's bars begin: its grid lines run from here to ``bottom``."""
        return self.bars[0].y - BAR_GAP

    @property
    def bottom(self) -> float:
        return self.bars[-1].y + self.bars[-1].height + BAR_GAP


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: float
    left: float
    right: float
    top: float
    bottom: float
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]

    @property
    def tick_label_y(self) -> float:
        return self.bottom + 16

    @property
    def label_x(self) -> float:
        """Where the "Start" and "End" labels end, just before the bars."""
        return self.left - 6


def x_of(value: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * value / SCALE_MAX


def growth_chart(rows: Sequence[CompetencyGrowth]) -> BarChart | None:
    """Bars for each competency with both averages; None when there is nothing to draw."""
    groups = []
    y = float(TOP)
    for row in rows:
        if row.start is None or row.end is None:
            continue
        name_y = y + NAME_HEIGHT - 8
        y += NAME_HEIGHT
        bars = []
        for moment, value in (("start", row.start), ("end", row.end)):
            bars.append(Bar(moment, value, x=LEFT, y=y, width=x_of(value) - LEFT, height=BAR_HEIGHT))
            y += BAR_HEIGHT + BAR_GAP
        groups.append(Group(row.competency.name, name_y, tuple(bars)))
        y += GROUP_GAP - BAR_GAP
    if not groups:
        return None
    bottom = y - GROUP_GAP + 6
    return BarChart(
        width=WIDTH,
        height=bottom + AXIS_HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=bottom,
        groups=tuple(groups),
        ticks=tuple(Tick(value, x_of(value)) for value in range(SCALE_MAX + 1)),
    )
