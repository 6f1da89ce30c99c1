"""decision.web.gap_response: the gap page's only call into Python."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hostile_inputs import GAP

from decision import SCHEMA_VERSION, __version__
from decision.gap import gap_reply
from decision.web import PROTOCOL_VERSION, gap_response

BAR = "calculation=bar&correct=91&items=100&bar=0.93"


def test_ok_reply_is_gap_reply_plus_the_protocol_fields():
    reply = json.loads(gap_response(BAR))
    assert reply["ok"] is True
    assert reply["schema_version"] == SCHEMA_VERSION and reply["protocol"] == PROTOCOL_VERSION
    assert reply["engine_version"] == __version__
    expected = json.loads(json.dumps(gap_reply(BAR)))
    assert {key: reply[key] for key in expected} == expected
    assert reply["questionnaire_fragment"] == "prompt_result=short-unclear"
    assert reply["chart_svg"].startswith("<svg")


@pytest.mark.needs_subprocess
def test_the_numbers_are_the_command_lines():
    argv = ["gap", "bar", "--correct", "91", "--items", "100", "--bar", "0.93", "--format", "json"]
    done = subprocess.run([sys.executable, "-m", "decision", *argv], capture_output=True, text=True, check=True)
    assert json.loads(gap_response(BAR))["results"] == json.loads(done.stdout)["results"]


@pytest.mark.parametrize("request_text", GAP, ids=lambda text: text[:30])
def test_hostile_requests_are_refused_naming_a_field(request_text):
    reply = json.loads(gap_response(request_text))
    assert reply["ok"] is False and reply["protocol"] == PROTOCOL_VERSION
    assert reply["errors"] and all(error["field"] and error["problem"] for error in reply["errors"])
    assert all(len(value) <= 100 for value in reply["given"].values())


def test_a_missing_required_input_sent_empty_is_named_not_filled():
    reply = json.loads(gap_response("calculation=bar&correct=&items=100&bar=0.93"))
    assert reply["ok"] is False and [error["field"] for error in reply["errors"]] == ["correct"]


def test_every_calculation_answers_and_only_bar_answers_the_questionnaire():
    requests = {
        "paired": "calculation=paired&both_right=176&only_baseline_right=6&only_candidate_right=10&both_wrong=8",
        "independent": "calculation=independent&baseline_correct=182&baseline_items=200&candidate_correct=186"
        "&candidate_items=200",
        "plan": "calculation=plan&baseline_accuracy=0.91&candidate_accuracy=0.93",
        "cost": "calculation=cost&calls_per_month=1000000&cost_per_error=0.05&baseline_accuracy=0.91"
        "&extra_monthly_cost=437.82",
    }
    for calculation, text in requests.items():
        reply = json.loads(gap_response(text))
        assert reply["ok"] and reply["calculation"] == calculation
        assert "questionnaire_fragment" not in reply
    assert json.loads(gap_response(requests["plan"]))["results"]["items_per_system"] == 2888


def test_it_never_raises(monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("decision.web.gap.gap_reply", broken)
    reply = json.loads(gap_response(BAR))
    assert reply["ok"] is False and reply["errors"][0]["field"] == "request"
    assert "RuntimeError" in reply["errors"][0]["problem"]


def test_the_link_note_leaves_out_the_conventional_alpha_and_power():
    reply = json.loads(gap_response("calculation=bar&correct=95"))
    assert reply["inputs_from_example"] == ["items", "bar", "alpha", "power"]
    assert reply["link_note"] == "The link did not give items, bar; the worked example's values are used for them."
    full = json.loads(gap_response("calculation=bar&correct=95&items=100&bar=0.9"))
    assert full["inputs_from_example"] == ["alpha", "power"] and full["link_note"] is None
