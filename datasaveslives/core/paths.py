"""Every path the compendium uses, in one place.

The project root is the folder holding ``pyproject.toml`` next to this
package (an editable install, the normal case), or the folder named by the
environment variable ``DATASAVESLIVES_ROOT``.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("DATASAVESLIVES_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "pyproject.toml").exists():
        return here
    return Path.cwd().resolve()


ROOT: Path = _find_root()

# Inputs (read-only).
DATA: Path = ROOT / "data"
PAPER_FIGURES: Path = DATA / "paper" / "published_figures.yml"
CALIBRATION: Path = DATA / "paper" / "calibration.yml"
NOT_COMPARED: Path = DATA / "paper" / "not_compared.yml"
SUPPORTERS: Path = DATA / "official_supporters.yml"
CSV_MAPPINGS: Path = DATA / "csv_mappings"
STOPWORDS: Path = DATA / "stopwords.txt"
CODEBOOK: Path = DATA / "codebook.yml"
SYNTHETIC: Path = DATA / "synthetic"
PARAMS: Path = ROOT / "params.yml"
STUDY: Path = DATA / "studies" / "datasaveslives.yml"

# Book sources.
BOOK: Path = ROOT / "book"
CONFIG: Path = ROOT / "_config.yml"
TOC: Path = ROOT / "_toc.yml"

# Build products (never committed).
BUILD: Path = ROOT / "_build"
HTML: Path = BUILD / "html"
RUNS: Path = BUILD / "runs"
CACHE: Path = BUILD / "cache"
# The benchmarks' results (`make bench`); the build reads the report, when there is one,
# as a declared input of the Performance appendix (its hash is in the provenance).
BENCH: Path = BUILD / "bench"
BENCH_REPORT: Path = BENCH / "bench.json"


def run_dir(name: str = "default") -> Path:
    """Folder for one build run: ingested tables, executed notebooks, staging."""
    return RUNS / name


def tables_dir(name: str = "default") -> Path:
    """Folder of the canonical tables ingested for run ``name``."""
    return run_dir(name) / "tables"


def rel(path: Path) -> str:
    """``path`` relative to the project root where possible (for reports)."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
