"""Draw the decision flow as inline SVG, straight from the model's component rules.

No JavaScript and no external renderer: the build writes plain SVG into the page, so
the flow is visible with scripts off. Colours come from CSS classes (see
docs/stylesheets/guide.css), which follow Material's light and dark palettes.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from html import escape

from decision import Model
from site_glue.views import values_phrase

WIDTH = 960
SPINE_X = 22
LEFT = 52
GAP = 26
LINE = 16  # text line height
CHAR = 6.9  # rough width of one character at 12.5px in a system sans-serif
PAD_X = 12
PAD_Y = 10


@dataclass
class Box:
    lines: list[str]
    css: str
    x: float = 0
    y: float = 0

    @property
    def width(self) -> float:
        return max(110.0, max(len(line) for line in self.lines) * CHAR + 2 * PAD_X)

    @property
    def height(self) -> float:
        return len(self.lines) * LINE + 2 * PAD_Y


def _wrap(text: str, width: int = 24) -> list[str]:
    return textwrap.wrap(text, width) or [text]


def _condition_boxes(model: Model, rule) -> list[Box]:
    boxes = [Box([q, *_wrap("is " + values_phrase(v, model.question(q).values))], "dq-flow-cond") for q, v in rule.when]
    if rule.with_components:
        names = " + ".join(model.components[c].label for c in sorted(rule.with_components))
        boxes.append(Box(["already chosen", *_wrap(names)], "dq-flow-cond dq-flow-with"))
    if rule.without_components:
        names = " + ".join(model.components[c].label for c in sorted(rule.without_components))
        boxes.append(Box(["not chosen", *_wrap(names)], "dq-flow-cond dq-flow-with"))
    return boxes


def _text(box: Box) -> str:
    out = []
    for i, line in enumerate(box.lines):
        y = box.y + PAD_Y + LINE * (i + 1) - 4
        weight = ' class="dq-flow-strong"' if i == 0 else ""
        out.append(f'<text x="{box.x + PAD_X:.0f}" y="{y:.0f}"{weight}>{escape(line)}</text>')
    return "".join(out)


def _rect(box: Box) -> str:
    return (
        f'<g class="{box.css}"><rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.width:.0f}" '
        f'height="{box.height:.0f}" rx="8"/>{_text(box)}</g>'
    )


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line class="dq-flow-edge" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
        'marker-end="url(#dq-arrow)"/>'
    )


def _right_edges(parts: list[str]):
    for part in parts:
        for match in re.finditer(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', part):
            yield float(match.group(1)) + float(match.group(2))


def flow_svg(model: Model) -> str:
    """Return an <svg> element: the include rules in order, each a chain of conditions ending in a component."""
    parts: list[str] = []
    y = 8.0
    start = Box(
        [
            "Your answers (any may be left open)",
            "Each row adds its component when all its boxes hold;",
            "rows are read from top to bottom",
        ],
        "dq-flow-start",
    )
    start.x, start.y = LEFT - 30, y
    parts.append(_rect(start))
    y += start.height + 18
    spine_top = y - 18
    joins: list[float] = []
    for n, rule in enumerate(r for r in model.rules if r.include):
        parts.append(
            f'<text class="dq-flow-label" x="{LEFT}" y="{y + 12:.0f}">{n + 1}. Rule {escape(rule.id)}'
            f"<title>Rule {escape(rule.id)}</title></text>"
        )
        y += 20
        boxes = _condition_boxes(model, rule)
        label = model.components[rule.include].label
        boxes.append(Box(["add " + label], f"dq-flow-result dq-flow-{rule.include}"))
        x, row_top, row_height = float(LEFT), y, 0.0
        previous: Box | None = None
        for box in boxes:
            if x + box.width > WIDTH - 4 and previous is not None:
                y = row_top + row_height + 14
                x, row_top, row_height = float(LEFT), y, 0.0
                previous = None
            box.x, box.y = x, row_top
            if previous is not None:
                mid = row_top + min(previous.height, box.height) / 2
                parts.append(_arrow(previous.x + previous.width, mid, box.x - 2, mid))
            parts.append(_rect(box))
            x += box.width + GAP
            row_height = max(row_height, box.height)
            previous = box
        joins.append(row_top + boxes[0].height / 2)
        y = row_top + row_height + 22
    default = " + ".join(model.components[c].label for c in sorted(model.default_components))
    end = Box([f"No rule added anything: {default}"], f"dq-flow-result dq-flow-{sorted(model.default_components)[0]}")
    end.x, end.y = LEFT, y
    parts.append(_rect(end))
    joins.append(y + end.height / 2)
    y += end.height + 14
    outcome = Box(["One component: that approach.  Two or more: a combination."], "dq-flow-start")
    outcome.x, outcome.y = LEFT, y
    parts.append(_rect(outcome))
    y += outcome.height + 8
    spine = [f'<line class="dq-flow-spine" x1="{SPINE_X}" y1="{spine_top:.0f}" x2="{SPINE_X}" y2="{joins[-1]:.0f}"/>']
    spine += [_arrow(SPINE_X, j, LEFT - 2, j) for j in joins]
    height = y
    right = max(float(m) for m in _right_edges(parts)) + 8
    rules = sum(1 for r in model.rules if r.include)
    description = (
        f"{rules} rules, read in order, can each add a component when all their conditions hold; "
        f"if none does, the recommendation is {default}. The same rules are listed in the table below."
    )
    return (
        f'<svg class="dq-flow" role="img" aria-labelledby="dq-flow-title dq-flow-desc" '
        f'viewBox="0 0 {right:.0f} {height:.0f}" width="{right:.0f}" height="{height:.0f}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="dq-flow-title">How the engine chooses components</title>'
        f'<desc id="dq-flow-desc">{escape(description)}</desc>'
        '<defs><marker id="dq-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="dq-flow-arrowhead"/></marker></defs>'
        + "".join(spine)
        + "".join(parts)
        + "</svg>"
    )
