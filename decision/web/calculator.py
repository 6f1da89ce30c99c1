"""The calculator's adapter: a URL fragment of cost inputs in, everything the page shows out.

Inputs the request leaves out come from a worked example (the default one, the one named by
`example=<id>`, or, for a link made before the 2026 cost model, the first model's example) and are
listed as such; every problem in the request is reported at once, each naming its input, so the form
can mark every field.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision._errors import AnswerError
from decision._text import dump_json
from decision._version import SCHEMA_VERSION, __version__
from decision.cost.chart import RESULT_CHART_ID, cost_chart
from decision.cost.example import EXAMPLE, EXAMPLES
from decision.cost.inputs import EXAMPLE_KEY, Reading, form_value, fragment_of, parse_fragment, resolve
from decision.cost.model import FIELDS, META, CostInputs, compute, prompt_cost_answer
from decision.cost.render import summary_rows, to_dict
from decision.web.protocol import PROTOCOL_VERSION, link_note

GIVEN_LIMIT = 100  # characters of a rejected value put back in the form


def calculator_response(request: str | Mapping, defaults: CostInputs | None = EXAMPLE) -> str:
    """The calculator page's reply to a URL fragment (or a mapping) of inputs, as one JSON string.

    On success: `ok`, `schema_version`, `protocol`, the cost JSON contract (`to_dict`, with its `notes`),
    `example` (the id of the worked example that filled what the request left out, or null), `chart_svg`
    (ids start with RESULT_CHART_ID), `fragment` (canonical share fragment), `form` (field -> value text),
    `summary` (summary_rows), `questionnaire_fragment` (`prompt_cost=with-caching|minor`) and `link_note` (what
    to say if a link left some inputs out, else null). With `defaults` None
    nothing is filled and every input is required; inputs other than EXAMPLE fill as a worked example would.
    On a user mistake: `ok` false, `errors` (every problem: field, problem, message), `given` (known field
    -> the text it was given, to put back in the form) and `known_fields`.
    """
    try:
        raw = parse_fragment(request) if isinstance(request, str) else request
    except AnswerError as error:
        reading = Reading(None, (error,), (), None, (), {})
    else:
        examples = EXAMPLES.inputs()
        default = None if defaults is None else EXAMPLES.default
        if defaults is not None and defaults != examples[EXAMPLES.default]:
            examples, default = {**examples, "given": defaults}, "given"
        reading = resolve(raw, examples, default, EXAMPLES.legacy)
    head = {"schema_version": SCHEMA_VERSION, "protocol": PROTOCOL_VERSION}
    if reading.errors or reading.inputs is None:
        given = {}
        for key, value in reading.raw.items():
            if key in META and isinstance(value, str | int | float):
                given[key] = str(value)[:GIVEN_LIMIT]
        listed = [{"field": e.field, "problem": e.problem, "message": str(e)} for e in reading.errors]
        return dump_json(
            {
                "ok": False,
                **head,
                "engine_version": __version__,
                "errors": listed,
                "given": given,
                "known_fields": [*FIELDS, EXAMPLE_KEY],
            }
        )
    inputs = reading.inputs
    result = compute(inputs)
    notes = reading.notes
    named = reading.example if EXAMPLE_KEY in _keys(raw) else None
    if named in EXAMPLES.by_id:
        chosen = EXAMPLES.by_id[named]
        notes += (
            f"Inputs the link leaves out come from the worked example “{chosen.title}” (prices checked "
            f"{chosen.checked}).",
        )
    return dump_json(
        {
            "ok": True,
            **head,
            **to_dict(result, reading.from_example, notes),
            "example": reading.example if reading.from_example else None,
            "chart_svg": cost_chart(result, id_prefix=RESULT_CHART_ID),
            "fragment": fragment_of(inputs),
            "form": {name: form_value(getattr(inputs, name)) for name in FIELDS},
            "summary": summary_rows(result),
            "questionnaire_fragment": "prompt_cost=" + prompt_cost_answer(result),
            # A link that gives no input at all named an example or is empty: its notes above say so.
            "link_note": link_note(reading.from_example if len(reading.from_example) < len(FIELDS) else ()),
        }
    )


def _keys(raw: object) -> set:
    return {key.strip().replace("-", "_") for key in raw if isinstance(key, str)} if isinstance(raw, Mapping) else set()
