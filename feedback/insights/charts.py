"""Charts drawn on the server as SVG: no script, no CDN, crisp in print.

These functions only compute geometry from figures already aggregated; templates/_charts.html
draws it. Colours come from CSS classes (echo.css), and every chart sits next to a table or a
text that says the same thing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start, middle, end
    css: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str = "axis"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    polylines: list[tuple[str, str]] = field(default_factory=list)  # (points, css class)


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    values: list[float | None]  # None: hidden (anonymity), drawn as a hatched stub


@dataclass(frozen=True)
class Segment:
    value: float
    css: str
    title: str = ""


@dataclass(frozen=True)
class BarRow:
    label: str
    segments: list[Segment]
    note: str = ""  # written at the end of the bar (the figure itself, or why it is hidden)


def nice_ceiling(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 × a power of ten)."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def column_chart(categories: list[str], series: list[Series], *, width: int = 720,
                 height: int = 240, label_every: int = 1, hidden_label: str = "",
                 number: Callable[[float], str] | None = None) -> Chart:
    """Stacked columns, one per category (weeks): a column's height is the sum of its series."""
    number = number or _number
    left, right, top, bottom = 44, 8, 16, 40
    plot_width, plot_height = width - left - right, height - top - bottom
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    maximum = nice_ceiling(max(totals, default=0))
    chart = Chart(width, height)
    for fraction in (0, 0.5, 1):
        y = top + plot_height * (1 - fraction)
        chart.lines.append(Line(left, y, width - right, y, "grid" if fraction else "axis"))
        chart.texts.append(Text(left - 6, y + 4, number(maximum * fraction), "end", "tick"))
    if not categories:
        return chart
    slot = plot_width / len(categories)
    bar = max(slot * 0.7, 1)
    for i, category in enumerate(categories):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_height
        for s in series:
            value = s.values[i]
            if value is None:
                chart.rects.append(Rect(x, top + plot_height - 6, bar, 6, "hidden",
                                        f"{category}: {hidden_label}"))
                continue
            h = plot_height * value / maximum
            if h > 0:
                y -= h
                chart.rects.append(Rect(x, y, bar, h, s.css,
                                        f"{category} · {s.name}: {number(value)}"))
        if i % label_every == 0:
            chart.texts.append(Text(x + bar / 2, height - bottom + 16, category, "middle",
                                    "label"))
    return chart


def bar_chart(rows: list[BarRow], *, width: int = 720, label_width: int = 220,
              maximum: float = 1.0, row_height: int = 26) -> Chart:
    """Horizontal stacked bars, one row each, on a common scale (shares: 0 to 1)."""
    note_width = 110
    plot = width - label_width - note_width
    chart = Chart(width, row_height * len(rows) + 8)
    for index, row in enumerate(rows):
        y = 4 + index * row_height
        chart.texts.append(Text(label_width - 8, y + row_height * 0.62, row.label, "end",
                                "label"))
        x = float(label_width)
        for segment in row.segments:
            w = plot * segment.value / maximum if maximum else 0
            if w > 0:
                chart.rects.append(Rect(x, y + 3, w, row_height - 8, segment.css,
                                        segment.title))
                x += w
        if not row.segments:
            chart.rects.append(Rect(x, y + 3, 8, row_height - 8, "hidden", row.note))
            x += 8
        chart.texts.append(Text(x + 6, y + row_height * 0.62, row.note, "start", "value"))
    chart.lines.append(Line(label_width, 2, label_width, chart.height - 2))
    return chart


def sparkline(values: list[float | None], *, width: int = 120, height: int = 28,
              maximum: float | None = None) -> Chart:
    """A small line of a theme's weekly share; hidden weeks break the line (a lone week: a dot)."""
    chart = Chart(width, height)
    known = [v for v in values if v is not None]
    top = maximum or max(known, default=0) or 1
    step = (width - 4) / max(len(values) - 1, 1)
    runs: list[list[tuple[float, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((2 + i * step, height - 3 - (height - 6) * value / top))
    for run in runs:
        if len(run) > 1:
            chart.polylines.append((" ".join(f"{x:.1f},{y:.1f}" for x, y in run), "spark"))
        elif run:
            (x, y), = run
            chart.rects.append(Rect(x - 1.5, y - 1.5, 3, 3, "spark-dot"))
    chart.lines.append(Line(2, height - 3, width - 2, height - 3, "axis"))
    return chart


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if value >= 1 or value == 0 else f"{value:.2f}"


def line_chart(categories: list[str], series: list[Series], *, minimum: float, maximum: float,
               width: int = 720, height: int = 180, label_every: int = 1,
               number: Callable[[float], str] | None = None) -> Chart:
    """Lines over the same slots as column_chart (same margins and width: the charts of one
    page share their time axis); None breaks a line (a lone value: a dot)."""
    number = number or _number
    left, right, top, bottom = 44, 8, 16, 40
    plot_width, plot_height = width - left - right, height - top - bottom
    chart = Chart(width, height)
    span = (maximum - minimum) or 1
    for fraction in (0, 0.5, 1):
        y = top + plot_height * (1 - fraction)
        chart.lines.append(Line(left, y, width - right, y, "axis" if fraction == 0 else "grid"))
        chart.texts.append(Text(left - 6, y + 4, number(minimum + span * fraction), "end",
                                "tick"))
    if not categories:
        return chart
    slot = plot_width / len(categories)
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x = left + i * slot + slot / 2
            y = top + plot_height * (1 - (min(max(value, minimum), maximum) - minimum) / span)
            runs[-1].append((x, y))
            chart.rects.append(Rect(x - 2.5, y - 2.5, 5, 5, f"{s.css} dot",
                                    f"{categories[i]} · {s.name}: {number(value)}"))
        for run in runs:
            if len(run) > 1:
                chart.polylines.append((" ".join(f"{x:.1f},{y:.1f}" for x, y in run), s.css))
    for i, category in enumerate(categories):
        if i % label_every == 0:
            chart.texts.append(Text(left + i * slot + slot / 2, height - bottom + 16, category,
                                    "middle", "label"))
    return chart
