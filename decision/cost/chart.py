"""An SVG chart of monthly cost against monthly calls: prompting vs a fine-tune, break-even marked.

Pure string building, so the docs build and the browser draw the same bytes.
Everything is drawn in currentColor and told apart by line style and text
labels, so it reads in light and dark themes and without colour; the classes
(`cost-chart-prompting`, `cost-chart-tuned`, ...) let a stylesheet add colour.
"""

from __future__ import annotations

import math
from html import escape

from decision.cost.model import CostResult
from decision.cost.numbers import count, money

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 76, 112, 24, 56
TICKS = 5
RESULT_CHART_ID = "cost-result-chart"  # id prefix of the calculator's result chart (the page holds two)
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _nice_step(span: float) -> float:
    """1, 2 or 5 × a power of ten, about span / TICKS (only exact float steps: same output everywhere)."""
    raw = span / TICKS
    magnitude = 1.0
    while magnitude * 10 <= raw:
        magnitude *= 10
    while magnitude > raw and magnitude > 1e-9:
        magnitude /= 10
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _axis_max(value: float) -> tuple[float, float]:
    step = _nice_step(max(value, 1e-9))
    return step * max(1, math.ceil(value / step)), step


def _short(value: float, prefix: str = "") -> str:
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{prefix}{value / size:.3g}{suffix}"
    return f"{prefix}{value:.3g}"


def _x_range(result: CostResult) -> float:
    calls, even = result.inputs.calls_per_month, result.break_even_calls_per_month
    target = calls if calls > 0 else (even or 1000)
    if even is not None and even <= 10 * target:
        target = max(target, even)
    return target * 1.25


def cost_chart(result: CostResult, *, id_prefix: str = "cost-chart", width: int = WIDTH, height: int = HEIGHT) -> str:
    """Both monthly-cost lines from 0 calls to a little beyond the volume and the break-even point."""
    calls, even = result.inputs.calls_per_month, result.break_even_calls_per_month
    fixed = result.tuned_monthly - result.tuned_inference_monthly
    x_max, x_step = _axis_max(_x_range(result))

    def prompting(n: float) -> float:
        return n * result.prompting_per_call

    def tuned(n: float) -> float:
        return fixed + n * result.tuned_per_call

    y_max, y_step = _axis_max(max(prompting(x_max), tuned(x_max), tuned(0), 1e-9) * 1.05)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def px(n: float) -> str:
        return f"{LEFT + n / x_max * plot_w:.1f}"

    def py(cost: float) -> str:
        return f"{TOP + plot_h - cost / y_max * plot_h:.1f}"

    bottom, right = f"{TOP + plot_h:.1f}", f"{LEFT + plot_w:.1f}"
    title = "Monthly cost against calls per month: prompting versus a fine-tuned model"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cost-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(describe_chart(result))}</desc>',
        '<g class="cost-chart-grid" stroke="currentColor" stroke-opacity="0.15" stroke-width="1">',
    ]
    labels = [f'<g class="cost-chart-labels" fill="currentColor" {FONT}>']
    for i in range(round(x_max / x_step) + 1):
        n = i * x_step
        out.append(f'<line x1="{px(n)}" y1="{TOP}" x2="{px(n)}" y2="{bottom}"/>')
        labels.append(f'<text x="{px(n)}" y="{TOP + plot_h + 18}" text-anchor="middle">{_short(n)}</text>')
    for i in range(round(y_max / y_step) + 1):
        cost = i * y_step
        out.append(f'<line x1="{LEFT}" y1="{py(cost)}" x2="{right}" y2="{py(cost)}"/>')
        labels.append(f'<text x="{LEFT - 8}" y="{py(cost)}" dy="4" text-anchor="end">{_short(cost, "$")}</text>')
    out.append("</g>")
    labels += [
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{height - 12}" text-anchor="middle">Calls per month</text>',
        f'<text x="16" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {TOP + plot_h / 2:.1f})">Monthly cost</text>',
    ]
    out.append(f'<path class="cost-chart-axes" d="M{LEFT} {TOP}V{bottom}H{right}" fill="none" stroke="currentColor"/>')
    # the two options: solid for prompting, dashed for the fine-tune, each named at its right end
    ends = sorted([(prompting(x_max), "Prompting", "prompting", ""), (tuned(x_max), "Fine-tuned", "tuned", "8 5")])
    low_y, high_y = float(py(ends[0][0])), float(py(ends[1][0]))
    if low_y - high_y < 16:  # keep the two end labels apart
        high_y = low_y - 16
    for (end, name, key, dash), label_y in zip(ends, (low_y, high_y), strict=True):
        start = prompting(0) if key == "prompting" else tuned(0)
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path class="cost-chart-{key}" d="M{px(0)} {py(start)}L{right} {py(end)}" fill="none" '
            f'stroke="currentColor" stroke-width="2.5"{dashes}/>'
        )
        labels.append(
            f'<text class="cost-chart-{key}-label" x="{float(right) + 6:.1f}" y="{label_y:.1f}" dy="4">{name}</text>'
        )
    if calls <= x_max:
        out.append(
            f'<line class="cost-chart-volume" x1="{px(calls)}" y1="{TOP}" x2="{px(calls)}" y2="{bottom}" '
            f'stroke="currentColor" stroke-dasharray="2 3"/>'
        )
        labels.append(f'<text x="{px(calls)}" y="{TOP - 8}" text-anchor="middle">Your volume: {_short(calls)}</text>')
    if even is not None and even <= x_max:
        x, y = px(even), py(prompting(even))
        anchor = "end" if even > x_max * 0.6 else "start"
        shift = -10 if anchor == "end" else 10
        out.append(
            f'<circle class="cost-chart-break-even" cx="{x}" cy="{y}" r="5" fill="none" '
            f'stroke="currentColor" stroke-width="2"/>'
        )
        labels.append(
            f'<text x="{float(x) + shift:.1f}" y="{float(y) - 10:.1f}" text-anchor="{anchor}" font-weight="bold">'
            f"Break-even: {_short(even)} calls</text>"
        )
    else:
        note = "No break-even: prompting is cheaper at any volume" if even is None else "Break-even is off this chart"
        labels.append(f'<text x="{LEFT + 8}" y="{TOP + 14}" font-weight="bold">{note}</text>')
    labels.append("</g>")
    return "\n".join([*out, *labels, "</svg>"]) + "\n"


def describe_chart(result: CostResult) -> str:
    """The chart in words, for screen readers and the <desc> element."""
    calls, even = result.inputs.calls_per_month, result.break_even_calls_per_month
    fixed = result.tuned_monthly - result.tuned_inference_monthly
    parts = [
        f"Prompting costs {money(result.prompting_per_call)} a call and starts at $0 a month. "
        f"The fine-tuned model costs {money(result.tuned_per_call)} a call on top of "
        f"{money(fixed)} a month of fixed costs.",
        f"At your volume of {count(calls)} calls a month, prompting costs {money(result.prompting_monthly)} "
        f"and the fine-tune {money(result.tuned_monthly)}.",
    ]
    if even is None:
        parts.append("The lines never cross: the fine-tune is never cheaper.")
    else:
        parts.append(f"The lines cross at the break-even volume of {count(even)} calls a month.")
    return " ".join(parts)
