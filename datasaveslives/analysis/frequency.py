"""How often: posts per week and month by type, and correlations.

Weeks are 7-day bins anchored on the window start: week 1 is start to
start + 6 days. A trailing partial week (fewer than 7 days) is folded into
the last full week, so every week has 7 days except possibly the last,
which has 8 to 13. Without a window, the first and last post's days bound it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from datasaveslives.ingest.schema import POST_TYPES
from datasaveslives.privacy.policy import DELETED_TEXT, Privacy


def window_days(
    posts: pd.DataFrame, start: date | None, end: date | None, tz: str
) -> tuple[date, date]:
    """The window's first and last day, defaulting to the data's."""
    local = posts["created_at"].dt.tz_convert(tz)
    first = start or (local.min().date() if len(posts) else date.today())
    last = end or (local.max().date() if len(posts) else first)
    return first, last


def week_numbers(created_at: pd.Series, start: date, end: date, tz: str = "UTC") -> pd.Series:
    """1-based week of each time (7-day bins from ``start``; trailing partial week folded)."""
    n_weeks = max(1, ((end - start).days + 1) // 7)
    days = (
        created_at.dt.tz_convert(tz).dt.normalize().dt.tz_localize(None) - pd.Timestamp(start)
    ).dt.days
    return (days // 7 + 1).clip(upper=n_weeks).astype(int)


def weekly_counts(
    posts: pd.DataFrame, start: date | None = None, end: date | None = None, tz: str = "UTC"
) -> pd.DataFrame:
    """Posts per week by type, every week of the window present (zeros included).

    Columns: ``week``, ``week_start``, ``days``, one per type, ``originals``
    (original text + quotes), ``total``.
    """
    first, last = window_days(posts, start, end, tz)
    n_weeks = max(1, ((last - first).days + 1) // 7)
    weeks = week_numbers(posts["created_at"], first, last, tz)
    table = (
        pd.crosstab(weeks, posts["type"])
        .reindex(index=range(1, n_weeks + 1), columns=list(POST_TYPES), fill_value=0)
        .rename_axis(index="week", columns=None)
        .reset_index()
    )
    table.insert(1, "week_start", [first + timedelta(days=7 * (w - 1)) for w in table["week"]])
    table.insert(2, "days", [7] * (n_weeks - 1) + [(last - first).days + 1 - 7 * (n_weeks - 1)])
    table["originals"] = table["original"] + table["quote"]
    table["total"] = table["originals"] + table["retweet"]
    return table


def weekly_summary(weekly: pd.DataFrame) -> dict[str, Any]:
    """Mean, SD (n - 1), min and max of weekly totals, and the busiest week."""
    totals = weekly["total"]
    busiest = weekly.loc[totals.idxmax()]
    return {
        "weeks": len(weekly),
        "mean": float(totals.mean()),
        "sd": float(totals.std(ddof=1)) if len(weekly) > 1 else float("nan"),
        "min": int(totals.min()),
        "max": int(totals.max()),
        "busiest_week": int(busiest["week"]),
        "busiest_week_start": busiest["week_start"],
        "busiest_week_originals": int(busiest["originals"]),
        "busiest_week_retweets": int(busiest["retweet"]),
    }


MIN_POINTS = 3  # the fewest points (weeks, posts) a correlation is computed over


def correlation(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray) -> dict[str, float]:
    """Pearson r with df, two-sided p and a 95% CI; Spearman rho and its p alongside.
    Over the pairs where both values are known (``n``); all NaN when fewer than three
    pairs, or one series does not vary."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    known = ~(np.isnan(x) | np.isnan(y))
    x, y = x[known], y[known]
    n = len(x)
    if n < MIN_POINTS or np.std(x) == 0 or np.std(y) == 0:
        nan = float("nan")
        return {
            "n": n,
            "r": nan,
            "df": n - 2,
            "p": nan,
            "ci_low": nan,
            "ci_high": nan,
            "rho": nan,
            "rho_p": nan,
        }
    from scipy import stats  # here: the calibration check imports this module for counts

    pr = stats.pearsonr(x, y)
    ci = pr.confidence_interval(0.95)
    sr = stats.spearmanr(x, y)
    return {
        "n": n,
        "r": float(pr.statistic),
        "df": n - 2,
        "p": float(pr.pvalue),
        "ci_low": float(ci.low),
        "ci_high": float(ci.high),
        "rho": float(sr.statistic),
        "rho_p": float(sr.pvalue),
    }


