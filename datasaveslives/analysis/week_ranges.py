"""Any range of the window's weeks: its posts by type, its most active accounts and the
weekly originals–shares correlation, from aggregates small enough to embed in a page.

The interactive weekly chart of the HTML book computes the same three things in the
browser when a reader brushes a range of weeks; :func:`summary` is the reference it is
tested against. The aggregates hold no post text and no user id: the weekly counts by
type, and for each account that is among the ``top`` most active of some range of weeks
(:func:`candidates` rules most out cheaply, :func:`shown_somewhere` searches every range
for the rest) its label (an allowlisted name or a pseudonym) and its posts per week:
nobody else's activity is published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from datasaveslives.analysis import frequency
from datasaveslives.ingest.schema import POST_TYPES

TOP_ACCOUNTS = 5


@dataclass(frozen=True)
class WeekAggregates:
    """The window's weeks and the accounts' posts per week.

    ``weeks``: :func:`frequency.weekly_counts`'s table. ``labels``: each kept account's
    label, in order of label. ``activity``: (account, week, posts) triples, the account
    an index of ``labels``, sorted. ``accounts``: how many accounts posted in the window;
    ``len(labels)`` of them are among the ``top`` of some range."""

    weeks: pd.DataFrame
    labels: list[str]
    activity: list[tuple[int, int, int]]
    accounts: int
    top: int = TOP_ACCOUNTS

    def payload(self, share_label: str = "retweets") -> dict[str, Any]:
        """The aggregates as plain JSON values (what the page embeds)."""
        w = self.weeks
        return {
            "weeks": [int(x) for x in w["week"]],
            "week_start": [f"{d:%Y-%m-%d}" for d in w["week_start"]],
            "days": [int(x) for x in w["days"]],
            "counts": {t: [int(x) for x in w[t]] for t in POST_TYPES},
            "labels": list(self.labels),
            "activity": [list(a) for a in self.activity],
            "accounts": self.accounts,
            "top": self.top,
            "share_label": share_label,
        }


def candidates(counts: pd.DataFrame, top: int = TOP_ACCOUNTS) -> pd.Index:
    """The accounts (``counts``: one row per account and week it posts in, columns
    ``user``, ``week``, ``posts``) that can be among the ``top`` most active accounts
    of some range of weeks.

    Within a range the ``top``-th largest count is at least that of any one of its
    weeks, and an account's count in it at most its total. So an account whose total is
    below the ``top``-th largest count of every week it posts in has at least ``top``
    accounts with strictly more posts in any range where it posts: it is never shown.
    Every other account is kept (ties at the boundary too, for the tie-break)."""
    ordered = counts.sort_values(["week", "posts"], ascending=[True, False], kind="stable")
    rank = ordered.groupby("week").cumcount()
    kth = ordered.loc[rank == top - 1].set_index("week")["posts"]
    floor = counts["week"].map(kth).fillna(0).groupby(counts["user"]).min()
    total = counts.groupby("user")["posts"].sum()
    return total.index[total >= floor.reindex(total.index)]


def aggregates(
    posts: pd.DataFrame,
    first: date,
    last: date,
    tz: str,
    label: Callable[[str], str],
    top: int = TOP_ACCOUNTS,
) -> WeekAggregates:
    """The aggregates of the window ``first``..``last`` (in ``tz``), each account shown
    as ``label(user_id)``; weeks as :func:`frequency.weekly_counts` makes them."""
    weeks = frequency.weekly_counts(posts, first, last, tz)
    number = frequency.week_numbers(posts["created_at"], first, last, tz)
    counts = (
        pd.DataFrame({"user": posts["author_id"].astype(str), "week": number.astype(int)})
        .value_counts()
        .rename("posts")
        .reset_index()
    )
    kept = counts[counts["user"].isin(candidates(counts, top))]
    names = {user: label(user) for user in kept["user"].unique()}
    by_label = kept.assign(label=kept["user"].map(names)).groupby(["label", "week"])["posts"].sum()
    matrix = (
        by_label.unstack(fill_value=0)
        .reindex(columns=weeks["week"], fill_value=0)
        .sort_index()  # by label: the tie-break's order
    )
    shown = matrix.index[shown_somewhere(matrix.to_numpy(dtype=np.int64), top)]
    labels = [str(x) for x in shown]
    index = {name: i for i, name in enumerate(labels)}
    activity = sorted(
        (index[name], int(w), int(n)) for (name, w), n in by_label.items() if name in index
    )
    return WeekAggregates(weeks, labels, activity, accounts=int(counts["user"].nunique()), top=top)


# The largest accounts × weeks² / 2 for which every range is searched (about a second);
# past it, every account the rule of :func:`candidates` keeps is embedded (still exact).
RANGE_SEARCH_LIMIT = 300_000_000


def shown_somewhere(matrix: np.ndarray, top: int = TOP_ACCOUNTS) -> np.ndarray:
    """Which rows of ``matrix`` (accounts in the tie-break's order × weeks, posts) are
    among the ``top`` most active accounts (most posts, then first in order; at least
    one post) of at least one range of consecutive weeks: every range is searched
    (accounts × weeks² / 2 values), unless that exceeds :data:`RANGE_SEARCH_LIMIT`,
    when every row with a post is kept."""
    n, w = matrix.shape
    active = matrix.sum(axis=1) > 0
    if n <= top or n * w * w / 2 > RANGE_SEARCH_LIMIT:
        return active
    cumulative = np.zeros((n, w + 1), dtype=np.int64)
    np.cumsum(matrix, axis=1, out=cumulative[:, 1:])
    earlier = np.arange(n - 1, -1, -1, dtype=np.int64)[:, np.newaxis]  # wins a tie
    shown = np.zeros(n, dtype=bool)
    for lo in range(w):
        ranges = cumulative[:, lo + 1 :] - cumulative[:, [lo]]  # weeks lo+1..hi, each hi
        best = np.argpartition(-(ranges * n + earlier), top - 1, axis=0)[:top]
        posted = np.take_along_axis(ranges, best, axis=0) > 0
        shown[best[posted]] = True
    return shown


def summary(agg: WeekAggregates, first_week: int, last_week: int) -> dict[str, Any]:
    """Weeks ``first_week``..``last_week`` (1-based, inclusive): their posts by type,
    originals (text and quotes) and total, the ``top`` most active accounts (label,
    posts; most posts first, then by label) and the correlation of the weekly originals
    with the weekly shares (:func:`frequency.correlation`: undefined under three weeks or
    without variation)."""
    w = agg.weeks[(agg.weeks["week"] >= first_week) & (agg.weeks["week"] <= last_week)]
    totals = {t: int(w[t].sum()) for t in POST_TYPES}
    posts: dict[int, int] = {}
    for account, week, n in agg.activity:
        if first_week <= week <= last_week:
            posts[account] = posts.get(account, 0) + n
    ranked = sorted(posts.items(), key=lambda item: (-item[1], agg.labels[item[0]]))
    return {
        "weeks": len(w),
        "first_week": first_week,
        "last_week": last_week,
        **totals,
        "originals": totals["original"] + totals["quote"],
        "total": sum(totals.values()),
        "top": [(agg.labels[a], n) for a, n in ranked[: agg.top]],
        "correlation": frequency.correlation(w["originals"], w["retweet"]),
    }
