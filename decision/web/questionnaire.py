"""The questionnaire's adapter: a URL fragment in, everything the page shows out.

The in-page questionnaire keeps its answers in the URL fragment (`#id=value&id2=value2`)
and runs this module inside Pyodide. JavaScript only moves strings around and builds
DOM from the response, so every judgement stays here and in the evaluator:

- `answers_from_fragment` turns a fragment into checked answers and a list of the entries it
  dropped (unknown questions, values that are not options, repeats, malformed pairs,
  oversized links), each shortened to a harmless plain string for display; it never raises;
- `fragment_from_answers` is the inverse, in model order, for share links;
- `questionnaire_response` returns ONE JSON string: the result, the exact `render_json` and
  `render_markdown` texts (downloads equal the CLI byte for byte), the dropped entries,
  which open questions still matter and which can be skipped, and display-ready labels.
  Similar cases are listed by id and title only: the page builds their links.

What-if links. A "what would change it" entry can be tried: its fragment (`view.changes[].what_if`) holds
the answers with that one change applied plus the marker `was=<question>:<answer before>` (empty after
the colon when the question was open), e.g. `needs_knowledge=stable&prompt_result=meets-bar&was=prompt_result:short`.
The marker is read like any other entry and never trusted: it must name a question of the model, an
allowed answer (or nothing) that differs from the answer now in the link, and appear once; otherwise it
is dropped and reported like a bad answer. A valid marker gives the reply a `what_if` with the verdict
before the change (evaluated here, never by the page) and the fragment that undoes it. Changing any
answer in the form keeps the what-if as the reader's own answers (the page writes no marker then).

Standard library only: it must import unchanged in Pyodide.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote, unquote

from decision._version import SCHEMA_VERSION, __version__
from decision.engine.answers import check_answers
from decision.engine.evaluator import CaseMatch, Result, evaluate
from decision.engine.flow import fired_include_rules, flow_tree
from decision.engine.model import UNANSWERED, Model, default_model
from decision.engine.render import (
    approach_title,
    becomes_phrase,
    headline,
    reason_line,
    render_json,
    render_markdown,
    status_text,
    summary,
    title_of,
)
from decision.web.protocol import PROTOCOL_VERSION

MAX_FRAGMENT = 2048  # characters read from a link; a full valid answer set needs about 300
MAX_REPORTED = 20  # dropped entries listed one by one; the rest are summarised in one entry
SHOWN_LIMIT = 40  # characters of a dropped key or value echoed back to the page
WAS = "was"  # the what-if marker's key: `was=<question>:<answer before the change>`; no question has this id
PATH_ID = "dq-path"  # element ids inside the reader's path drawing (the static diagram uses "dq-flow")


def _shown(text: str, limit: int = SHOWN_LIMIT) -> str:
    """A short, printable rendering of untrusted text; the page inserts it as text, never as markup."""
    clean = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text[: limit + 1])
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _ignored(field: str, value: str, problem: str) -> dict[str, str]:
    return {"field": _shown(field) or "(empty)", "value_shown": _shown(value), "problem": problem}


def _decode(text: str) -> str:
    return unquote(text, encoding="utf-8", errors="replace")


class _Collector:
    """Accepts entries one by one, keeping the first valid answer per question."""

    def __init__(self, model: Model):
        self.model = model
        self.answers: dict[str, str] = {}
        self.translated: dict[str, str] = {}  # from answers of an older model; a current answer wins
        self.notes: list[str] = []
        self.ignored: list[dict[str, str]] = []
        self.dropped = 0
        self.was: tuple[str, str] | None = None  # a what-if marker: (question, answer before; "" when open)
        self.legacy = {(entry.question, entry.value): entry for entry in model.v1_answers}
        self.read_from: dict[str, tuple[str, str]] = {}  # question -> the older answer it was given

    def drop(self, field: str, value: str, problem: str) -> None:
        self.dropped += 1
        if len(self.ignored) < MAX_REPORTED:
            self.ignored.append(_ignored(field, value, problem))

    def offer_was(self, value: str) -> None:
        qid, sep, before = value.partition(":")
        if self.was is not None:
            self.drop(WAS, value, "a what-if is marked more than once; kept the first")
        elif not sep:
            self.drop(WAS, value, "expected question:answer before the change (nothing after ':' if it was open)")
        elif qid not in self.model.question_ids:
            self.drop(WAS, value, "not a question of this guide")
        elif before and before not in self.model.question(qid).values:
            allowed = ", ".join(self.model.question(qid).values)
            self.drop(WAS, value, f"not an allowed answer before the change; allowed: {allowed}, or nothing")
        else:
            self.was = (qid, before)

    def offer(self, key: str, value: str) -> None:
        if key == WAS:
            self.offer_was(value)
            return
        if key not in self.model.question_ids:
            self.drop(key, value, "not a question of this guide")
            return
        allowed = self.model.question(key).values
        legacy = self.legacy.get((key, value))
        if legacy is not None:  # a link made for model v1: read in today's terms, and say so
            if key in self.answers or key in self.read_from:
                kept = self.answers.get(key) or self.read_from[key][1]
                self.drop(key, value, f"answered more than once; kept the first answer, {kept}")
                return
            self.read_from[key] = (key, value)
            for new_key, new_value in legacy.becomes.items():
                self.translated.setdefault(new_key, new_value)
            if legacy.note not in self.notes:
                self.notes.append(legacy.note)
        elif value not in allowed:
            self.drop(key, value, f"not an allowed answer; allowed: {', '.join(allowed)}")
        elif key in self.answers:
            self.drop(key, value, f"answered more than once; kept the first answer, {self.answers[key]}")
        elif key in self.read_from:
            self.drop(key, value, f"answered more than once; kept the first answer, {self.read_from[key][1]}")
        else:
            self.answers[key] = value

    def finish(self) -> tuple[dict[str, str], list[dict[str, str]]]:
        answers = check_answers(self.translated | self.answers, self.model)
        if self.was is not None and answers.get(self.was[0], "") == self.was[1]:
            self.drop(WAS, ":".join(self.was), "the same as the answer in the link: there is no change to undo")
            self.was = None
        extra = self.dropped - len(self.ignored)
        if extra > 0:
            self.ignored.append(_ignored("(link)", "", f"{extra} more entries were ignored as well"))
        return answers, self.ignored


def answers_from_fragment(fragment: str, model: Model | None = None) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Split `id=value&...` (percent-encoded, leading '#' optional) into answers and dropped entries.

    Never raises for any string. Answers come back in model order; each dropped entry is
    a dict with `field`, `value_shown` (shortened, printable) and `problem`. Answers from a
    model-v1 link are read in today's terms (`_collect_fragment` also returns the notes that say so).
    """
    return _collect_fragment(fragment, model or default_model()).finish()


