"""The engine inside the real Pyodide runtime (Node, no network) gives the same bytes as CPython.

Builds the wheel the site ships (with the MkDocs hook's own function), runs
tests/pyodide/run_engine.mjs under ../shared/tools/offline, and compares every
render_json output and every decision.web.respond output with this interpreter's.
Nothing is skipped: a missing node, runtime or offline tool is a failure.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from decision import default_model, evaluate, render_json
from decision.model import UNANSWERED
from decision.web import respond

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "pyodide" / "run_engine.mjs"
OFFLINE = ROOT.parent / "shared" / "tools" / "offline"
EVERY = 37

HOSTILE = [
    "",
    "#",
    "#needs_knowledge=changing&prompt_result=large-gap",
    "needs_knowledge=changing&needs_knowledge=no",
    "%3Cscript%3Ealert(document.domain)%3C%2Fscript%3E=1",
    "strict_format=" + quote('"><img src=x onerror=alert(1)>', safe=""),
    "maintenance=" + quote("' onfocus='alert(1)' autofocus='", safe=""),
    "training_data=%ff%fe%00&%c3=yes",
    "needs_knowledge=" + "A" * 5000,
    "&".join(f"q{i}={i}" for i in range(100)),
    "===&&&=&a==b&%&%zz=%",
    "needs_knowledge=stable&strict_format=\u202eyes\u202c&specialised_behaviour=voice",
    "prompt_result=unanswered&prompt_cost=yes",
    '{"answers": {"maintenance": "yes", "strict_format": 7, "x": null}}',
    '{"fragment": "needs_knowledge=no"}',
    '{"answers": [1, 2, 3]}',
    "{not json",
    "🙂=🙃&needs_knowledge=changing",
]


def _load_runtime_hook():
    spec = importlib.util.spec_from_file_location("site_glue_runtime", ROOT / "site_glue" / "runtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    node = shutil.which("node")
    assert node, "node is not on PATH: the Pyodide tests need Node.js (make setup)"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "node_modules/pyodide missing: make setup"
    assert OFFLINE.is_file(), f"{OFFLINE} missing: the Pyodide tests must run without network"
    work = tmp_path_factory.mktemp("pyodide")
    wheel = _load_runtime_hook().build_wheel(ROOT, work / "wheel")
    requests = work / "requests.json"
    requests.write_text(json.dumps(HOSTILE), encoding="utf-8")
    command = [str(OFFLINE), node, str(RUNNER), "--wheel", str(wheel), "--fragments", str(requests)]
    done = subprocess.run([*command, "--every", str(EVERY)], capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, f"the Pyodide runner failed:\n{done.stderr.decode(errors='replace')}"
    return json.loads(done.stdout.decode("utf-8"))


def test_it_really_ran_in_pyodide(pyodide_run):
    assert pyodide_run["platform"] == "emscripten"
    assert pyodide_run["python"].startswith("3.14")
    assert (
        pyodide_run["pyodide_version"]
        == json.loads((ROOT / "node_modules/pyodide/package.json").read_text())["version"]
    )


def test_the_sample_is_the_cases_plus_every_37th_state(pyodide_run):
    model = default_model()
    choices = [(UNANSWERED, *q.values) for q in model.questions]
    expected = [f"case:{case.id}" for case in model.cases]
    expected += [f"state:{i}" for i, _ in enumerate(itertools.product(*choices)) if i % EVERY == 0]
    assert [item["label"] for item in pyodide_run["evaluations"]] == expected
    assert any(not item["answers"] for item in pyodide_run["evaluations"])  # state 0 leaves everything open
    assert any(len(item["answers"]) == len(model.questions) for item in pyodide_run["evaluations"])


def test_render_json_is_byte_identical_to_cpython(pyodide_run):
    mismatches = [
        item["label"]
        for item in pyodide_run["evaluations"]
        if item["json"].encode("utf-8") != render_json(evaluate(item["answers"])).encode("utf-8")
    ]
    assert mismatches == []


def test_case_studies_reach_their_documented_approach_in_pyodide(pyodide_run):
    by_label = {item["label"]: json.loads(item["json"]) for item in pyodide_run["evaluations"]}
    for case in default_model().cases:
        assert by_label[f"case:{case.id}"]["approach"] == case.documented_approach, case.id


def test_respond_to_hostile_requests_is_byte_identical_to_cpython(pyodide_run):
    responses = pyodide_run["responses"]
    assert [item["request"] for item in responses] == HOSTILE
    for item in responses:
        assert item["response"] == respond(item["request"]), item["request"][:60]
        payload = json.loads(item["response"])
        assert payload["ok"] is True, payload
    dropped = {entry["field"] for item in responses for entry in json.loads(item["response"])["ignored"]}
    assert "<script>alert(document.domain)</script>" in dropped
    assert "(link)" in dropped
