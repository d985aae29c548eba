"""The default book's numbers, kept to catch a change nobody meant.

A snapshot of a built run: the SHA-256 of every canonical table and of every result a
chapter saved (``results/``; floats in JSON results to 10 significant digits), and for
every page of the HTML book the numbers a reader sees, in order, with a digest of the
page's text. The code cells' sources, the Provenance section (build time, commit,
versions), the page header (its buttons) and the footers (copyright, colophon) are left
out: they change with the commit, the version and the site, not with the analysis. The
Performance page is left out too: it shows this machine's benchmarks.

``tests/test_book.py`` compares the default book it builds with ``tests/golden/``. A
change that is meant to change the book's numbers or text updates the snapshot, and
the diff shows what changed::

    python -m datasaveslives build --out /tmp/run && python tests/golden.py /tmp/run
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from bs4 import BeautifulSoup

from datasaveslives.core import paths
from datasaveslives.ingest import tables

GOLDEN = Path(__file__).parent / "golden" / "default_book.json"
LEFT_OUT_PAGES = ("book/performance.html",)
# Numbers as a reader reads them: 1,234 / 0.064 / 12.5% / -3 (dates split into parts).
NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?")


def _digest(file: Path) -> str:
    """SHA-256 of a file's content with this project's folder left out: a table records
    the path of the archive each post came from, which differs between clones."""
    root = str(paths.ROOT) + "/"
    if file.suffix == ".parquet":
        frame = pd.read_parquet(file)
        if "source_file" in frame.columns:
            frame["source_file"] = frame["source_file"].str.replace(root, "", regex=False)
        return tables.frame_digest(frame)
    if file.suffix == ".json":
        # Floats to 10 significant digits: their last bits depend on the processor's
        # vector instructions (a P value of 1e-44 differs between machines in its 17th).
        value = _rounded(json.loads(file.read_text(encoding="utf-8").replace(root, "")))
        return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
    text = file.read_bytes().replace(root.encode(), b"")
    return hashlib.sha256(text).hexdigest()


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def page_text(file: Path) -> str:
    """A page's main text without code sources, the Provenance section or the How to cite
    section (the compendium's version and release year: a release, not a result)."""
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main") or soup
    for node in main.select(
        "div.cell_input, section#provenance, section#how-to-cite, div.bd-header-article, footer, "
        "script, style"
    ):
        node.decompose()
    return " ".join(main.get_text(" ").split())


def snapshot(run: Path) -> dict[str, Any]:
    """The snapshot of a built run folder (holding ``tables/``, ``results/``, ``html/``)."""
    html = run / "html"
    pages = {}
    for file in sorted(html.rglob("*.html")):
        name = file.relative_to(html).as_posix()
        if name in LEFT_OUT_PAGES or name.startswith(("_", "genindex", "search")):
            continue
        text = page_text(file)
        pages[name] = {
            "numbers": NUMBER.findall(text),
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        }
    return {
        "tables": {f.name: _digest(f) for f in sorted((run / "tables").iterdir()) if f.is_file()},
        "results": {f.name: _digest(f) for f in sorted((run / "results").iterdir())},
        "pages": pages,
    }


def differences(got: dict[str, Any], want: dict[str, Any]) -> list[str]:
    """What differs between two snapshots, one line each (empty: identical)."""
    out = []
    for part in ("tables", "results"):
        for name in sorted(set(got[part]) | set(want[part])):
            if got[part].get(name) != want[part].get(name):
                out.append(f"{part}/{name} differs")
    for name in sorted(set(got["pages"]) | set(want["pages"])):
        a, b = got["pages"].get(name), want["pages"].get(name)
        if a is None or b is None:
            out.append(f"page {name} {'is new' if b is None else 'is missing'}")
        elif a["numbers"] != b["numbers"]:
            at = next(
                (
                    i
                    for i, (x, y) in enumerate(zip(a["numbers"], b["numbers"], strict=False))
                    if x != y
                ),
                min(len(a["numbers"]), len(b["numbers"])),
            )
            out.append(
                f"page {name}: number {at + 1} is {a['numbers'][at : at + 3]}, "
                f"was {b['numbers'][at : at + 3]}"
            )
        elif a["text_sha256"] != b["text_sha256"]:
            out.append(f"page {name}: the same numbers, other text")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(snapshot(Path(sys.argv[1])), indent=1) + "\n")
    print(f"wrote {GOLDEN}")
