"""Draw the decision flow as SVG, straight from the model's include rules; optionally one reader's path on it.

The same drawing serves the static diagram (the site's reference page, written at build time) and the
reader's path (the questionnaire's worker and each case page): `flow_svg(model, fired=...)` marks the
include rules that fired for some answers (or the default when none did) and says so in the SVG's
description, for screen readers. No JavaScript and no external renderer; colours come from CSS classes
(docs/stylesheets/guide.css). Deterministic bytes; standard library only, so it runs in Pyodide too.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from html import escape

from decision.engine.evaluator import choose, full_state
from decision.engine.model import UNANSWERED, Model

WIDTH = 960
SPINE_X = 22
LEFT = 52
GAP = 26
LINE = 16  # text line height
CHAR = 6.9  # rough width of one character at 12.5px in a system sans-serif
PAD_X = 12
PAD_Y = 10


def values_phrase(values, order: tuple[str, ...] = ()) -> str:
    """'a, b or c' in the question's option order, with 'left open' last."""
    rank = {v: i for i, v in enumerate(order)}
    ordered = sorted(values, key=lambda v: (v == UNANSWERED, rank.get(v, len(rank)), v))
    shown = ["left open" if v == UNANSWERED else v for v in ordered]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def fired_include_rules(model: Model, answers: Mapping[str, str]) -> list[str]:
    """The ids of the include rules that fire for checked answers, in model order: the reader's path."""
    return [rule.id for rule in choose(model, full_state(model, answers))[1]]


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


def _arrow(x1: float, y1: float, x2: float, y2: float, marker: str) -> str:
    return (
        f'<line class="dq-flow-edge" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
        f'marker-end="url(#{marker})"/>'
    )


def _right_edges(parts: list[str]):
    for part in parts:
        for match in re.finditer(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', part):
            yield float(match.group(1)) + float(match.group(2))


def _path_words(model: Model, fired: list[str], default: str) -> str:
    if not fired:
        return f"For these answers no rule fired, so the recommendation is the default, {default}."
    lit = [rule for rule in model.include_rules if rule.id in fired]
    added = "; ".join(f"rule {rule.id} adds {model.components[rule.include].label}" for rule in lit)
    return f"For these answers {len(fired)} of the rules fired, highlighted: {added}."


def flow_svg(model: Model, fired: Collection[str] | None = None, id_prefix: str = "dq-flow") -> str:
    """Return an <svg> element: the include rules in order, each a chain of conditions ending in a component.

    With `fired` (include rule ids), the drawing is one reader's path: those rows (or the default, when
    none fired) carry the class `dq-flow-fired`, every row names its rule in `data-rule`, and the
    description lists what fired. `id_prefix` keeps the element ids unique when a page shows two drawings.
    """
    path = None if fired is None else [rule.id for rule in model.include_rules if rule.id in set(fired)]
    marker = f"{id_prefix}-arrow"
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
    for n, rule in enumerate(model.include_rules):
        row: list[str] = []
        lit = path is not None and rule.id in path
        status = " (fired for these answers)" if lit else ""
        row.append(
            f'<text class="dq-flow-label" x="{LEFT}" y="{y + 12:.0f}">{n + 1}. Rule {escape(rule.id)}'
            f"<title>Rule {escape(rule.id)}{status}</title></text>"
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
                row.append(_arrow(previous.x + previous.width, mid, box.x - 2, mid, marker))
            row.append(_rect(box))
            x += box.width + GAP
            row_height = max(row_height, box.height)
            previous = box
        css = "dq-flow-row dq-flow-fired" if lit else "dq-flow-row"
        parts.append(f'<g class="{css}" data-rule="{escape(rule.id)}">' + "".join(row) + "</g>")
        joins.append(row_top + boxes[0].height / 2)
        y = row_top + row_height + 22
    default = " + ".join(model.components[c].label for c in sorted(model.default_components))
    end = Box([f"No rule added anything: {default}"], f"dq-flow-result dq-flow-{sorted(model.default_components)[0]}")
    end.x, end.y = LEFT, y
    default_css = "dq-flow-row dq-flow-fired" if path == [] else "dq-flow-row"
    parts.append(f'<g class="{default_css}" data-rule="default">{_rect(end)}</g>')
    joins.append(y + end.height / 2)
    y += end.height + 14
    outcome = Box(["One component: that approach.  Two or more: a combination."], "dq-flow-start")
    outcome.x, outcome.y = LEFT, y
    parts.append(_rect(outcome))
    y += outcome.height + 8
    spine = [f'<line class="dq-flow-spine" x1="{SPINE_X}" y1="{spine_top:.0f}" x2="{SPINE_X}" y2="{joins[-1]:.0f}"/>']
    spine += [_arrow(SPINE_X, j, LEFT - 2, j, marker) for j in joins]
    height = y
    right = max(float(m) for m in _right_edges(parts)) + 8
    rules = len(model.include_rules)
    description = (
        f"{rules} rules, read in order, can each add a component when all their conditions hold; "
        f"if none does, the recommendation is {default}. The same rules are listed in the rule table "
        "on the reference page."
    )
    title = "How the engine chooses components"
    if path is not None:
        title = "Your path through the decision flow"
        description += " " + _path_words(model, path, default)
    css = "dq-flow dq-flow--path" if path is not None else "dq-flow"
    return (
        f'<svg class="{css}" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'viewBox="0 0 {right:.0f} {height:.0f}" width="{right:.0f}" height="{height:.0f}" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{id_prefix}-title">{title}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="dq-flow-arrowhead"/></marker></defs>'
        + "".join(spine)
        + "".join(parts)
        + "</svg>"
    )