def _collect_fragment(fragment: object, model: Model) -> _Collector:
    collector = _Collector(model)
    if not isinstance(fragment, str):
        collector.drop("(link)", "", f"expected text, got {type(fragment).__name__}")
        return collector
    text = fragment[1:] if fragment.startswith("#") else fragment
    if len(text) > MAX_FRAGMENT:
        collector.drop("(link)", f"{len(text)} characters", f"too long; only the first {MAX_FRAGMENT} were read")
        text = text[:MAX_FRAGMENT].rpartition("&")[0]  # the last, cut-off pair is not read at all
    for pair in text.split("&"):
        if not pair:
            continue  # `a=b&&c=d` and a trailing '&' are harmless
        raw_key, sep, raw_value = pair.partition("=")
        key, value = _decode(raw_key).strip(), _decode(raw_value).strip()
        if not sep:
            collector.drop(key, "", "expected question=answer")
        elif not key:
            collector.drop("", value, "missing the question before '='")
        else:
            collector.offer(key, value)
    return collector


def fragment_from_answers(answers: Mapping[str, str], model: Model | None = None) -> str:
    """The canonical fragment (without '#') for checked answers, in model order."""
    model = model or default_model()
    checked = check_answers(answers, model)
    return "&".join(f"{quote(qid, safe='')}={quote(value, safe='')}" for qid, value in checked.items())


