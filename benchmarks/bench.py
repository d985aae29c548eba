"""Benchmarks (``make bench``): each step against a baseline measured in the same run.

Every case runs in a fresh Python process (so that its peak memory is its own), a
few times; the table reports the median wall time, the peak resident memory, and
the ratio to its baseline: the raw ``orjson`` parse of the same file for
ingestion (the parse floor), the slow way (networkx's pure-Python kernels) for the
graph steps. Results go to ``_build/bench/bench.json`` and ``bench.md``; the book's
Performance appendix shows them, with the machine described.

``python benchmarks/bench.py [--quick]`` (quick: one repeat, no book builds).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datasaveslives.core import paths
from datasaveslives.core.params import DEFAULT_SEED
from datasaveslives.ingest import parallel
from datasaveslives.report.performance import markdown

RESULTS = paths.BENCH
CORPUS = paths.SYNTHETIC / "datasaveslives_synthetic.jsonl.gz"

# name: (what it measures, baseline case or None, repeats)
CASES: dict[str, tuple[str, str | None, int]] = {
    "parse_floor": ("orjson.loads over every line of the corpus", None, 3),
    "ingest": ("ingestion: parse, classify, filter, account, write", "parse_floor", 3),
    "large_floor": ("orjson.loads over every line of one large plain file", None, 1),
    "large_whole": ("that file ingested in one process", "large_floor", 1),
    "large_pieces": ("that file ingested in pieces, 2 processes, merged", "large_floor", 1),
    "twarc_csv_v2": ("twarc-csv: v2 archive to CSV (pandas)", None, 1),
    "ingest_v2": ("ingestion of the same v2 archive, as build does it", "twarc_csv_v2", 3),
    "path_length_networkx": ("average path length, networkx", None, 1),
    "path_length": ("average path length, igraph", "path_length_networkx", 3),
    "diameter_networkx": ("diameter, networkx without bounds", None, 1),
    "diameter": ("diameter, networkx with bounds", "diameter_networkx", 3),
    "eigenvector_networkx": ("eigenvector centrality, power iteration", None, 3),
    "eigenvector": ("eigenvector centrality, ARPACK", "eigenvector_networkx", 3),
    "stability_sklearn": ("Louvain x 20 seeds, agreement by scikit-learn", None, 1),
    "stability": ("Louvain x 20 seeds (19 by igraph), agreement by igraph", "stability_sklearn", 3),
    "network_statistics": ("statistics, Louvain, centrality, stability", None, 3),
    "layout": ("ForceAtlas2, 100 iterations, not cached", None, 3),
    "book_fresh": ("a first book: no cache of ingestion, layout or calibration", None, 1),
    "book_cached": ("a rebuild with nothing changed", None, 3),
    "book_new_window": ("a rebuild on a new window", None, 1),
}
QUICK_SKIP = {"book_fresh", "book_cached", "book_new_window"}


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# --- the cases (run in a child process) -------------------------------------------


def _graph() -> Any:
    from datasaveslives.analysis import network
    from datasaveslives.ingest import tables

    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    _ingest_into(folder)
    return network.retweet_graph(tables.load(folder).edges).graph


def _ingest_into(folder: Path) -> None:
    from datasaveslives.core.window import Window
    from datasaveslives.ingest import ingestion

    ingestion.ingest(
        [CORPUS],
        folder,
        hashtag="#datasaveslives",
        window=Window.from_strings("2016-09-01", "2017-08-31"),
    )


def _case(name: str) -> Callable[[], Any]:
    """A zero-argument function doing the work of ``name`` (set-up excluded)."""
    import networkx as nx

    from datasaveslives.analysis import network
    from datasaveslives.core.params import Params
    from datasaveslives.ingest.readers import common
    from datasaveslives.report import pipeline, runs

    if name in ("parse_floor", "large_floor"):
        path = CORPUS if name == "parse_floor" else _warm(large_file())
        return lambda: _parse_floor(path)
    if name == "ingest":

        def ingest_corpus() -> None:
            common._utc_second.cache_clear()  # each repeat starts cold, as a new process would
            _ingest_into(Path(tempfile.mkdtemp(prefix="bench-")))

        return ingest_corpus
    if name.startswith(("large_", "huge")):
        if name.startswith("huge"):  # huge<GB>_plain, huge<GB>_gzip: default pieces
            gb, kind = name[4:].split("_")
            big, part = huge_file(int(gb), compressed=kind == "gzip"), None
        else:
            big, part = large_file(), LARGE_PART
        params = Params.load(paths.PARAMS, data=[str(_warm(big))])
        jobs = 1 if name == "large_whole" else 2

        def ingest_big() -> None:
            run = runs.RunLayout(Path(tempfile.mkdtemp(prefix="bench-large-")))
            parallel.run_ingest(params, run.tables, jobs=jobs, part_bytes=part)

        return ingest_big
    if name in ("twarc_csv_v2", "ingest_v2"):
        archive = _v2_archive(Path(tempfile.mkdtemp(prefix="bench-v2-")))
        if name == "ingest_v2":
            params = Params(data=(str(archive),))

            def ingest_v2() -> None:  # as `build` ingests: in two processes at this size
                common._utc_second.cache_clear()  # each repeat starts cold
                run = runs.RunLayout(Path(tempfile.mkdtemp(prefix="bench-")))
                parallel.run_ingest(params, run.tables)

            return ingest_v2
        return lambda: _twarc_csv(archive, archive.with_suffix(".csv"))
    if name.startswith("scale_") or name == "book_fresh":
        # The whole book as a first build makes it (every cache empty: this process's
        # only), timed step by step: the rows of the appendix's scaling table.
        paths.CACHE = Path(tempfile.mkdtemp(prefix="bench-cache-"))
        data = {}
        if name.startswith("scale_"):
            data = {"data": [str(scaled_corpus(int(name.split("_")[1])) / "records")]}

        def whole_book() -> Steps:
            clock = StepClock()
            run = Path(tempfile.mkdtemp(prefix="bench-book-"))
            pipeline.build(Params.load(paths.PARAMS, **data), workdir=run, quiet=True, log=clock)
            return clock.steps()

        return whole_book
    if name in ("book_cached", "book_new_window"):
        # The run's book built first (not timed), then rebuilt as asked.
        run = Path(tempfile.mkdtemp(prefix="bench-book-"))
        pipeline.build(Params.load(paths.PARAMS), workdir=run, quiet=True)
        window = {} if name == "book_cached" else {"start": "2016-10-01", "end": "2017-03-31"}
        return lambda: pipeline.build(Params.load(paths.PARAMS, **window), workdir=run, quiet=True)
    graph = _graph()
    giant = network.giant_component(graph)
    seeds = [DEFAULT_SEED + k for k in range(20)]
    if name == "path_length_networkx":
        return lambda: nx.average_shortest_path_length(giant)
    if name == "path_length":
        return lambda: network.average_path_length(giant)
    if name == "diameter_networkx":
        return lambda: nx.diameter(giant)
    if name == "diameter":
        return lambda: nx.diameter(giant, usebounds=True)
    if name == "eigenvector_networkx":
        return lambda: nx.eigenvector_centrality(giant, max_iter=1000)
    if name == "eigenvector":
        return lambda: network.eigenvector_centrality(graph)
    if name == "stability_sklearn":

        def slow() -> None:
            nodes = sorted(graph)
            parts = [network.louvain(graph, seed=s).membership() for s in seeds]
            labels = [[m[n] for n in nodes] for m in parts]
            for i in range(len(labels)):
                for j in range(i + 1, len(labels)):
                    network.partition_agreement(labels[i], labels[j], engine="sklearn")

        return slow
    if name == "stability":
        return lambda: network.stability(graph, seeds)
    if name == "network_statistics":

        def stats() -> None:
            network.graph_stats(graph)
            network.louvain(graph, seed=seeds[0])
            network.eigenvector_centrality(graph)
            network.stability(graph, seeds)

        return stats
    if name == "layout":
        return lambda: network.layout(giant, seed=seeds[0], iterations=100, cache_dir=None)
    raise KeyError(name)


V2_PAGE = paths.ROOT / "tests" / "fixtures" / "real" / "twarc-csv" / "brexit.jsonl"
V2_COPIES = 200  # 200 pages of 100 posts


def _v2_archive(folder: Path) -> Path:
    """A v2 (twarc2) archive: the real fixture page copied with every id made unique."""
    import re

    page = V2_PAGE.read_text(encoding="utf-8").strip()
    ids = re.compile(r'"(\d{6,20})"')
    path = folder / "v2_archive.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(V2_COPIES):
            fh.write(ids.sub(lambda m, k=k: f'"{m.group(1)}{k:04d}"', page) + "\n")
    return path


def _twarc_csv(archive: Path, out: Path) -> None:
    """twarc-csv's own converter, as ``twarc2 csv`` runs it: pages to one CSV."""
    import pandas as pd

    if not hasattr(pd.DataFrame, "applymap"):  # renamed DataFrame.map in pandas 2.1
        pd.DataFrame.applymap = pd.DataFrame.map
    from twarc_csv import DataFrameConverter

    pages = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    DataFrameConverter(input_data_type="tweets").process(pages).to_csv(out, index=False)


