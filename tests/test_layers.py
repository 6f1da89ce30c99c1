"""The rooms of `decision/` and their one-way doors, read from the source with `ast` (nothing is imported
for the layering checks, so a cycle cannot hide behind an import that happens to run first).

    shared helpers (_version, _errors, _text)
        <- engine, cost            (each imports only the shared helpers and itself)
        <- gap                     (may also read the engine and the cost model)
        <- web, cli                (adapters: never each other)
        <- facade (decision/__init__.py, decision/__main__.py)

Every import counts, at module level or inside a function. Nothing inside `decision` imports
`decision.web` (the browser's door) or the bare `decision` package (the facade), and no module
imports another module's private (`_name`) names.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import decision

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "decision"
SHARED = {"decision._version", "decision._errors", "decision._text"}
FACADE = {"decision", "decision.__main__"}
# room -> the rooms it may import from (its own room included)
ALLOWED = {
    "shared": {"shared"},
    "engine": {"shared", "engine"},
    "cost": {"shared", "cost"},
    "gap": {"shared", "engine", "cost", "gap"},
    "web": {"shared", "engine", "cost", "gap", "web"},
    "cli": {"shared", "engine", "cost", "gap", "cli"},
    "facade": {"shared", "engine", "cost", "gap", "cli"},
}
# Public names defined in more than one module on purpose, each with the same contract in every place.
SAME_CONTRACT = {
    "register": "a CLI subcommand module's hook: register(add) adds its subcommands",
    "render_text": "a result as terminal text (engine.render: a decision; cost.render: a cost result)",
    "render_markdown": "a result as Markdown (engine.render: a decision; cost.render: a cost result)",
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, package.parent): path for path in sorted(package.rglob("*.py"))}


def room(name: str) -> str:
    if name in SHARED:
        return "shared"
    if name in FACADE:
        return "facade"
    sub = name.split(".")[1]
    if sub not in ALLOWED:
        raise AssertionError(f"{name}: not in any room; add decision/{sub}/ to ALLOWED in tests/test_layers.py")
    return sub


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import in the file, nested ones included."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [alias.name for alias in node.names]
            submodules = [n for n in names if f"{base}.{n}" in known]
            if len(submodules) < len(names):  # `from package import module` alone does not use the package
                found.append((base, names, node.lineno))
            found += [(f"{base}.{n}", [], node.lineno) for n in submodules]
    return [(target, names, line) for target, names, line in found if target.split(".")[0] == "decision"]


def graph(tree: dict[str, Path]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in tree.items():
        for target, _, _ in imports_of(name, path, set(tree)):
            if target in tree and target != name:
                edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search, as the list of modules around it."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def door_violations(tree: dict[str, Path]) -> list[str]:
    problems = []
    for name, path in tree.items():
        where = name
        for target, names, line in imports_of(name, path, set(tree)):
            if target == "decision":
                problems.append(f"{where}:{line}: imports the facade `decision`; import from the room that defines it")
                continue
            if target not in tree:
                continue
            if (target == "decision.web" or target.startswith("decision.web.")) and room(name) != "web":
                problems.append(f"{where}:{line}: imports {target}: only the browser may use decision.web")
            elif room(target) not in ALLOWED[room(name)]:
                problems.append(f"{where}:{line}: {room(name)} may not import {room(target)} ({target})")
            private = [n for n in names if n.startswith("_") and not n.startswith("__") and f"{target}.{n}" not in tree]
            if private and target != name:
                problems.append(f"{where}:{line}: imports private {', '.join(private)} from {target}")
    return problems


def test_no_import_cycles_in_decision():
    found = cycles(graph(modules()))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_every_import_goes_through_an_open_door():
    problems = door_violations(modules())
    assert not problems, "\n".join(problems)


# -- the checks themselves catch what they are meant to catch (a package built in a temporary folder)


def _package(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for relative, text in files.items():
        path = tmp_path / "decision" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return modules(tmp_path / "decision")


def test_a_function_level_cycle_is_found(tmp_path):
    tree = _package(
        tmp_path,
        {
            "__init__.py": "",
            "cost/__init__.py": "",
            "cost/model.py": "def f():\n    from decision.cost.chart import g\n",
            "cost/chart.py": "from decision.cost import model\n",
        },
    )
    assert cycles(graph(tree)) == [["decision.cost.chart", "decision.cost.model", "decision.cost.chart"]]


@pytest.mark.parametrize(
    ("relative", "text", "complaint"),
    [
        ("engine/render.py", "from decision import __version__\n", "imports the facade"),
        ("cost/model.py", "def f():\n    import decision.web\n", "only the browser"),
        ("engine/model.py", "from decision.cost.model import x\n", "engine may not import cost"),
        ("cli/app.py", "from decision.web.calculator import y\n", "only the browser"),
        ("cost/chart.py", "from decision.engine.model import _private\n", "imports private _private"),
        ("_text.py", "from decision.engine import model\n", "shared may not import engine"),
    ],
)
def test_a_closed_door_is_reported(tmp_path, relative, text, complaint):
    files = {f"{room}/__init__.py": "" for room in ("engine", "cost", "web", "cli")}
    files |= {"__init__.py": "", "_text.py": "", "engine/model.py": "x = 1\n", "cost/model.py": "x = 1\n"}
    files |= {"web/calculator.py": "y = 1\n", relative: text}
    tree = _package(tmp_path, files)
    problems = door_violations(tree)
    assert any(complaint in problem for problem in problems), problems


# -- public names


def _all_modules() -> list:
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(decision.__path__, "decision.")
        if info.name != "decision.__main__"
    ] + [decision]


def test_public_names_are_unique_and_defined_once():
    owners: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                owners[node.name].add(module_name(path))
    twice = {name: sorted(where) for name, where in owners.items() if len(where) > 1 and name not in SAME_CONTRACT}
    assert not twice, f"public names defined in more than one module: {twice}"
    for name in SAME_CONTRACT:
        assert len(owners[name]) > 1, f"{name} is defined once now: drop it from SAME_CONTRACT"


def test_every_all_list_names_real_objects_each_with_one_home():
    seen: dict[str, object] = {}
    for module in _all_modules():
        listed = getattr(module, "__all__", None)
        if listed is None:
            continue
        assert len(listed) == len(set(listed)), f"{module.__name__}.__all__ repeats a name"
        for name in listed:
            assert hasattr(module, name), f"{module.__name__}.__all__ lists {name}, which it does not have"
            value = getattr(module, name)
            home = getattr(value, "__module__", None)
            if callable(value) and home is not None:
                assert home.startswith("decision."), f"{module.__name__}.{name} comes from {home}"
            if name in seen and name not in SAME_CONTRACT:
                assert seen[name] is value, f"{name} means two different things in two __all__ lists"
            seen.setdefault(name, value)


def test_the_facade_exports_exactly_the_public_api():
    assert sorted(decision.__all__) == sorted(
        [
            "__version__",
            "SCHEMA_VERSION",
            "Model",
            "ModelError",
            "AnswerError",
            "Result",
            "load_model",
            "default_model",
            "evaluate",
            "check_answers",
            "parse_answers_text",
            "parse_pairs",
            "render_json",
            "render_markdown",
            "render_text",
            # the verdict's words, which the site's build-time pages show as the browser does
            "approach_title",
            "becomes_phrase",
            "headline",
            "reason_line",
            "summary",
            "status_text",
            # the decision flow drawing and the reader's path on it (case pages, reference page)
            "flow_svg",
            "fired_include_rules",
            "values_phrase",
        ]
    )
    cost = importlib.import_module("decision.cost")
    promised = "CostInputs CostResult compute FIELDS META EXAMPLE EXAMPLE_SOURCES check_inputs parse_inputs"
    promised += " parse_fragment"
    promised += " fragment_of to_dict cost_chart render_text render_markdown markdown_record reproduce formula_markdown"
    promised += " money count number plain summary_rows"
    assert set(promised.split()) <= set(cost.__all__)
    web = importlib.import_module("decision.web")
    assert {"questionnaire_response", "calculator_response", "warm_up", "PROTOCOL_VERSION"} <= set(web.__all__)


# -- outside imports: the standard library only (the Pyodide import audit checks the reduced library)


def _outside_imports() -> dict[str, set[str]]:
    tree = modules()
    found: dict[str, set[str]] = defaultdict(set)
    for name, path in tree.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found[name] |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                found[name].add(node.module)
    return {name: {t for t in targets if t.split(".")[0] != "decision"} for name, targets in found.items()}


def test_the_engine_imports_the_standard_library_only():
    outside = {
        f"{name}: {target}"
        for name, targets in _outside_imports().items()
        for target in targets
        if target.split(".")[0] not in sys.stdlib_module_names
    }
    assert not outside, f"decision/ must stay standard library only (it runs in Pyodide): {sorted(outside)}"
