"""Build the static site into site/. (Placeholder until the MkDocs guide lands.)"""

import html
import pathlib

from decision import default_model

out = pathlib.Path("site")
out.mkdir(exist_ok=True)
items = "".join(f"<li>{html.escape(q.text)}</li>" for q in default_model().questions)
out.joinpath("index.html").write_text(
    f"<!doctype html><html lang=en><meta charset=utf-8><title>Decision guide</title>"
    f"<h1>Decision guide (coming soon)</h1><ul>{items}</ul></html>\n",
    encoding="utf-8",
)
print("wrote site/index.html")