def _warm(path: Path) -> Path:
    """``path`` after reading it once, so that every case reading it starts from the
    page cache (a cold first read would make whichever case runs first look slow)."""
    with open(path, "rb") as fh:
        while fh.read(2**24):
            pass
    return path


def _parse_floor(path: Path) -> int:
    """The parse floor: ``orjson.loads`` over every line of ``path`` (plain or gzip)."""
    import orjson

    from datasaveslives.ingest.readers import open_binary

    with open_binary(path) as fh:
        return sum(1 for line in fh if orjson.loads(line) is not None)


LARGE_COPIES = 8  # the large file: the corpus this many times, ids made unique
LARGE_PART = 64 * 2**20  # its pieces


def large_file(copies: int = LARGE_COPIES) -> Path:
    """One large plain JSON-lines file (made once in ``_build/bench``): the corpus
    ``copies`` times, each copy's ids suffixed so that its posts are new."""
    import re

    path = RESULTS / f"large_{copies}x.jsonl"
    if not path.is_file():
        RESULTS.mkdir(parents=True, exist_ok=True)
        with gzip.open(CORPUS, "rb") as fh:
            data = fh.read()
        ids = re.compile(rb"(?<=[\":])(\d{12,19})(?=[\",}])")
        digits = len(str(copies - 1)) if copies > 1 else 1
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as out:
            for k in range(copies):
                suffix = b"%0*d" % (max(2, digits), k)
                out.write(ids.sub(lambda m, s=suffix: m.group(1) + s, data))
        tmp.rename(path)
    return path


