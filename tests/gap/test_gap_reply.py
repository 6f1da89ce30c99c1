"""The page's reply to a URL fragment: the contract, the share fragment, every error at once, hostile input inert."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from test_gap_inputs import HOSTILE

from decision._text import dump_json
from decision.engine.model import default_model
from decision.gap import CALCULATIONS, compute_gap, default_example, gap_dict, gap_fragment_of, gap_reply


@pytest.mark.parametrize("calculation", list(CALCULATIONS))
def test_the_example_fragment_round_trips(calculation):
    example = default_example(calculation)
    fragment = gap_fragment_of(example.inputs)
    reply = gap_reply("#" + fragment)
    assert reply["ok"] and reply["fragment"] == fragment and reply["inputs_from_example"] == []
    assert {key: reply[key] for key in gap_dict(compute_gap(example.inputs))} == gap_dict(compute_gap(example.inputs))
    assert dump_json(reply) == dump_json(gap_reply(fragment))  # the same bytes every time
    ET.fromstring(reply["chart_svg"])
    assert reply["chart_svg"].count('id="gap-result-chart-') == 2


def test_what_the_request_leaves_out_comes_from_the_example_and_says_so():
    reply = gap_reply("calculation=bar&correct=95")
    assert reply["ok"] and reply["inputs"]["correct"] == 95 and reply["inputs"]["items"] == 100
    assert reply["inputs_from_example"] == ["items", "bar", "alpha", "power"]
    assert reply["questionnaire_fragment"].split("=")[1] in {
        v for v in default_model().question("prompt_result").values
    }
    assert not gap_reply("calculation=bar&correct=95", use_example=False)["ok"]


def test_every_problem_is_listed_and_the_given_text_comes_back():
    reply = gap_reply("calculation=independent&baseline_correct=x&candidate_items=-3&candidate_correct=1.5")
    assert not reply["ok"]
    assert [e["field"] for e in reply["errors"]] == ["baseline_correct", "candidate_correct", "candidate_items"]
    assert reply["given"] == {"baseline_correct": "x", "candidate_items": "-3", "candidate_correct": "1.5"}
    assert reply["known_fields"] == list(CALCULATIONS["independent"].names)


def test_a_mapping_request_works_like_a_fragment():
    assert gap_reply({"calculation": "plan", "baseline-accuracy": "91%"})["inputs_from_example"] == [
        "candidate_accuracy",
        "alpha",
        "power",
    ]
    assert gap_reply(["not", "a", "table"])["errors"][0]["field"] == "request"


@pytest.mark.parametrize("fragment", HOSTILE, ids=lambda value: value[:40])
def test_hostile_fragments_give_a_plain_error_reply(fragment):
    reply = gap_reply(fragment)
    text = dump_json(reply)
    assert json.loads(text) == reply
    if reply["ok"]:  # nothing but checked numbers reached the output
        assert all(value is None or isinstance(value, int | float) for value in reply["inputs"].values())
        ET.fromstring(reply["chart_svg"])
    else:
        assert reply["errors"] and all("<" not in error["field"] for error in reply["errors"])
        assert set(reply["given"]) <= set(reply["known_fields"])
