"""A gap result as JSON (the contract), terminal text, or a Markdown record for a design document.

The JSON rounds every float to 9 decimals so the bytes match on every Python, the browser's included.
"""

from __future__ import annotations

from decision._text import dump_json, markdown_cell
from decision._version import SCHEMA_VERSION, __version__
from decision.gap.calculations import GapResult
from decision.gap.inputs import CALCULATIONS, InputField

DECIMALS = 9


def rounded(value: object) -> object:
    """Floats rounded to DECIMALS (and -0.0 made 0.0) all the way down; everything else as it is."""
    if isinstance(value, float):
        return round(value, DECIMALS) + 0.0
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(item) for item in value]
    return value


def gap_dict(result: GapResult, from_example: list[str] | tuple[str, ...] = ()) -> dict:
    """The JSON contract: which calculation, every input by name (and which came from the worked example),
    the figures, the verdict, and for the `bar` calculation the questionnaire answers it implies."""
    spec = CALCULATIONS[result.inputs.calculation]
    return rounded(
        {
            "schema_version": SCHEMA_VERSION,
            "engine_version": __version__,
            "calculation": spec.id,
            "inputs": dict(result.inputs.values),
            "inputs_from_example": [name for name in spec.names if name in from_example],
            "results": result.figures,
            "verdict": result.verdict,
            "questionnaire_answers": result.questionnaire_answers,
        }
    )


def gap_json(result: GapResult, from_example: list[str] | tuple[str, ...] = ()) -> str:
    return dump_json(gap_dict(result, from_example))


def flag_of(name: str) -> str:
    return "--" + name.replace("_", "-")


def input_text(spec: InputField, value: float | int | None) -> str:
    """An input as a command line or a form wants it: 91, 0.93, 1000000, 411.5."""
    if value is None:
        return ""
    if isinstance(value, int) or (value == int(value) and spec.kind in ("count", "volume", "money")):
        return str(int(value))
    return repr(value)


def gap_command(result: GapResult) -> str:
    """The command that gives this result again."""
    spec = CALCULATIONS[result.inputs.calculation]
    given = [(f, result.inputs.values[f.name]) for f in spec.fields if result.inputs.values[f.name] is not None]
    return f"decision gap {spec.id} " + " ".join(f"{flag_of(f.name)} {input_text(f, value)}" for f, value in given)


def _percent(value: float) -> str:
    return f"{value * 100:.2f}%"