def huge_file(gb: float, compressed: bool) -> Path:
    """A JSON-lines archive of at least ``gb`` GB (10**9 bytes) in one file: the large
    file made of enough copies of the corpus, plain or gzip-compressed (level 1)."""
    import shutil

    with gzip.open(CORPUS, "rb") as fh:
        corpus_bytes = len(fh.read())
    plain = large_file(math.ceil(gb * 10**9 / corpus_bytes))
    if not compressed:
        return plain
    path = plain.with_suffix(".jsonl.gz")
    if not path.is_file():
        tmp = path.with_suffix(".tmp")
        with open(plain, "rb") as src, gzip.open(tmp, "wb", compresslevel=1) as out:
            shutil.copyfileobj(src, out, 2**24)
        tmp.rename(path)
    return path


def scaled_corpus(scale: int) -> Path:
    """The ``synth --scale`` corpus for benchmarks, made once in ``_build/bench``."""
    from datasaveslives.synth import build

    folder = RESULTS / f"scale{scale}"
    meta = folder / build.META_FILE
    if not meta.is_file() or json.loads(meta.read_text()).get("scale") != scale:
        # In its own process, so that this one stays small (children inherit its size).
        command = [sys.executable, "-m", "datasaveslives", "synth", "--scale", str(scale)]
        subprocess.run(
            [*command, "--out", str(folder)], check=True, cwd=paths.ROOT, stdout=subprocess.DEVNULL
        )
    return folder


class Steps(dict[str, float]):
    """Each step's time of a whole-book case (what :meth:`StepClock.steps` returns), told
    apart from whatever else a case's work returns."""


class StepClock:
    """A build's log (``pipeline.build(log=...)``) read as the time of each step: the
    ingestion, preparing the run, executing the chapters and building the book."""

    # (step, the message that starts it); each step ends where the next one starts.
    MARKS = (
        ("ingestion", "ingesting"),
        ("preparation", "ingested"),
        ("chapters", "executing"),
        ("book", "building the book"),
        ("", "book written"),
    )

    def __init__(self) -> None:
        self.seen: list[tuple[str, float]] = []

    def __call__(self, message: str, started: float, quiet: bool) -> None:
        self.seen.append((message, time.monotonic() - started))

    def steps(self) -> Steps:
        at = {}
        for step, mark in self.MARKS:
            found = [t for message, t in self.seen if message.startswith(mark)]
            if found:
                at[step] = found[0]
        names = [step for step, _ in self.MARKS]
        return Steps(
            (step, round(at[after] - at[step], 3))
            for step, after in zip(names, names[1:], strict=False)
            if step in at and after in at
        )


