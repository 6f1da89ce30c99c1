"""An SVG chart of monthly cost against monthly calls: prompting (with and without caching) vs a fine-tune.

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
    calls = result.inputs.calls_per_month
    points = [even for even in (result.break_even_calls_per_month, result.break_even_uncached) if even is not None]
    target = calls if calls > 0 else (max(points, default=0) or 1000)
    for even in points:
        if even <= 10 * target:
            target = max(target, even)
    return target * 1.25


def _lines(result: CostResult) -> list[tuple[str, str, str, float, float]]:
    """(class key, label, dash pattern, cost at 0 calls, cost per call) of each line the chart draws."""
    r = result
    tuned_fixed = r.tuned_monthly - r.tuned_inference_monthly
    lines = [("prompting", "Prompting", "", r.prompting_gpu_monthly, r.prompting_per_call)]
    if r.prompting_per_call_uncached != r.prompting_per_call:
        lines.append(("prompting-uncached", "No cache", "2 4", r.prompting_gpu_monthly, r.prompting_per_call_uncached))
    lines.append(("tuned", "Fine-tuned", "8 5", tuned_fixed, r.tuned_per_call))
    return lines


def cost_chart(result: CostResult, *, id_prefix: str = "cost-chart", width: int = WIDTH, height: int = HEIGHT) -> str:
    """Monthly cost of each route from 0 calls to a little beyond the volume and the break-even point;
    prompting without caching is drawn too when caching changes its cost."""
    calls, even = result.inputs.calls_per_month, result.break_even_calls_per_month
    lines = _lines(result)
    x_max, x_step = _axis_max(_x_range(result))
    top_cost = max([start + x_max * per_call for _, _, _, start, per_call in lines] + [start for *_, start, _ in lines])
    y_max, y_step = _axis_max(max(top_cost, 1e-9) * 1.05)
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
    # solid for prompting, dotted for prompting without caching, dashed for the fine-tune, each named at its end;
    # end labels are placed from the bottom up and kept 16 px apart
    ends = sorted((start + x_max * per_call, key, name, dash, start) for key, name, dash, start, per_call in lines)
    label_ys: list[float] = []
    for end, *_ in ends:
        y = float(py(end))
        label_ys.append(min(y, label_ys[-1] - 16) if label_ys else y)
    for (end, key, name, dash, start), label_y in zip(ends, label_ys, strict=True):
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        weight = "1.5" if key == "prompting-uncached" else "2.5"
        out.append(
            f'<path class="cost-chart-{key}" d="M{px(0)} {py(start)}L{right} {py(end)}" fill="none" '
            f'stroke="currentColor" stroke-width="{weight}"{dashes}/>'
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
    prompting_at = lines[0][3], lines[0][4]
    if even is not None and even <= x_max:
        x, y = px(even), py(prompting_at[0] + even * prompting_at[1])
        anchor, dx, dy = _beside(even / x_max)
        out.append(
            f'<circle class="cost-chart-break-even" cx="{x}" cy="{y}" r="5" fill="none" '
            f'stroke="currentColor" stroke-width="2"/>'
        )
        labels.append(
            f'<text x="{float(x) + dx:.1f}" y="{float(y) + dy:.1f}" text-anchor="{anchor}" font-weight="bold">'
            f"Break-even: {_short(even)} calls</text>"
        )
    else:
        labels.append(f'<text x="{LEFT + 8}" y="{TOP + 14}" font-weight="bold">{_no_marker(result)}</text>')
    uncached = result.break_even_uncached
    if len(lines) == 3 and uncached is not None and uncached <= x_max and uncached != even:
        # where prompting without caching would have met the fine-tune: what caching moved
        x, y = px(uncached), py(prompting_at[0] + uncached * result.prompting_per_call_uncached)
        anchor, dx, dy = _beside(uncached / x_max)
        out.append(
            f'<rect class="cost-chart-break-even-uncached" x="{float(x) - 4:.1f}" y="{float(y) - 4:.1f}" '
            f'width="8" height="8" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        )
        labels.append(
            f'<text x="{float(x) + dx:.1f}" y="{float(y) + dy:.1f}" text-anchor="{anchor}">'
            f"Without caching: {_short(uncached)} calls</text>"
        )
    labels.append("</g>")
    return "\n".join([*out, *labels, "</svg>"]) + "\n"


def _beside(share: float) -> tuple[str, int, int]:
    """Where a crossing's label goes: every line rises to the right, so the space above-left of a crossing
    and below-right of it is clear of them; above-left unless the point sits near the left edge."""
    return ("end", -10, -10) if share > 0.35 else ("start", 10, 20)


def _no_marker(result: CostResult) -> str:
    side = result.tuned_cheaper
    if side == "never":
        return "No break-even: prompting is cheaper at any volume"
    if side == "always":
        return "No break-even: the fine-tune is cheaper at any volume"
    return f"Break-even ({_short(result.break_even_calls_per_month)} calls) is off this chart"


def describe_chart(result: CostResult) -> str:
    """The chart in words, for screen readers and the <desc> element."""
    r = result
    calls, even = r.inputs.calls_per_month, r.break_even_calls_per_month
    fixed = r.tuned_monthly - r.tuned_inference_monthly
    start = (
        "starts at $0 a month"
        if r.prompting_gpu_monthly == 0
        else f"starts at {money(r.prompting_gpu_monthly)} a month"
    )
    parts = [
        f"Prompting costs {money(r.prompting_per_call)} a call and {start}. "
        f"The fine-tuned model costs {money(r.tuned_per_call)} a call on top of "
        f"{money(fixed)} a month of fixed costs.",
    ]
    if r.prompting_per_call_uncached != r.prompting_per_call:
        parts.append(f"Without prompt caching, prompting would cost {money(r.prompting_per_call_uncached)} a call.")
    parts.append(
        f"At your volume of {count(calls)} calls a month, prompting costs {money(r.prompting_monthly)} "
        f"and the fine-tune {money(r.tuned_monthly)}."
    )
    if even is not None:
        parts.append(
            f"The prompting and fine-tune lines cross at the break-even volume of {count(even)} calls a month."
        )
    elif r.tuned_cheaper == "always":
        parts.append("The lines never cross: the fine-tune is always cheaper.")
    else:
        parts.append("The lines never cross: the fine-tune is never cheaper.")
    return " ".join(parts)
