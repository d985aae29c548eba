"""Frequency tables, Table 1 under the privacy rules, and the paper comparison."""

from __future__ import annotations

import pandas as pd
import pytest
from test_analysis import posts

from datasaveslives.analysis import frequency
from datasaveslives.core import paths
from datasaveslives.paper import comparison
from datasaveslives.privacy import policy
from datasaveslives.report import display


def test_monthly_counts_fill_empty_months():
    p = posts(
        [
            ("1", "2016-09-30 23:00", "a", "original"),
            ("2", "2016-11-01 00:00", "b", "retweet", "1"),
        ]
    )
    m = frequency.monthly_counts(p)
    assert m["month"].tolist() == ["2016-09", "2016-10", "2016-11"]
    assert m["total"].tolist() == [1, 0, 1]
    # A short span lists every month; a long one only the months with posts.
    assert frequency.listed_months(m)[0]["month"].tolist() == ["2016-09", "2016-10", "2016-11"]
    shown, left_out = frequency.listed_months(m, limit=2)
    assert shown["month"].tolist() == ["2016-09", "2016-11"] and left_out == 1


def test_shares_by_hand():
    p = posts(
        [
            ("1", "2016-09-01 10:00", "a", "original"),
            ("2", "2016-09-01 10:00", "a", "quote"),
            ("3", "2016-09-01 11:00", "b", "retweet", "1"),
            ("4", "2016-09-01 12:00", "c", "retweet", "1"),
        ]
    )
    s = frequency.shares(p)
    assert (s["originals"], s["retweets"], s["originals_retweeted"]) == (2, 2, 1)
    assert s["pct_original"] == 0.5 and s["pct_quotes_of_originals"] == 0.5
    assert s["pct_originals_retweeted"] == 0.5


def rules(**kw):
    return policy.Privacy(
        allowlist=frozenset({"orgone"}),
        salt="a-test-salt-of-16+",
        deletions=kw.get("deletions", policy.Deletions()),
        quotable=kw.get("quotable"),
    )


@pytest.fixture
def shared():
    p = posts(
        [
            ("o1", "2016-09-01 10:00", "org", "original"),
            ("o2", "2016-09-01 10:00", "person", "original"),
            ("r1", "2016-09-01 11:00", "x", "retweet", "o1"),
            ("r2", "2016-09-01 11:00", "y", "retweet", "o1"),
            ("r3", "2016-09-01 11:00", "x", "retweet", "o2"),
        ]
    )
    p["text"] = ["Org text #datasaveslives", "Person text #datasaveslives", "", "", ""]
    p["retweeted_author_id"] = [None, None, "org", "org", "person"]
    u = pd.DataFrame(
        {
            "user_id": ["org", "person", "x", "y"],
            "screen_name": ["OrgOne", "someone", "xx", "yy"],
            "bio": ["An organisation", "A person", "", ""],
            "followers": [100, 50, 10, 20],
        }
    )
    return p, u


def test_table1_names_only_allowlisted_accounts(shared):
    p, u = shared
    top = frequency.top_shared(p, u, rules()).set_index("post_id")
    assert top.loc["o1", "account"] == "@OrgOne"
    assert top.loc["o1", "text"] == "Org text #datasaveslives"
    assert top.loc["o1", "bio"] == "An organisation"
    assert top.loc["o1", "reach"] == 30 and top.loc["o1", "rank"] == 1
    assert top.loc["o2", "account"] == policy.pseudonym("person", "a-test-salt-of-16+")
    assert "someone" not in top.to_string() and "Person text" not in top.to_string()


def test_table1_never_quotes_deleted_or_unquotable_posts(shared):
    p, u = shared
    gone = frequency.top_shared(p, u, rules(deletions=policy.Deletions(frozenset({"o1"}))))
    row = gone.set_index("post_id").loc["o1"]
    assert row["text"] == policy.DELETED_TEXT and row["deleted"]
    assert row["account"] == "Not available" and row["retweets"] == 2  # still counted
    assert pd.isna(row["reach"])  # N/A, as in the paper
    kept = frequency.top_shared(p, u, rules()).set_index("post_id").loc["o1"]
    assert kept["reach"] is not None and not pd.isna(kept["reach"])
    generated = frequency.top_shared(p, u, rules(quotable=frozenset()))
    assert generated.set_index("post_id").loc["o1", "text"] == policy.NOT_QUOTED


def test_table1_gives_the_authors_network_group_except_for_deleted_posts(shared):
    p, u = shared
    groups = {"org": 2, "person": 1}
    top = frequency.top_shared(p, u, rules(), groups=groups).set_index("post_id")
    assert top.loc["o1", "group"] == 2 and top.loc["o2", "group"] == 1
    gone = frequency.top_shared(
        p, u, rules(deletions=policy.Deletions(frozenset({"o1"}))), groups=groups
    ).set_index("post_id")
    assert pd.isna(gone.loc["o1", "group"]) and gone.loc["o2", "group"] == 1
    # The book's default run without the network: no group at all.
    assert frequency.top_shared(p, u, rules())["group"].isna().all()


def test_table1_ranks_shared_posts_the_archive_did_not_collect(shared):
    p, u = shared
    # Three shares of a post from before the window: it is not in the data, its shares
    # carry its author and text, and it ranks first, marked as not collected.
    extra = pd.DataFrame(
        {
            "post_id": ["r4", "r5", "r6"],
            "created_at": pd.Timestamp("2016-09-02 10:00", tz="UTC"),
            "author_id": ["x", "y", "person"],
            "type": "retweet",
            "retweeted_post_id": "old",
            "retweeted_author_id": "org",
            "is_reply": False,
            "text": "Old org text #datasaveslives",
        }
    )
    top = frequency.top_shared(pd.concat([p, extra], ignore_index=True), u, rules())
    first = top.iloc[0]
    assert first["post_id"] == "old" and first["retweets"] == 3 and not first["collected"]
    assert first["account"] == "@OrgOne" and first["text"] == "Old org text #datasaveslives"
    assert top.set_index("post_id").loc["o1", "collected"]
    assert top["rank"].tolist() == [1, 2, 3]


def test_pseudonyms_are_stable_and_salted():
    a, b = "a" * 16, "b" * 16
    assert policy.pseudonym("42", a) == policy.pseudonym("42", a)
    assert policy.pseudonym("42", a) != policy.pseudonym("42", b)
    assert policy.pseudonym("42", a).startswith("user-")


def test_comparison_applies_only_to_the_study_on_the_papers_window_and_hashtag():
    paper = str(paths.PAPER_FIGURES)
    assert comparison.applies(paper, "2016-09-01", "2017-08-31", "#DataSavesLives")[0]
    same, why = comparison.applies(paper, "2017-01-01", "2017-06-30", "#datasaveslives")
    assert not same and "2017-01-01 to 2017-06-30" in why
    # Another study (or none) is never compared with the paper, whatever its window.
    same, why = comparison.applies(None, "2016-09-01", "2017-08-31", "#datasaveslives")
    assert not same and "declares no study" in why


def test_comparison_table_marks_tolerance():
    t = comparison.table(
        [("posts", 100, 100, None), ("share", 30.05, 30.04, None), ("r", 0.9, 0.95, {"abs": 0.02})]
    ).set_index("figure")
    assert t["within"].tolist() == ["yes", "no", "no"]
    assert display.number(13895.0) == "13,895" and display.number(0.9265) == "0.926"
    assert display.pvalue(0.0001) == "P<.001" and display.pvalue(0.034) == "P=.034"
