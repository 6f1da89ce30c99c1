"""What a page asks of the gap calculations: a URL fragment in, everything the page shows out, as a dict.

The browser's adapter (decision.web) adds its protocol fields and dumps it to JSON; nothing here knows
about the browser. Inputs the request leaves out come from the calculation's worked example and are
listed as such; every problem is reported at once, each naming its input, so a form can mark every field.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision._errors import AnswerError
from decision.gap.calculations import compute_gap
from decision.gap.chart import gap_chart
from decision.gap.examples import default_example
from decision.gap.inputs import CALCULATIONS, GapInputs, check_calculation, check_gap_inputs, read_gap_fragment
from decision.gap.render import gap_dict, input_text, result_rows

RESULT_CHART_ID = "gap-result-chart"
GIVEN_LIMIT = 100  # characters of a rejected value put back in the form


def gap_fragment_of(inputs: GapInputs) -> str:
    """The canonical share fragment (no '#'): the calculation, then every input it has, as a form shows it."""
    spec = CALCULATIONS[inputs.calculation]
    pairs = [("calculation", spec.id)]
    pairs += [(f.name, input_text(f, inputs.values[f.name])) for f in spec.fields if inputs.values[f.name] is not None]
    return "&".join(f"{name}={value}" for name, value in pairs)


def gap_reply(request: str | Mapping, *, calculation: str = "bar", use_example: bool = True) -> dict:
    """A page's reply: `ok` true with the JSON contract (gap_dict), `chart_svg` (ids start with
    RESULT_CHART_ID), `fragment`, `form` (field -> value text), `summary` ([{label, value}]) and, for the
    `bar` calculation, `questionnaire_fragment` (`prompt_result=short&gap_worth=yes`); or `ok` false with
    `errors` (field, problem, message for each), `given` (known field -> the text it was given) and
    `known_fields`.

    `calculation` applies when the request names none; a mapping request may name it under `calculation`.
    """
    given: dict[str, str] = {}
    name = calculation
    try:
        if isinstance(request, str):
            named, raw = read_gap_fragment(request)
        elif isinstance(request, Mapping):
            raw = {key.strip().replace("-", "_") if isinstance(key, str) else key: v for key, v in request.items()}
            named = raw.pop("calculation", None)
        else:
            raise AnswerError("request", f"must be a URL fragment or a table, got {type(request).__name__}")
        name = check_calculation(named if named is not None else calculation)
        spec = CALCULATIONS[name]
        given = {
            key: str(value)[:GIVEN_LIMIT]
            for key, value in raw.items()
            if key in spec.names and isinstance(value, str | int | float) and not isinstance(value, bool)
        }
        example = default_example(name).inputs.values if use_example else None
        defaults = None if example is None else {k: v for k, v in example.items() if v is not None}
        inputs, errors = check_gap_inputs(name, raw, defaults)
    except AnswerError as error:
        inputs, errors = None, [error]
    if errors or inputs is None:
        known = list(CALCULATIONS[name].names) if name in CALCULATIONS else []
        listed = [{"field": e.field, "problem": e.problem, "message": str(e)} for e in errors]
        return {"ok": False, "calculation": name, "errors": listed, "given": given, "known_fields": known}
    spec = CALCULATIONS[inputs.calculation]
    from_example = [n for n in spec.names if n not in raw and defaults and n in defaults] if use_example else []
    result = compute_gap(inputs)
    reply = {
        "ok": True,
        **gap_dict(result, from_example),
        "chart_svg": gap_chart(result, id_prefix=RESULT_CHART_ID),
        "fragment": gap_fragment_of(inputs),
        "form": {f.name: input_text(f, inputs.values[f.name]) for f in spec.fields},
        "summary": [{"label": label.strip(), "value": value} for label, value in result_rows(result)],
    }
    if result.questionnaire_answers is not None:
        reply["questionnaire_fragment"] = result.figures["questionnaire_fragment"]
    return reply