def _child(name: str, repeats: int) -> None:
    work = _case(name)
    times = []
    steps = None
    with TreePeak() as tree:
        for _ in range(repeats):
            start = time.perf_counter()
            done = work()
            times.append(time.perf_counter() - start)
            steps = done if isinstance(done, Steps) else steps
    found: dict[str, Any] = {
        "seconds": times,
        "peak_rss_mib": round(_peak_mib(), 1),
        "tree_peak_rss_mib": round(tree.peak_mib, 1),
    }
    if steps:
        found["steps"] = steps
    print(json.dumps(found))


class TreePeak:
    """The largest resident memory of this process and all its descendants together
    (worker processes, notebook kernels), sampled every ``interval`` seconds while the
    ``with`` block runs: what the step asks of the machine at once."""

    def __init__(self, interval: float = 0.05) -> None:
        import threading

        self.interval = interval
        self.peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while True:
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # ended since it was listed
                    total += proc.memory_info().rss
            self.peak_mib = max(self.peak_mib, total / 2**20)
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _peak_mib() -> float:
    """Peak resident memory of this process (its own high-water mark: ``ru_maxrss``
    would carry over the parent's across exec) or of any child it waited for
    (notebook kernels, jupyter-book), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    except OSError:
        pass
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


# --- the driver ---------------------------------------------------------------------


def run(
    quick: bool = False,
    out: Path = RESULTS,
    log: Callable[[str], None] = print,
    scale: int | list[int] | None = None,
    huge: int | None = None,
) -> dict:
    """Run every case (with ``scale``, also the whole book on a ``synth --scale``
    corpus; with ``huge``, also the ingestion of one file of that many GB); write and
    return the results."""
    results: dict[str, Any] = {}
    cases = dict(CASES)
    if huge:
        log(f"bench: making the {huge} GB archive, plain and gzip (once; not timed) ...")
        for kind in ("plain", "gzip"):
            big = huge_file(huge, compressed=kind == "gzip")
            size = big.stat().st_size / 10**9
            cases[f"huge{huge}_{kind}"] = (
                f"one {kind} JSON-lines file of {huge} GB ({size:.2f} GB on disk) ingested "
                "in pieces, 2 processes, merged",
                None,
                1,
            )
    for times in [scale] if isinstance(scale, int) else scale or []:
        log(f"bench: making the {times}x corpus (once; not timed) ...")
        meta = json.loads((scaled_corpus(times) / "corpus.json").read_text())
        cases[f"scale_{times}"] = (
            f"the book on the {times}x corpus ({meta['posts']:,} posts), ingestion included",
            None,
            1,
        )
    for name, (what, _baseline, repeats) in cases.items():
        if quick and name in QUICK_SKIP:
            continue
        repeats = 1 if quick else repeats
        log(f"bench: {name} ({repeats}x) ...")
        # Each case's runs, caches and archives go to a scratch folder removed when the
        # case ends (they were left in /tmp: hundreds of MB a case, enough to fill a disk).
        with tempfile.TemporaryDirectory(prefix="bench-scratch-") as scratch:
            proc = subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--case",
                    name,
                    "--repeats",
                    str(repeats),
                ],
                capture_output=True,
                text=True,
                cwd=paths.ROOT,
                env={**os.environ, "TMPDIR": scratch},
            )
        if proc.returncode != 0:
            raise RuntimeError(f"benchmark {name} failed:\n{proc.stderr[-2000:]}")
        found = json.loads(proc.stdout.strip().splitlines()[-1])
        results[name] = {"what": what, "median_s": statistics.median(found["seconds"]), **found}
    for name, row in results.items():
        baseline = cases[name][1]
        if baseline in results:
            row["baseline"] = baseline
            row["ratio"] = row["median_s"] / results[baseline]["median_s"]
    if "parse_floor" in results and "ingest" in results:
        records = _records()
        for name in ("parse_floor", "ingest"):
            results[name]["records_per_s"] = records / results[name]["median_s"]
    report = {
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "quick": quick,
        "results": results,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "bench.md").write_text(markdown(report), encoding="utf-8")
    return report


def _records() -> int:
    with gzip.open(CORPUS, "rb") as fh:
        return sum(1 for _ in fh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/bench.py")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="one repeat, no book builds")
    parser.add_argument(
        "--scale",
        type=lambda text: [int(n) for n in text.split(",")],
        help="also build the book on corpora this many times larger (e.g. 10,100)",
    )
    parser.add_argument(
        "--huge", type=int, metavar="GB", help="also ingest one file of this many GB"
    )
    args = parser.parse_args(argv)
    if args.case:
        _child(args.case, args.repeats)
        return 0
    report = run(quick=args.quick, scale=args.scale, huge=args.huge)
    print(markdown(report))
    print(f"written to {paths.rel(RESULTS)}/bench.json and bench.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
