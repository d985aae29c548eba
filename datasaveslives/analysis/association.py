"""How post type goes with who posted, beyond Table 2's 2×2 test.

* :func:`types_test`: the whole table (three post types × supporter or not), Pearson's
  χ² without continuity correction (Yates' applies to 2×2 tables only), Cramér's V.
* :func:`share_difference`: supporters' share of original text minus others', with
  Newcombe's hybrid score interval, the ratio of the two shares with its log interval
  (Katz), both from statsmodels' ``confint_proportions_2indep``, and Cohen's h as the
  effect size.
* :func:`clustered`: the same question with posts clustered within accounts: a logistic
  regression of "original text" on "posted by a supporter" with standard errors
  clustered by account (statsmodels' GLM, ``cov_type="cluster"``). Posts of one account
  are not independent, so the post-level P value overstates the evidence; this one does
  not, as long as there are enough accounts in each group (:data:`FEW_CLUSTERS`).

Each returns a dict of plain numbers (NaN where undefined) and, when undefined, a
``why`` saying so.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize

# Below this many accounts in a group, cluster-robust errors are themselves uncertain
# (Cameron & Miller 2015 discuss "few clusters" as fewer than 20 to 50).
FEW_CLUSTERS = 30
NAN = float("nan")


def types_test(table2: pd.DataFrame) -> dict[str, Any]:
    """Post type × user type over all types of Table 2: χ², df, P and Cramér's V
    (types or groups without posts are left out; fewer than two of either: undefined)."""
    observed = table2.set_index("type")[["supporter", "other"]]
    observed = observed.loc[observed.sum(axis=1) > 0, observed.sum(axis=0) > 0]
    if min(observed.shape) < 2:
        return {
            "chi2": NAN,
            "df": 0,
            "p": NAN,
            "cramers_v": NAN,
            "why": "one kind of post or one group",
        }
    res = stats.chi2_contingency(observed.to_numpy(), correction=False)
    n = int(observed.to_numpy().sum())
    v = math.sqrt(res.statistic / (n * (min(observed.shape) - 1)))
    return {
        "chi2": float(res.statistic),
        "df": int(res.dof),
        "p": float(res.pvalue),
        "cramers_v": v,
    }


def share_difference(observed: np.ndarray) -> dict[str, Any]:
    """From the 2×2 ``observed`` (rows: supporters, others; columns: original text, other
    posts): the difference of the rows' shares of original text with Newcombe's 95%
    interval, their ratio with its 95% log interval, and Cohen's h. (The shares
    themselves are the χ² test's, ``users.chi_square_original``.)"""
    (a, b), (c, d) = np.asarray(observed, dtype=int)
    n1, n2 = a + b, c + d
    if not n1 or not n2:
        return {"why": "one of the two groups wrote no posts"}
    p1, p2 = float(a / n1), float(c / n2)
    out: dict[str, Any] = {
        "difference": p1 - p2,
        # Cohen's h: the difference of arcsine-transformed shares, which, unlike
        # Cramér's V, does not shrink when one group wrote few of the posts.
        "cohens_h": float(proportion_effectsize(p1, p2)),
    }
    low, high = confint_proportions_2indep(a, n1, c, n2, method="newcomb", compare="diff")
    out.update(difference_low=float(low), difference_high=float(high))
    if a and c:  # the log interval of a ratio needs both counts above zero
        low, high = confint_proportions_2indep(a, n1, c, n2, method="log", compare="ratio")
        out.update(ratio=p1 / p2, ratio_low=float(low), ratio_high=float(high))
    else:
        out.update(ratio=NAN, ratio_low=NAN, ratio_high=NAN)
    return out


def clustered(posts: pd.DataFrame, supporter_ids: set[str] | frozenset[str]) -> dict[str, Any]:
    """Original text on supporter status, posts clustered by account: the odds ratio, its
    95% interval and P from a logistic regression with cluster-robust standard errors,
    and the number of accounts in each group."""
    y = posts["type"].eq("original").astype(float).to_numpy()
    x = posts["author_id"].isin(supporter_ids).astype(float).to_numpy()
    accounts = posts["author_id"].astype(str)
    k_sup = int(accounts[x == 1].nunique())
    k_other = int(accounts[x == 0].nunique())
    out: dict[str, Any] = {"accounts_supporter": k_sup, "accounts_other": k_other}
    undefined = {"odds_ratio": NAN, "or_low": NAN, "or_high": NAN, "p": NAN}
    if not k_sup or not k_other:
        why = "no supporter posted" if not k_sup else "only supporters posted"
        return {**out, **undefined, "why": why}
    if min(k_sup, k_other) < 2:
        return {**out, **undefined, "why": "one group is a single account"}
    if len(set(y[x == 1])) < 2 or len(set(y[x == 0])) < 2:
        # Every post of a group of one kind: the odds ratio is 0 or infinite.
        return {**out, **undefined, "why": "one group's posts are all of one kind"}
    groups = pd.factorize(accounts)[0]
    fit = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial()).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    low, high = np.exp(fit.conf_int()[1])
    return {
        **out,
        "odds_ratio": float(np.exp(fit.params[1])),
        "or_low": float(low),
        "or_high": float(high),
        "p": float(fit.pvalues[1]),
        "few": min(k_sup, k_other) < FEW_CLUSTERS,
    }
