"""Who: posts per user, activity groups, and the official supporters' share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from datasaveslives.core.params import load_account_types
from datasaveslives.ingest.schema import POST_TYPES


def posts_per_user(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per posting user: posts by type and in total, most active first."""
    table = (
        pd.crosstab(posts["author_id"], posts["type"])
        .reindex(columns=list(POST_TYPES), fill_value=0)
        .rename_axis(index="user_id", columns=None)
    )
    table["total"] = table.sum(axis=1)
    return table.sort_values(["total", "user_id"], ascending=[False, True]).reset_index()


def activity_summary(per_user: pd.DataFrame) -> dict[str, Any]:
    """The paper's activity figures: users posting once, 10+ and 100+ times, the maximum."""
    total = per_user["total"]
    ten = total >= 10
    return {
        "users": len(per_user),
        "posts": int(total.sum()),
        "once": int((total == 1).sum()),
        "ten_plus": int(ten.sum()),
        "ten_plus_posts": int(total[ten].sum()),
        "hundred_plus": int((total >= 100).sum()),
        "max": int(total.max()) if len(total) else 0,
        "users_by_type": {t: int((per_user[t] > 0).sum()) for t in POST_TYPES},
    }


def is_supporter(users: pd.DataFrame, supporters: list[str]) -> pd.Series:
    """Per user_id: is the account one of the official supporters (by screen name,
    case-insensitive)?"""
    names = {s.casefold() for s in supporters}
    flags = users["screen_name"].fillna("").str.casefold().isin(names)
    return pd.Series(flags.to_numpy(), index=users["user_id"])


