"""Charts drawn on the server as inline SVG: horizontal bars and a line, no script and no
external reference (DESIGN: nothing is loaded from a CDN).

A value the reader may not see (a count under 5, a rate over too few people) is drawn as a
gap: no bar, no point, its marker instead, and a legend line saying why. Each chart is an
image for screen readers (``role="img"`` with its title and description); the table under
it, with the same numbers, is their accessible source. Names and numbers are data, in
``translate="no"`` groups; every other text comes from the caller, already translated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
INK, MUTED, LINE, BAR = "#1b1b1b", "#4a4f57", "#8a9099", "#0b5394"
FONT = 'font-family="system-ui, sans-serif" font-size="13"'
LEGEND_LINE = 20


@dataclass(frozen=True, slots=True)
class Point:
    """One value of a chart: its label, the number drawn (None when hidden), and how the
    value is written (``"12"``, ``"85 %"``, or the hidden marker ``"<5"``, ``"x"``, ``"-"``)."""

    label: str
    value: float | None
    shown: str


@dataclass(frozen=True, slots=True)
class Words:
    """What a chart says besides its data, in the reader's language."""

    title: str
    description: str
    gaps: Mapping[str, str]
    """Hidden marker -> why it is hidden; the legend lists the markers the chart shows."""
    target: str = ""
    """The label of the target line, when the chart has one."""


def _text(x: float, y: float, content: str, anchor: str = "start", fill: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">'
        f"{escape(content)}</text>"
    )


def _open(chart_id: str, height: float, words: Words) -> str:
    return (
        f'<svg class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-titre {escape(chart_id)}-desc" {FONT}>'
        f'<title id="{escape(chart_id)}-titre">{escape(words.title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(words.description)}</desc>'
    )


def _legend(points: Sequence[Point], words: Words, top: float) -> tuple[list[str], float]:
    """The legend of the hidden markers shown, from ``top``; its parts and its height."""
    markers = [m for m in words.gaps if any(p.value is None and p.shown == m for p in points)]
    parts = []
    for n, marker in enumerate(markers):
        y = top + LEGEND_LINE * n + 14
        parts.append(f'<g translate="no">{_text(4, y, marker, fill=MUTED)}</g>')
        parts.append(_text(32, y, f": {words.gaps[marker]}", fill=MUTED))
    return parts, LEGEND_LINE * len(markers) + (8 if markers else 0)


def bar_chart(
    chart_id: str,
    points: Sequence[Point],
    words: Words,
    *,
    maximum: float | None = None,
    target: float | None = None,
) -> Markup:
    """Horizontal bars, one per point, from 0 to ``maximum`` (the largest value when None);
    a dashed line at ``target`` when given (labelled ``words.target``)."""
    label_width, value_width, row, bar = 260, 64, 30, 18
    left, right = label_width, WIDTH - value_width
    top = 24 if target is not None else 8
    scale = maximum or max((p.value or 0 for p in points), default=0) or 1
    parts: list[str] = []
    for n, point in enumerate(points):
        y = top + n * row
        middle = y + bar / 2 + 4
        parts.append(f'<g translate="no">{_text(left - 8, middle, point.label, "end")}</g>')
        if point.value is None:
            parts.append(
                f'<rect x="{left}" y="{y}" width="{right - left}" height="{bar}" fill="none" '
                f'stroke="{MUTED}" stroke-dasharray="4 4"/>'
            )
            marker = _text(left + 8, middle, point.shown, fill=MUTED)
            parts.append(f'<g translate="no">{marker}</g>')
            continue
        width = (right - left) * min(point.value / scale, 1)
        parts.append(f'<rect x="{left}" y="{y}" width="{width:.1f}" height="{bar}" fill="{BAR}"/>')
        parts.append(f'<g translate="no">{_text(left + width + 6, middle, point.shown)}</g>')
    bottom = top + len(points) * row
    parts.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{bottom}" stroke="{LINE}"/>')
    if target is not None:
        x = left + (right - left) * target / scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="{INK}" '
            f'stroke-dasharray="6 3"/>'
        )
        parts.append(_text(x, 14, words.target, "middle"))
    legend, legend_height = _legend(points, words, bottom + 4)
    height = bottom + 8 + legend_height
    return Markup(_open(chart_id, height, words) + "".join(parts + legend) + "</svg>")


def nice_ceiling(value: float) -> float:
    """The round number at or above ``value`` that an axis ends at (1, 2, 5 times a power
    of ten); 5 at least, so that an axis of small counts is not all ticks."""
    if value <= 5:
        return 5
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def line_chart(chart_id: str, points: Sequence[Point], words: Words) -> Markup:
    """A line through the points in order, broken where a value is hidden; the hidden
    point's marker sits on the axis instead. Labels are thinned to about twelve."""
    left, right, top, plot = 56, WIDTH - 40, 12, 180
    bottom = top + plot
    scale = nice_ceiling(max((p.value or 0 for p in points), default=0))
    step = (right - left) / max(len(points) - 1, 1)

    def x_of(n: int) -> float:
        return left + step * n if len(points) > 1 else (left + right) / 2

    def y_of(value: float) -> float:
        return bottom - plot * value / scale

    parts: list[str] = []
    for tick in (0, scale / 2, scale):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{LINE}" '
            f'stroke-width="{1 if tick == 0 else 0.5}"/>'
        )
        parts.append(f'<g translate="no">{_text(left - 6, y + 4, f"{tick:g}", "end")}</g>')
    every = max(1, math.ceil(len(points) / 12))
    segments: list[list[str]] = [[]]
    for n, point in enumerate(points):
        x = x_of(n)
        if n % every == 0:
            label = _text(x, bottom + 18, point.label, "middle", MUTED)
            parts.append(f'<g translate="no">{label}</g>')
        if point.value is None:
            segments.append([])
            parts.append(f'<g translate="no">{_text(x, bottom - 6, point.shown, "middle")}</g>')
            continue
        y = y_of(point.value)
        segments[-1].append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BAR}"/>')
    for segment in segments:
        if len(segment) > 1:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{BAR}" '
                f'stroke-width="2"/>'
            )
    legend, legend_height = _legend(points, words, bottom + 28)
    height = bottom + 32 + legend_height
    return Markup(_open(chart_id, height, words) + "".join(parts + legend) + "</svg>")
