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

from datasaveslives.core import paths


@lru_cache(maxsize=1)
def paper() -> dict[str, Any]:
    """The paper's published figures (``data/paper/published_figures.yml``)."""
    return yaml.safe_load(paths.PAPER_FIGURES.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def calibration_spec() -> dict[str, Any]:
    """The named tolerances of ``data/paper/calibration.yml``."""
    return yaml.safe_load(paths.CALIBRATION.read_text(encoding="utf-8"))


def tolerance(name: str) -> dict[str, float]:
    """The tolerance named ``name``: ``{"abs": x}`` or ``{"rel": x}``."""
    spec = calibration_spec()["tolerances"][name]
    return {k: float(spec[k]) for k in ("abs", "rel") if k in spec}


EQUAL_SOURCE = "the paper's printed precision: equal when rounded as the paper printed it"


def tolerance_source(name: str | None) -> str:
    """Where the tolerance named ``name`` comes from (``calibration.yml``'s ``source``);
    for None, a figure compared as equal."""
    return EQUAL_SOURCE if name is None else str(calibration_spec()["tolerances"][name]["source"])


def within(
    published: float, achieved: float, tol: dict[str, float], points: bool = False
) -> tuple[bool, str]:
    """Is ``achieved`` within ``tol`` of ``published``? And the tolerance as printed,
    saying whether it is absolute (in percentage points for a percentage, ``points``)
    or relative to the paper's value."""
    if "abs" in tol:
        return abs(achieved - published) <= tol["abs"], tolerance_label(tol, points)
    return abs(achieved - published) <= tol["rel"] * abs(published), tolerance_label(tol)


def tolerance_label(tol: dict[str, float], points: bool = False) -> str:
    """A tolerance as the tables print it: ``± 0.2 absolute`` (``± 0.5 percentage
    points`` for a percentage, ``points``) or ``± 10% relative`` (to the paper's value)."""
    if "abs" in tol:
        return f"± {tol['abs']:g}" + (" percentage points" if points else " absolute")
    return f"± {tol['rel']:.0%} relative"


NEAR_LIMIT = 0.8  # a result using more of its tolerance than this is flagged


def used(published: float, achieved: float, tol: dict[str, float] | None) -> float | None:
    """The share of its tolerance a result uses (None for a figure compared as equal,
    or a relative tolerance of a zero target)."""
    if tol is None:
        return None
    allowed = tol["abs"] if "abs" in tol else tol["rel"] * abs(published)
    return abs(achieved - published) / allowed if allowed else None


def applies(
    compared_with: str | None, start: str | None, end: str | None, hashtag: str | None
) -> tuple[bool, str]:
    """Whether this run compares with the paper (its study declares the paper's figures,
    ``compared_with``, and its window and hashtag are the paper's), and a sentence
    saying so."""
    if not compared_with:
        return (
            False,
            "No comparison with published figures is made: this run declares no study "
            "whose figures it could be compared with (see the study parameter).",
        )
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


def published(key: str) -> Any:
    """The published figure at a dotted ``key`` of the paper's record.

    ``"frequency.retweets"``; list items by position: ``"network.table3.0.users"``.
    """
    value: Any = paper()
    for part in key.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def published_numbers() -> dict[str, float]:
    """Every number the paper published, by dotted key (the window's dates excluded)."""
    out: dict[str, float] = {}

    def walk(value: Any, key: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{key}.{k}" if key else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{key}.{i}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = value

    walk({k: v for k, v in paper().items() if k != "window"}, "")
    return out


Row = (
    tuple[str, float, float, dict[str, float] | None]
    | tuple[str, float, float, dict[str, float] | None, str]
)


def pct(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` to the paper's two decimals (NaN if ``whole`` is 0)."""
    return round(100 * part / whole, 2) if whole else float("nan")


def row(key: str, figure: str, run: float, tol: dict[str, float] | None = None) -> Row:
    """A comparison row for the published figure at ``key`` (see :func:`published`)."""
    return (figure, published(key), run, tol, key)


def table(rows: list[Row]) -> pd.DataFrame:
    """Rows of (figure, published, this run, tolerance[, key]) as a comparison table.

    ``tolerance`` is ``{"abs": x}``, ``{"rel": x}``, or None for a figure that must be
    equal (to the published precision). ``key`` names the figure in the paper's record
    (rows made by :func:`row` carry it), so the reproduction report can tell which
    published figures a run compared.
    """
    out = []
    for figure, published_value, run, tol, *key in rows:
        published = published_value
        diff = run - published
        name = key[0] if key else ""
        if tol is None:
            digits = _digits(published)
            ok = round(run, digits) == published
            label = "equal"
        else:
            ok, label = within(published, run, tol, points="pct" in name)
        share = used(published, run, tol)
        out.append(
            {
                "figure": figure,
                "paper": published,
                "this run": run,
                "difference": diff,
                "tolerance": label,
                "within": "yes" if ok else "no",
                "note": _note(ok, share),
                "key": name,
            }
        )
    columns = [
        "figure",
        "paper",
        "this run",
        "difference",
        "tolerance",
        "within",
        "note",
        "key",
    ]
    return pd.DataFrame(out, columns=columns)


def _note(ok: bool, share: float | None) -> str:
    """A figure near its limit (more than ``NEAR_LIMIT`` of its tolerance used), or the
    size of a miss in tolerances; nothing otherwise."""
    if share is None or share != share:  # compared as equal (or no tolerance to scale by)
        return "" if ok else "differs"
    if not ok:
        return f"misses: {share:.1f} times its tolerance"
    # Rounded: 0.16 of 0.2 is 80%, not 80.0000001%.
    return f"uses {share:.0%} of its tolerance" if round(share, 6) > NEAR_LIMIT else ""


def _digits(value: float) -> int:
    text = repr(float(value))
    return 0 if float(value).is_integer() else len(text.split(".")[1])
