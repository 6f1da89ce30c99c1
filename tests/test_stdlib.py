"""The reduced standard library: the committed module list is a fresh trace, and the archive built from it suffices.

site_glue/stdlib_modules.txt must equal what tests/pyodide/trace_imports.mjs prints now (a new
import in the engine fails here until the list is regenerated), tracing again with the reduced
archive must give the same list (nothing the site runs misses a module or takes another path),
and reduce_stdlib must copy exactly the listed modules' files, byte for byte, reproducibly.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from site_glue.stdlib import MODULE_LIST, module_files, read_module_list, reduce_stdlib, rest_of_stdlib, shipped_stdlib

ROOT = Path(__file__).resolve().parent.parent
TRACE = ROOT / "tests" / "pyodide" / "trace_imports.mjs"
OFFLINE = ROOT.parent / "shared" / "tools" / "offline"
FULL = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
REGENERATE = "node tests/pyodide/trace_imports.mjs > site_glue/stdlib_modules.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("site_glue_runtime", ROOT / "site_glue" / "runtime.py")
    runtime = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runtime)
    return runtime.build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


def _trace(wheel: Path, stdlib: Path) -> str:
    node = shutil.which("node")
    assert node, "node is not on PATH: the Pyodide tests need Node.js (make setup)"
    assert FULL.is_file(), "node_modules/pyodide missing: make setup"
    assert OFFLINE.is_file(), f"{OFFLINE} missing: the Pyodide tests must run without network"
    command = [str(OFFLINE), node, str(TRACE), "--wheel", str(wheel), "--stdlib", str(stdlib)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


@pytest.mark.pyodide
def test_the_committed_module_list_is_a_fresh_trace(wheel):
    fresh = _trace(wheel, FULL)
    assert fresh == MODULE_LIST.read_text(encoding="utf-8"), f"the imports changed: regenerate with `{REGENERATE}`"


@pytest.mark.pyodide
def test_the_reduced_archive_traces_the_same(wheel, tmp_path):
    reduced = tmp_path / "reduced.zip"
    shipped_stdlib(FULL, reduced)  # as the site ships it: compiled to bytecode
    assert _trace(wheel, reduced) == MODULE_LIST.read_text(encoding="utf-8")


def test_the_list_is_sorted_unique_and_holds_what_the_engine_imports():
    names = read_module_list()
    assert names == sorted(set(names))
    for needed in ("json", "re", "tomllib", "dataclasses", "decimal", "fractions", "urllib.parse", "html"):
        assert needed in names
    for not_needed in ("argparse", "unittest", "pydoc", "doctest", "sqlite3", "xml", "http.client"):
        assert not_needed not in names


def test_reduce_stdlib_copies_exactly_the_listed_modules_byte_for_byte(tmp_path):
    names = read_module_list()
    out = tmp_path / "reduced.zip"
    stats = reduce_stdlib(FULL, names, out)
    with zipfile.ZipFile(FULL) as full, zipfile.ZipFile(out) as reduced:
        files = [n for n in reduced.namelist() if not n.endswith("/")]
        assert len(files) == len(names) and stats["members"] == len(reduced.namelist())
        for name in files:
            assert reduced.read(name) == full.read(name)
            assert reduced.getinfo(name).date_time == full.getinfo(name).date_time
        assert reduced.namelist() == [n for n in full.namelist() if n in set(reduced.namelist())]  # original order
        assert "json/__init__.py" in files and "json/" in reduced.namelist()
    again = tmp_path / "again.zip"
    reduce_stdlib(FULL, reversed(names), again)
    assert again.read_bytes() == out.read_bytes()
    assert out.stat().st_size < FULL.stat().st_size / 2


def test_reduced_and_rest_together_hold_every_file(tmp_path):
    names = read_module_list()
    reduce_stdlib(FULL, names, tmp_path / "reduced.zip")
    rest_of_stdlib(FULL, names, tmp_path / "rest.zip")
    files = {}
    for part in ("reduced.zip", "rest.zip"):
        with zipfile.ZipFile(tmp_path / part) as archive:
            files[part] = {n for n in archive.namelist() if not n.endswith("/")}
    with zipfile.ZipFile(FULL) as full:
        everything = {n for n in full.namelist() if not n.endswith("/")}
    assert files["reduced.zip"].isdisjoint(files["rest.zip"])
    assert files["reduced.zip"] | files["rest.zip"] == everything


def test_a_module_the_archive_lacks_is_an_error_naming_it(tmp_path):
    with pytest.raises(ValueError, match=r"no_such_module, os\.no_such"):
        reduce_stdlib(FULL, ["json", "no_such_module", "os.no_such"], tmp_path / "x.zip")
    with pytest.raises(ValueError, match=r"json\.nothing"):
        module_files(["json/__init__.py"], ["json", "json.nothing"])
