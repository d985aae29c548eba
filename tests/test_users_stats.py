"""Users statistics: Table 2, the chi-square of the paper, activity groups, Gini."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from datasaveslives.analysis import users
from datasaveslives.synth import spec


def paper_table2() -> pd.DataFrame:
    """Table 2's published counts, as a table of the shape users.table2 returns."""
    t2 = spec.targets()["users"]["table2"]
    rows = []
    for key, t in (("original_text", "original"), ("quote", "quote"), ("retweet", "retweet")):
        rows.append({"type": t, "supporter": t2[key]["official"], "other": t2[key]["other"]})
    return pd.DataFrame(rows)


def test_chi_square_reproduces_the_papers_57_5():
    res = users.chi_square_original(paper_table2())
    # R: chisq.test(matrix(c(421, 2301, 1152, 10021), 2)) gives X-squared = 57.448
    assert res["chi2"] == pytest.approx(57.448, abs=0.001)
    # 57.45 to two decimals; the paper prints 57.5 (57.45 rounded again).
    assert round(res["chi2"], 2) == 57.45
    assert res["df"] == 1 and res["p"] < 0.001
    assert res["share_supporter"] == pytest.approx(0.2676, abs=5e-5)
    assert res["share_other"] == pytest.approx(0.1867, abs=5e-5)
    # Expected count of supporters' original text: 1573 * 2722 / 13895.
    assert res["expected"][0, 0] == pytest.approx(1573 * 2722 / 13895)
    assert res["cramers_v"] == pytest.approx(np.sqrt(57.448 / 13895), abs=1e-4)


def test_chi_square_by_hand_without_correction_terms():
    # 2x2 [[10, 10], [20, 60]]: expected [[6, 14], [24, 56]]; Yates:
    # sum((|O-E| - 0.5)^2 / E) = 3.5^2 * (1/6 + 1/14 + 1/24 + 1/56)
    table = pd.DataFrame(
        [
            {"type": "original", "supporter": 10, "other": 20},
            {"type": "quote", "supporter": 10, "other": 60},
            {"type": "retweet", "supporter": 0, "other": 0},
        ]
    )
    res = users.chi_square_original(table)
    assert res["chi2"] == pytest.approx(3.5**2 * (1 / 6 + 1 / 14 + 1 / 24 + 1 / 56))


def test_table2_shares_and_distinct_users():
    posts = pd.DataFrame(
        {
            "author_id": ["s", "s", "o1", "o1", "o2"],
            "type": ["original", "retweet", "retweet", "quote", "retweet"],
        }
    )
    t = users.table2(posts, {"s"}).set_index("type")
    assert t.loc["retweet", ["supporter", "other", "total", "distinct_users"]].tolist() == [
        1,
        2,
        3,
        3,
    ]
    assert t.loc["original", "supporter_share"] == 0.5
    assert t.loc["retweet", "other_share"] == pytest.approx(2 / 3)
    assert t["distinct_users"].sum() > posts["author_id"].nunique()  # overlap, as the caption says


def test_activity_groups_medians_and_kruskal():
    per_user = pd.DataFrame({"user_id": list("abcdef"), "total": [1, 1, 3, 5, 12, 150]})
    profiles = pd.DataFrame(
        {
            "user_id": list("abcdef"),
            "followers": [10, 30, 100, 300, 1000, 5000],
            "friends": [1, 2, 3, 4, 5, 6],
            "statuses": [5, 5, 5, 5, 5, 5],
        }
    )
    table, test = users.activity_groups(per_user, profiles)
    assert table["posts_per_user"].tolist() == ["1", "2-9", "10-99", "100+"]
    assert table["users"].tolist() == [2, 2, 1, 1]
    assert table["posts"].tolist() == [2, 8, 12, 150]
    assert table.loc[0, "followers_median"] == 20
    assert table.loc[1, "followers_q1"] == 150 and table.loc[1, "followers_q3"] == 250
    assert test["df"] == 3 and 0 < test["p"] < 1


def test_gini_of_equal_and_concentrated_activity():
    _, _, g_equal = users.lorenz(pd.Series([5, 5, 5, 5]))
    assert g_equal == pytest.approx(0.0)
    pop, cum, g = users.lorenz(pd.Series([0, 0, 0, 10]))
    assert g == pytest.approx(0.75)  # (n-1)/n for one user holding everything
    assert cum[-1] == 1.0 and pop[0] == 0.0


def test_the_chapters_cross_tabulation_gives_table2s_counts():
    """The users chapter shows Table 2 as a pandas cross-tabulation of post type by
    supporter status: it must give the counts users.table2 computes."""
    posts = pd.DataFrame(
        {
            "post_id": ["1", "2", "3", "4", "5"],
            "author_id": ["s", "s", "o", "o", "p"],
            "type": ["original", "retweet", "original", "quote", "retweet"],
        }
    )
    table = users.table2(posts, {"s"}).set_index("type")
    author = posts["author_id"].isin({"s"}).map({True: "supporter", False: "other"})
    shown = pd.crosstab(posts["type"], author.rename("author"))
    for kind in ("original", "quote", "retweet"):
        assert shown.loc[kind, "supporter"] == table.loc[kind, "supporter"]
        assert shown.loc[kind, "other"] == table.loc[kind, "other"]