def _with(answers: Mapping[str, str], qid: str, value: str) -> dict[str, str]:
    """The answers with one question set to `value` ("" or UNANSWERED: left open)."""
    changed = {k: v for k, v in answers.items() if k != qid}
    if value and value != UNANSWERED:
        changed[qid] = value
    return changed


def what_if_fragment(answers: Mapping[str, str], qid: str, value: str, model: Model) -> str:
    """The link fragment that tries one change: the changed answers and the marker of the answer before it."""
    before = answers.get(qid, "")
    marker = f"{WAS}={quote(qid, safe='')}%3A{quote(before, safe='')}"
    changed = fragment_from_answers(_with(answers, qid, value), model)
    return f"{changed}&{marker}" if changed else marker


def _collect_mapping(raw: object, model: Model) -> _Collector:
    collector = _Collector(model)
    if not isinstance(raw, Mapping):
        collector.drop("answers", "", "must be an object of question id to answer")
        return collector
    for key, value in list(raw.items())[: MAX_REPORTED * 4]:
        key_text = key if isinstance(key, str) else repr(key)
        if not isinstance(value, str):
            collector.drop(key_text, repr(value), "the answer must be text")
        else:
            collector.offer(key_text.strip(), value.strip())
    return collector


def _because(model: Model, answers: Mapping[str, str]) -> list[dict[str, str]]:
    shown = []
    for qid, value in answers.items():
        question = model.question(qid)
        label = "not answered yet" if value not in question.values else question.label_of(value)
        shown.append({"question": qid, "topic": question.topic, "answer": value, "answer_label": label})
    return shown


def _differences(model: Model, case: CaseMatch) -> list[dict[str, str]]:
    shown = []
    for d in case.differences:
        question = model.question(d.question)
        yours = question.label_of(d.yours) if d.yours else "not answered"
        theirs = question.label_of(d.theirs) if d.theirs else "not stated"
        shown.append({"question": d.question, "topic": question.topic, "yours": yours, "theirs": theirs})
    return shown


def result_view(result: Result, model: Model) -> dict:
    """Display-ready strings so the page only copies text into elements (case pages build their card from it too)."""
    answered = set(result.answers)
    return {
        "title": approach_title(result, model),
        "status": result.status,
        "status_text": status_text(result),
        "headline": headline(result, model),
        "summary": summary(result, model),
        "first_step": result.next_steps[0].text if result.next_steps else None,
        "approach": result.approach,
        "approach_label": model.approach_label(result.approach),
        "components": [
            {"id": c, "label": model.components[c].label, "summary": model.components[c].summary}
            for c in result.components
        ],
        "fine_tune_note": model.sentences["lora_note"] if result.fine_tune_method else None,
        "reasons": [
            {"text": r.text, "line": reason_line(model, r), "because": _because(model, r.answers)}
            for r in result.reasons
        ],
        "next_steps": [s.text for s in result.next_steps],
        "caveats": [c.text for c in result.caveats],
        "changes": [
            {
                "question": ch.question,
                "question_text": model.question(ch.question).text,
                "answer": ch.answer,
                "answer_label": model.question(ch.question).label_of(ch.answer),
                "approach": ch.approach,
                "approach_label": model.approach_label(ch.approach),
                "topic": model.question(ch.question).topic,
                "what_if": what_if_fragment(result.answers, ch.question, ch.answer, model),
            }
            for ch in result.what_would_change
        ],
        "becomes": [
            {
                "text": becomes_phrase(model, b),
                "approach": b.approach,
                "approach_label": title_of(b.approach, b.components, model),
            }
            for b in result.becomes
        ],
        "open_questions": [{"id": q, "text": model.question(q).text} for q in result.unanswered],
        "cases": [
            {
                "id": c.id,
                "title": c.title,
                "approach_label": model.approach_label(c.documented_approach),
                "differences": _differences(model, c),
            }
            for c in result.cases
        ],
        "notes": list(result.notes),
        "answered_count": len(answered),
        "question_count": len(model.questions),
    }


