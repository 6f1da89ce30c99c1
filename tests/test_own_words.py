"""Every sentence in the project is our own: no run of nine words shared with the source essay.

Facts and figures may carry over; sentences may not. The essay sits in ../shared/seed/
beside the repository, as it does for every developer and for CI.
"""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"
RUN = 9
SUFFIXES = {".md", ".html", ".py", ".toml", ".json", ".yml", ".yaml", ".js", ".mjs", ".txt", ".j2", ".css"}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%.]+", text.lower())


def test_no_file_repeats_the_essay_word_for_word():
    essays = sorted(SEED.glob("*.txt"))
    assert essays, f"source essay not found in {SEED}"
    grams = set()
    for essay in essays:
        w = words(essay.read_text(errors="ignore"))
        grams.update(" ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1))
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    copied = []
    for name in listed:
        path = ROOT / name
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        w = words(path.read_text(errors="ignore"))
        runs = (" ".join(w[i : i + RUN]) for i in range(len(w) - RUN + 1))
        hit = next((run for run in runs if run in grams), None)
        if hit:
            copied.append(f"{name}: “{hit} …”")
    assert not copied, "rewrite in our own words:\n" + "\n".join(copied)
