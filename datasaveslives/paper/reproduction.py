"""The reproduction report: every number the paper published against this run.

The chapters compare the figures they compute with the paper's and save the
rows (:mod:`datasaveslives.paper.results`); this module gathers them, lists the
published numbers no chapter compares with the reason recorded in
``data/paper/not_compared.yml``, and words a one-line verdict.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from datasaveslives.core import paths, yamlfile
from datasaveslives.paper import comparison, results

# The chapters that compare figures with the paper's, in book order.
COMPARED_SECTIONS: tuple[str, ...] = ("frequency", "users", "network", "themes")


@lru_cache(maxsize=1)
def reasons() -> dict[str, str]:
    """Why some published numbers are not compared: key pattern -> reason."""
    return dict(
        yamlfile.load(paths.NOT_COMPARED, "the list of figures not compared", ValueError)[
            "not_compared"
        ]
    )


def reason_for(key: str, table: dict[str, str] | None = None) -> str | None:
    """The recorded reason for not comparing ``key`` (first matching pattern), if any."""
    for pattern, why in (reasons() if table is None else table).items():
        if fnmatch.fnmatchcase(key, pattern):
            return why
    return None


@dataclass(frozen=True)
class Report:
    """Compared rows, the published numbers left out (with reasons), and the verdict."""

    compared: pd.DataFrame
    not_compared: pd.DataFrame
    published: int

    @property
    def within(self) -> int:
        return int((self.compared["within"] == "yes").sum())

    @property
    def outside(self) -> pd.DataFrame:
        return self.compared[self.compared["within"] != "yes"]

    @property
    def near_limit(self) -> int:
        """Figures within their tolerance but using more than 80% of it."""
        if "note" not in self.compared:
            return 0
        return int(self.compared["note"].fillna("").astype(str).str.startswith("uses ").sum())

    @property
    def unexplained(self) -> pd.DataFrame:
        """Published numbers neither compared nor given a reason (should be none)."""
        return self.not_compared[self.not_compared["reason"].isna()]

    def not_compared_by_reason(self, shown: int = 4) -> pd.DataFrame:
        """One row per reason: the first ``shown`` keys, how many numbers, the reason
        (numbers without one under "no reason recorded")."""
        left = self.not_compared.fillna({"reason": "no reason recorded"})
        rows = [
            {
                "keys": ", ".join(keys[:shown])
                + (f" and {len(keys) - shown} more" if len(keys) > shown else ""),
                "numbers": len(keys),
                "reason": reason,
            }
            for reason, keys in left.groupby("reason", sort=False)["key"].agg(list).items()
        ]
        return pd.DataFrame(rows, columns=["keys", "numbers", "reason"])

    def by_basis(self) -> dict[str, tuple[int, int]]:
        """(within, compared) for each basis (calibrated, held-out) that has rows."""
        if "basis" not in self.compared or self.compared.empty:
            return {}
        out = {}
        for basis, rows in self.compared.groupby("basis", sort=True):
            out[str(basis)] = (int((rows["within"] == "yes").sum()), len(rows))
        return out

    def verdict(self) -> str:
        """One line: how many of the published numbers this run compares, how many of
        those it reproduces, calibrated and held-out apart, and which it misses."""
        n = len(self.compared)
        if n == 0:
            return "No published figure was compared."
        of = f" of the paper's {self.published:,} numbers" if self.published else ""
        if self.within == n == 1:
            head = f"The one compared figure{of} is within its tolerance of the paper's."
        elif self.within == n:
            head = f"All {n:,} compared figures{of} are within their tolerance of the paper's."
        else:
            head = (
                f"{self.within:,} of the {n:,} compared figures{of} are within their "
                "tolerance of the paper's."
            )
        parts = [
            f"{basis} {within:,} of {count:,}" for basis, (within, count) in self.by_basis().items()
        ]
        if len(parts) > 1:
            head = head[:-1] + f" ({'; '.join(parts)})."
        if self.within != n:
            names = ", ".join(self.outside["figure"].head(5))
            more = f" and {len(self.outside) - 5} more" if len(self.outside) > 5 else ""
            k = len(self.outside)
            head += (
                f" {k:,} {'misses' if k == 1 else 'miss'} ({names}{more}): each is in the "
                "tables below with the size of its miss."
            )
        near = self.near_limit
        if near:
            head += (
                f" {near} of the figures within tolerance "
                f"{'uses' if near == 1 else 'use'} more than "
                f"{comparison.NEAR_LIMIT:.0%} of it (noted in the tables)."
            )
        return head


def from_results(results_dir: str | Path, compared_with: str | None = "paper") -> Report:
    """The report for the comparisons the chapters saved in ``results_dir``; an empty
    one, listing no published number, for a run whose study declares none to compare
    with (``compared_with`` empty)."""
    if not compared_with:
        return Report(
            compared=pd.DataFrame(columns=["figure", "paper", "this run", "key", "within"]),
            not_compared=pd.DataFrame(columns=["key", "paper", "reason"]),
            published=0,
        )
    return report(results.load_compared(results_dir, COMPARED_SECTIONS))


def report(compared: pd.DataFrame) -> Report:
    """The report for the chapters' saved comparison rows (``results.load_compared``)."""
    numbers = comparison.published_numbers()
    done = set(compared["key"].dropna()) if "key" in compared else set()
    left = [
        {"key": key, "paper": value, "reason": reason_for(key)}
        for key, value in numbers.items()
        if key not in done
    ]
    return Report(
        compared=compared.reset_index(drop=True),
        not_compared=pd.DataFrame(left, columns=["key", "paper", "reason"]),
        published=len(numbers),
    )
