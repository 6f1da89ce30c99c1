"""Draw the decision flow as SVG, straight from the model's include rules; optionally one reader's path on it.

The same drawing serves the static diagram (the site's reference page, written at build time) and the
reader's path (the questionnaire's worker and each case page): `flow_svg(model, fired=...)` marks the
include rules that fired for some answers (or the default when none did) and says so in the SVG's
description, for screen readers. No JavaScript and no external renderer; colours come from CSS classes
(docs/stylesheets/guide.css). Deterministic bytes; standard library only, so it runs in Pyodide too.
"""

from __future__ import annotations

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


# A drawing is a tree of nodes, [tag, {attribute: value}, [child, ...]], a child being a node or text: the
# static pages write it as markup (`markup`), the questionnaire's page builds it element by element from the
# JSON of the same tree, so nothing in the browser parses markup.
Node = list


def node(tag: str, attributes: dict[str, str] | None = None, *children) -> Node:
    return [tag, dict(attributes or {}), [c for c in children if c is not None]]


def markup(tree: Node | str) -> str:
    """The tree as SVG markup; deterministic (attributes in the order they were given)."""
    if isinstance(tree, str):
        return escape(tree)
    tag, attributes, children = tree
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
    if not children:
        return f"<{tag}{attrs}/>"
    return f"<{tag}{attrs}>" + "".join(markup(child) for child in children) + f"</{tag}>"


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


def _text(box: Box) -> list[Node]:
    out = []
    for i, line in enumerate(box.lines):
        y = box.y + PAD_Y + LINE * (i + 1) - 4
        weight = {"class": "dq-flow-strong"} if i == 0 else {}
        out.append(node("text", {"x": f"{box.x + PAD_X:.0f}", "y": f"{y:.0f}", **weight}, line))
    return out


def _rect(box: Box) -> Node:
    size = {"x": f"{box.x:.0f}", "y": f"{box.y:.0f}", "width": f"{box.width:.0f}", "height": f"{box.height:.0f}"}
    return node("g", {"class": box.css}, node("rect", {**size, "rx": "8"}), *_text(box))


def _arrow(x1: float, y1: float, x2: float, y2: float, marker: str) -> Node:
    ends = {"x1": f"{x1:.0f}", "y1": f"{y1:.0f}", "x2": f"{x2:.0f}", "y2": f"{y2:.0f}"}
    return node("line", {"class": "dq-flow-edge", **ends, "marker-end": f"url(#{marker})"})


def _right_edges(tree: Node):
    tag, attributes, children = tree
    if tag == "rect":
        yield float(attributes["x"]) + float(attributes["width"])
    for child in children:
        if not isinstance(child, str):
            yield from _right_edges(child)


def _path_words(model: Model, fired: list[str], default: str) -> str:
    if not fired:
        return f"For these answers no rule fired, so the recommendation is the default, {default}."
    lit = [rule for rule in model.include_rules if rule.id in fired]
    added = "; ".join(f"rule {rule.id} adds {model.components[rule.include].label}" for rule in lit)
    return f"For these answers {len(fired)} of the rules fired, highlighted: {added}."


def flow_svg(model: Model, fired: Collection[str] | None = None, id_prefix: str = "dq-flow") -> str:
    """The drawing as SVG markup (see `flow_tree`)."""
    return markup(flow_tree(model, fired, id_prefix))


def flow_tree(model: Model, fired: Collection[str] | None = None, id_prefix: str = "dq-flow") -> Node:
    """The drawing: the include rules in order, each a chain of conditions ending in a component.

    With `fired` (include rule ids), the drawing is one reader's path: those rows (or the default, when
    none fired) carry the class `dq-flow-fired`, every row names its rule in `data-rule`, and the
    description lists what fired. `id_prefix` keeps the element ids unique when a page shows two drawings.
    """
    path = None if fired is None else [rule.id for rule in model.include_rules if rule.id in set(fired)]
    marker = f"{id_prefix}-arrow"
    parts: list[Node] = []
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
        lit = path is not None and rule.id in path
        status = " (fired for these answers)" if lit else ""
        label = node(
            "text",
            {"class": "dq-flow-label", "x": f"{LEFT}", "y": f"{y + 12:.0f}"},
            f"{n + 1}. Rule {rule.id}",
            node("title", {}, f"Rule {rule.id}{status}"),
        )
        row: list[Node] = [label]
        y += 20
        boxes = _condition_boxes(model, rule)
        boxes.append(Box(["add " + model.components[rule.include].label], f"dq-flow-result dq-flow-{rule.include}"))
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
        parts.append(node("g", {"class": css, "data-rule": rule.id}, *row))
        joins.append(row_top + boxes[0].height / 2)
        y = row_top + row_height + 22
    default = " + ".join(model.components[c].label for c in sorted(model.default_components))
    end = Box([f"No rule added anything: {default}"], f"dq-flow-result dq-flow-{sorted(model.default_components)[0]}")
    end.x, end.y = LEFT, y
    default_css = "dq-flow-row dq-flow-fired" if path == [] else "dq-flow-row"
    parts.append(node("g", {"class": default_css, "data-rule": "default"}, _rect(end)))
    joins.append(y + end.height / 2)
    y += end.height + 14
    outcome = Box(["One component: that approach.  Two or more: a combination."], "dq-flow-start")
    outcome.x, outcome.y = LEFT, y
    parts.append(_rect(outcome))
    y += outcome.height + 8
    spine_ends = {"x1": f"{SPINE_X}", "y1": f"{spine_top:.0f}", "x2": f"{SPINE_X}", "y2": f"{joins[-1]:.0f}"}
    spine = [node("line", {"class": "dq-flow-spine", **spine_ends})]
    spine += [_arrow(SPINE_X, j, LEFT - 2, j, marker) for j in joins]
    height = y
    right = max(max(_right_edges(part), default=0.0) for part in parts) + 8
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
    arrowhead = node("path", {"d": "M 0 0 L 10 5 L 0 10 z", "class": "dq-flow-arrowhead"})
    marker_size = {"refX": "9", "refY": "5", "markerWidth": "7", "markerHeight": "7"}
    arrow = node(
        "marker", {"id": marker, "viewBox": "0 0 10 10", **marker_size, "orient": "auto-start-reverse"}, arrowhead
    )
    return node(
        "svg",
        {
            "class": "dq-flow dq-flow--path" if path is not None else "dq-flow",
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
            "viewBox": f"0 0 {right:.0f} {height:.0f}",
            "width": f"{right:.0f}",
            "height": f"{height:.0f}",
            "xmlns": "http://www.w3.org/2000/svg",
        },
        node("title", {"id": f"{id_prefix}-title"}, title),
        node("desc", {"id": f"{id_prefix}-desc"}, description),
        node("defs", {}, arrow),
        *spine,
        *parts,
    )
