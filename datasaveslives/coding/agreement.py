"""Agreement between coders who coded the same posts: Cohen's kappa per code for each
pair of coders (scikit-learn) and Krippendorff's alpha per code over all coders, missing
codings allowed (the ``krippendorff`` package, nominal level)."""

from __future__ import annotations

from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score


def kappa(a: list[bool] | pd.Series, b: list[bool] | pd.Series) -> float:
    """Cohen's kappa of two codings of the same items; 1 when both are identical and
    constant (kappa is otherwise undefined there: no variation to agree on)."""
    a, b = list(map(bool, a)), list(map(bool, b))
    if a == b and len(set(a)) <= 1:
        return 1.0
    return float(cohen_kappa_score(a, b))


def alpha(matrix: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of a coders x items matrix, NaN for missing."""
    values = matrix[~np.isnan(matrix)]
    if len(np.unique(values)) <= 1:
        return 1.0 if len(values) else float("nan")
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def table(coded: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Per code: the posts coded by two or more coders, their raw agreement, Cohen's
    kappa for each pair of coders (on the posts both coded) and Krippendorff's alpha."""
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