def _figure(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def result_rows(result: GapResult) -> list[tuple[str, str]]:
    """The figures in words, one (label, value) per line, for text and Markdown."""
    f, calculation = result.figures, result.inputs.calculation
    rows: list[tuple[str, str]] = []

    def interval(label: str, data: dict, as_points: bool = False) -> None:
        show = (lambda x: f"{x * 100:+.2f} pts") if as_points else _percent
        rows.append((label, f"{show(data['low'])} to {show(data['high'])}"))

    if calculation == "bar":
        rows.append(("Accuracy", _percent(f["accuracy"])))
        interval("Wilson interval", f["intervals"]["wilson"])
        interval("Clopper–Pearson interval", f["intervals"]["clopper_pearson"])
        interval("Wald interval", f["intervals"]["wald"])
        rows.append(("Wald half-width", f"±{f['wald_half_width'] * 100:.2f} pts"))
        rows.append(("Items to settle it", _figure(f["items_to_settle"])))
        if f["cost"] is not None:
            rows.append(
                ("Accuracy that pays", _figure(f["cost"]["accuracy_to_pay"] and _percent(f["cost"]["accuracy_to_pay"])))
            )
            rows.append(("Closing the gap pays", _figure(f["cost"]["closing_the_gap_pays"])))
        answers = result.questionnaire_answers or {}
        rows.append(("Questionnaire answers", ", ".join(f"{q} = {v}" for q, v in answers.items())))
    elif calculation in ("paired", "independent"):
        rows.append(("Baseline accuracy", _percent(f["baseline_accuracy"])))
        rows.append(("Candidate accuracy", _percent(f["candidate_accuracy"])))
        rows.append(("Difference", f"{f['difference'] * 100:+.2f} pts"))
        interval("Newcombe interval", f["interval"], as_points=True)
        if calculation == "paired":
            m = f["mcnemar"]
            rows.append(("Discordant items", _figure(m["discordant"])))
            rows.append(("McNemar χ²", f"{m['chi_square']:.4g} (p = {m['p_value']:.4g})"))
            rows.append(
                ("  with continuity correction", f"{m['chi_square_corrected']:.4g} (p = {m['p_value_corrected']:.4g})")
            )
            rows.append(("  exact binomial", f"p = {m['p_value_exact']:.4g}"))
            rows.append(("Decisive test", f"{m['decisive_test']} (p = {m['decisive_p_value']:.4g})"))
            rows.append(("Items to show it", _figure(f["items_needed"])))
        else:
            rows.append(("z test (pooled)", f"z = {f['z']:.4g}, p = {f['p_value']:.4g}"))
            rows.append(("Items per system to show it", _figure(f["items_needed_per_system"])))
    elif calculation == "plan":
        rows.append(("Items per system", _figure(f["items_per_system"])))
        rows.append(("Items for both systems", _figure(f["items_both_systems"])))
        rows.append(("Items on one shared set", _figure(f["paired_items"])))
    else:
        rows.append(("Errors per month now", f"{f['errors_per_month']:,.0f}"))
        rows.append(("Value of one point a month", f"{f['monthly_value_per_point']:,.2f}"))
        rows.append(("Gain needed", "never" if f["required_gain"] is None else f"{f['required_gain'] * 100:+.2f} pts"))
        rows.append(("Accuracy that pays", "none" if f["accuracy_to_pay"] is None else _percent(f["accuracy_to_pay"])))
        rows.append(("Within reach (≤ 100%)", _figure(f["within_reach"])))
    return rows


def _input_rows(result: GapResult, from_example: list[str] | tuple[str, ...]) -> list[tuple[InputField, str, str]]:
    spec = CALCULATIONS[result.inputs.calculation]
    rows = []
    for item in spec.fields:
        value = result.inputs.values[item.name]
        if value is None:
            continue
        mark = "example" if item.name in from_example else ("default" if value == item.default else "given")
        rows.append((item, input_text(item, value), mark))
    return rows


def render_text(result: GapResult, from_example: list[str] | tuple[str, ...] = ()) -> str:
    """A gap result as terminal text."""
    spec = CALCULATIONS[result.inputs.calculation]
    lines = [f"Is the gap real? {spec.title}", "", "Inputs"]
    for item, value, mark in _input_rows(result, from_example):
        note = "" if mark == "given" else f"({mark})"
        lines.append(f"  {item.name:22} {value:>12} {item.unit:12}{note}".rstrip())
    lines += ["", "Results"]
    lines += [f"  {label:30} {value}" for label, value in result_rows(result)]
    lines += ["", result.verdict, ""]
    if from_example:
        lines += ["Inputs marked (example) come from the worked example; replace them with your own.", ""]
    return "\n".join(lines)


def render_markdown(result: GapResult, from_example: list[str] | tuple[str, ...] = ()) -> str:
    """A gap result as Markdown tables (inputs with where each came from, results, verdict)."""
    lines = ["| Input | Value | Source |", "| --- | ---: | --- |"]
    for item, value, mark in _input_rows(result, from_example):
        lines.append(f"| {markdown_cell(item.label)} (`{item.name}`) | {value} | {mark} |")
    lines += ["", "| Result | Value |", "| --- | ---: |"]
    lines += [f"| {markdown_cell(label.strip())} | {markdown_cell(value)} |" for label, value in result_rows(result)]
    lines += ["", f"**Verdict:** {markdown_cell(result.verdict)}", ""]
    return "\n".join(lines)


def gap_markdown_record(result: GapResult, from_example: list[str] | tuple[str, ...] = ()) -> str:
    spec = CALCULATIONS[result.inputs.calculation]
    return "\n".join(
        [
            f"# Gap record: {spec.title.lower()}",
            "",
            "To reproduce it:",
            "",
            "```sh",
            gap_command(result),
            "```",
            "",
            render_markdown(result, from_example),
        ]
    )
