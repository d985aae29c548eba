"""Results the chapters hand on to the pages that read across them.

Each section notebook saves its headline values (``<section>.json``) and its
"paper vs this run" rows (``<section>_vs_paper.csv``) into the run's results
folder; the Discussion and the Reproduction report, executed after the
sections, read them back. Nothing is recomputed and nothing is typed in: the
pages that summarise the run show what the chapters computed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from datasaveslives.paper import comparison

VALUES_SUFFIX = ".json"
COMPARED_SUFFIX = "_vs_paper.csv"


def _plain(value: Any) -> Any:
    """A JSON-ready copy: numpy scalars as Python numbers, NaN as None."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def save(
    folder: str | Path,
    section: str,
    values: Mapping[str, Any],
    compared: pd.DataFrame | None = None,
) -> None:
    """Save one section's headline ``values`` and, if any, its paper comparison."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{section}{VALUES_SUFFIX}").write_text(
        json.dumps(_plain(dict(values)), indent=2, sort_keys=True), encoding="utf-8"
    )
    table = folder / f"{section}{COMPARED_SUFFIX}"
    if compared is not None and len(compared):
        compared.to_csv(table, index=False)
    else:
        table.unlink(missing_ok=True)


TABLE_SUFFIX = ".parquet"


def save_table(folder: str | Path, section: str, name: str, table: pd.DataFrame) -> None:
    """Save a table of ``section``'s results that another page reads (by id only: the
    results folder is the build's own, never published)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table.to_parquet(folder / f"{section}_{name}{TABLE_SUFFIX}", index=False)


def load_table(folder: str | Path, section: str, name: str) -> pd.DataFrame | None:
    """The table ``name`` that ``section`` saved (:func:`save_table`); None if it saved
    none."""
    file = Path(folder) / f"{section}_{name}{TABLE_SUFFIX}"
    return pd.read_parquet(file) if file.is_file() else None


def load_values(folder: str | Path, sections: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Each section's saved values; a section that saved nothing gets an empty dict."""
    out = {}
    for section in sections:
        file = Path(folder) / f"{section}{VALUES_SUFFIX}"
        out[section] = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    return out


def load_compared(folder: str | Path, sections: tuple[str, ...]) -> pd.DataFrame:
    """Every section's comparison rows, in section order, with a ``section`` column."""
    frames = []
    for section in sections:
        file = Path(folder) / f"{section}{COMPARED_SUFFIX}"
        if file.is_file():
            frames.append(pd.read_csv(file, dtype={"key": str}).assign(section=section))
    if not frames:
        return comparison.table([]).assign(section=pd.Series(dtype=str))
    return pd.concat(frames, ignore_index=True)