def _what_if(collector: _Collector, result: Result, model: Model) -> dict | None:
    """The verdict before a marked change, and the fragment that undoes it; None without a valid marker."""
    if collector.was is None:
        return None
    qid, before = collector.was
    question = model.question(qid)
    original = _with(result.answers, qid, before)
    earlier = evaluate(original, model)
    now = result.answers.get(qid)
    return {
        "question": qid,
        "topic": question.topic,
        "question_text": question.text,
        "was_label": question.label_of(before) if before else "not answered",
        "now_label": question.label_of(now) if now else "not answered",
        "undo": fragment_from_answers(original, model),
        "before": {
            "title": approach_title(earlier, model),
            "approach": earlier.approach,
            "status": earlier.status,
            "status_text": status_text(earlier),
            "headline": headline(earlier, model),
        },
    }


def _read_request(request: object, model: Model) -> _Collector:
    """A request is a fragment, or a JSON object with `fragment` (text) or `answers` (an object)."""
    if isinstance(request, str) and request.lstrip().startswith("{"):
        try:
            data = json.loads(request)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            if "answers" in data:
                return _collect_mapping(data["answers"], model)
            fragment = data.get("fragment", "")
            return _collect_fragment(fragment if isinstance(fragment, str) else repr(fragment), model)
    return _collect_fragment(request, model)


def questionnaire_response(request: str) -> str:
    """Answer one request from the page with one JSON string; never raises.

    On success: {"ok": true, "schema_version", "protocol", "engine_version", "answers", "fragment", "result",
    "json", "markdown", "ignored", "unanswered", "to_ask", "skippable", "path", "path_drawing", "what_if",
    "view"}; `skippable` lists the open questions the model's branching does not ask now; `path` the include
    rules that fired, which `path_drawing` (the site's flow drawing as a tree of [tag, attributes, children],
    decision.engine.flow) highlights; `what_if` is null unless the request
    marks a change (see the module's docstring), and `fragment` then keeps the marker. On an internal error:
    {"ok": false, "schema_version", "protocol", "engine_version", "error"}.
    """
    try:
        model = default_model()
        collector = _read_request(request, model)
        answers, ignored = collector.finish()
        result = evaluate(answers, model, collector.notes)
        json_text = render_json(result, model)
        unanswered = list(result.unanswered)
        what_if = _what_if(collector, result, model)
        fragment = fragment_from_answers(result.answers, model)
        if what_if is not None:
            marker = f"{WAS}={quote(what_if['question'], safe='')}%3A{quote(collector.was[1], safe='')}"
            fragment = f"{fragment}&{marker}" if fragment else marker
        path = fired_include_rules(model, result.answers)
        payload = {
            "ok": True,
            "schema_version": SCHEMA_VERSION,
            "protocol": PROTOCOL_VERSION,
            "engine_version": __version__,
            "answers": dict(result.answers),
            "fragment": fragment,
            "result": json.loads(json_text),
            "json": json_text,
            "markdown": render_markdown(result, model),
            "ignored": ignored,
            "unanswered": unanswered,
            "to_ask": list(result.to_ask),
            "skippable": [q for q in model.question_ids if q not in result.answers and q not in result.to_ask],
            "path": path,
            "path_drawing": flow_tree(model, path, PATH_ID),
            "what_if": what_if,
            "view": result_view(result, model),
        }
    except Exception as error:  # the page must always get an answer it can show
        payload = {
            "ok": False,
            "schema_version": SCHEMA_VERSION,
            "protocol": PROTOCOL_VERSION,
            "engine_version": __version__,
            "error": f"{type(error).__name__}: {error}"[:500],
        }
    return json.dumps(payload, ensure_ascii=False)


def warm_up() -> int:
    """Answer every case study once, discarding the replies; return how many were answered.

    The site's worker calls this before it reports "ready". In the browser the first run of each code
    path costs far more than later ones (up to a few hundred milliseconds for a complete answer set,
    against a few for the next), so without it the reader's first complete set of answers paid that.
    """
    model = default_model()
    answered = 0
    for case in model.cases:
        answered += json.loads(questionnaire_response(fragment_from_answers(case.answers, model)))["ok"] is True
    return answered
