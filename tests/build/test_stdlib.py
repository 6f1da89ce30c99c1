"""The reduced standard library: the archive built from the committed module list holds exactly those modules.

reduce_stdlib must copy exactly the listed modules' files, byte for byte, reproducibly. That the list is
a fresh trace is checked in Pyodide: tests/pyodide/test_stdlib_trace.py (full archive) and
tests/pyodide/test_suite.py (the reduced archive traces the same).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from site_glue.stdlib import module_files, read_module_list, reduce_stdlib, rest_of_stdlib

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"


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
