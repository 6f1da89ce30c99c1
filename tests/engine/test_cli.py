"""The `decision` command: its JSON contract, its formats, and one-line errors for user mistakes."""

import io
import json
import os
import pty
import select
import subprocess
import sys

import pytest

import decision
from decision import __version__, default_model, evaluate, render_json, render_markdown
from decision.cli import main
from decision.cli.engine_commands import ask_open_questions

MODEL = default_model()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_questions_json_contract(capsys):
    code, out, _ = run(capsys, "questions", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [q["id"] for q in data] == list(MODEL.question_ids)
    for question in data:
        assert {"id", "text", "kind", "options"} <= set(question)
        assert question["options"] and all(set(o) == {"value", "label"} for o in question["options"])


def test_cases_json_contract(capsys):
    code, out, _ = run(capsys, "cases", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data) == len(MODEL.cases)
    for case in data:
        assert {"id", "title", "answers", "documented_approach"} <= set(case)
        assert evaluate(case["answers"]).approach == case["documented_approach"]


def test_evaluate_json_is_the_render_json_contract(capsys):
    code, out, _ = run(capsys, "evaluate", "--answer", "needs_knowledge=stable", "--format", "json", "--no-input")
    data = json.loads(out)
    assert code == 0 and out == render_json(evaluate({"needs_knowledge": "stable"}))
    expected = {
        "approach",
        "components",
        "reasons",
        "next_steps",
        "caveats",
        "what_would_change",
        "unanswered",
        "cases",
    }
    assert expected <= set(data)
    assert data["engine_version"] == __version__ and data["approach"] == "rag"


def test_answers_file_and_flags_combine_with_flags_winning(capsys, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text('needs_knowledge = "stable"\nprompt_result = "meets-bar"\n', encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", "--answers", str(path), "--answer", "needs_knowledge=no", "--format", "json")
    assert code == 0
    assert json.loads(out)["answers"] == {"needs_knowledge": "no", "prompt_result": "meets-bar"}


def test_markdown_is_a_decision_record(capsys):
    case = MODEL.cases[0]
    argv = ["evaluate", "--format", "markdown"] + [f"--answer={k}={v}" for k, v in case.answers.items()]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out == render_markdown(evaluate(case.answers))
    for heading in ("## Situation", "## Recommendation", "## Reasons", "## Next steps", "## Caveats"):
        assert heading in out
    assert f"decision engine {__version__}" in out


def test_text_and_markdown_listings(capsys):
    for command in ("questions", "cases"):
        for fmt in ("text", "markdown"):
            code, out, _ = run(capsys, command, "--format", fmt)
            assert code == 0 and MODEL.questions[0].id in out if command == "questions" else MODEL.cases[0].title in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["evaluate", "--answer", "colour=blue"], "answers.colour: unknown question"),
        (["evaluate", "--answer", "strict_format=maybe"], "strict_format: 'maybe' is not allowed; allowed: no, yes"),
        (["evaluate", "--answer", "strict_format"], "--answer: expected ID=VALUE"),
        (["evaluate", "--answers", "/no/such/file.json"], "--answers: cannot read"),
        (["evaluate", "--format", "yaml"], "argument --format: invalid choice"),
        (["frobnicate"], "invalid choice"),
        ([], "required: command"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("decision: error: ") and fragment in err, err


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        ("{not json", "a.json", "a.json: not valid JSON"),
        ("[1, 2]", "a.json", "a.json: must hold a table"),
        ('{"prompt_result": 5}', "a.json", "prompt_result: must be one of"),
        ("x = = 1", "a.toml", "a.toml: not valid TOML"),
        ('needs_knowledge = "perhaps"', "a.toml", "needs_knowledge: 'perhaps' is not allowed"),
    ],
)
@pytest.mark.needs_subprocess
def test_broken_answer_files_exit_2_in_a_real_process(tmp_path, content, name, fragment):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "evaluate", "--answers", str(path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and fragment in proc.stderr, proc.stderr


def test_questionnaire_asks_only_what_matters_and_accepts_skips():
    asked = []
    replies = iter(["9", "1", "", "", "", "", "", "", "", ""])  # bad number, then "no knowledge", then skip the rest

    def read(prompt):
        return next(replies)

    def write(text):
        asked.append(text)

    answers: dict = {}
    ask_open_questions(MODEL, answers, read, write)
    assert answers == {"needs_knowledge": "no"}
    assert any("Please type a number" in line for line in asked)
    assert MODEL.question("needs_knowledge").text in asked[0]


def test_questionnaire_stops_asking_once_nothing_can_change():
    # Choosing the answers of the strict-format case (Enter where it says nothing) settles everything,
    # asks no question twice, and never asks what the branching leaves out.
    case = next(c for c in MODEL.cases if c.id == "strict-format")
    seen = []
    asked = []

    def read(prompt):
        shown = [text for text in seen if text.startswith("\n")][-1]
        question = next(q for q in MODEL.questions if q.text in shown)
        asked.append(question.id)
        value = case.answers.get(question.id)
        return str(question.values.index(value) + 1) if value else ""

    answers: dict = {}
    ask_open_questions(MODEL, answers, read, seen.append)
    assert answers == {q: v for q, v in case.answers.items() if q in asked}
    assert evaluate(answers).approach == "fine-tune"
    assert len(asked) == len(set(asked))
    assert "stronger_model" not in asked  # only asked when a special skill is needed


@pytest.mark.needs_subprocess
def test_interactive_run_on_a_real_terminal():
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "decision", "evaluate", "--format", "json"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "TERM": "dumb"},
    )
    os.close(follower)
    screen = b""
    try:
        for reply in [b"2\n"] + [b"\n"] * 12:
            deadline_hit = not select.select([leader], [], [], 20)[0]
            assert not deadline_hit, screen
            screen += os.read(leader, 65536)
            if proc.poll() is not None:
                break
            os.write(leader, reply)
        out, _ = proc.communicate(timeout=30)
    finally:
        os.close(leader)
        proc.kill()
    assert proc.returncode == 0, screen
    assert b"Does the task need information" in screen
    assert json.loads(out)["answers"] == {"needs_knowledge": "stable"}


