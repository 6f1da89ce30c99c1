"""The JSON Schemas shipped in decision/data/schemas/ describe what the CLI really prints.

CPython only: `jsonschema` is a test dependency (its `rpds` core is compiled), and the engine never
imports it. The schemas travel inside the wheel, so a consumer can validate against the same files.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from decision import SCHEMA_VERSION, AnswerError, default_model, evaluate, parse_answers_text, render_json
from decision.cli import main
from decision.cost import EXAMPLE, compute, parse_inputs_text, to_dict
from decision.web import calculator_response, fragment_from_answers, questionnaire_response

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ("evaluate", "cost", "questions", "cases")
MODEL = default_model()


def schema(name: str) -> dict:
    text = resources.files("decision").joinpath(f"data/schemas/{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


def cli_json(capsys, *argv: str):
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", SCHEMAS)
def test_each_schema_is_valid_draft_2020_12(name):
    data = schema(name)
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(data)
    assert data["$id"].endswith(f":{name}:{SCHEMA_VERSION}")


def test_questions_and_cases_lists_match_their_schemas(capsys):
    validator("questions").validate(cli_json(capsys, "questions"))
    validator("cases").validate(cli_json(capsys, "cases"))


def test_evaluate_output_matches_its_schema_across_the_answer_space(capsys):
    check = validator("evaluate")
    assert cli_json(capsys, "evaluate", "--no-input")["schema_version"] == SCHEMA_VERSION
    check.validate(cli_json(capsys, "evaluate", "--no-input", "--answer", "needs_knowledge=weekly"))
    samples = [case.answers for case in MODEL.cases]
    values = [(*q.values, None) for q in MODEL.questions]
    for n in range(0, 7776, 97):  # a spread of points, partial answers included
        picks = [options[(n // 7**i) % len(options)] for i, options in enumerate(values)]
        samples.append({q.id: v for q, v in zip(MODEL.questions, picks) if v is not None})
    for answers in samples:
        check.validate(json.loads(render_json(evaluate(answers))))


def test_cost_output_matches_its_schema(capsys):
    check = validator("cost")
    check.validate(cli_json(capsys, "cost", "--example"))
    never = dataclasses.replace(EXAMPLE, tuned_input_price=10.0, tuned_output_price=10.0)  # no saving per call
    free = dataclasses.replace(EXAMPLE, training_examples=0, operations_per_month=0, calls_per_month=1e9)
    for inputs in (EXAMPLE, never, free):
        data = to_dict(compute(inputs))
        check.validate(data)
    assert to_dict(compute(never))["break_even_calls_per_month"] is None


def test_the_browser_replies_carry_the_same_contracts():
    reply = json.loads(questionnaire_response(fragment_from_answers(MODEL.cases[0].answers)))
    validator("evaluate").validate(reply["result"])
    cost = json.loads(calculator_response("calls_per_month=5000000"))
    contract = schema("cost")["properties"]
    validator("cost").validate({key: cost[key] for key in contract})


def test_the_schemas_reject_what_they_should():
    good = json.loads(render_json(evaluate({"needs_knowledge": "weekly"})))
    for broken in (
        {**good, "schema_version": 1},
        {**good, "approach": "magic"},
        {**good, "surprise": True},
        {key: value for key, value in good.items() if key != "reasons"},
        {**good, "cases": [{"id": "x", "title": "X", "href": "../cases/x/"}]},
    ):
        with pytest.raises(ValidationError):
            validator("evaluate").validate(broken)
    cost = to_dict(compute(EXAMPLE))
    with pytest.raises(ValidationError):
        validator("cost").validate({**cost, "monthly_cost": {**cost["monthly_cost"], "prompting": -1}})


def test_saved_files_of_either_version_load_again():
    saved = json.loads(render_json(evaluate(MODEL.cases[0].answers)))
    old = {key: value for key, value in saved.items() if key != "schema_version"}  # written before version 2
    for data in (saved, old):
        assert parse_answers_text(json.dumps(data), "saved.json", MODEL) == (MODEL.cases[0].answers, [])
    newer = {**saved, "schema_version": SCHEMA_VERSION + 1}
    with pytest.raises(AnswerError, match=r"^saved.json: schema_version: must be a whole number from 1 to"):
        parse_answers_text(json.dumps(newer), "saved.json", MODEL)
    cost = to_dict(compute(EXAMPLE))
    old_cost = {key: value for key, value in cost.items() if key != "schema_version"}
    for data in (cost, old_cost):
        assert parse_inputs_text(json.dumps(data), "cost.json") == EXAMPLE


def test_the_wheel_ships_the_schemas_and_the_data(tmp_path):
    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(next(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])))
    names = set(zipfile.ZipFile(io.BytesIO(wheel.read_bytes())).namelist())
    expected = {f"decision/data/schemas/{name}.schema.json" for name in SCHEMAS}
    expected |= {"decision/data/model.toml", "decision/data/cases.toml", "decision/data/cost_examples.toml"}
    assert expected <= names
    assert "jsonschema" not in " ".join(names)
