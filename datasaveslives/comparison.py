"""'Paper vs this run' tables: the published value, this run's, the difference, and
whether it is within the tolerance of ``data/paper/calibration.yml``.

A comparison is only meaningful on the paper's window and hashtag; elsewhere the
chapters say why no comparison is made instead of showing one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd
import yaml

from datasaveslives import paths


@lru_cache(maxsize=1)
def paper() -> dict[str, Any]:
    """The paper's published figures (``data/paper/published_figures.yml``)."""
    return yaml.safe_load(paths.PAPER_FIGURES.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def calibration_spec() -> dict[str, Any]:
    """The tolerances and Louvain seed of ``data/paper/calibration.yml``."""
    return yaml.safe_load(paths.CALIBRATION.read_text(encoding="utf-8"))


def tolerance(name: str) -> dict[str, float]:
    """The tolerance of one figure: ``{"abs": x}`` or ``{"rel": x}``."""
    return calibration_spec()["tolerances"][name]


def within(published: float, achieved: float, tol: dict[str, float]) -> tuple[bool, str]:
    """Is ``achieved`` within ``tol`` of ``published``? And the tolerance as printed."""
    if "abs" in tol:
        return abs(achieved - published) <= tol["abs"], f"± {tol['abs']}"
    return abs(achieved - published) <= tol["rel"] * abs(published), f"± {tol['rel']:.0%}"


def applies(start: str | None, end: str | None, hashtag: str | None) -> tuple[bool, str]:
    """Whether this run's window and hashtag are the paper's, and a sentence saying so."""
    w = paper()["window"]
    same_window = (start, end) == (str(w["start"]), str(w["end"]))
    same_tag = (hashtag or "").lstrip("#").casefold() == w["hashtag"].lstrip("#").casefold()
    if same_window and same_tag:
        return (
            True,
            "This run covers the paper's window and hashtag, so its figures are "
            "compared with the published ones.",
        )
    why = []
    if not same_window:
        why.append(
            f"its window ({start or 'open'} to {end or 'open'}) is not the paper's "
            f"({w['start']} to {w['end']})"
        )
    if not same_tag:
        why.append(f"its hashtag ({hashtag or 'none'}) is not the paper's ({w['hashtag']})")
    return False, "No comparison with the paper is made: " + " and ".join(why) + "."


def table(rows: list[tuple[str, float, float, dict[str, float] | None]]) -> pd.DataFrame:
    """Rows of (figure, published, this run, tolerance) as a comparison table.

    ``tolerance`` is ``{"abs": x}``, ``{"rel": x}``, or None for a figure that must be
    equal (to the published precision).
    """
    out = []
    for figure, published, run, tol in rows:
        diff = run - published
        if tol is None:
            digits = _digits(published)
            ok = round(run, digits) == published
            label = "equal"
        else:
            ok, label = within(published, run, tol)
        out.append(
            {
                "figure": figure,
                "paper": published,
                "this run": run,
                "difference": diff,
                "tolerance": label,
                "within": "yes" if ok else "no",
            }
        )
    return pd.DataFrame(out)


def _digits(value: float) -> int:
    text = repr(float(value))
    return 0 if float(value).is_integer() else len(text.split(".")[1])
