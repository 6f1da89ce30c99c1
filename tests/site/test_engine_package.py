"""The engine in Pyodide's lock file: written by pyodide-build from the wheel as shipped, loaded by name,
and refused when its bytes differ from what the build recorded."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_support import REPO_ROOT, Watched, _load_serve, wait_until

from decision import default_model
from decision.web import fragment_from_answers

pytestmark = [pytest.mark.site]
LOCK = "pyodide/pyodide-lock.json"
QUESTIONS = default_model().questions
ANSWERS = {QUESTIONS[0].id: QUESTIONS[0].values[0], QUESTIONS[1].id: QUESTIONS[1].values[0]}


def engine_entry(site: Path) -> tuple[dict, Path]:
    lock = json.loads((site / LOCK).read_text(encoding="utf-8"))
    assert set(lock["packages"]) == {"decision"}, "the shipped lock lists the engine and nothing else"
    entry = lock["packages"]["decision"]
    return entry, (site / LOCK).parent.joinpath(entry["file_name"]).resolve()


def test_the_lock_names_the_shipped_wheel_with_its_final_sha256(built_site: Path):
    entry, wheel = engine_entry(built_site)
    manifest = json.loads((built_site / "assets" / "engine.json").read_text(encoding="utf-8"))
    assert wheel == (built_site / "assets" / manifest["wheel"]).resolve() and wheel.is_file()
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest() == manifest["wheel_sha256"]
    assert entry["imports"] == ["decision"] and entry["depends"] == []
    with zipfile.ZipFile(wheel) as shipped:  # the final bytes: after bytecode compilation
        assert any(name.endswith(".pyc") for name in shipped.namelist())
    pyodide_lock = REPO_ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
    shipped_info = json.loads((built_site / LOCK).read_text(encoding="utf-8"))["info"]
    assert shipped_info == json.loads(pyodide_lock.read_text(encoding="utf-8"))["info"]


def tamper_one_byte(wheel: Path) -> None:
    """Change the first member's modification time in its local header: still a sound zip (readers take
    the time from the central directory and check CRCs, which hold), so only the checksum can tell."""
    data = bytearray(wheel.read_bytes())
    assert data[:4] == b"PK\x03\x04", "a wheel starts with a local file header"
    data[10] ^= 0x01  # low byte of the DOS time field
    wheel.write_bytes(bytes(data))
    with zipfile.ZipFile(wheel) as still_sound:
        assert still_sound.testzip() is None


@pytest.fixture
def tampered_url(built_site: Path, tmp_path: Path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    entry, wheel = engine_entry(site)
    tamper_one_byte(wheel)
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() != entry["sha256"]
    server = _load_serve().make_server(str(site), 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_a_tampered_engine_wheel_is_refused_and_the_answers_are_kept(browser, tampered_url):
    watched = Watched(browser, tampered_url)
    page = watched.new_page()
    fragment = fragment_from_answers(ANSWERS)
    page.goto(f"{tampered_url}questionnaire/#{fragment}")
    wait_until(page, "() => document.querySelector('#decision-result').dataset.engineState === 'failed'")
    status = page.locator("#decision-result [data-engine-state]").first.inner_text()
    assert "does not match the checksum recorded when the site was built, so it was refused" in status, status
    assert "kept in this page's address" in status
    assert page.get_by_role("link", name="static decision flow").is_visible()
    assert urlsplit(page.url).fragment == fragment
    for qid, value in ANSWERS.items():
        assert page.locator(f'fieldset[data-question="{qid}"] input[value="{value}"]').is_checked(), qid
    assert page.locator("#decision-result [data-approach]").count() == 0  # no answer from an unchecked engine
    watched.context.close()
    watched.check()
