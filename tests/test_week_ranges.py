"""Any range of weeks: the aggregates the interactive weekly chart embeds, and the
reference summary its browser computation is tested against (test_book.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from datasaveslives.analysis import frequency, week_ranges


def corpus(seed: int, n_posts: int, n_users: int, days: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2020-03-02", tz="UTC")
    # A few busy accounts and many quiet ones, so that the top of a range changes with it.
    weights = 1 / np.arange(1, n_users + 1) ** 1.1
    return pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(n_posts)],
            "author_id": rng.choice(
                [f"9{u:07d}" for u in range(n_users)], n_posts, p=weights / weights.sum()
            ),
            "type": rng.choice(["original", "quote", "retweet"], n_posts, p=[0.3, 0.1, 0.6]),
            "created_at": start + pd.to_timedelta(rng.uniform(0, days * 86400, n_posts), "s"),
        }
    )


def label(user: str) -> str:
    return f"user-{int(user):x}"


def direct(posts: pd.DataFrame, week: pd.Series, lo: int, hi: int, top: int):
    """The range's summary straight from the posts and their weeks (no aggregates)."""
    inside = posts[(week >= lo) & (week <= hi)]
    per = inside.groupby(inside["author_id"].map(label)).size()
    ranked = sorted(per.items(), key=lambda item: (-item[1], item[0]))[:top]
    by_week = pd.crosstab(week[inside.index], inside["type"]).reindex(
        index=range(lo, hi + 1), columns=["original", "quote", "retweet"], fill_value=0
    )
    counts = by_week.sum()
    return (
        {t: int(counts[t]) for t in by_week.columns},
        [(a, int(n)) for a, n in ranked],
        frequency.correlation(by_week["original"] + by_week["quote"], by_week["retweet"]),
    )


@pytest.mark.parametrize(("seed", "days", "top"), [(1, 120, 5), (2, 30, 3), (3, 400, 5)])
def test_every_range_has_the_totals_top_accounts_and_r_of_its_posts(seed, days, top):
    posts = corpus(seed, 1500, 300, days)
    first = date(2020, 3, 2)
    last = first + timedelta(days=days - 1)
    agg = week_ranges.aggregates(posts, first, last, "UTC", label, top=top)
    assert agg.weeks.equals(frequency.weekly_counts(posts, first, last, "UTC"))
    assert agg.accounts == posts["author_id"].nunique()
    assert 0 < len(agg.labels) < agg.accounts  # quiet accounts left out: the rule prunes
    n = len(agg.weeks)
    week = frequency.week_numbers(posts["created_at"], first, last)
    for lo in range(1, n + 1, max(1, n // 15)):
        for hi in range(lo, n + 1, max(1, n // 10)):
            got = week_ranges.summary(agg, lo, hi)
            totals, ranked, r = direct(posts, week, lo, hi, top)
            assert {t: got[t] for t in totals} == totals, (lo, hi)
            assert got["total"] == sum(totals.values())
            assert got["originals"] == totals["original"] + totals["quote"]
            assert got["top"] == ranked, (lo, hi)
            assert got["correlation"]["n"] == r["n"] == hi - lo + 1
            assert got["correlation"]["r"] == pytest.approx(r["r"], nan_ok=True)


def test_the_rule_keeps_every_account_that_tops_some_range_and_ties_at_its_edge():
    # Week 1: a 3, b 2, c 2 (top 2: a, then b by label; c ties with b and is kept);
    # d posts once in week 1 and once in week 2 (total 2, ties the 2nd of week 1: kept);
    # e posts once in week 1 (below the 2nd of week 1: never in any top 2).
    rows = [("a", 1, 3), ("b", 1, 2), ("c", 1, 2), ("d", 1, 1), ("d", 2, 1), ("e", 1, 1)]
    counts = pd.DataFrame(rows, columns=["user", "week", "posts"])
    assert set(week_ranges.candidates(counts, top=2)) == {"a", "b", "c", "d"}
    # A week with fewer active accounts than the top: every one of them can be shown.
    quiet = pd.DataFrame([("x", 1, 1), ("y", 2, 1)], columns=["user", "week", "posts"])
    assert set(week_ranges.candidates(quiet, top=5)) == {"x", "y"}


def test_the_embedded_aggregates_hold_no_user_id_and_no_text():
    posts = corpus(4, 400, 80, 60)
    posts["text"] = [f"secret words {i}" for i in range(len(posts))]
    agg = week_ranges.aggregates(posts, date(2020, 3, 2), date(2020, 4, 30), "UTC", label)
    text = json.dumps(agg.payload("retweets"))
    assert not any(user in text for user in posts["author_id"].unique())
    assert "secret" not in text and "p1" not in text
    assert {label(u) for u in posts["author_id"]} >= set(agg.labels)


def test_a_one_day_window_and_an_empty_one():
    posts = corpus(5, 50, 10, 1)
    day = date(2020, 3, 2)
    agg = week_ranges.aggregates(posts, day, day, "UTC", label)
    one = week_ranges.summary(agg, 1, 1)
    assert one["weeks"] == 1 and one["total"] == 50
    assert np.isnan(one["correlation"]["r"])  # one week: undefined
    none = week_ranges.aggregates(posts.iloc[:0], day, day + timedelta(days=13), "UTC", label)
    empty = week_ranges.summary(none, 1, 2)
    assert (empty["weeks"], empty["total"], empty["top"]) == (2, 0, [])
    assert none.labels == [] and none.activity == [] and none.accounts == 0


def test_only_accounts_shown_in_some_range_are_embedded(monkeypatch):
    posts = corpus(6, 1200, 250, 70)
    first, last = date(2020, 3, 2), date(2020, 5, 10)
    agg = week_ranges.aggregates(posts, first, last, "UTC", label)
    n = len(agg.weeks)
    tops = {a for lo in range(1, n + 1) for hi in range(lo, n + 1)
            for a, _ in week_ranges.summary(agg, lo, hi)["top"]}  # fmt: skip
    assert set(agg.labels) == tops  # every one embedded is shown somewhere, and no other
    # Past the search's limit, the cheap rule's larger set is embedded: the same answers.
    monkeypatch.setattr(week_ranges, "RANGE_SEARCH_LIMIT", 0)
    wide = week_ranges.aggregates(posts, first, last, "UTC", label)
    assert set(wide.labels) > set(agg.labels)
    for lo, hi in [(1, n), (2, 3), (n, n), (1, 4)]:
        same = [json.dumps(week_ranges.summary(x, lo, hi), sort_keys=True) for x in (wide, agg)]
        assert same[0] == same[1]  # (as JSON: an undefined r is NaN in both)
