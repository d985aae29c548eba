"""Agreement between coders who coded the same posts: Cohen's kappa per code for each
pair of coders (scikit-learn) and Krippendorff's alpha per code over all coders, missing
codings allowed (the ``krippendorff`` package, nominal level), each with a 95% interval
from a seeded bootstrap over the posts (SciPy's ``bootstrap``, percentile method).

The bootstrap recomputes kappa and alpha thousands of times, so it uses their closed
forms for a yes/no code, summed over posts (``_kappa_sums``, ``_alpha_sums``); the tests
check both against the packages' values on the full sample."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

# krippendorff, SciPy and scikit-learn are imported in the functions that use them: the
# prose of the themes and discussion chapters imports this module for its wording
# (reading, RESAMPLES), and those imports were about a second of their kernels' start.

RESAMPLES = 999
LEVEL = 0.95


def kappa(a: list[bool] | pd.Series, b: list[bool] | pd.Series) -> float:
    """Cohen's kappa of two codings of the same items; 1 when both are identical and
    constant (kappa is otherwise undefined there: no variation to agree on)."""
    a, b = list(map(bool, a)), list(map(bool, b))
    if a == b and len(set(a)) <= 1:
        return 1.0
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(a, b))


def alpha(matrix: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of a coders x items matrix, NaN for missing."""
    values = matrix[~np.isnan(matrix)]
    if len(np.unique(values)) <= 1:
        return 1.0 if len(values) else float("nan")
    import krippendorff

    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def _kappa_sums(x: np.ndarray, y: np.ndarray, both: np.ndarray, axis: int = -1) -> np.ndarray:
    """Cohen's kappa of two yes/no codings (1/0) on the posts where ``both`` is 1, along
    ``axis``; 1 where both codings agree and are constant (as :func:`kappa`)."""
    n = both.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        po = (both * (x == y)).sum(axis=axis) / n
        px, py = (both * x).sum(axis=axis) / n, (both * y).sum(axis=axis) / n
        pe = px * py + (1 - px) * (1 - py)
        k = (po - pe) / (1 - pe)
    return np.where(pe >= 1, np.where(po >= 1, 1.0, np.nan), k)


def _alpha_sums(ones: np.ndarray, zeros: np.ndarray, axis: int = -1) -> np.ndarray:
    """Krippendorff's alpha (nominal) of a yes/no code from each post's count of coders
    saying yes (``ones``) and no (``zeros``), along ``axis``: posts with fewer than two
    codings are not pairable and count for nothing; 1 where every coding is the same."""
    m = ones + zeros
    pairable = m >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        mixed = np.where(pairable, ones * zeros / np.where(pairable, m - 1, 1), 0.0)
        n1 = (ones * pairable).sum(axis=axis)
        n0 = (zeros * pairable).sum(axis=axis)
        n = n0 + n1
        a = 1 - (n - 1) * 2 * mixed.sum(axis=axis) / (2 * n0 * n1)
    return np.where((n0 == 0) | (n1 == 0), np.where(n > 0, 1.0, np.nan), a)


def _interval(stat, samples: tuple[np.ndarray, ...], seed: int) -> tuple[float, float]:
    """The 95% percentile interval of ``stat`` over posts resampled with replacement."""
    from scipy import stats

    res = stats.bootstrap(
        samples,
        stat,
        paired=True,
        vectorized=True,
        n_resamples=RESAMPLES,
        confidence_level=LEVEL,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    low, high = res.confidence_interval
    return float(low), float(high)


def intervals(matrix: np.ndarray, seed: int) -> dict[str, float]:
    """95% intervals of the mean pairwise kappa and of alpha for one code, from its
    coders x posts ``matrix`` (1 yes, 0 no, NaN not coded), resampling posts."""
    coded = ~np.isnan(matrix)
    if matrix.shape[1] < 2:
        return {}
    x = np.nan_to_num(matrix)
    pairs = list(combinations(range(len(matrix)), 2))
    columns = [c for i, j in pairs for c in (x[i], x[j], (coded[i] & coded[j]).astype(float))]

    def mean_kappa(*cols: np.ndarray, axis: int = -1) -> np.ndarray:
        ks = [
            _kappa_sums(cols[k], cols[k + 1], cols[k + 2], axis=axis)
            for k in range(0, len(cols), 3)
        ]
        return np.nanmean(np.stack(ks), axis=0)

    ones = (x * coded).sum(axis=0)
    zeros = ((1 - x) * coded).sum(axis=0)
    k_low, k_high = _interval(mean_kappa, tuple(columns), seed)
    a_low, a_high = _interval(_alpha_sums, (ones, zeros), seed)
    return {"kappa_low": k_low, "kappa_high": k_high, "alpha_low": a_low, "alpha_high": a_high}


def table(coded: pd.DataFrame, codes: list[str], seed: int | None = None) -> pd.DataFrame:
    """Per code: the posts coded by two or more coders, their raw agreement, Cohen's
    kappa for each pair of coders (on the posts both coded) and Krippendorff's alpha;
    with a ``seed``, also each one's 95% bootstrap interval (``kappa_low`` …)."""
    coders = sorted(coded["coder"].unique())
    counts = coded.groupby("post_id")["coder"].nunique()
    shared = sorted(counts[counts >= 2].index)
    rows = []
    for code in codes:
        wide = coded.pivot_table(index="coder", columns="post_id", values=code, aggfunc="first")
        wide = wide.reindex(index=coders, columns=shared)
        matrix = wide.to_numpy(dtype=float)
        row: dict[str, object] = {"code": code, "posts": len(shared)}
        pair_kappas = []
        agree = []
        for x, y in combinations(range(len(coders)), 2):
            both = ~np.isnan(matrix[x]) & ~np.isnan(matrix[y])
            if both.sum():
                k = kappa(matrix[x][both] == 1, matrix[y][both] == 1)
                row[f"kappa {coders[x]}–{coders[y]}"] = k
                pair_kappas.append(k)
                agree.append((matrix[x][both] == matrix[y][both]).mean())
        row["agreement"] = float(np.mean(agree)) if agree else float("nan")
        row["kappa"] = float(np.mean(pair_kappas)) if pair_kappas else float("nan")
        row["alpha"] = alpha(matrix) if shared else float("nan")
        if seed is not None:
            row.update(intervals(matrix, seed) if shared else {})
        rows.append(row)
    return pd.DataFrame(rows)


def reading(value: float) -> str:
    """Landis & Koch's words for a kappa (or alpha) value, for prose."""
    if value != value:
        return "not defined"
    for bound, word in (
        (0.0, "poor"),
        (0.2, "slight"),
        (0.4, "fair"),
        (0.6, "moderate"),
        (0.8, "substantial"),
    ):
        if value <= bound:
            return word
    return "almost perfect"
