"""Bytecode for what the browser imports, compiled at build time by the interpreter the browser runs.

Pyodide's standard-library archive and a plain wheel hold sources only, so every visit compiled each
imported module again in WebAssembly: about 190 modules at boot, most of Python's start-up time in the
browser. Here they are compiled once per build, inside the vendored Pyodide under Node (the only
CPython 3.14 on these machines; `.pyc` files are tied to the exact interpreter version):

- the reduced standard library becomes sourceless: each `a/b.py` is replaced by `a/b.pyc`, which
  zipimport loads directly;
- the engine wheel keeps its sources (for tracebacks) and gains `__pycache__/<module>.<tag>.pyc`
  files, listed in its RECORD.

Both use unchecked hash-based pycs (PEP 552): valid whatever the files' timestamps, never compared
with a source at import. They are built from the very bytes they ship with, so they cannot go stale.

`compile_archive` is plain Python and runs under any CPython (the tests use it with the host's);
`precompile` runs it inside Pyodide through bytecode.mjs and caches the results under
`build/bytecode/`, keyed by the inputs, the Pyodide version and this file, since booting Pyodide
under Node costs a few seconds per build.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import _bootstrap_external  # builds a PEP 552 pyc, as py_compile does
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RUNNER = HERE / "bytecode.mjs"
CACHE = ROOT / "build" / "bytecode"


def _pyc(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(_bootstrap_external._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def compile_archive(source_zip: Path, out_zip: Path, kind: str) -> dict[str, int]:
    """Copy a zip, compiling each .py member with the running interpreter.

    kind "stdlib": `a/b.py` becomes `a/b.pyc` (a sourceless standard-library archive).
    kind "wheel": `a/b.py` stays and `a/__pycache__/b.<cache tag>.pyc` follows it; the RECORD lists
    the new files. The file names recorded in the bytecode are where the interpreter will import
    each module from, so tracebacks read as usual. Member order, timestamps and compression are
    kept, so the same inputs give the same bytes."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    out_zip = Path(out_zip)
    location = KINDS[kind]().rstrip("/")
    tag = sys.implementation.cache_tag
    with zipfile.ZipFile(source_zip) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    shipped: list[tuple[zipfile.ZipInfo, bytes]] = []
    compiled: list[tuple[zipfile.ZipInfo, bytes]] = []
    for info, data in members:
        if not info.filename.endswith(".py"):
            shipped.append((info, data))
            continue
        pyc = (_clone(info, _pyc_name(info.filename, kind, tag)), _pyc(data, f"{location}/{info.filename}"))
        shipped += [(info, data), pyc] if kind == "wheel" else [pyc]
        compiled.append(pyc)
    if kind == "wheel":
        shipped = [(info, _extend_record(data, compiled) if _is_record(info) else data) for info, data in shipped]
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_zip, "w") as target:
        for info, data in shipped:
            target.writestr(_clone(info, info.filename), data, compress_type=info.compress_type, compresslevel=9)
    return {"compiled": len(compiled), "bytes": out_zip.stat().st_size}


# Where each kind of archive is imported from, in the running interpreter.
KINDS = {
    "stdlib": lambda: next(path for path in sys.path if path.endswith(".zip")),
    "wheel": lambda: sysconfig.get_paths()["purelib"],
}


def _pyc_name(member: str, kind: str, tag: str) -> str:
    if kind == "stdlib":
        return member + "c"
    folder, _, stem = member[:-3].rpartition("/")
    return f"{folder}/__pycache__/{stem}.{tag}.pyc".lstrip("/")


def _is_record(info: zipfile.ZipInfo) -> bool:
    folder, _, name = info.filename.partition("/")
    return folder.endswith(".dist-info") and name == "RECORD"


def _clone(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    clone = zipfile.ZipInfo(name, date_time=info.date_time)
    clone.compress_type = info.compress_type
    clone.external_attr = info.external_attr
    clone.create_system = info.create_system
    return clone


def _extend_record(record: bytes, added: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    """RECORD with a line for each added file, before RECORD's own (hash-less) line."""
    lines = record.decode("utf-8").splitlines()
    own = next((i for i, line in enumerate(lines) if line.split(",", 1)[0].endswith(".dist-info/RECORD")), len(lines))
    new = [_record_line(info.filename, data) for info, data in added]
    return ("\n".join(lines[:own] + new + lines[own:]) + "\n").encode("utf-8")


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:24]


def precompile(jobs: list[tuple[Path, Path, str]], pyodide_dir: Path) -> None:
    """Run compile_archive inside Pyodide for each (source zip, output zip, kind).

    Results are cached by content; one Node process compiles whatever the cache lacks.
    Raises RuntimeError with Node's output when that fails."""
    salt = (pyodide_dir / "package.json").read_bytes() + Path(__file__).read_bytes() + RUNNER.read_bytes()
    plan = [
        (CACHE / f"{_digest(salt, kind.encode(), Path(src).read_bytes())}.zip", Path(out), src, kind)
        for src, out, kind in jobs
    ]
    todo = [
        {"source": str(src), "out": str(cached), "kind": kind} for cached, _, src, kind in plan if not cached.is_file()
    ]
    if todo:
        CACHE.mkdir(parents=True, exist_ok=True)
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not on PATH: compiling the browser's bytecode needs Node.js (make setup)")
        done = subprocess.run(
            [node, str(RUNNER), str(pyodide_dir), json.dumps(todo)], capture_output=True, text=True, check=False
        )
        missing = [job["out"] for job in todo if not Path(job["out"]).is_file()]
        if done.returncode != 0 or missing:
            raise RuntimeError(f"compiling bytecode in Pyodide failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    for cached, out, _, _ in plan:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, out)
