"""SVG charts for a gap result, drawn as strings so the CLI, the docs build and the browser get the same bytes.

Intervals against the bar (or against no difference), or items needed against the difference, or the
accuracy that pays against the cost of an error. Everything is drawn in currentColor and told apart by
line style and text, with classes (`gap-chart-...`) a stylesheet may colour; no style attributes.
"""

from __future__ import annotations

import math
from html import escape

from decision.gap import stats
from decision.gap.calculations import GapResult

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 150, 40, 40, 56
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _step(span: float) -> float:
    """1, 2 or 5 × a power of ten giving about five ticks across span."""
    raw = span / 5
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-12))


def _ticks(low: float, high: float) -> tuple[float, float, list[float]]:
    if high - low < 1e-9:  # a flat range still needs an axis
        low, high = low - max(1.0, abs(low) * 0.1), high + max(1.0, abs(high) * 0.1)
    step = _step(high - low)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return first * step, last * step, [i * step for i in range(first, last + 1)]


def _open(title: str, description: str, id_prefix: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gap-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
    ]


def _intervals_chart(
    rows: list[tuple[str, float, float, float]],
    mark: float,
    mark_label: str,
    scale: float,
    unit: str,
    title: str,
    description: str,
    id_prefix: str,
) -> str:
    """Horizontal intervals (label, low, estimate, high) against a vertical mark; values × scale on the axis."""
    height = TOP + BOTTOM + 44 * len(rows)
    values = [mark] + [v for row in rows for v in row[1:]]
    span = max(values) - min(values) or 0.01
    low, high, ticks = _ticks(min(values) - span * 0.08, max(values) + span * 0.08)
    plot_w, bottom = WIDTH - LEFT - RIGHT, height - BOTTOM

    def px(value: float) -> str:
        return f"{LEFT + (value - low) / (high - low) * plot_w:.1f}"

    out = _open(title, description, id_prefix, height)
    out.append('<g class="gap-chart-grid" stroke="currentColor" stroke-opacity="0.15" stroke-width="1">')
    labels = [f'<g class="gap-chart-labels" fill="currentColor" {FONT}>']
    for tick in ticks:
        out.append(f'<line x1="{px(tick)}" y1="{TOP}" x2="{px(tick)}" y2="{bottom}"/>')
        labels.append(f'<text x="{px(tick)}" y="{bottom + 18}" text-anchor="middle">{tick * scale:.4g}{unit}</text>')
    out.append("</g>")
    for index, (label, start, estimate, end) in enumerate(rows):
        y = TOP + 22 + 44 * index
        out.append(
            f'<path class="gap-chart-interval" d="M{px(start)} {y}H{px(end)}M{px(start)} {y - 7}V{y + 7}'
            f'M{px(end)} {y - 7}V{y + 7}" fill="none" stroke="currentColor" stroke-width="2.5"/>'
        )
        out.append(f'<circle class="gap-chart-estimate" cx="{px(estimate)}" cy="{y}" r="4" fill="currentColor"/>')
        labels.append(f'<text x="{LEFT - 10}" y="{y}" dy="4" text-anchor="end">{escape(label)}</text>')
    out.append(
        f'<line class="gap-chart-bar" x1="{px(mark)}" y1="{TOP - 6}" x2="{px(mark)}" y2="{bottom}" '
        f'stroke="currentColor" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    labels.append(
        f'<text x="{px(mark)}" y="{TOP - 12}" text-anchor="middle" font-weight="bold">{escape(mark_label)}</text>'
    )
    labels.append("</g>")
    return "\n".join([*out, *labels, "</svg>"]) + "\n"


