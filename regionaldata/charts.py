"""Small server-side SVG charts: a few kilobytes each, no JavaScript, always shown with their data table."""

import json
from functools import lru_cache
from html import escape
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

GEO_PATHS = Path(__file__).resolve().parent / "geo" / "countries-110m.paths.json"
PALETTE = ("#eef3f8", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
INK = "#1d2a36"


def _svg(width: int, height: int, title: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text inside was escaped when the body was built
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{body}</svg>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 11) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{INK}">{escape(text)}</text>'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(points: list[tuple[str, int]], *, title: str, width: int = 640, height: int = 240) -> SafeString:
    """A line of values over time with a zero-based axis."""
    if not points:
        return _svg(width, height, title, "")
    left, right, top, bottom = 56, 12, 12, 28
    top_value = _nice_max(max(value for _label, value in points))
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)
    coords = [
        (left + index * step, top + plot_h - (value / top_value) * plot_h)
        for index, (_label, value) in enumerate(points)
    ]
    parts = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h - fraction * plot_h
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(_text(left - 6, y + 4, f"{int(top_value * fraction):,}", anchor="end"))
    polyline = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts.append(f'<polyline points="{polyline}" fill="none" stroke="#08519c" stroke-width="2"/>')
    label_every = max(1, len(points) // 6)
    for index, (label, _value) in enumerate(points):
        if index % label_every == 0 or index == len(points) - 1:
            parts.append(
                f'<text x="{coords[index][0]:.1f}" y="{height - 8}" text-anchor="middle" font-size="11" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    return _svg(width, height, title, "".join(parts))


def bar_chart(items: list[tuple[str, int]], *, title: str, width: int = 640) -> SafeString:
    """Horizontal bars, largest first, labelled with their value."""
    row_h, left = 22, 180
    height = max(row_h * len(items) + 8, 30)
    top_value = _nice_max(max((value for _label, value in items), default=1))
    parts = []
    for index, (label, value) in enumerate(items):
        y = 4 + index * row_h
        bar = (width - left - 70) * (value / top_value)
        parts.append(_text(left - 6, y + 15, str(label)[:28], anchor="end", size=12))
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{bar:.1f}" height="{row_h - 6}" fill="#3182bd"/>')
        parts.append(f'<text x="{left + bar + 4:.1f}" y="{y + 15}" font-size="12" fill="{INK}">{value:,}</text>')
    return _svg(width, height, title, "".join(parts))


@lru_cache(maxsize=1)
def _shapes() -> dict:
    return json.loads(GEO_PATHS.read_text())


def choropleth(values: dict[str, int], *, title: str, names: dict[str, str] | None = None) -> SafeString:
    """Countries shaded by value in six classes (shipped Natural Earth 110m boundaries)."""
    geo = _shapes()
    positive = sorted(value for value in values.values() if value > 0)
    breaks = [positive[int(len(positive) * q / 5)] for q in range(1, 5)] if positive else []

    def shade(value: int) -> str:
        if value <= 0:
            return PALETTE[0]
        return PALETTE[1 + sum(1 for limit in breaks if value >= limit)]

    parts = []
    for code, shape in geo["countries"].items():
        value = values.get(code, 0)
        label = (names or {}).get(code, shape["name"])
        parts.append(
            f'<path d="{shape["d"]}" fill="{shade(value)}" stroke="#ffffff" stroke-width="0.4">'
            f"<title>{escape(label)}: {value:,}</title></path>"
        )
    legend_y = geo["height"] - 24
    for index, colour in enumerate(PALETTE):
        parts.append(
            f'<rect x="{10 + index * 34}" y="{legend_y}" width="32" height="12" fill="{colour}" stroke="#8899aa"/>'
        )
    parts.append(f'<text x="10" y="{legend_y - 4}" font-size="11" fill="{INK}">0 → more</text>')
    return _svg(int(geo["width"]), int(geo["height"]), title, "".join(parts))