def test_a_subcommand_is_one_register_hook(capsys, monkeypatch):
    # How `decision gap` (or any later room) joins the command: one more entry in SUBCOMMANDS.
    from decision.cli import app

    def register(add):
        add("hello", lambda args, model: f"{len(model.questions)} questions, format {args.format}\n", "Say hello.")

    monkeypatch.setattr(app, "SUBCOMMANDS", (*app.SUBCOMMANDS, register))
    assert main(["hello", "--format", "json"]) == 0
    assert capsys.readouterr().out == f"{len(MODEL.questions)} questions, format json\n"
    assert main(["cost", "--example", "--format", "json"]) == 0  # the others are still there
    assert json.loads(capsys.readouterr().out)["schema_version"] == decision.SCHEMA_VERSION


class _Piped(io.StringIO):
    def isatty(self) -> bool:  # standard input that is a pipe or a file, not a terminal
        return False


def test_answers_piped_on_standard_input_are_read(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Piped('{"needs_knowledge": "monthly", "prompt_result": "not-tried"}'))
    code, out, err = run(capsys, "evaluate", "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out)["answers"] == {"needs_knowledge": "monthly", "prompt_result": "not-tried"}


def test_empty_standard_input_says_no_answers_were_given(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Piped(""))
    code, out, err = run(capsys, "evaluate")
    assert code == 2 and out == ""
    assert err.startswith("decision: error: standard input: empty, so no answers were given; ")
    assert "--no-input" in err and err.count("\n") == 1


def test_no_input_evaluates_with_every_question_open_even_when_piped(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Piped('{"needs_knowledge": "monthly"}'))
    code, out, _ = run(capsys, "evaluate", "--no-input", "--format", "json")
    assert code == 0 and json.loads(out)["answers"] == {}


def test_answers_from_model_v1_are_read_with_a_note_on_stderr(capsys):
    code, out, err = run(capsys, "evaluate", "--answer", "prompt_result=large-gap", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["answers"] == {"prompt_result": "short", "gap_worth": "yes"}
    assert err.startswith("decision: note: Prompt result: ") and data["notes"] == [err.split("note: ", 1)[1].strip()]