def _line_chart(
    points: list[tuple[float, float]],
    you: tuple[float, float],
    x_label: str,
    y_label: str,
    x_unit: str,
    title: str,
    description: str,
    id_prefix: str,
    ceiling: float | None = None,
) -> str:
    """One curve through points (x, y) with the reader's point circled; an optional dashed ceiling."""
    height = HEIGHT
    xs, ys = [x for x, _ in points], [y for _, y in points] + ([ceiling] if ceiling is not None else [])
    x_low, x_high, x_ticks = _ticks(min(xs), max(xs))
    y_low, y_high, y_ticks = _ticks(min(0.0, min(ys)) if ceiling is None else min(ys), max(ys))
    plot_w, plot_h, bottom = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM, height - BOTTOM

    def px(x: float) -> str:
        return f"{LEFT + (x - x_low) / (x_high - x_low) * plot_w:.1f}"

    def py(y: float) -> str:
        return f"{TOP + plot_h - (y - y_low) / (y_high - y_low) * plot_h:.1f}"

    out = _open(title, description, id_prefix, height)
    out.append('<g class="gap-chart-grid" stroke="currentColor" stroke-opacity="0.15" stroke-width="1">')
    labels = [f'<g class="gap-chart-labels" fill="currentColor" {FONT}>']
    for tick in x_ticks:
        out.append(f'<line x1="{px(tick)}" y1="{TOP}" x2="{px(tick)}" y2="{bottom}"/>')
        labels.append(f'<text x="{px(tick)}" y="{bottom + 18}" text-anchor="middle">{tick:.4g}{x_unit}</text>')
    for tick in y_ticks:
        out.append(f'<line x1="{LEFT}" y1="{py(tick)}" x2="{WIDTH - RIGHT}" y2="{py(tick)}"/>')
        labels.append(f'<text x="{LEFT - 8}" y="{py(tick)}" dy="4" text-anchor="end">{tick:,.6g}</text>')
    out.append("</g>")
    path = "M" + "L".join(f"{px(x)} {py(y)}" for x, y in points)
    out.append(f'<path class="gap-chart-curve" d="{path}" fill="none" stroke="currentColor" stroke-width="2.5"/>')
    if ceiling is not None:
        out.append(
            f'<line class="gap-chart-ceiling" x1="{LEFT}" y1="{py(ceiling)}" x2="{WIDTH - RIGHT}" y2="{py(ceiling)}" '
            f'stroke="currentColor" stroke-dasharray="6 4"/>'
        )
    out.append(
        f'<circle class="gap-chart-you" cx="{px(you[0])}" cy="{py(you[1])}" r="6" fill="none" '
        f'stroke="currentColor" stroke-width="2"/>'
    )
    labels += [
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{height - 12}" text-anchor="middle">{escape(x_label)}</text>',
        f'<text x="16" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {TOP + plot_h / 2:.1f})">{escape(y_label)}</text>',
        "</g>",
    ]
    return "\n".join([*out, *labels, "</svg>"]) + "\n"


def gap_chart(result: GapResult, *, id_prefix: str = "gap-chart") -> str:
    """The chart that fits the calculation."""
    f, v, calculation = result.figures, result.inputs.values, result.inputs.calculation
    if calculation == "bar":
        rows = [
            (name, f["intervals"][key]["low"], f["accuracy"], f["intervals"][key]["high"])
            for name, key in (("Wilson", "wilson"), ("Clopper–Pearson", "clopper_pearson"), ("Wald", "wald"))
        ]
        return _intervals_chart(
            rows,
            v["bar"],
            f"Bar {v['bar'] * 100:.4g}%",
            100,
            "%",
            "Accuracy intervals against the quality bar",
            result.verdict,
            id_prefix,
        )
    if calculation in ("paired", "independent"):
        rows = [("Candidate − baseline", f["interval"]["low"], f["difference"], f["interval"]["high"])]
        return _intervals_chart(
            rows,
            0.0,
            "No difference",
            100,
            " pts",
            "Interval for the difference in accuracy",
            result.verdict,
            id_prefix,
        )
    if calculation == "plan":
        base, difference = v["baseline_accuracy"], v["candidate_accuracy"] - v["baseline_accuracy"]
        sign = 1 if difference > 0 else -1
        room = (1 - base) if sign > 0 else base
        top = min(abs(difference) * 2, room)
        curve = []
        for i in range(1, 41):
            gap = abs(difference) / 2 + (top - abs(difference) / 2) * (i - 1) / 39
            curve.append((gap * 100, stats.items_per_system(base, base + sign * gap, v["alpha"], v["power"])))
        return _line_chart(
            curve,
            (abs(difference) * 100, f["items_per_system"]),
            "Difference to detect (points)",
            "Items per system",
            "",
            "Items needed against the difference to detect",
            result.verdict,
            id_prefix,
        )
    per_error = v["cost_per_error"]
    curve = []
    for i in range(41):
        cost = per_error * (0.25 + 3.75 * i / 40)
        bar = stats.cost_bar(v["calls_per_month"], cost, v["baseline_accuracy"], v["extra_monthly_cost"])
        if bar.accuracy_to_pay is not None:
            curve.append((cost, min(float(bar.accuracy_to_pay), 1.05) * 100))
    you = f["accuracy_to_pay"]
    if not curve or you is None:
        curve, you = [(0.0, v["baseline_accuracy"] * 100), (1.0, v["baseline_accuracy"] * 100)], v["baseline_accuracy"]
    return _line_chart(
        curve,
        (per_error, min(you, 1.05) * 100),
        "Cost of one error",
        "Accuracy that pays (%)",
        "",
        "The accuracy a fine-tune must reach against the cost of an error",
        result.verdict,
        id_prefix,
        ceiling=100.0,
    )
