"""The benchmark harness: same-run baselines, ratios, targets, and its appendix page."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from datasaveslives.core import paths
from datasaveslives.report import performance, runs

sys.path.insert(0, str(paths.ROOT / "benchmarks"))
import bench  # noqa: E402  (benchmarks/bench.py: a script, outside the package)

pytestmark = pytest.mark.notebook  # runs child processes that ingest the corpus


def _report(**medians):
    results = {
        name: {"what": bench.CASES[name][0], "median_s": s, "seconds": [s], "peak_rss_mib": 100.0}
        for name, s in medians.items()
    }
    for name, row in results.items():
        base = bench.CASES[name][1]
        if base in results:
            row["baseline"], row["ratio"] = base, row["median_s"] / results[base]["median_s"]
    return {"machine": bench.machine(), "measured_at": "now", "quick": True, "results": results}


def test_targets_are_met_not_met_or_not_measured():
    report = _report(parse_floor=1.0, ingest=0.8, network_statistics=4.0, layout=7.0)
    status = performance.targets(report).set_index("target")["status"].to_dict()
    assert status["ingestion no slower than 6x the parse floor"] == "met"
    assert status["network statistics, stability and layout"] == "not met"  # 11 s
    assert status["a rebuild with a new window"] == "not measured"
    assert "| ingest | 0.800 | 100 | 100 | parse_floor | 0.80 |" in performance.markdown(report)


def test_a_run_measures_each_case_in_its_own_process_against_its_baseline(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "CASES", {k: bench.CASES[k] for k in ("parse_floor", "ingest")})
    report = bench.run(quick=True, out=tmp_path, log=lambda _: None)
    ingest = report["results"]["ingest"]
    assert ingest["baseline"] == "parse_floor" and ingest["ratio"] > 0
    assert ingest["records_per_s"] > 0 and ingest["peak_rss_mib"] > 0
    assert json.loads((tmp_path / "bench.json").read_text())["results"].keys() == {
        "parse_floor",
        "ingest",
    }
    assert (tmp_path / "bench.md").read_text().count("\n|") == 4


def test_the_appendix_shows_a_benchmark_or_says_there_is_none(tmp_path, chapters):
    from test_notebooks import glued

    layout = runs.RunLayout(tmp_path / "run")

    def appendix(bench_file: str) -> dict[str, str]:
        layout.write_parameters({"bench_file": bench_file})
        injected = {"run_dir": str(layout.root)}
        return glued(chapters.run(layout, injected, ("performance",))["performance"])

    missing = appendix("none.json")
    assert (
        missing["summary_para"] == "This build has no measurement to show; `make bench` makes one."
    )
    file = tmp_path / "bench.json"
    file.write_text(json.dumps(_report(parse_floor=1.0, ingest=0.8)))
    shown = appendix(str(file))
    assert f"it meets 1 of the {len(performance.TARGETS)} targets" in shown["summary_para"]
    # With whole-book builds at three sizes: the scaling table and its fit, on the page.
    import nbformat

    file.write_text(json.dumps(_scaled(x1=(36.0, 1800.0), x10=(100.0, 2400.0),
                                       x100=(900.0, 6000.0))))  # fmt: skip
    layout.write_parameters({"bench_file": str(file)})
    notebook = chapters.run(layout, {"run_dir": str(layout.root)}, ("performance",))
    outputs = " ".join(
        str(out.get("data", {}).get("text/markdown", ""))
        + str(out.get("data", {}).get("text/html", ""))
        for cell in nbformat.read(notebook["performance"], as_version=4).cells
        for out in cell.get("outputs", [])
    )
    assert "**How it grows.** Over the 3 sizes measured" in outputs
    assert "Whole book (s)" in outputs and "100×" in outputs


def test_the_v2_archive_copies_the_page_with_unique_ids(tmp_path, monkeypatch):
    from datasaveslives.ingest import ingestion

    monkeypatch.setattr(bench, "V2_COPIES", 3)
    archive = bench._v2_archive(tmp_path)
    report = ingestion.ingest([archive], tmp_path / "out")
    assert report.read == 300 and report.duplicates == 0 and report.kept == 300
    bench._twarc_csv(archive, tmp_path / "twarc.csv")  # the baseline runs on it
    assert (tmp_path / "twarc.csv").read_text().count("\n") > 300


def test_the_tree_peak_counts_the_memory_of_child_processes():
    import subprocess
    import sys

    hold = "import time; x = b'x' * (300 * 2**20); time.sleep(0.6)"
    with bench.TreePeak(interval=0.02) as tree:
        subprocess.run([sys.executable, "-c", hold], check=True)
    assert tree.peak_mib > 300  # the child's 300 MiB, which ru_maxrss of this process misses


def test_the_huge_archive_has_unique_ids_in_every_copy(tmp_path, monkeypatch):
    import gzip

    from conftest import status

    from datasaveslives.ingest import ingestion

    corpus = tmp_path / "corpus.jsonl.gz"
    posts = [status(str(10**17 + k), "#datasaveslives x") for k in range(3)]
    corpus.write_bytes(gzip.compress(b"".join(json.dumps(p).encode() + b"\n" for p in posts)))
    monkeypatch.setattr(bench, "CORPUS", corpus)
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "bench")
    size = len(gzip.decompress(corpus.read_bytes()))
    big = bench.huge_file(size * 101 / 10**9, compressed=True)  # 101 copies: 3-digit suffixes
    assert big.suffixes == [".jsonl", ".gz"]
    report = ingestion.ingest([big], tmp_path / "out")
    assert (report.read, report.duplicates, report.quarantined) == (303, 0, 0)


def _scaled(**sizes):
    """A report with whole-book builds at the given sizes: scale -> (seconds, MiB)."""
    results = {}
    for size, (seconds, mib) in sizes.items():
        case = "book_fresh" if size == "x1" else f"scale_{size.removeprefix('x')}"
        steps = {"ingestion": seconds * 0.1, "preparation": 1.0, "chapters": seconds * 0.6,
                 "book": seconds * 0.2}  # fmt: skip
        results[case] = {"what": case, "median_s": seconds, "peak_rss_mib": mib,
                         "tree_peak_rss_mib": mib, "steps": steps}  # fmt: skip
    return {"machine": bench.machine(), "measured_at": "now", "quick": False, "results": results}


def test_the_scaling_table_fits_the_growth_and_projects_it():
    from datasaveslives.report.prose import performance as says

    report = _scaled(x1=(36.0, 1800.0), x10=(100.0, 2400.0), x100=(900.0, 6000.0))
    table = performance.scaling(report)
    assert table["scale"].tolist() == [1, 10, 100] and table["chapters"].iloc[0] == 36.0 * 0.6
    b = performance.growth(table, "seconds")
    assert 0.69 < b < 0.71  # log-log least squares over the three sizes
    last = performance.growth(table, "seconds", largest=2)
    assert last == pytest.approx(np.log10(900 / 100))  # from 10x to 100x: 100 s to 900 s
    at = performance.projection(table, "seconds")  # from 100x, at the last growth
    assert at[1_000] == pytest.approx(900.0 * 10**last) and at[10_000] == pytest.approx(
        900 * 100**last
    )
    shown = performance.scaling_rows(table)
    assert shown.columns.tolist()[:3] == ["Corpus", "Whole book (s)", "Ingestion (s)"]
    assert shown["Corpus"].tolist() == ["1×", "10×", "100×"]
    memory_at = performance.projection(table, "memory_mib")
    mb, last_mb = (performance.growth(table, "memory_mib", k) for k in (None, 2))
    text = says.scaling(3, b, mb, at, memory_at, 64.0, last, last_mb)
    assert f"to the power {b:.2f} and the memory" in text and 0.69 < b < 0.71
    assert f"to the powers {last:.2f} and {last_mb:.2f}" in text
    assert "Both fit this machine's 64 GiB of memory." in text
    small = says.scaling(3, b, mb, at, memory_at, 24.0, last, last_mb)
    assert "From 10,000× on, that is more memory than this machine's 24 GiB" in small
    assert "projections, not measurements" in text
    # One size, or none: how to measure, no fit.
    one = performance.scaling(_scaled(x1=(36.0, 1800.0)))
    assert (
        np.isnan(performance.growth(one, "seconds"))
        and performance.projection(one, "seconds") == {}
    )
    assert "only one size was measured" in says.scaling(1, float("nan"), float("nan"), {}, {}, 24)
    assert says.duration(45) == "45 s" and says.duration(7200) == "2 hours"


def test_a_build_log_is_read_as_steps():
    clock = bench.StepClock()
    for message, at in [("ingesting data/x", 0.0), ("ingested: 3 read", 1.5),
                        ("executing 9 notebook(s) with papermill", 3.0),
                        ("executed network", 10.0), ("building the book with jupyter-book", 20.0),
                        ("book written to x/index.html", 26.5)]:  # fmt: skip
        clock.seen.append((message, at))
    assert clock.steps() == {"ingestion": 1.5, "preparation": 1.5, "chapters": 17.0, "book": 6.5}


def test_only_a_whole_book_case_reports_steps(monkeypatch, capsys):
    import pandas as pd

    monkeypatch.setattr(bench, "_case", lambda name: lambda: {"runs": pd.DataFrame()})
    bench._child("stability", 1)  # a case whose work returns a dict of its own
    assert "steps" not in json.loads(capsys.readouterr().out)
    monkeypatch.setattr(bench, "_case", lambda name: lambda: bench.Steps(book=6.5))
    bench._child("book_fresh", 1)
    assert json.loads(capsys.readouterr().out)["steps"] == {"book": 6.5}
