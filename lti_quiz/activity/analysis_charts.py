"""Positions of the analysis page's server-drawn SVG bar charts (the template draws them; each
chart is followed by a table of its data, which is what a screen reader reads).

One layout for all three: a horizontal bar per row between `low` and `high`, drawn from zero
(so a negative discrimination points left of the zero line).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from lti_quiz.quiz.item_analysis import BUCKETS, QuizAnalysis

# SVG user units (the SVG scales to the page width).
WIDTH, LABEL_WIDTH, SPAN, BAR_HEIGHT, ROW_HEIGHT = 600, 70, 460, 16, 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as shown beside the bar


def bar_layout(bars: Sequence[Bar], *, low: float, high: float, ticks: Sequence[float], unit: str):
    """x, y and widths of each bar; `unit` is appended to tick labels ("%" or "")."""

    def x_of(value: float) -> int:
        return LABEL_WIDTH + round(SPAN * (value - low) / (high - low))

    zero = x_of(max(low, 0.0))
    rows = []
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT + 4
        end = x_of(bar.value) if bar.value is not None else zero
        rows.append(
            {
                "label": bar.label,
                "text": bar.text,
                "y": y,
                "text_y": y + BAR_HEIGHT // 2 + 4,
                "x": min(zero, end),
                "width": abs(end - zero),
                "negative": bar.value is not None and bar.value < 0,
                "value_x": max(zero, end) + 6,
            }
        )
    axis_y = len(rows) * ROW_HEIGHT + 4
    return {
        "rows": rows,
        "width": WIDTH,
        "height": axis_y + 18,
        "axis_y": axis_y,
        "zero": zero,
        "bar_height": BAR_HEIGHT,
        "ticks": [{"x": x_of(t), "label": f"{t:g}{unit}"} for t in ticks],
    }


def percent(value: float | None, digits: int = 0) -> str:
    return "\u2013" if value is None else f"{value * 100:.{digits}f}%"


def decimal(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.2f}"


def analysis_charts(result: QuizAnalysis) -> dict[str, object]:
    """The three charts: facility and discrimination per question, and scores by band."""
    q = gettext("Q%(position)s")
    facility = [
        Bar(q % {"position": i.position}, i.facility and i.facility * 100, percent(i.facility))
        for i in result.items
    ]
    discrimination = [
        Bar(q % {"position": i.position}, i.discrimination, decimal(i.discrimination))
        for i in result.items
    ]
    step = 100 // BUCKETS
    bands = [
        Bar(f"{low}\u2013{low + step}%", count, str(count))
        for low, count in zip(range(0, 100, step), result.distribution, strict=True)
    ]
    most = max(result.distribution, default=0) or 1
    return {
        "facility": bar_layout(facility, low=0, high=100, ticks=(0, 25, 50, 75, 100), unit="%"),
        "discrimination": bar_layout(
            discrimination, low=-1, high=1, ticks=(-1, -0.5, 0, 0.5, 1), unit=""
        ),
        "distribution": bar_layout(
            bands, low=0, high=most, ticks=sorted({0, most // 2, most}), unit=""
        ),
    }