def table2(posts: pd.DataFrame, supporter_ids: set[str]) -> pd.DataFrame:
    """Posts by type x user type (official supporter / other), with column shares,
    totals and distinct users per type (Table 2 of the paper).

    The distinct-users column does not add up to the number of users: a user who
    both posts and retweets is counted in each row.
    """
    flag = posts["author_id"].isin(supporter_ids)
    rows = []
    n_sup, n_other, n_all = int(flag.sum()), int((~flag).sum()), len(posts)
    n_users = posts["author_id"].nunique()
    for t in POST_TYPES:
        of_type = posts["type"] == t
        sup = int((of_type & flag).sum())
        other = int((of_type & ~flag).sum())
        distinct = posts.loc[of_type, "author_id"].nunique()
        rows.append(
            {
                "type": t,
                "supporter": sup,
                "supporter_share": sup / n_sup if n_sup else float("nan"),
                "other": other,
                "other_share": other / n_other if n_other else float("nan"),
                "total": sup + other,
                "total_share": (sup + other) / n_all if n_all else float("nan"),
                "distinct_users": distinct,
                "distinct_share": distinct / n_users if n_users else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def chi_square_original(table: pd.DataFrame) -> dict[str, Any]:
    """Original text vs all other posts, by supporter status: Pearson's chi-square as
    R's ``chisq.test`` computes it by default (Yates' continuity correction on a 2x2
    table), with df, p, Cramér's V and the expected counts."""
    orig = table.set_index("type").loc["original"]
    n_sup = int(table["supporter"].sum())
    n_other = int(table["other"].sum())
    observed = np.array(
        [[orig["supporter"], n_sup - orig["supporter"]], [orig["other"], n_other - orig["other"]]]
    )
    if (observed.sum(axis=0) == 0).any() or (observed.sum(axis=1) == 0).any():
        nan = float("nan")
        return {
            "chi2": nan,
            "df": 1,
            "p": nan,
            "cramers_v": nan,
            "expected": None,
            "observed": observed,
        }
    from scipy import stats  # imported where used: see compute()

    res = stats.chi2_contingency(observed, correction=True)
    n = observed.sum()
    return {
        "chi2": float(res.statistic),
        "df": int(res.dof),
        "p": float(res.pvalue),
        "cramers_v": float(np.sqrt(res.statistic / n)),
        "expected": res.expected_freq,
        "observed": observed,
        "share_supporter": observed[0, 0] / observed[0].sum(),
        "share_other": observed[1, 0] / observed[1].sum(),
    }


DEFAULT_BINS: tuple[int, ...] = (1, 2, 10, 100)


def activity_groups(
    per_user: pd.DataFrame, profiles: pd.DataFrame, bins: tuple[int, ...] = DEFAULT_BINS
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Users grouped by how often they posted (lower bounds ``bins``: 1, 2-9, 10-99,
    100+ by default): users and posts per group with shares, median (IQR) followers,
    friends and lifetime posts; and a Kruskal-Wallis test of followers across groups."""
    edges = [*bins, np.inf]
    labels = [
        f"{lo}" if hi == lo + 1 else (f"{lo}+" if hi == np.inf else f"{lo}-{int(hi) - 1}")
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    data = per_user.merge(profiles, on="user_id", how="left")
    data["group"] = pd.cut(data["total"], bins=edges, right=False, labels=labels)
    rows = []
    samples = []
    for label in labels:
        g = data[data["group"] == label]
        row = {
            "posts_per_user": label,
            "users": len(g),
            "users_share": len(g) / len(data) if len(data) else float("nan"),
            "posts": int(g["total"].sum()),
            "posts_share": g["total"].sum() / data["total"].sum() if len(data) else float("nan"),
        }
        for col in ("followers", "friends", "statuses"):
            values = g[col].dropna()
            row[f"{col}_median"] = float(values.median()) if len(values) else float("nan")
            row[f"{col}_q1"] = float(values.quantile(0.25)) if len(values) else float("nan")
            row[f"{col}_q3"] = float(values.quantile(0.75)) if len(values) else float("nan")
        rows.append(row)
        followers = g["followers"].dropna()
        if len(followers):
            samples.append(followers.to_numpy())
    if len(samples) >= 2 and len({v for s in samples for v in s}) > 1:
        from scipy import stats  # imported where used: see compute()

        kw = stats.kruskal(*samples)
        test = {"h": float(kw.statistic), "df": len(samples) - 1, "p": float(kw.pvalue)}
    else:
        test = {"h": float("nan"), "df": len(samples) - 1, "p": float("nan")}
    return pd.DataFrame(rows), test


def lorenz(values: pd.Series) -> tuple[np.ndarray, np.ndarray, float]:
    """Lorenz curve (share of users, share of posts; users from least to most active)
    and the Gini coefficient of ``values``."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return np.array([0.0, 1.0]), np.array([0.0, 1.0]), float("nan")
    cum = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
    pop = np.linspace(0.0, 1.0, n + 1)
    gini = 1.0 - 2.0 * np.trapezoid(cum, pop)
    return pop, cum, float(gini)


def effect_size_label(h: float | None) -> str:
    """Cohen's reading of an effect size h between two proportions (0.2 small, 0.5
    medium, 0.8 large), for prose."""
    if h is None or pd.isna(h):
        return "not defined"
    h = abs(h)
    if h < 0.2:
        return "smaller than Cohen's 'small' (0.2)"
    if h < 0.5:
        return "small by Cohen's convention"
    if h < 0.8:
        return "medium by Cohen's convention"
    return "large by Cohen's convention"


def supporter_ids(profiles: pd.DataFrame, supporters: list[str]) -> set[str]:
    """User ids of the official supporters (matched by screen name)."""
    return set(profiles.loc[is_supporter(profiles, supporters).to_numpy(), "user_id"])


def bios_with_hashtag(profiles: pd.DataFrame, user_ids: pd.Series, hashtag: str | None) -> int:
    """How many of ``user_ids`` have ``hashtag`` in their bio (case-insensitive)."""
    if not hashtag:
        return 0
    bios = profiles.loc[profiles["user_id"].isin(user_ids), "bio"].fillna("")
    return int(bios.str.contains(hashtag, case=False, regex=False).sum())


ORGANISATION = "organisation"
PATIENT_ADVOCATE = "patient advocate"
UNCLASSIFIED = "not classified"


def kinds_of(profiles: pd.DataFrame, types: Mapping[str, str] | None) -> dict[str, str]:
    """User id -> kind for the accounts an account-types list (``types``: case-folded
    screen name -> kind, ``params.load_account_types``) classifies."""
    if not types:
        return {}
    names = profiles.set_index("user_id")["screen_name"].dropna()
    return {
        str(uid): types[str(name).casefold()]
        for uid, name in names.items()
        if str(name).casefold() in types
    }


def kinds_from_file(profiles: pd.DataFrame, path: str | None) -> dict[str, str] | None:
    """User id -> kind from a run's account-types file (``account_types``), or None when
    the run declares none."""
    return kinds_of(profiles, load_account_types(Path(path))) if path else None


@dataclass(frozen=True)
class Users:
    """The users chapter's results, computed once by :func:`compute` and read by the
    chapter's text, tables and figure, its saved results and the paper's registry
    (``paper/registry.py``)."""

    posts: int
    supporters_declared: int
    supporter_ids: frozenset[str]
    table2: pd.DataFrame
    chi: dict[str, Any]
    per_user: pd.DataFrame
    activity: dict[str, Any]
    groups: pd.DataFrame
    kruskal: dict[str, Any]
    lorenz: tuple[np.ndarray, np.ndarray, float]
    in_bio: int
    types_chi: dict[str, Any]
    difference: dict[str, Any]
    clustered: dict[str, Any]
    # User id -> kind from the run's account types (empty when none are declared).
    kinds: dict[str, str] = field(default_factory=dict)
    types_declared: bool = False

    @property
    def gini(self) -> float:
        return self.lorenz[2]

    @property
    def supporters_active(self) -> int:
        """Declared supporters who posted in the run."""
        return len(self.supporter_ids & set(self.per_user["user_id"]))

    @property
    def supporter_posts(self) -> int:
        return int(self.table2["supporter"].sum())

    @property
    def originals(self) -> pd.Series:
        """Table 2's row of posts with original text (supporter, other, total...)."""
        return self.table2.set_index("type").loc["original"]

    @property
    def heavy(self) -> pd.DataFrame:
        """The accounts that posted 100 times or more, most active first."""
        return self.per_user[self.per_user["total"] >= 100]

    @property
    def heavy_supporters(self) -> int:
        return int(self.heavy["user_id"].isin(self.supporter_ids).sum())

    @property
    def heavy_kinds(self) -> dict[str, int]:
        """How many of the accounts posting 100 times or more are of each kind (the
        unlisted as "not classified"), commonest first, ties by name."""
        counts = Counter(self.kinds.get(str(u), UNCLASSIFIED) for u in self.heavy["user_id"])
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def heavy_organisations(self) -> int | None:
        """Organisations among the accounts posting 100 times or more (None when the run
        declares no account types)."""
        return self.heavy_kinds.get(ORGANISATION, 0) if self.types_declared else None

    @property
    def advocate_posts(self) -> int | None:
        """Posts of the most active account listed as a patient advocate (None when none
        is listed or none posted)."""
        ids = [u for u, k in self.kinds.items() if k == PATIENT_ADVOCATE]
        mine = self.per_user[self.per_user["user_id"].isin(ids)]
        return int(mine["total"].max()) if len(mine) else None

    @property
    def ten_plus_share(self) -> float | None:
        """The share of posts written by the accounts that posted 10 times or more."""
        return self.activity["ten_plus_posts"] / self.posts if self.posts else None

    def saved(self) -> dict[str, Any]:
        """The chapter's saved results (``results/users.json``)."""
        a, n = self.activity, self.posts
        return {
            "users": a["users"],
            "once": a["once"],
            "supporters_active": self.supporters_active,
            "supporters_declared": self.supporters_declared,
            "ten_plus": a["ten_plus"],
            "pct_sup_posts": self.supporter_posts / n if n else None,
            "pct_once": a["once"] / a["users"] if a["users"] else None,
            "pct_ten": a["ten_plus"] / a["users"] if a["users"] else None,
            "pct_ten_posts": a["ten_plus_posts"] / n if n else None,
            "gini": self.gini,
            "chi2": self.chi.get("chi2"),
            "chi_p": self.chi.get("p"),
            "cramers_v": self.chi.get("cramers_v"),
            "share_original_supporter": self.chi.get("share_supporter"),
            "share_original_other": self.chi.get("share_other"),
            # NaN (undefined) is saved as null by results.save.
            "types_chi2": self.types_chi.get("chi2"),
            "types_df": self.types_chi.get("df"),
            "types_p": self.types_chi.get("p"),
            "difference": {k: self.difference.get(k) for k in _DIFFERENCE},
            "heavy_kinds": self.heavy_kinds if self.types_declared else None,
            "advocate_posts": self.advocate_posts,
            "clustered": {
                k: self.clustered.get(k)
                for k in ("odds_ratio", "or_low", "or_high", "p", "accounts_supporter", "few")
            },
        }


def compute(
    posts: pd.DataFrame,
    profiles: pd.DataFrame,
    supporters: list[str],
    hashtag: str | None,
    bins: tuple[int, ...] = DEFAULT_BINS,
    types: Mapping[str, str] | None = None,
) -> Users:
    """Every result of the users chapter, from a run's posts and profiles (and its
    account types, ``types``: case-folded screen name -> kind, or None)."""
    # The tests' libraries (SciPy, statsmodels) are imported here, not with the module:
    # the other chapters import this one for its small helpers (supporter_ids, kinds),
    # and the tests' imports were a second of each of their kernels' start.
    from datasaveslives.analysis import association

    ids = supporter_ids(profiles, supporters)
    t2 = table2(posts, ids)
    per_user = posts_per_user(posts)
    groups, kw = activity_groups(per_user, profiles, tuple(bins))
    chi = chi_square_original(t2)
    return Users(
        posts=len(posts),
        supporters_declared=len(supporters),
        supporter_ids=frozenset(ids),
        table2=t2,
        chi=chi,
        per_user=per_user,
        activity=activity_summary(per_user),
        groups=groups,
        kruskal=kw,
        lorenz=lorenz(per_user["total"]),
        in_bio=bios_with_hashtag(profiles, per_user["user_id"], hashtag),
        types_chi=association.types_test(t2),
        difference=association.share_difference(chi["observed"]),
        clustered=association.clustered(posts, ids),
        kinds=kinds_of(profiles, types),
        types_declared=types is not None,
    )


_DIFFERENCE = (
    "difference",
    "difference_low",
    "difference_high",
    "ratio",
    "ratio_low",
    "ratio_high",
    "cohens_h",
)
