"""Reading a benchmark report (``benchmarks/bench.py`` writes it, ``make bench``): the
project's performance targets, each with its measured value and status, and the report
as a Markdown table. The Performance appendix shows them; the build reads the report as
one of its declared inputs (:data:`datasaveslives.core.paths.BENCH_REPORT`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def markdown(report: dict[str, Any]) -> str:
    """The results as a Markdown table (also printed by ``make bench``)."""
    m = report["machine"]
    lines = [
        f"Measured {report['measured_at']} on {m['cpu']} ({m['cores']} cores, "
        f"{m['memory_gib']} GiB), Python {m['python']}.",
        "",
        "| case | median (s) | peak memory (MiB) | all processes (MiB) | against | ratio |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for name, row in report["results"].items():
        ratio = f"{row['ratio']:.2f}" if "ratio" in row else ""
        lines.append(
            f"| {name} | {row['median_s']:.3f} | {row['peak_rss_mib']:.0f} | "
            f"{all_processes_mib(row):.0f} | {row.get('baseline', '')} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


# (target, case(s) whose median sums to the measured value, limit, unit)
TARGETS: tuple[tuple[str, tuple[str, ...], float, str], ...] = (
    # Exact ingestion reads every record in Python (README, "Performance"): its targets
    # are ratios to the parse floor it cannot reach.
    ("ingestion no slower than 6x the parse floor", ("ingest",), 6.0, "ratio"),
    ("v2 ingestion at least 10x faster than twarc-csv", ("ingest_v2",), 0.1, "ratio"),
    (
        "one large file in pieces, 2 processes: no slower than 3.5x the parse floor",
        ("large_pieces",),
        3.5,
        "ratio",
    ),
    ("a rebuild with nothing changed", ("book_cached",), 5.0, "s"),
    ("a rebuild with a new window", ("book_new_window",), 20.0, "s"),
    ("a first book with no cache, environment ready", ("book_fresh",), 30.0, "s"),
    ("network statistics, stability and layout", ("network_statistics", "layout"), 8.0, "s"),
    ("100x corpus: the whole book, ingestion included", ("scale_100",), 180.0, "s"),
    ("100x corpus: peak memory, all processes", ("scale_100",), 3072.0, "MiB"),
    ("a 5 GB plain file: peak memory, all processes", ("huge5_plain",), 4096.0, "MiB"),
    ("a 5 GB gzip file: peak memory, all processes", ("huge5_gzip",), 4096.0, "MiB"),
)


def all_processes_mib(row: dict[str, Any]) -> float:
    """A case's peak memory of all its processes together (sampled); the largest single
    process's in reports measured before it was sampled."""
    return max(row.get("tree_peak_rss_mib", 0.0), row["peak_rss_mib"])


def _limit(limit: float, unit: str) -> str:
    return f"≤ {limit:g}x" if unit == "ratio" else f"< {limit:g} {unit}"


def targets(report: dict[str, Any]) -> Any:
    """Each target with its measured value and status (met / not met / not measured)."""
    results = report["results"]
    rows = []
    for target, cases, limit, unit in TARGETS:
        if not all(c in results for c in cases):
            rows.append({"target": target, "limit": _limit(limit, unit), "measured": "",
                         "status": "not measured"})  # fmt: skip
            continue
        if unit == "ratio":
            value = results[cases[0]].get("ratio", float("nan"))
            shown = f"{value:.2f}x the baseline"
        elif unit == "MiB":
            value = max(all_processes_mib(results[c]) for c in cases)
            shown = f"{value:,.0f} MiB"
        else:
            value = sum(results[c]["median_s"] for c in cases)
            shown = f"{value:.1f} s"
        rows.append({"target": target, "limit": _limit(limit, unit), "measured": shown,
                     "status": "met" if value <= limit else "not met"})  # fmt: skip
    return pd.DataFrame(rows, columns=["target", "limit", "measured", "status"])


# The book built whole, as a first build makes it, at each size: the corpus itself
# (``book_fresh``) and its ``synth --scale N`` replicas (``scale_N``).
STEPS = ("ingestion", "preparation", "chapters", "book")
PROJECTED = (1_000, 10_000)


def scale_of(case: str) -> int | None:
    """The corpus size a case builds the whole book on (1 for the corpus itself)."""
    if case == "book_fresh":
        return 1
    if case.startswith("scale_") and case.removeprefix("scale_").isdigit():
        return int(case.removeprefix("scale_"))
    return None


def scaling(report: dict[str, Any]) -> pd.DataFrame:
    """One row per size measured (smallest first): the whole book's time, each step's,
    and the peak memory of all its processes together; no rows when none was measured."""
    rows = []
    for case, row in report["results"].items():
        size = scale_of(case)
        if size is None:
            continue
        steps = row.get("steps", {})
        rows.append(
            {
                "scale": size,
                "seconds": row["median_s"],
                **{step: steps.get(step, float("nan")) for step in STEPS},
                "memory_mib": all_processes_mib(row),
            }
        )
    columns = ["scale", "seconds", *STEPS, "memory_mib"]
    return pd.DataFrame(rows, columns=columns).sort_values("scale").reset_index(drop=True)


def growth(table: pd.DataFrame, column: str, largest: int | None = None) -> float:
    """How ``column`` grows with the corpus: the exponent ``b`` of ``y = a * scale ** b``
    fitted by least squares on the logarithms (1: in proportion; below 1: less than in
    proportion), over every size measured or over the ``largest`` largest; NaN with
    fewer than two sizes."""
    found = table[["scale", column]].dropna()
    found = found[(found["scale"] > 0) & (found[column] > 0)]
    if largest is not None:
        found = found.sort_values("scale").tail(largest)
    if found["scale"].nunique() < 2:
        return float("nan")
    slope, _ = np.polyfit(np.log(found["scale"]), np.log(found[column]), 1)
    return float(slope)


def projection(
    table: pd.DataFrame, column: str, sizes: tuple[int, ...] = PROJECTED
) -> dict[int, float]:
    """``column`` at ``sizes``, projected from the largest size measured with the growth
    between the two largest sizes (:func:`growth`), where the fixed costs of a build
    (starting kernels, typesetting) weigh least; empty when it is not defined."""
    b = growth(table, column, largest=2)
    if np.isnan(b):
        return {}
    last = table.dropna(subset=[column]).iloc[-1]
    return {size: float(last[column] * (size / last["scale"]) ** b) for size in sizes}


def scaling_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The scaling table as the appendix shows it: the corpus's size, the whole first
    build and each of its steps in seconds, and the memory of all its processes."""

    def seconds(x: float) -> str:
        return "" if pd.isna(x) else f"{x:,.1f}"

    return pd.DataFrame(
        {
            "Corpus": [f"{s:,}×" for s in table["scale"]],
            "Whole book (s)": table["seconds"].map(seconds),
            **{f"{step.capitalize()} (s)": table[step].map(seconds) for step in STEPS},
            "All processes (MiB)": table["memory_mib"].map(lambda m: f"{m:,.0f}"),
        }
    )