def leave_one_out(
    x: pd.Series | np.ndarray, y: pd.Series | np.ndarray, labels: pd.Series | np.ndarray
) -> dict[str, Any]:
    """How much Pearson's r of ``x`` and ``y`` rests on any one point: r with each point
    (named by ``labels``) left out in turn, as the lowest and highest of those values
    and where they are (``low``/``low_at``, ``high``/``high_at``; the first label on a
    tie; NaN and None when no leave-one-out r is defined), the first point without which
    r is not defined (``undefined_at``; too few points left, or one series constant),
    and on how many points each series is not zero (``nonzero_x``, ``nonzero_y``).
    From the sums of the points, so exact for counts."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    names = list(labels)
    n = len(x) - 1  # points left
    sx, sy = x.sum() - x, y.sum() - y
    sxx, syy, sxy = (x * x).sum() - x * x, (y * y).sum() - y * y, (x * y).sum() - x * y
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    defined = (vx > 0) & (vy > 0) if n >= MIN_POINTS else np.zeros(len(x), dtype=bool)
    r = np.full(len(x), np.nan)
    r[defined] = (n * sxy - sx * sy)[defined] / np.sqrt(vx[defined] * vy[defined])
    out: dict[str, Any] = {
        "low": float("nan"),
        "low_at": None,
        "high": float("nan"),
        "high_at": None,
        "undefined_at": next((names[i] for i in np.flatnonzero(~defined)), None),
        "nonzero_x": int((x != 0).sum()),
        "nonzero_y": int((y != 0).sum()),
    }
    if defined.any():
        lo, hi = np.nanargmin(r), np.nanargmax(r)  # the first of equal values
        out.update(low=float(r[lo]), low_at=names[lo], high=float(r[hi]), high_at=names[hi])
    return out


def retweets_per_original(posts: pd.DataFrame) -> pd.DataFrame:
    """Each original post (original text or quote) with the number of retweets of it
    in the data (``retweets``) and its author."""
    out = posts.loc[posts["type"] != "retweet", ["post_id", "author_id", "created_at", "type"]]
    counts = posts.loc[posts["type"] == "retweet", "retweeted_post_id"].value_counts()
    out["retweets"] = out["post_id"].map(counts).fillna(0).astype(int)
    return out.reset_index(drop=True)


def potential_reach(posts: pd.DataFrame, users: pd.DataFrame, post_id: str) -> int | None:
    """Sum of the followers of every user who retweeted ``post_id`` (overcounts
    overlapping audiences); None when a retweeter's follower count is unknown."""
    retweeters = posts.loc[
        (posts["type"] == "retweet") & (posts["retweeted_post_id"] == post_id), "author_id"
    ].unique()
    followers = users.set_index("user_id")["followers"].reindex(retweeters)
    if followers.isna().any():
        return None
    return int(followers.sum())


LISTED_MONTHS = 24  # a monthly table longer than this lists only months with posts


def listed_months(monthly: pd.DataFrame, limit: int = LISTED_MONTHS) -> tuple[pd.DataFrame, int]:
    """The rows a monthly table shows, and how many months it leaves out: every month up
    to ``limit`` months, else only the months with posts."""
    if len(monthly) <= limit:
        return monthly, 0
    shown = monthly[monthly["total"] > 0]
    return shown, len(monthly) - len(shown)


