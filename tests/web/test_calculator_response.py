"""decision.web.calculator_response: the calculator page's only call into Python."""

from __future__ import annotations

import dataclasses
import json

import pytest

from decision import SCHEMA_VERSION
from decision.cost import (
    EXAMPLE,
    FIELDS,
    RESULT_CHART_ID,
    compute,
    cost_chart,
    form_value,
    fragment_of,
    parse_fragment,
    parse_inputs,
    summary_rows,
    to_dict,
)
from decision.web import PROTOCOL_VERSION, calculator_response


def _fragment(inputs) -> str:
    return "&".join(f"{name}={form_value(getattr(inputs, name))}" for name in FIELDS)


def test_ok_reply_is_the_cost_contract_plus_what_the_page_shows():
    reply = json.loads(calculator_response(_fragment(EXAMPLE)))
    result = compute(EXAMPLE)
    assert reply["ok"] is True
    assert reply["schema_version"] == SCHEMA_VERSION and reply["protocol"] == PROTOCOL_VERSION
    contract = to_dict(result)
    assert {key: reply[key] for key in contract} == contract
    assert reply["break_even_calls_per_month"] == pytest.approx(result.break_even_calls_per_month)
    assert reply["notes"] == [] and reply["example"] is None
    assert reply["chart_svg"] == cost_chart(result, id_prefix=RESULT_CHART_ID)
    assert reply["summary"] == summary_rows(result)
    assert reply["questionnaire_fragment"] == "prompt_cost=minor" and reply["prompt_cost_answer"] == "minor"
    assert parse_inputs(parse_fragment(reply["fragment"])) == EXAMPLE
    assert reply["fragment"] == fragment_of(EXAMPLE)
    assert parse_inputs(reply["form"]) == EXAMPLE
    assert reply["inputs_from_example"] == []


def test_summary_parts_are_flagged_not_indented():
    rows = json.loads(calculator_response(_fragment(EXAMPLE)))["summary"]
    parts = [row["label"] for row in rows if row["part"]]
    assert parts[:4] == ["inference", "training (amortised)", "hosting", "operations"]
    assert "prompting, uncached" in parts and len(set(parts)) == len(parts)
    assert all(row["label"] == row["label"].strip() for row in rows)


def test_a_mapping_request_works_like_a_fragment():
    by_mapping = json.loads(calculator_response(dataclasses.asdict(EXAMPLE)))
    assert by_mapping["monthly_cost"]["fine_tuned"] == pytest.approx(compute(EXAMPLE).tuned_monthly)
    assert by_mapping == json.loads(calculator_response(_fragment(EXAMPLE)))


def test_inputs_left_out_come_from_the_example_and_are_listed():
    # naming an input the 2026 model added marks a new link (an old one: tests/cost/test_cost_links.py)
    filled = json.loads(calculator_response("calls_per_month=1e7&cached_share=0.9"))
    assert filled["ok"] and filled["prompt_cost_answer"] == "with-caching" and filled["notes"] == []
    assert filled["inputs_from_example"] == [name for name in FIELDS if name not in ("calls_per_month", "cached_share")]
    assert json.loads(calculator_response(""))["inputs_from_example"] == list(FIELDS)


def test_every_problem_is_reported_with_its_field():
    bad = json.loads(calculator_response("calls_per_month=lots&epochs=-2&extra=1", defaults=None))
    assert bad["ok"] is False and bad["schema_version"] == SCHEMA_VERSION
    fields = [e["field"] for e in bad["errors"]]
    assert fields[:3] == ["extra", "calls_per_month", "prompt_tokens"] and "epochs" in fields
    assert all(e["message"] == f"{e['field']}: {e['problem']}" for e in bad["errors"])
    assert bad["given"] == {"calls_per_month": "lots", "epochs": "-2"}
    assert bad["known_fields"] == [*FIELDS, "example"]


def test_a_malformed_fragment_is_one_named_error_and_values_go_back_to_the_form():
    bad = json.loads(calculator_response("calls_per_month"))
    assert [e["field"] for e in bad["errors"]] == ["fragment"] and bad["given"] == {}
    long_value = json.loads(calculator_response("epochs=" + "9" * 500))
    assert long_value["ok"] is False and long_value["given"]["epochs"] == "9" * 100


def test_consistency_errors_reach_the_page():
    reply = json.loads(calculator_response("prompt_tokens=100&tuned_prompt_tokens=200"))
    assert [e["field"] for e in reply["errors"]] == ["tuned_prompt_tokens"]


def test_the_link_note_names_what_a_link_left_out_unless_it_gave_nothing():
    filled = json.loads(calculator_response("calls_per_month=1e7&cached_share=0.9"))
    left_out = ", ".join(name for name in FIELDS if name not in ("calls_per_month", "cached_share"))
    assert filled["link_note"] == f"The link did not give {left_out}; the worked example's values are used for them."
    assert json.loads(calculator_response(_fragment(EXAMPLE)))["link_note"] is None  # every input given
    assert json.loads(calculator_response(""))["link_note"] is None  # no input at all: the worked example itself
