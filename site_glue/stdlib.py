"""A reduced copy of Pyodide's python_stdlib.zip: only the modules the site's Python imports.

Pyodide's archive holds the whole standard library (2.5 MB, already deflated, so gzip does not
shrink it). The browser needs only what Pyodide's boot, `pyodide.loadPackage` of the engine
wheel and the engine's calls import. That list is traced inside Pyodide, never guessed:

    node tests/pyodide/trace_imports.mjs > site_glue/stdlib_modules.txt

and tests/test_stdlib.py fails when the committed list differs from a fresh trace. The browser
then boots with `loadPyodide({indexURL, stdLibURL: <reduced zip>})`; `shipped_stdlib` writes that
archive as bytecode (site_glue/bytecode.py), so the browser does not compile it on every visit.

`reduce_stdlib` copies each listed module's file (`a/b.py` or `a/b/__init__.py`) with its original
metadata, plus the directory entries above it, in the original order: the same inputs give the same
bytes. A listed module the archive lacks is an error, never skipped. `rest_of_stdlib` writes the
complement (every other file), which the Pyodide test run adds after boot for pytest's own needs.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from site_glue.bytecode import precompile

MODULE_LIST = Path(__file__).resolve().parent / "stdlib_modules.txt"


def read_module_list(path: Path = MODULE_LIST) -> list[str]:
    """The module names of a list file: one a line, '#' starts a comment."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return names


def module_files(entries: Iterable[str], modules: Iterable[str]) -> set[str]:
    """The archive members that hold the given modules, with their parent directory entries.

    Raises ValueError naming every module the archive does not hold."""
    present = set(entries)
    wanted: set[str] = set()
    missing = []
    for name in modules:
        stem = name.replace(".", "/")
        found = [path for path in (stem + ".py", stem + "/__init__.py") if path in present]
        if not found:
            missing.append(name)
            continue
        wanted.add(found[0])
        parts = found[0].split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth]) + "/"
            if folder in present:
                wanted.add(folder)
    if missing:
        raise ValueError(f"not in the standard library archive: {', '.join(sorted(missing))}")
    return wanted


def _copy(full_zip: Path, out: Path, keep) -> dict[str, int]:
    out.parent.mkdir(parents=True, exist_ok=True)
    kept = 0
    with zipfile.ZipFile(full_zip) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if not keep(info.filename):
                continue
            clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            clone.compress_type = info.compress_type
            clone.external_attr = info.external_attr
            clone.create_system = info.create_system
            if info.is_dir():
                target.writestr(clone, b"")
            else:
                target.writestr(clone, source.read(info), compress_type=info.compress_type, compresslevel=9)
            kept += 1
    return {"members": kept, "bytes": out.stat().st_size}


def reduce_stdlib(full_zip: Path, modules: Iterable[str], out: Path) -> dict[str, int]:
    """Write to `out` a copy of `full_zip` holding only `modules` (and their directories)."""
    with zipfile.ZipFile(full_zip) as source:
        wanted = module_files(source.namelist(), modules)
    return _copy(Path(full_zip), Path(out), wanted.__contains__)


def shipped_stdlib(full_zip: Path, out: Path, also: Iterable[tuple[Path, Path, str]] = ()) -> dict[str, int]:
    """The archive the browser boots with: the listed modules, compiled to bytecode inside Pyodide
    (site_glue/bytecode.py). `also` lists more (source, output, kind) archives for the same run."""
    out = Path(out)
    plain = out.with_name(out.stem + ".source.zip")
    reduce_stdlib(full_zip, read_module_list(), plain)
    try:
        precompile([(plain, out, "stdlib"), *also], Path(full_zip).parent)
    finally:
        plain.unlink()
    return {"bytes": out.stat().st_size}


def rest_of_stdlib(full_zip: Path, modules: Iterable[str], out: Path) -> dict[str, int]:
    """Write to `out` every file of `full_zip` that `reduce_stdlib` leaves out (directories included)."""
    with zipfile.ZipFile(full_zip) as source:
        wanted = module_files(source.namelist(), modules)
    return _copy(Path(full_zip), Path(out), lambda name: name.endswith("/") or name not in wanted)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write the reduced standard-library archive.")
    parser.add_argument("full_zip", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=Path, default=MODULE_LIST)
    parser.add_argument("--rest", type=Path, help="also write every other file of the archive here")
    options = parser.parse_args()
    names = read_module_list(options.modules)
    print(reduce_stdlib(options.full_zip, names, options.out))
    if options.rest:
        print(rest_of_stdlib(options.full_zip, names, options.rest))
