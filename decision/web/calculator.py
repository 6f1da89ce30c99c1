"""The calculator's adapter: a URL fragment of cost inputs in, everything the page shows out.

Inputs the request leaves out come from the worked example and are listed as such; every problem
in the request is reported at once, each naming its input, so the form can mark every field.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision._errors import AnswerError
from decision._text import dump_json
from decision._version import SCHEMA_VERSION, __version__
from decision.cost.chart import RESULT_CHART_ID, cost_chart
from decision.cost.example import EXAMPLE
from decision.cost.inputs import check_inputs, fragment_of, parse_fragment
from decision.cost.model import FIELDS, META, CostInputs, compute, prompt_cost_answer
from decision.cost.numbers import plain
from decision.cost.render import summary_rows, to_dict
from decision.web.protocol import PROTOCOL_VERSION

GIVEN_LIMIT = 100  # characters of a rejected value put back in the form


def _input_name(key: object) -> str | None:
    return key.strip().replace("-", "_") if isinstance(key, str) else None


def calculator_response(request: str | Mapping, defaults: CostInputs | None = EXAMPLE) -> str:
    """The calculator page's reply to a URL fragment (or a mapping) of inputs, as one JSON string.

    On success: `ok`, `schema_version`, `protocol`, the cost JSON contract (`to_dict`), `chart_svg` (ids
    start with RESULT_CHART_ID), `fragment` (canonical share fragment), `form` (field -> value text),
    `summary` (summary_rows) and `questionnaire_fragment` (`prompt_cost=yes|no`). Inputs the request
    leaves out come from `defaults` and are listed in `inputs_from_example`. On a user mistake: `ok`
    false, `errors` (every problem: field, problem, message), `given` (known field -> the text it was
    given, to put back in the form) and `known_fields`.
    """
    try:
        raw = parse_fragment(request) if isinstance(request, str) else request
    except AnswerError as error:
        raw, inputs, errors = {}, None, [error]
    else:
        inputs, errors = check_inputs(raw, defaults)
    head = {"schema_version": SCHEMA_VERSION, "protocol": PROTOCOL_VERSION}
    if errors or inputs is None:
        given = {}
        if isinstance(raw, Mapping):
            for key, value in raw.items():
                name = _input_name(key)
                if name in META and isinstance(value, str | int | float):
                    given[name] = str(value)[:GIVEN_LIMIT]
        listed = [{"field": e.field, "problem": e.problem, "message": str(e)} for e in errors]
        return dump_json(
            {
                "ok": False,
                **head,
                "engine_version": __version__,
                "errors": listed,
                "given": given,
                "known_fields": list(FIELDS),
            }
        )
    named = {_input_name(key) for key in raw}
    from_example = [name for name in FIELDS if name not in named] if defaults is not None else []
    result = compute(inputs)
    return dump_json(
        {
            "ok": True,
            **head,
            **to_dict(result, from_example),
            "chart_svg": cost_chart(result, id_prefix=RESULT_CHART_ID),
            "fragment": fragment_of(inputs),
            "form": {name: plain(getattr(inputs, name)) for name in FIELDS},
            "summary": summary_rows(result),
            "questionnaire_fragment": "prompt_cost=" + prompt_cost_answer(result),
        }
    )
