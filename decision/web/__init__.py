"""The browser's only door into Python: the site's worker calls these, and nothing inside `decision` imports them.

- `questionnaire_response(request)`: a URL fragment (or a JSON request) of answers in, one JSON reply out;
- `calculator_response(request)`: a URL fragment of cost inputs in, one JSON reply out;
- `gap_response(request)`: a URL fragment of gap inputs in, one JSON reply out;
- `warm_up()`: answers every case study once so the reader's first answer is fast;
- `PROTOCOL_VERSION`: bumped when a message or a reply changes shape.

Every reply carries `schema_version` and `protocol`. Standard library only: it runs unchanged in Pyodide.
"""

from decision.web.calculator import calculator_response
from decision.web.gap import gap_response
from decision.web.protocol import PROTOCOL_VERSION
from decision.web.questionnaire import (
    answers_from_fragment,
    fragment_from_answers,
    questionnaire_response,
    warm_up,
)

__all__ = [
    "PROTOCOL_VERSION",
    "answers_from_fragment",
    "calculator_response",
    "fragment_from_answers",
    "gap_response",
    "questionnaire_response",
    "warm_up",
]