def monthly_counts(posts: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Posts per calendar month by type (months with no posts inside the data's span included)."""
    if posts.empty:
        return pd.DataFrame(columns=["month", *POST_TYPES, "originals", "total"])
    month = posts["created_at"].dt.tz_convert(tz).dt.tz_localize(None).dt.to_period("M")
    span = pd.period_range(month.min(), month.max(), freq="M")
    table = (
        pd.crosstab(month, posts["type"])
        .reindex(index=span, columns=list(POST_TYPES), fill_value=0)
        .rename_axis(index="month", columns=None)
        .reset_index()
    )
    table["month"] = table["month"].astype(str)
    table["originals"] = table["original"] + table["quote"]
    table["total"] = table["originals"] + table["retweet"]
    return table


def shares(posts: pd.DataFrame) -> dict[str, float | int]:
    """The paper's headline shares: originals and retweets of all posts, quotes of
    originals, and originals retweeted at least once (in the data)."""
    n = len(posts)
    counts = posts["type"].value_counts()
    originals = int(counts.get("original", 0) + counts.get("quote", 0))
    per = retweets_per_original(posts)
    retweeted = int((per["retweets"] > 0).sum())

    def ratio(a: float, b: float) -> float:
        return a / b if b else float("nan")

    return {
        "posts": n,
        "originals": originals,
        "retweets": int(counts.get("retweet", 0)),
        "quotes": int(counts.get("quote", 0)),
        "originals_retweeted": retweeted,
        "pct_original": ratio(originals, n),
        "pct_retweet": ratio(counts.get("retweet", 0), n),
        "pct_quotes_of_originals": ratio(counts.get("quote", 0), originals),
        "pct_originals_retweeted": ratio(retweeted, originals),
    }


def shares_per_original(posts: pd.DataFrame) -> pd.DataFrame:
    """Every post the archive's shares point to, with how many shares of it the archive
    holds (``retweets``), its author, and whether the post itself was collected
    (``collected``): a share carries its original's author and text, so an original
    outside the archive (before the window, or without the hashtag) still ranks."""
    # Only the columns each step reads (a copy of every column of the shares is, on a
    # large archive, the chapter's largest object).
    is_share = (posts["type"] == "retweet") & posts["retweeted_post_id"].notna()
    shares = posts.loc[is_share, ["retweeted_post_id", "retweeted_author_id"]]
    counts = shares.groupby("retweeted_post_id").agg(
        retweets=("retweeted_post_id", "size"), author_id=("retweeted_author_id", "first")
    )
    out = counts.reset_index().rename(columns={"retweeted_post_id": "post_id"})
    originals = posts.loc[posts["type"] != "retweet", ["post_id", "author_id"]]
    originals = originals.set_index("post_id")["author_id"]
    # (a post's id is unique in the archive; an index lookup is ten times an isin's speed)
    out["collected"] = originals.index.get_indexer(out["post_id"]) >= 0
    out["author_id"] = out["post_id"].map(originals).fillna(out["author_id"])
    return out


def top_shared(
    posts: pd.DataFrame,
    users: pd.DataFrame,
    privacy: Privacy,
    n: int = 10,
    groups: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Table 1: the ``n`` most shared posts (by the shares the data hold, ties by id),
    with what may be shown of each (text, account, bio) under ``privacy``, shares,
    potential reach (the sum of sharers' followers; it overcounts shared audiences; none
    for a deleted post, as in the paper), the
    author's network group from ``groups`` (user id -> group number; none for a
    deleted post, as in the paper) and whether the post itself is in the data
    (``collected``; if not, its text is the one its shares carry)."""
    per = shares_per_original(posts)
    per = per.sort_values(["retweets", "post_id"], ascending=[False, True]).head(n)
    # The texts of the listed posts only: their own, or the one their first share carries.
    listed = posts["post_id"].isin(per["post_id"])
    text = posts.loc[listed, ["post_id", "text"]].set_index("post_id")["text"]
    sharing = (posts["type"] == "retweet") & posts["retweeted_post_id"].isin(per["post_id"])
    carried = (
        posts.loc[sharing, ["retweeted_post_id", "text"]]
        .drop_duplicates("retweeted_post_id")
        .set_index("retweeted_post_id")["text"]
    )
    profile = users.set_index("user_id")
    rows = []
    for rank, row in enumerate(per.itertuples(index=False), 1):
        name = profile["screen_name"].get(row.author_id)
        original = text.get(row.post_id) if row.collected else carried.get(row.post_id)
        shown = privacy.text(row.post_id, row.author_id, name, original or "")
        deleted = shown == DELETED_TEXT
        bio = profile["bio"].get(row.author_id) if privacy.named(name) and not deleted else None
        bio = privacy.mask(bio) if isinstance(bio, str) else bio
        rows.append(
            {
                "rank": rank,
                "post_id": row.post_id,
                "author_id": row.author_id,
                "text": shown if shown is not None else "Not shown: not an allowlisted account",
                "account": "Not available" if deleted else privacy.account(row.author_id, name),
                "bio": bio if bio else ("Bio not available" if deleted else "Not shown"),
                "retweets": int(row.retweets),
                # As the paper: no reach for a deleted post (N/A), though its shares count.
                "reach": None if deleted else potential_reach(posts, users, row.post_id),
                "group": None if deleted or groups is None else groups.get(row.author_id),
                "deleted": deleted,
                "collected": bool(row.collected),
            }
        )
    columns = [
        "rank",
        "post_id",
        "author_id",
        "text",
        "account",
        "bio",
        "retweets",
        "reach",
        "group",
        "deleted",
        "collected",
    ]
    table = pd.DataFrame(rows, columns=columns)
    table["group"] = table["group"].astype("Int64")
    return table


@dataclass(frozen=True)
class Frequency:
    """The frequency chapter's results, computed once by :func:`compute` and read by the
    chapter's text, tables and figure, its saved results and the paper's registry
    (``paper/registry.py``)."""

    first: date
    last: date
    shares: dict[str, Any]
    weekly: pd.DataFrame
    summary: dict[str, Any]
    supporters_busiest: dict[str, Any] | None
    r_weekly: dict[str, float]
    # How much the weekly r rests on one week (leave_one_out over the weeks).
    r_weekly_loo: dict[str, Any]
    r_followers: dict[str, float]
    followers_known: bool
    top: pd.DataFrame
    top_supporters: int
    monthly: pd.DataFrame
    # How many of the most shared posts are by accounts listed as organisations (None:
    # the run declares no account types).
    top_organisations: int | None = None

    def saved(self, platforms: list[str]) -> dict[str, Any]:
        """The chapter's saved results (``results/frequency.json``)."""
        share, summary = self.shares, self.summary
        rw, rf = self.r_weekly, self.r_followers
        return {
            "posts": share["posts"],
            "originals": share["originals"],
            "retweets": share["retweets"],
            "pct_retweet": share["pct_retweet"],
            "pct_originals_retweeted": share["pct_originals_retweeted"],
            "weeks": summary["weeks"],
            "week_mean": summary["mean"],
            "week_sd": summary["sd"],
            "week_max": summary["max"],
            "busiest_week_start": f"{summary['busiest_week_start']:%d %B %Y}"
            if share["posts"]
            else None,
            "r_weekly": rw["r"],
            "r_weekly_low": rw["ci_low"],
            "r_weekly_high": rw["ci_high"],
            "r_weekly_p": rw["p"],
            "r_weekly_loo": self.r_weekly_loo,
            "r_followers": rf["r"],
            "r_followers_low": rf["ci_low"],
            "r_followers_high": rf["ci_high"],
            "r_followers_p": rf["p"],
            "platforms": platforms,
        }


def compute(
    posts: pd.DataFrame,
    profiles: pd.DataFrame,
    start: date | None,
    end: date | None,
    tz: str,
    supporter_ids: set[str] | frozenset[str],
    privacy: Privacy,
    groups: Mapping[str, int] | None = None,
    n_top: int = 10,
    kinds: Mapping[str, str] | None = None,
) -> Frequency:
    """Every result of the frequency chapter, from a run's posts and profiles: weekly
    counts over the window (``start``..``end`` in ``tz``, or the data's days), the
    headline shares, the two correlations, the supporters' busiest week, the most
    shared posts (shown under ``privacy``, with the authors' network ``groups`` and,
    from ``kinds`` (user id -> kind, ``users.kinds_of``; None: no account types), how
    many are by organisations) and the monthly counts."""
    first, last = window_days(posts, start, end, tz)
    weekly = weekly_counts(posts, first, last, tz)
    per_original = retweets_per_original(posts)
    followers = profiles.set_index("user_id")["followers"]
    supporters_weekly = weekly_counts(
        posts.loc[posts["author_id"].isin(supporter_ids), ["created_at", "type"]], first, last, tz
    )
    top = top_shared(posts, profiles, privacy, n=n_top, groups=groups)
    return Frequency(
        first=first,
        last=last,
        shares=shares(posts),
        weekly=weekly,
        summary=weekly_summary(weekly),
        supporters_busiest=weekly_summary(supporters_weekly)
        if supporters_weekly["total"].sum()
        else None,
        r_weekly=correlation(weekly["originals"], weekly["retweet"]),
        r_weekly_loo=leave_one_out(weekly["originals"], weekly["retweet"], weekly["week"]),
        r_followers=correlation(per_original["retweets"], per_original["author_id"].map(followers)),
        followers_known=bool(followers.notna().any()),
        top=top,
        top_supporters=int(top["author_id"].isin(supporter_ids).sum()),
        monthly=monthly_counts(posts, tz),
        top_organisations=None
        if kinds is None
        else int(sum(kinds.get(str(a)) == "organisation" for a in top["author_id"])),
    )
