"""decision.web: the browser's only door into the engine. Hostile links, byte-equal downloads."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision import SCHEMA_VERSION, default_model, evaluate, render_json, render_markdown
from decision.web import PROTOCOL_VERSION, answers_from_fragment, fragment_from_answers, questionnaire_response, warm_up
from decision.web.questionnaire import MAX_FRAGMENT, MAX_REPORTED, SHOWN_LIMIT

MODEL = default_model()
IDS = MODEL.question_ids


def test_valid_fragment_round_trips_in_model_order():
    answers, ignored = answers_from_fragment("#prompt_result=short&needs_knowledge=monthly")
    assert ignored == []
    assert list(answers) == ["needs_knowledge", "prompt_result"]
    assert fragment_from_answers(answers) == "needs_knowledge=monthly&prompt_result=short"
    assert answers_from_fragment(fragment_from_answers(answers)) == (answers, [])


def test_leading_hash_is_optional_and_percent_encoding_is_decoded():
    plain = answers_from_fragment("needs_knowledge=stable")
    encoded = answers_from_fragment("#needs%5Fknowledge=%73table")
    assert plain == encoded == ({"needs_knowledge": "stable"}, [])


@pytest.mark.parametrize(
    ("fragment", "field", "problem_start"),
    [
        ("nope=yes", "nope", "not a question"),
        ("needs_knowledge=maybe", "needs_knowledge", "not an allowed answer"),
        ("needs_knowledge", "needs_knowledge", "expected question=answer"),
        ("=stable", "(empty)", "missing the question"),
        ("needs_knowledge=unanswered", "needs_knowledge", "not an allowed answer"),
        ("%3Cscript%3Ealert(1)%3C%2Fscript%3E=x", "<script>alert(1)</script>", "not a question"),
    ],
)
def test_each_kind_of_bad_entry_is_dropped_and_named(fragment, field, problem_start):
    answers, ignored = answers_from_fragment(fragment)
    assert answers == {}
    assert len(ignored) == 1
    assert ignored[0]["field"] == field
    assert ignored[0]["problem"].startswith(problem_start)


def test_duplicates_keep_the_first_answer_and_report_the_rest():
    answers, ignored = answers_from_fragment("needs_knowledge=no&needs_knowledge=weekly&needs_knowledge=no")
    assert answers == {"needs_knowledge": "no"}
    assert [entry["value_shown"] for entry in ignored] == ["weekly", "no"]
    assert all("more than once" in entry["problem"] for entry in ignored)


def test_hostile_values_come_back_as_short_plain_strings():
    attribute_breaker = quote('" onmouseover="alert(1)" x="', safe="")
    script = quote("<script>document.cookie</script>" * 5, safe="")
    control = quote("a\u202e\x00\n\tb", safe="")
    answers, ignored = answers_from_fragment(
        f"strict_format={attribute_breaker}&maintenance={script}&training_data={control}"
    )
    assert answers == {}
    shown = [entry["value_shown"] for entry in ignored]
    assert shown[0] == '" onmouseover="alert(1)" x="'
    assert len(shown[1]) == SHOWN_LIMIT and shown[1].endswith("…")
    assert shown[2] == "a\ufffd\ufffd\ufffd\ufffdb"  # bidi override, NUL, newline and tab are not printed


def test_oversized_link_is_cut_and_reported_once():
    fragment = "needs_knowledge=weekly&" + "x=" + "y" * (MAX_FRAGMENT * 10)
    answers, ignored = answers_from_fragment(fragment)
    assert answers == {"needs_knowledge": "weekly"}
    assert [entry["field"] for entry in ignored] == ["(link)"]
    assert "too long" in ignored[0]["problem"]


def test_many_bad_entries_are_summarised():
    answers, ignored = answers_from_fragment("&".join(f"bad{i}=1" for i in range(60)) + "&maintenance=yes")
    assert answers == {"maintenance": "yes"}
    assert len(ignored) == MAX_REPORTED + 1
    assert ignored[-1]["problem"] == f"{60 - MAX_REPORTED} more entries were ignored as well"


def test_invalid_utf8_percent_escapes_do_not_raise():
    answers, ignored = answers_from_fragment("needs_knowledge=%ff%fe&%c3=yes")
    assert answers == {}
    assert ignored[0]["value_shown"] == "\ufffd\ufffd"
    assert ignored[1]["field"] == "\ufffd"


def test_fragment_of_rejects_bad_answers():
    from decision import AnswerError

    with pytest.raises(AnswerError):
        fragment_from_answers({"needs_knowledge": "<b>"})


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_string_parses_without_raising(fragment):
    answers, ignored = answers_from_fragment(fragment)
    assert set(answers) <= set(IDS)
    for qid, value in answers.items():
        assert value in MODEL.question(qid).values
    for entry in ignored:
        assert set(entry) == {"field", "value_shown", "problem"}
        assert entry["field"] and entry["problem"]
        assert len(entry["field"]) <= SHOWN_LIMIT and len(entry["value_shown"]) <= SHOWN_LIMIT


_pairs = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(IDS), st.text(max_size=10)),
        st.one_of(st.sampled_from(sorted({v for q in MODEL.questions for v in q.values})), st.text(max_size=10)),
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(_pairs)
def test_each_pair_is_either_kept_or_reported_by_field(pairs):
    fragment = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    answers, ignored = answers_from_fragment(fragment)
    legacy = {(entry.question, entry.value): entry.becomes for entry in MODEL.v1_answers}
    translated: set[str] = set()  # answers read from a model-v1 link: neither kept as given nor dropped
    expected_fields = []
    seen: set[str] = set()
    kept: set[str] = set()
    for key, value in pairs:
        k, v = key.strip(), value.strip()
        if (k, v) in legacy and k not in seen:
            seen.add(k)  # the older answer counts as this question's first answer (it may leave it open)
            translated.update(legacy[(k, v)])
        elif k in IDS and v in MODEL.question(k).values and k not in seen:
            seen.add(k)
            kept.add(k)
            assert answers[k] == v
        else:
            expected_fields.append(k[:SHOWN_LIMIT] if k.isprintable() else None)
    assert set(answers) == kept | translated
    assert len(ignored) == len(expected_fields)
    for entry, field in zip(ignored, expected_fields, strict=True):
        if field:  # readable keys are echoed back verbatim (shortened)
            assert entry["field"] in (field or "(empty)", field[: SHOWN_LIMIT - 1] + "…")


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=200), st.builds(lambda d: json.dumps(d), st.dictionaries(st.text(), st.text()))))
def test_respond_always_returns_one_json_object(request):
    payload = json.loads(questionnaire_response(request))
    assert payload["ok"] is True
    assert payload["json"] == render_json(evaluate(payload["answers"]))


def test_respond_carries_everything_the_page_needs():
    payload = json.loads(questionnaire_response("#needs_knowledge=weekly&bogus=%3Cimg%20src%3Dx%3E"))
    result = evaluate({"needs_knowledge": "weekly"})
    assert payload["ok"] is True and payload["protocol"] == PROTOCOL_VERSION == 4
    assert payload["schema_version"] == SCHEMA_VERSION
    assert payload["result"] == json.loads(render_json(result))
    assert payload["json"] == render_json(result)
    assert payload["markdown"] == render_markdown(result)
    assert payload["fragment"] == "needs_knowledge=weekly"
    bogus = {"field": "bogus", "value_shown": "<img src=x>", "problem": "not a question of this guide"}
    assert payload["ignored"] == [bogus]
    assert payload["unanswered"] == result.unanswered and payload["to_ask"] == result.to_ask
    assert set(payload["skippable"]).isdisjoint(payload["to_ask"])
    view = payload["view"]
    assert view["approach"] == "rag" and view["title"] == "Retrieval (RAG)" and view["status"] == "provisional"
    assert view["headline"] == json.loads(render_json(result))["headline"]
    assert view["headline"].startswith("Retrieval (RAG) for now; Combination: ")
    assert view["summary"].startswith(view["headline"] + ". ") and "\n" not in view["summary"]
    assert [b["text"].split(" if ")[0] for b in view["becomes"]] == [
        "Combination: Few-shot prompt + Retrieval (RAG) + LoRA fine-tune"
    ] * len(result.becomes)
    assert view["notes"] == []


def test_skippable_lists_open_questions_that_cannot_change_the_outcome():
    # Every case with one answer dropped: what is not worth asking cannot move the approach.
    some_skipped = 0
    for case in MODEL.cases:
        for drop in IDS:
            partial = {k: v for k, v in case.answers.items() if k != drop}
            payload = json.loads(questionnaire_response(json.dumps({"answers": partial})))
            open_ids = [q for q in IDS if q not in partial]
            assert sorted(payload["skippable"] + payload["to_ask"]) == sorted(open_ids)
            some_skipped += bool(payload["skippable"])
            for qid in payload["skippable"]:  # no answer to a skippable question moves the approach
                for value in MODEL.question(qid).values:
                    assert evaluate({**partial, qid: value}).approach == payload["result"]["approach"]
    assert some_skipped


def test_an_old_link_opens_in_todays_terms_and_says_what_changed():
    payload = json.loads(questionnaire_response("#needs_knowledge=changing&prompt_result=small-gap&training_data=yes"))
    assert payload["answers"] == {
        "needs_knowledge": "weekly",
        "prompt_result": "short",
        "gap_worth": "no",
        "training_data": "reviewed",
    }
    assert payload["ignored"] == []
    assert [note.split(":")[0] for note in payload["view"]["notes"]] == ["Knowledge", "Prompt result", "Training data"]
    assert payload["result"]["notes"] == payload["view"]["notes"]
    assert payload["fragment"] == "needs_knowledge=weekly&prompt_result=short&gap_worth=no&training_data=reviewed"
    # today's answer wins over one read from an old link, whatever the order
    again = json.loads(questionnaire_response("#gap_worth=yes&prompt_result=small-gap"))
    assert again["answers"] == {"prompt_result": "short", "gap_worth": "yes"}
    # the same question twice, once in each form: the first is kept and the second reported, as for any repeat
    for fragment, kept, dropped in (
        ("needs_knowledge=changing&needs_knowledge=no", "weekly", "no"),
        ("needs_knowledge=no&needs_knowledge=changing", "no", "changing"),
    ):
        twice = json.loads(questionnaire_response(fragment))
        assert twice["answers"] == {"needs_knowledge": kept}
        assert [(e["field"], e["value_shown"]) for e in twice["ignored"]] == [("needs_knowledge", dropped)]


def test_json_request_with_answers_reports_bad_entries():
    request = json.dumps({"answers": {"maintenance": "yes", "strict_format": 3, "nope": "x"}})
    payload = json.loads(questionnaire_response(request))
    assert payload["answers"] == {"maintenance": "yes"}
    assert [entry["field"] for entry in payload["ignored"]] == ["strict_format", "nope"]


def test_similar_cases_are_ids_and_titles_only():
    # The engine holds no site URLs: the page builds each link from its own base and the id.
    payload = json.loads(questionnaire_response(fragment_from_answers(MODEL.cases[0].answers)))
    cases = payload["view"]["cases"]
    titles = {case.id: case.title for case in MODEL.cases}
    assert cases and all(set(case) == {"id", "title", "approach_label", "differences"} for case in cases)
    assert cases[0]["differences"] == []  # the case itself comes first
    assert all(titles[case["id"]] == case["title"] for case in cases)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", case["id"]) for case in cases)


def _cli(answers: dict[str, str], fmt: str) -> str:
    flags = [arg for qid, value in answers.items() for arg in ("--answer", f"{qid}={value}")]
    done = subprocess.run(
        [sys.executable, "-m", "decision", "evaluate", "--no-input", "--format", fmt, *flags],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"needs_knowledge": "weekly"},
        MODEL.cases[0].answers,
        MODEL.cases[-1].answers,
        {
            "strict_format": "yes",
            "prompt_result": "short",
            "gap_worth": "yes",
            "training_data": "reviewed",
            "maintenance": "no",
        },
    ],
    ids=["empty", "one-answer", "first-case", "last-case", "fine-tune-without-owner"],
)
@pytest.mark.needs_subprocess  # runs the CLI in a child process: not possible inside Pyodide
def test_downloads_equal_the_cli_byte_for_byte(answers):
    payload = json.loads(questionnaire_response("#" + fragment_from_answers(answers)))
    assert payload["json"].encode("utf-8") == _cli(answers, "json").encode("utf-8")
    assert payload["markdown"].encode("utf-8") == _cli(answers, "markdown").encode("utf-8")


def test_the_warm_up_answers_every_case_study():
    # The worker calls it before "ready"; a case that stopped answering would show up here.
    assert warm_up() == len(MODEL.cases) >= 6


def test_the_page_shows_the_labels_and_sentences_of_the_model_file(tmp_path, monkeypatch):
    # Edit a copy of model.toml: every label and the LoRA sentence in the reply must follow it.
    from decision import load_model
    from decision.web import questionnaire

    text = resources.files("decision").joinpath("data/model.toml").read_text(encoding="utf-8")
    for old, new in (
        ('label = "Retrieval (RAG)"', 'label = "Document retrieval"'),
        ('label = "LoRA fine-tune"', 'label = "Adapter training"'),
        ('combination = "Combination"', 'combination = "A mix"'),
        ('lora_note = "Fine-tuning here means a LoRA adapter, not a full fine-tune."', 'lora_note = "Adapter only."'),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "model.toml"
    path.write_text(text, encoding="utf-8")
    edited = load_model(path)
    monkeypatch.setattr(questionnaire, "default_model", lambda: edited)
    voice = next(case.answers for case in MODEL.cases if case.documented_approach == "combination")
    view = json.loads(questionnaire_response(fragment_from_answers(voice)))["view"]
    assert view["title"].startswith("A mix: ") and "Adapter training" in view["title"]
    assert view["approach_label"] == "A mix" and view["fine_tune_note"] == "Adapter only."
    assert {c["label"] for c in view["components"]} >= {"Adapter training"}
    rag = json.loads(questionnaire_response("needs_knowledge=weekly"))["view"]
    assert rag["title"] == rag["approach_label"] == "Document retrieval"
    assert all(change["approach_label"] == edited.approach_label(change["approach"]) for change in rag["changes"])
    assert any(change["approach_label"] != change["approach"] for change in rag["changes"])
