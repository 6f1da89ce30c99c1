"""What the adapters share: the version of the worker protocol, and the note on a link that left inputs out."""

from __future__ import annotations

from collections.abc import Sequence

# Bump when a message or a reply changes shape. 2: functions renamed (questionnaire_response,
# calculator_response), schema_version in every reply, similar cases without href. 3: model v2 (the
# questionnaire reply gains to_ask, status, headline, summary, becomes, notes, cases with differences).
# 4: the calculator and gap replies gain `link_note`.
PROTOCOL_VERSION = 4


def link_note(left_out: Sequence[str]) -> str | None:
    """What a calculator page says when a link it opened left some inputs out; None when it left none out."""
    if not left_out:
        return None
    return f"The link did not give {', '.join(left_out)}; the worked example's values are used for them."
