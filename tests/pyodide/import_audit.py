"""The import audit for the engine's tests in Pyodide: the engine may use only the reduced standard library.

run_suite.mjs boots Pyodide with the REDUCED standard library (site_glue/stdlib_modules.txt) and
then unpacks the rest of it, which pytest and hypothesis need, into TOOLING. `install()`:

- makes TOOLING importable: last on sys.path for top-level modules, and a finder LAST on
  sys.meta_path for submodules of packages the reduced archive holds only in part (`urllib.error`
  when `urllib` came from the reduced archive), so it is consulted only when nothing else has it;
- audits every import made on the engine's behalf: when the nearest caller outside the standard
  library is an engine module (decision.*, except the command line: decision.cli, decision.__main__
  and a room's decision.<room>.cli), a module that came from TOOLING raises ModuleNotFoundError naming it --
  what the browser would raise -- and is recorded, so that the run fails even if a test swallowed
  the error. A wrapper around builtins.__import__ sees import statements (including modules pytest
  had already loaded); a finder first on sys.meta_path sees importlib.import_module and the like.

`self_test()` proves the refusal works. Standard library only: it is imported before pytest.
"""

from __future__ import annotations

import builtins
import sys
from importlib.machinery import PathFinder

TOOLING = "/lib/stdlib-tooling/"
STDLIB_PREFIXES = (TOOLING, "/lib/python314.zip/", "/lib/python3.14/lib-dynload/", "<frozen ")
# The command line never runs in the browser: decision.cli (a package), decision.__main__, and a room's own
# subcommand module (decision.gap.cli). The browser's own path is still held to the reduced archive: the
# workload runs on it before any tooling exists, where such an import fails outright.
CLI_ONLY = ("decision.cli", "decision.__main__")


def _command_line(name: str) -> bool:
    parts = name.split(".")
    return any(name == cli or name.startswith(cli + ".") for cli in CLI_ONLY) or "cli" in parts[2:3]


violations: list[dict[str, str]] = []


def _engine_caller(frame) -> str | None:
    """The engine module on whose behalf this import runs, or None."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(STDLIB_PREFIXES):
            name = frame.f_globals.get("__name__") or ""
            is_engine = (name == "decision" or name.startswith("decision.")) and not _command_line(name)
            return name if is_engine else None
        frame = frame.f_back
    return None


def _from_tooling(module) -> bool:
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or getattr(module, "__file__", None) or ""
    return origin.startswith(TOOLING)


def _refuse(name: str, importer: str) -> ModuleNotFoundError:
    violations.append({"module": name, "importer": importer})
    return ModuleNotFoundError(
        f"No module named {name!r} in the reduced standard library (imported by {importer}); "
        "it is not in site_glue/stdlib_modules.txt: regenerate it with "
        "`node tests/pyodide/trace_imports.mjs > site_glue/stdlib_modules.txt`",
        name=name,
    )


_original_import = builtins.__import__


def _audited_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = _original_import(name, globals, locals, fromlist, level)
    if level == 0:
        importer = _engine_caller(sys._getframe(1))
        if importer is not None:
            parts = name.split(".")
            targets = [".".join(parts[: i + 1]) for i in range(len(parts))]
            targets += [f"{name}.{item}" for item in fromlist or () if item != "*"]
            for target in targets:
                loaded = sys.modules.get(target)
                if loaded is not None and _from_tooling(loaded):
                    raise _refuse(target, importer)
    return module


class _AuditFinder:
    """First on sys.meta_path: refuses a module from TOOLING when the engine looks it up."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        importer = _engine_caller(sys._getframe(1))
        if importer is None:
            return None
        for finder in sys.meta_path:
            if finder is _AuditFinder or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if (spec.origin or "").startswith(TOOLING):
                    raise _refuse(name, importer)
                return None  # found elsewhere: let the normal machinery load it
        return None


class _ToolingFinder:
    """Last on sys.meta_path: a submodule that only TOOLING holds, for a package from the reduced archive."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        parent, _, _ = name.rpartition(".")
        if not parent:
            return None  # top-level modules: TOOLING is on sys.path
        return PathFinder.find_spec(name, [TOOLING + parent.replace(".", "/")], target)


def install() -> None:
    if TOOLING.rstrip("/") not in sys.path:
        sys.path.append(TOOLING.rstrip("/"))
    sys.meta_path.append(_ToolingFinder)
    builtins.__import__ = _audited_import
    sys.meta_path.insert(0, _AuditFinder)


def self_test(candidates=("graphlib", "colorsys", "wave", "sched"), split=("json.tool", "html.parser")) -> dict:
    """Prove the audit refuses: an engine-named module imports modules only TOOLING holds.

    Three probes: an import statement, importlib.import_module, and `from package import submodule`
    for a package the reduced archive holds without that submodule."""
    import os

    fresh = [
        n for n in candidates if n not in sys.modules and os.path.exists(f"{TOOLING}{n}.py") and not _in_reduced(n)
    ]
    parts = [n for n in split if n not in sys.modules and _in_reduced(n.split(".")[0]) and not _in_reduced(n)]
    if len(fresh) < 2 or not parts:
        raise RuntimeError(f"audit self-test: too few tooling-only modules among {candidates} and {split}")
    package, _, module = parts[0].partition(".")
    probes = {
        "import statement": f"import {fresh[0]}",
        "importlib.import_module": f"import importlib\nimportlib.import_module({fresh[1]!r})",
        "from package import submodule": f"from {package} import {module}",
    }
    results = {}
    for label, source in probes.items():
        code = compile(source, "/lib/python3.14/site-packages/decision/_audit_probe.py", "exec")
        try:
            exec(code, {"__name__": "decision._audit_probe"})
        except ModuleNotFoundError as error:
            results[label] = str(error)
        else:
            raise RuntimeError(f"audit self-test: the {label} probe was not refused")
    del violations[:]
    return results


def _in_reduced(name: str) -> bool:
    archive = next(p for p in sys.path if p.endswith(".zip"))
    import zipfile

    names = set(zipfile.ZipFile(archive).namelist())
    stem = name.replace(".", "/")
    # The shipped archive holds bytecode (a/b.pyc); Pyodide's own holds sources (a/b.py).
    return any(stem + end in names for end in (".py", ".pyc", "/__init__.py", "/__init__.pyc"))
