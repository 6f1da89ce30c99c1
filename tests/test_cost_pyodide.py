"""The cost calculator inside real Pyodide (CPython 3.14, Node, no network) gives the same bytes as here.

The browser will call decision.cost.evaluate_json; this runs it, the CLI's JSON and
Markdown renderers and the chart in Pyodide for the worked example and for hostile
fragments, and compares every string with this interpreter's output and the golden files.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from decision.chart import cost_chart
from decision.cost import EXAMPLE, FIELDS, compute, dumps, evaluate_json, fragment_of, to_dict

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = ROOT.parent / "shared" / "tools" / "offline"
GOLDEN = ROOT / "tests" / "golden" / "cost"
EXAMPLE_FRAGMENT = fragment_of(EXAMPLE)
REQUESTS = [
    EXAMPLE_FRAGMENT,
    EXAMPLE_FRAGMENT.replace("calls_per_month=1000000", "calls_per_month=2e7"),
    EXAMPLE_FRAGMENT.replace("tuned_input_price=0.3", "tuned_input_price=5"),
    "",
    "#calls_per_month=nan&epochs=-1&%zz=%&🙂=1",
    "calls_per_month=1e400&prompt_tokens=1,000,000&x=<script>",
    "===&&&=&a==b",
]
RUNNER = """
import { pathToFileURL } from "node:url";
const [pyodideDir, wheel, requests] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(pyodideDir + "/pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
await pyodide.loadPackage(wheel, { messageCallback: () => {} });
pyodide.globals.set("requests", requests);
process.stdout.write(pyodide.runPython(`
import json, sys
from decision import cost
from decision.cost_cli import markdown_record
from decision.chart import cost_chart
example = cost.compute(cost.EXAMPLE)
json.dumps({
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "responses": [cost.evaluate_json(r) for r in json.loads(requests)],
    "example_json": cost.dumps(cost.to_dict(example, cost.FIELDS)),
    "example_md": markdown_record(example, list(cost.FIELDS)),
    "example_svg": cost_chart(example),
})
`));
"""


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory):
    node = shutil.which("node")
    assert node, "node is not on PATH: the Pyodide tests need Node.js (make setup)"
    pyodide_dir = ROOT / "node_modules" / "pyodide"
    assert (pyodide_dir / "pyodide.mjs").is_file(), "node_modules/pyodide missing: make setup"
    assert OFFLINE.is_file(), f"{OFFLINE} missing: the Pyodide tests must run without network"
    spec = importlib.util.spec_from_file_location("site_glue_runtime", ROOT / "site_glue" / "runtime.py")
    runtime = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runtime)
    work = tmp_path_factory.mktemp("cost-pyodide")
    wheel = runtime.build_wheel(ROOT, work / "wheel")
    script = work / "run_cost.mjs"
    script.write_text(RUNNER, encoding="utf-8")
    command = [str(OFFLINE), node, str(script), str(pyodide_dir), str(wheel), json.dumps(REQUESTS)]
    done = subprocess.run(command, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    return json.loads(done.stdout.decode("utf-8"))


def test_it_ran_in_pyodide(pyodide_run):
    assert pyodide_run["platform"] == "emscripten" and pyodide_run["python"].startswith("3.14")


def test_evaluate_json_is_byte_identical(pyodide_run):
    assert len(pyodide_run["responses"]) == len(REQUESTS)
    for request, response in zip(REQUESTS, pyodide_run["responses"], strict=True):
        assert response == evaluate_json(request), request[:60]
    first = json.loads(pyodide_run["responses"][0])
    assert first["ok"] and first["inputs"] == {name: float(getattr(EXAMPLE, name)) for name in FIELDS}
    assert json.loads(pyodide_run["responses"][1])["prompt_cost_answer"] == "yes"
    assert json.loads(pyodide_run["responses"][2])["break_even_calls_per_month"] is None
    assert all(not json.loads(r)["ok"] for r in pyodide_run["responses"][3:])


def test_golden_outputs_are_the_same_in_pyodide(pyodide_run):
    example = compute(EXAMPLE)
    assert pyodide_run["example_json"] == dumps(to_dict(example, FIELDS))
    assert pyodide_run["example_json"] == (GOLDEN / "example.json").read_text(encoding="utf-8")
    assert pyodide_run["example_md"] == (GOLDEN / "example.md").read_text(encoding="utf-8")
    assert pyodide_run["example_svg"] == (GOLDEN / "example.svg").read_text(encoding="utf-8")
    assert pyodide_run["example_svg"] == cost_chart(dataclasses.replace(example))
