"""The questionnaire reply's what-if marker (validated, never trusted) and the reader's path drawing."""

from __future__ import annotations

import json
import re

import pytest

from decision import default_model, evaluate
from decision.engine.evaluator import choose, full_state
from decision.engine.flow import flow_svg, markup
from decision.web import fragment_from_answers, questionnaire_response

MODEL = default_model()
BASE = {"needs_knowledge": "stable", "prompt_result": "short"}


def reply(fragment: str) -> dict:
    payload = json.loads(questionnaire_response(fragment))
    assert payload["ok"], payload
    return payload


def lit_rules(svg: str) -> list[str]:
    return re.findall(r'<g class="dq-flow-row dq-flow-fired" data-rule="([^"]+)"', svg)


def test_each_change_tries_itself_and_undoes_to_the_answers_before():
    first = reply(fragment_from_answers(BASE))
    assert first["what_if"] is None and first["view"]["changes"]
    for change in first["view"]["changes"]:
        tried = reply(change["what_if"])
        assert tried["ignored"] == []
        assert tried["answers"][change["question"]] == change["answer"]
        assert tried["result"]["approach"] == change["approach"]  # the verdict the entry promised
        assert tried["fragment"] == change["what_if"]  # the page keeps the marker in the address
        what_if = tried["what_if"]
        assert what_if["undo"] == first["fragment"]
        assert what_if["before"]["headline"] == first["view"]["headline"]
        assert reply(what_if["undo"])["answers"] == BASE


def test_a_change_from_an_open_question_undoes_to_open():
    tried = reply(fragment_from_answers({"prompt_result": "meets-bar"}) + "&was=prompt_result%3A")
    assert tried["what_if"]["was_label"] == "not answered"
    assert tried["what_if"]["undo"] == ""


@pytest.mark.parametrize(
    ("marker", "problem"),
    [
        ("was=nonsense", "expected question:answer"),
        ("was=no_such_question%3Ax", "not a question of this guide"),
        ("was=needs_knowledge%3A%3Cscript%3E", "not an allowed answer before the change"),
        ("was=needs_knowledge%3Astable", "the same as the answer in the link"),
        ("was=strict_format%3A", "the same as the answer in the link"),
    ],
)
def test_a_bad_marker_is_dropped_and_named(marker, problem):
    payload = reply(fragment_from_answers(BASE) + "&" + marker)
    assert payload["what_if"] is None
    assert payload["fragment"] == fragment_from_answers(BASE)
    assert [(entry["field"], entry["problem"].startswith(problem)) for entry in payload["ignored"]] == [("was", True)]


def test_a_second_marker_is_dropped():
    payload = reply(fragment_from_answers(BASE) + "&was=prompt_result%3A&was=needs_knowledge%3Ano")
    assert payload["what_if"]["question"] == "prompt_result"
    assert [entry["field"] for entry in payload["ignored"]] == ["was"]


@pytest.mark.parametrize("case", MODEL.cases, ids=[c.id for c in MODEL.cases])
def test_the_path_is_the_include_rules_that_fired(case):
    payload = reply(fragment_from_answers(case.answers))
    fired = [rule.id for rule in choose(MODEL, full_state(MODEL, case.answers))[1]]
    assert payload["path"] == fired
    assert lit_rules(markup(payload["path_drawing"])) == (fired or ["default"])
    included = {rule.id for rule in MODEL.include_rules}
    assert {r["rule"] for r in payload["result"]["reasons"]} & included <= set(fired)


def test_no_rule_fired_lights_the_default_and_says_so():
    payload = reply("")
    assert payload["path"] == [] and lit_rules(markup(payload["path_drawing"])) == ["default"]
    assert "no rule fired" in markup(payload["path_drawing"])
    assert evaluate({}).approach in {c for c in MODEL.default_components}


def test_the_static_diagram_and_the_path_are_the_same_drawing():
    """Same boxes at the same places: only the highlight, the ids and the words for screen readers differ."""
    static = flow_svg(MODEL)
    path = markup(reply(fragment_from_answers(BASE))["path_drawing"])
    geometry = re.compile(r"<rect [^>]+>|<line [^>]+>")
    strip = lambda svg: [re.sub(r"url\(#[^)]+\)", "", m) for m in geometry.findall(svg)]  # noqa: E731
    assert strip(static) == strip(path)
    assert lit_rules(static) == [] and 'id="dq-flow-title"' in static and 'id="dq-path-title"' in path
    assert flow_svg(MODEL, ["retrieve-missing-knowledge"], "x") == flow_svg(MODEL, ["retrieve-missing-knowledge"], "x")
