"""Accounts and their activity: who posts how many posts of each type.

Every figure the paper gives about users is hit exactly by construction:
integer allocation from heavy-tailed draws, then a repair step that moves
single posts between users (or types) until each total is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from datasaveslives.synth import spec

TYPES = ("n_orig", "n_quote", "n_rt")


@dataclass(frozen=True)
class Budget:
    """The exact activity figures the roster must meet (from the paper)."""

    users: int
    posts: dict[str, int]  # n_orig, n_quote, n_rt
    posters: dict[str, int]  # users with at least one post of each type
    once: int
    ten_plus: int
    ten_plus_posts: int
    hundred_plus: int
    network_nodes: int

    @classmethod
    def from_paper(cls) -> Budget:
        t = spec.targets()
        t2 = t["users"]["table2"]
        return cls(
            users=t["users"]["unique_users"],
            posts={
                "n_orig": t2["original_text"]["total"],
                "n_quote": t2["quote"]["total"],
                "n_rt": t2["retweet"]["total"],
            },
            posters={
                "n_orig": t2["original_text"]["unique_users"],
                "n_quote": t2["quote"]["unique_users"],
                "n_rt": t2["retweet"]["unique_users"],
            },
            once=t["users"]["users_tweeting_once"],
            ten_plus=t["users"]["users_tweeting_10_or_more"],
            ten_plus_posts=t["users"]["tweets_by_users_tweeting_10_or_more"],
            hundred_plus=t["users"]["users_tweeting_100_or_more"],
            network_nodes=t["network"]["nodes"],
        )


# Modelling choices for single-post users: most retweet once; those who post
# one original are either outside the network (nobody retweets them) or
# authors retweeted by someone.
SINGLE_ORIGINAL_SHARE = 0.59  # of single-post non-retweeters, the rest quote
MULTI_NONRETWEETER_SHARE = 0.098  # of multi-post users: post originals only


def fixed_accounts() -> pd.DataFrame:
    """Supporters, other named accounts and the heavy individual posters."""
    rows = []
    for acc in spec.SUPPORTERS:
        rows.append(_account_row(acc, "supporter"))
    for acc in spec.NAMED:
        rows.append(_account_row(acc, "named"))
    for group, posts, weight in spec.DELETED_AUTHORS:
        rows.append(
            {
                "screen_name": None,
                "display": None,
                "bio": None,
                "kind": "individual (account deleted)",
                "role": "deleted",
                "group": group,
                "hub_weight": weight,
                "followers": None,
                "bio_theme": "researcher",
                "n_orig": posts[0],
                "n_quote": posts[1],
                "n_rt": posts[2],
            }
        )
    for role, group, posts, theme in spec.HEAVY_INDIVIDUALS:
        rows.append(
            {
                "screen_name": None,
                "display": None,
                "bio": None,
                "kind": role,
                "role": "heavy",
                "group": group,
                "hub_weight": 1.0,
                "followers": None,
                "bio_theme": theme,
                "n_orig": posts[0],
                "n_quote": posts[1],
                "n_rt": posts[2],
            }
        )
    return pd.DataFrame(rows)


def _account_row(acc: spec.Account, role: str) -> dict:
    o, q, r = acc.posts or (0, 0, 0)
    return {
        "screen_name": acc.name,
        "display": acc.display,
        "bio": acc.bio,
        "kind": "official supporter" if role == "supporter" else acc.kind,
        "role": role,
        "group": acc.group,
        "hub_weight": acc.hub_weight,
        "followers": acc.followers,
        "bio_theme": None,
        "n_orig": o,
        "n_quote": q,
        "n_rt": r,
    }


def _draw_totals(
    rng: np.random.Generator, n: int, lo: int, hi: int, total: int, alpha: float
) -> np.ndarray:
    """``n`` integers in [lo, hi] summing to ``total``, power-law shaped (exponent alpha)."""
    if n == 0:
        if total:
            raise ValueError("no users to carry the posts")
        return np.zeros(0, dtype=int)
    if not n * lo <= total <= n * hi:
        raise ValueError(f"cannot place {total} posts on {n} users in [{lo}, {hi}]")
    values = np.arange(lo, hi + 1)
    p = values.astype(float) ** -alpha
    draws = rng.choice(values, size=n, p=p / p.sum())
    diff = total - int(draws.sum())
    while diff:
        step = 1 if diff > 0 else -1
        ok = np.flatnonzero((draws < hi) if step > 0 else (draws > lo))
        # Move the users nearest the middle first so the tail keeps its shape.
        pick = rng.choice(ok, size=min(abs(diff), len(ok)), replace=False)
        draws[pick] += step
        diff -= step * len(pick)
    return draws


def build_roster(rng: np.random.Generator, budget: Budget) -> pd.DataFrame:
    """All posting users with their posts by type and their network role.

    Columns: role (supporter, named, heavy, member), kind, group (planted
    network group, 0 for users outside the network), n_orig, n_quote, n_rt,
    and profile seeds for named accounts.
    """
    fixed = fixed_accounts()
    fixed_total = fixed[list(TYPES)].sum(axis=1)
    n_free = budget.users - len(fixed)

    # Activity classes: 1 post, 2-9, 10-99, 100+ (all 100+ accounts are fixed).
    if int((fixed_total >= 100).sum()) != budget.hundred_plus:
        raise ValueError("the fixed accounts must be exactly the 100+ posters")
    free_once = budget.once - int((fixed_total == 1).sum())
    free_ten = budget.ten_plus - int((fixed_total >= 10).sum())
    free_ten_posts = budget.ten_plus_posts - int(fixed_total[fixed_total >= 10].sum())
    free_mid = n_free - free_once - free_ten
    total_posts = sum(budget.posts.values())
    free_mid_posts = (
        total_posts
        - budget.ten_plus_posts
        - budget.once
        - int(fixed_total[(fixed_total >= 2) & (fixed_total < 10)].sum())
    )
    totals = np.concatenate(
        [
            np.ones(free_once, dtype=int),
            _draw_totals(rng, free_mid, 2, 9, free_mid_posts, 1.6),
            _draw_totals(rng, free_ten, 10, 99, free_ten_posts, 1.5),
        ]
    )
    free = pd.DataFrame({"total": totals})

    # Which type(s) each free user posts.
    fixed_flags = {t: int((fixed[t] > 0).sum()) for t in TYPES}
    fixed_sums = {t: int(fixed[t].sum()) for t in TYPES}
    single = free["total"] == 1
    multi = free.index[~single].to_numpy()
    # Multi-post users who never retweet (authors of originals only) are a modest
    # share; single-post users carry the rest of the retweeter count, and the
    # remaining single-post users post one original or one quote.
    multi_nonrt = round(MULTI_NONRETWEETER_SHARE * len(multi))
    single_rt = budget.posters["n_rt"] - fixed_flags["n_rt"] - (len(multi) - multi_nonrt)
    single_nonrt = free_once - single_rt
    single_orig = round(SINGLE_ORIGINAL_SHARE * single_nonrt)
    single_quote = single_nonrt - single_orig
    if min(single_rt, single_orig, single_quote, multi_nonrt) < 0:
        raise ValueError("inconsistent activity budget")

    for t in TYPES:
        free[t] = 0
    singles = free.index[single].to_numpy().copy()
    rng.shuffle(singles)
    free.loc[singles[:single_rt], "n_rt"] = 1
    free.loc[singles[single_rt : single_rt + single_orig], "n_orig"] = 1
    free.loc[singles[single_rt + single_orig :], "n_quote"] = 1

    # Flags for multi-post users.
    weights = free.loc[multi, "total"].to_numpy(dtype=float)
    order = multi[np.argsort(-(np.log(weights) + rng.gumbel(size=len(multi))))]
    nonrt = set(
        rng.choice(multi[free.loc[multi, "total"].to_numpy() < 10], multi_nonrt, replace=False)
    )
    flags: dict[str, set[Any]] = {t: set() for t in TYPES}
    flags["n_rt"] = {u for u in multi if u not in nonrt}
    n_o = budget.posters["n_orig"] - fixed_flags["n_orig"] - single_orig
    n_q = budget.posters["n_quote"] - fixed_flags["n_quote"] - single_quote
    # Non-retweeters must post originals or quotes.
    nonrt_list = sorted(nonrt)
    rng.shuffle(nonrt_list)
    half = round(0.6 * len(nonrt_list))
    flags["n_orig"].update(nonrt_list[:half])
    flags["n_quote"].update(nonrt_list[half:])

    def n_flags(u: int) -> int:
        return sum(u in flags[t] for t in TYPES)

    for t, n_t in (("n_orig", n_o), ("n_quote", n_q)):
        for u in order:
            if len(flags[t]) >= n_t:
                break
            if u not in flags[t] and n_flags(u) < free.at[u, "total"]:
                flags[t].add(u)
        if len(flags[t]) != n_t:
            raise ValueError(f"cannot give {n_t} users a {t} post")

    # Split each multi-post user's total over their flagged types.
    share = {"n_orig": 0.21, "n_quote": 0.11, "n_rt": 0.68}
    for u in multi:
        kinds = [t for t in TYPES if u in flags[t]]
        total = int(free.at[u, "total"])
        w = np.array([share[t] for t in kinds]) * rng.gamma(2.0, size=len(kinds))
        counts = np.ones(len(kinds), dtype=int)
        rest = total - len(kinds)
        if rest:
            counts += rng.multinomial(rest, w / w.sum())
        for t, c in zip(kinds, counts, strict=True):
            free.at[u, t] = int(c)

    # Repair: move single posts between types until the type totals are exact,
    # keeping every flagged type at one post or more.
    targets = {t: budget.posts[t] - fixed_sums[t] for t in TYPES}
    _repair_types(rng, free, multi, targets)
    for t in TYPES:
        if int((free[t] > 0).sum()) + fixed_flags[t] != budget.posters[t]:
            raise AssertionError(f"poster count for {t} is off")

    free["role"] = "member"
    free["kind"] = "individual"
    free["group"] = -1
    free["hub_weight"] = 0.0
    for col in ("screen_name", "display", "bio", "followers", "bio_theme"):
        free[col] = None
    roster = pd.concat([fixed, free.drop(columns="total")], ignore_index=True)
    return roster


def _repair_types(
    rng: np.random.Generator, free: pd.DataFrame, multi: np.ndarray, targets: dict[str, int]
) -> None:
    for _ in range(100_000):
        diffs = {t: int(free[t].sum()) - targets[t] for t in TYPES}
        if not any(diffs.values()):
            return
        over = max(diffs, key=diffs.__getitem__)
        under = min(diffs, key=diffs.__getitem__)
        sub = free.loc[multi]
        movable = sub.index[(sub[over] >= 2) & (sub[under] >= 1)].to_numpy()
        if len(movable) == 0:
            raise ValueError(f"cannot move posts from {over} to {under}")
        n = min(diffs[over], -diffs[under], len(movable))
        pick = rng.choice(movable, size=n, replace=False)
        free.loc[pick, over] -= 1
        free.loc[pick, under] += 1
    raise RuntimeError("type repair did not converge")


def label_organisations(roster: pd.DataFrame, first_medium: int, last_medium: int) -> None:
    """Each mid-sized group is led by an organisation the paper does not name (as the
    paper's group 13 is by @EmpowerD4H): its most active poster, pseudonymised like
    every account not named. The ten largest groups are led by the named ones."""
    total = roster["n_orig"] + roster["n_quote"] + roster["n_rt"]
    for g in range(first_medium, last_medium + 1):
        members = roster.index[(roster["group"] == g) & (roster["role"] == "member")]
        if (
            len(members)
            and not (
                (roster["group"] == g) & roster["kind"].isin(["organisation", "official supporter"])
            ).any()
        ):
            lead = total.loc[members].sort_values(ascending=False, kind="stable").index[0]
            roster.at[lead, "kind"] = "organisation"
