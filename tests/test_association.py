"""The users chapter's tests beyond Table 2's 2×2: the whole table, the size of the
difference with its intervals, and the test with posts clustered by account."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from datasaveslives.analysis import association, users

NAN = float("nan")


def _table2(sup: tuple[int, int, int], other: tuple[int, int, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"type": ["original", "quote", "retweet"], "supporter": list(sup), "other": list(other)}
    )


def test_the_whole_table_is_tested_without_continuity_correction():
    # The paper's Table 2 (original text, quotes, retweets by supporters and others).
    observed = np.array([[421, 2301], [243, 1210], [909, 8811]], dtype=float)
    t = association.types_test(_table2((421, 243, 909), (2301, 1210, 8811)))
    expected = observed.sum(1, keepdims=True) * observed.sum(0) / observed.sum()
    by_hand = float(((observed - expected) ** 2 / expected).sum())
    assert t["df"] == 2
    assert t["chi2"] == pytest.approx(by_hand)
    assert t["chi2"] == pytest.approx(126.39, abs=0.01)
    assert t["cramers_v"] == pytest.approx(math.sqrt(by_hand / observed.sum()))
    assert math.isnan(association.types_test(_table2((0, 0, 0), (5, 3, 2)))["chi2"])
    # A type nobody used is left out, not tested as zeros.
    assert association.types_test(_table2((4, 0, 6), (10, 0, 30)))["df"] == 1


def test_the_difference_has_newcombes_interval_and_the_ratio_its_log_interval():
    # The paper's counts: 421 of 1,573 supporters' posts, 2,301 of 12,322 others'.
    d = association.share_difference(np.array([[421, 1152], [2301, 10021]]))
    assert d["difference"] == pytest.approx(0.0809, abs=1e-4)
    # Newcombe's hybrid score interval (method 10 of his paper), by hand: 5.85 to 10.43.
    assert (d["difference_low"], d["difference_high"]) == pytest.approx((0.0585, 0.1043), abs=1e-4)
    assert d["ratio"] == pytest.approx(1.433, abs=1e-3)
    se = math.sqrt(1 / 421 - 1 / 1573 + 1 / 2301 - 1 / 12322)  # Katz's log interval
    assert d["ratio_low"] == pytest.approx(d["ratio"] * math.exp(-1.959964 * se), rel=1e-6)
    h = 2 * math.asin(math.sqrt(421 / 1573)) - 2 * math.asin(math.sqrt(2301 / 12322))
    assert d["cohens_h"] == pytest.approx(h)
    none = association.share_difference(np.array([[0, 10], [5, 5]]))
    assert none["difference"] == -0.5 and math.isnan(none["ratio"])
    assert "why" in association.share_difference(np.array([[0, 0], [5, 5]]))


def _posts(rng: np.random.Generator, accounts: int, per: int, p: float, prefix: str):
    rows = []
    for a in range(accounts):
        share = min(max(rng.normal(p, 0.15), 0.01), 0.99)  # accounts differ
        for _ in range(per):
            rows.append(
                {
                    "author_id": f"{prefix}{a}",
                    "type": "original" if rng.random() < share else "retweet",
                }
            )
    return rows


def test_clustering_by_account_widens_the_interval_and_matches_statsmodels():
    rng = np.random.default_rng(3)
    posts = pd.DataFrame(_posts(rng, 40, 30, 0.35, "s") + _posts(rng, 200, 10, 0.25, "o"))
    ids = {f"s{a}" for a in range(40)}
    c = association.clustered(posts, ids)
    assert c["accounts_supporter"] == 40 and c["accounts_other"] == 200 and not c["few"]
    y = posts["type"].eq("original").astype(float)
    x = sm.add_constant(posts["author_id"].isin(ids).astype(float))
    naive = sm.GLM(y, x, family=sm.families.Binomial()).fit()
    assert c["odds_ratio"] == pytest.approx(float(np.exp(naive.params.iloc[1])))
    # Accounts differ, so clustering widens the interval.
    assert c["or_high"] / c["or_low"] > float(
        np.exp(naive.conf_int().iloc[1]).pipe(lambda b: b.iloc[1] / b.iloc[0])
    )


@pytest.mark.parametrize(
    ("ids", "why"),
    [
        (set(), "no supporter posted"),
        ({"a", "b", "c"}, "only supporters posted"),
        ({"a"}, "one group is a single account"),
    ],
)
def test_the_clustered_test_says_when_it_cannot_be_made(ids, why):
    posts = pd.DataFrame({"author_id": list("aabbcc"), "type": ["original", "retweet"] * 3})
    c = association.clustered(posts, ids)
    assert c["why"] == why and math.isnan(c["odds_ratio"])


def test_a_group_whose_posts_are_all_one_kind_has_no_odds_ratio():
    posts = pd.DataFrame(
        {"author_id": list("aabbccdd"), "type": ["original"] * 4 + ["original", "retweet"] * 2}
    )
    c = association.clustered(posts, {"a", "b"})
    assert c["why"] == "one group's posts are all of one kind"


def test_effect_sizes_are_read_by_cohens_convention():
    assert users.effect_size_label(0.19) == "smaller than Cohen's 'small' (0.2)"
    assert users.effect_size_label(-0.3) == "small by Cohen's convention"
    assert users.effect_size_label(0.6) == "medium by Cohen's convention"
    assert users.effect_size_label(0.9) == "large by Cohen's convention"
    assert users.effect_size_label(NAN) == "not defined"
