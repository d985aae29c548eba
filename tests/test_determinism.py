"""Same inputs and parameters, same results: derived tables, downloads and figures.

Here the network chapter on the synthetic corpus (a network of thousands, its layout
recomputed in each run); a whole book, every published file byte for byte, is built
twice from a real archive in tests/test_builds.py."""

from __future__ import annotations

import hashlib
import json

import nbformat
import pytest
from kernel import Kernel

from datasaveslives.core import paths
from datasaveslives.core.params import Params
from datasaveslives.ingest import parallel, tables
from datasaveslives.report import notebooks, runs

pytestmark = pytest.mark.notebook

WINDOW = {"start": "2017-03-01", "end": "2017-03-14"}
DOWNLOADS = [
    "network_edges.csv",
    "network.gexf",
    "table3_groups.csv",
    "group_links.csv",
]


def _figures(notebook) -> dict[str, str]:
    """SHA-256 of every PNG a notebook glued or displayed, by cell and output."""
    out = {}
    for i, cell in enumerate(nbformat.read(notebook, as_version=4).cells):
        for j, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            png = data.get("image/png") or data.get("application/papermill.record/image/png")
            if png:
                out[f"{i}.{j}"] = hashlib.sha256(png.encode()).hexdigest()
    return out


def _run(root, running, **window):
    params = Params.load(paths.PARAMS, **window).with_overrides(
        stability_seeds=2, layout_iterations=50
    )
    layout = runs.RunLayout(root)
    parallel.run_ingest(params, layout.tables)
    # A cache of its own, so that the second run recomputes the layout.
    parameters = notebooks.prepare(params, layout, cache_dir=str(root / "cache"))
    executed = running.run(layout, parameters, ("network",))
    figures = {name: _figures(notebook) for name, notebook in executed.items()}
    book = layout.stage / "book"
    downloads = {f: hashlib.sha256((book / f).read_bytes()).hexdigest() for f in DOWNLOADS}
    saved = {s: json.loads((layout.results / f"{s}.json").read_text()) for s in ("network",)}
    return tables.digests(layout.tables), downloads, figures, saved


def test_two_runs_give_identical_tables_downloads_and_figures(tmp_path, chapters):
    # The runs' chapters execute in two kernels, two processes with their own hash seeds:
    # set and dict orders that differ between processes would show.
    fresh = Kernel(tmp_path)
    try:
        first = _run(tmp_path / "a", fresh, **WINDOW)
    finally:
        fresh.close()
    second = _run(tmp_path / "b", chapters, **WINDOW)
    for what, a, b in zip(
        ("tables", "downloads", "figures", "results"), first, second, strict=True
    ):
        assert a == b, what
    assert first[2]["network"], "the network chapter drew no figure"


def test_the_digests_tell_different_data_apart(tmp_path):
    params = Params.load(paths.PARAMS, **WINDOW)
    other = Params.load(paths.PARAMS, start="2017-03-01", end="2017-03-13")
    a, b = runs.RunLayout(tmp_path / "a"), runs.RunLayout(tmp_path / "b")
    parallel.run_ingest(params, a.tables)
    parallel.run_ingest(other, b.tables)
    da, db = tables.digests(a.tables), tables.digests(b.tables)
    assert da["posts"] != db["posts"] and da.keys() == db.keys()
