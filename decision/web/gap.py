"""The gap page's adapter: a URL fragment of gap inputs in, everything the page shows out, as one JSON string.

decision.gap.gap_reply does the work; this adds the protocol fields every reply carries and turns any
failure into a reply the page can show, so the worker never has to catch a Python exception.
"""

from __future__ import annotations

from collections.abc import Mapping

from decision._text import dump_json
from decision._version import SCHEMA_VERSION, __version__
from decision.gap import gap_reply
from decision.gap.inputs import CALCULATIONS
from decision.web.protocol import PROTOCOL_VERSION, link_note


def gap_response(request: str | Mapping) -> str:
    """The gap page's reply, as JSON: `ok`, `schema_version`, `protocol`, `engine_version`, then what
    decision.gap.gap_reply gives (on success the contract, `chart_svg`, `fragment`, `form`, `summary` and,
    for `bar`, `questionnaire_fragment`), plus `link_note` on success (what to say if a link left inputs out,
    else null); on a mistake `errors`, `given`, `known_fields`. Never raises: an unexpected failure is a
    reply with `ok` false and an error on the field `request`."""
    head = {"schema_version": SCHEMA_VERSION, "protocol": PROTOCOL_VERSION, "engine_version": __version__}
    try:
        reply = gap_reply(request)
    except Exception as error:  # the page shows it; a worker crash would show nothing
        problem = f"could not be worked out ({type(error).__name__})"
        reply = {
            "ok": False,
            "calculation": None,
            "errors": [{"field": "request", "problem": problem, "message": f"request: {problem}"}],
            "given": {},
            "known_fields": [],
        }
    if reply["ok"]:
        # Alpha and power have conventional defaults, shown in every result: not worth a note.
        spec = CALCULATIONS[reply["calculation"]]
        left_out = [name for name in reply["inputs_from_example"] if spec.field(name).default is None]
        reply = {**reply, "link_note": link_note(left_out)}
    return dump_json({**reply, **head})
