"""site_glue/bytecode.py: the archives the browser imports from, compiled ahead of time.

compile_archive runs under any CPython, so these tests use this interpreter's bytecode and import
the results here; tests/pyodide/test_suite.py checks the same archives inside Pyodide, where the
site uses them.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from site_glue.bytecode import compile_archive

TAG = sys.implementation.cache_tag


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 6)), data)
    return path


STDLIB_LIKE = {
    "pkg/": b"",
    "pkg/__init__.py": b"VALUE = 'package'\n",
    "pkg/mod.py": b"def answer():\n    return 42\n",
    "top.py": b"import pkg.mod\nRESULT = pkg.mod.answer()\n",
    "pkg/data.txt": b"not python",
}


def _import_from(path_entry: Path, code: str) -> str:
    """Run code in a fresh interpreter with path_entry first on sys.path (no bytecode writes)."""
    done = subprocess.run(
        [sys.executable, "-B", "-c", f"import sys; sys.path.insert(0, {str(path_entry)!r}); {code}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_stdlib_archive_becomes_sourceless_and_imports(tmp_path):
    out = tmp_path / "compiled.zip"
    report = compile_archive(_zip(tmp_path / "src.zip", STDLIB_LIKE), out, "stdlib")
    names = zipfile.ZipFile(out).namelist()
    assert names == ["pkg/", "pkg/__init__.pyc", "pkg/mod.pyc", "top.pyc", "pkg/data.txt"]
    assert report["compiled"] == 3
    assert _import_from(out, "import top; print(top.RESULT, top.__file__.endswith('top.pyc'))") == "42 True"


def test_a_wheel_keeps_its_sources_and_records_its_bytecode(tmp_path):
    members = {
        "demo/__init__.py": b"",
        "demo/core.py": b"ORIGIN = 'compiled'\n",
        "demo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        "demo-1.0.dist-info/RECORD": b"demo/__init__.py,sha256=x,0\ndemo/core.py,sha256=y,20\n"
        b"demo-1.0.dist-info/METADATA,sha256=z,44\ndemo-1.0.dist-info/RECORD,,\n",
    }
    out = tmp_path / "demo-1.0-py3-none-any.whl"
    compile_archive(_zip(tmp_path / "src.whl", members), out, "wheel")
    archive = zipfile.ZipFile(out)
    pyc = f"demo/__pycache__/core.{TAG}.pyc"
    assert archive.namelist()[:4] == ["demo/__init__.py", f"demo/__pycache__/__init__.{TAG}.pyc", "demo/core.py", pyc]
    record = archive.read("demo-1.0.dist-info/RECORD").decode().splitlines()
    assert record[-1] == "demo-1.0.dist-info/RECORD,,"
    digest = base64.urlsafe_b64encode(hashlib.sha256(archive.read(pyc)).digest()).rstrip(b"=").decode()
    assert f"{pyc},sha256={digest},{len(archive.read(pyc))}" in record
    # Installed (unpacked) and then given a different source, the module still runs the shipped
    # bytecode: the pyc is unchecked, so no timestamp or hash comparison can make it stale or unused.
    site = tmp_path / "site-packages"
    archive.extractall(site)
    (site / "demo" / "core.py").write_text("ORIGIN = 'source'\n")
    assert _import_from(site, "import demo.core as c; print(c.ORIGIN, c.__spec__.cached.endswith('.pyc'))") == (
        "compiled True"
    )


def test_the_same_inputs_give_the_same_bytes(tmp_path):
    source = _zip(tmp_path / "src.zip", STDLIB_LIKE)
    compile_archive(source, tmp_path / "one.zip", "stdlib")
    compile_archive(source, tmp_path / "two.zip", "stdlib")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_a_syntax_error_names_the_member(tmp_path):
    source = _zip(tmp_path / "src.zip", {"broken.py": b"def (:\n"})
    with pytest.raises(SyntaxError) as caught:
        compile_archive(source, tmp_path / "out.zip", "stdlib")
    assert caught.value.filename.endswith("/broken.py")


def test_an_unknown_kind_is_refused_with_the_allowed_ones(tmp_path):
    source = _zip(tmp_path / "src.zip", STDLIB_LIKE)
    with pytest.raises(ValueError, match="kind must be one of stdlib, wheel, not 'egg'"):
        compile_archive(source, tmp_path / "out.zip", "egg")
