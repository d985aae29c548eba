"""Unit tests of the analysis modules on small inputs with hand-computed answers."""

from __future__ import annotations

import re
from datetime import date

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from datasaveslives.analysis import frequency, network, users
from datasaveslives.core import tokens
from datasaveslives.report import display, downloads


def posts(rows):
    """rows: (post_id, 'YYYY-MM-DD HH:MM', author, type[, retweeted_post_id])"""
    out = pd.DataFrame(
        [
            {
                "post_id": r[0],
                "created_at": pd.Timestamp(r[1], tz="UTC"),
                "author_id": r[2],
                "type": r[3],
                "retweeted_post_id": r[4] if len(r) > 4 else None,
                "is_reply": False,
            }
            for r in rows
        ]
    )
    return out


def test_weeks_are_anchored_on_the_start_and_the_trailing_part_folded():
    p = posts(
        [
            ("1", "2016-09-01 00:00", "a", "original"),
            ("2", "2016-09-07 23:59", "a", "retweet", "1"),
            ("3", "2016-09-08 00:00", "b", "quote"),
            ("4", "2016-09-15 12:00", "b", "original"),  # day 15: folded into week 2
        ]
    )
    weekly = frequency.weekly_counts(p, date(2016, 9, 1), date(2016, 9, 15))
    assert weekly["week"].tolist() == [1, 2]
    assert weekly["days"].tolist() == [7, 8]
    assert weekly["total"].tolist() == [2, 2]
    assert weekly["originals"].tolist() == [1, 2]
    assert weekly["week_start"].tolist() == [date(2016, 9, 1), date(2016, 9, 8)]


def test_weekly_summary_uses_the_sample_sd():
    weekly = pd.DataFrame(
        {
            "week": [1, 2, 3],
            "week_start": [date(2016, 9, d) for d in (1, 8, 15)],
            "originals": [1, 2, 3],
            "retweet": [1, 2, 9],
            "total": [2, 4, 12],
        }
    )
    s = frequency.weekly_summary(weekly)
    assert s["mean"] == 6 and s["sd"] == pytest.approx(np.sqrt(28))
    assert (s["min"], s["max"], s["busiest_week"], s["busiest_week_retweets"]) == (2, 12, 3, 9)


def test_leave_one_out_gives_r_without_each_point_as_scipy_computes_it():
    """The lowest and highest r with one point left out, where they are, the first point
    without which r is undefined and how many points each series is not zero on."""
    rng = np.random.default_rng(5)
    x = rng.integers(0, 40, 30)
    y = 2 * x + rng.integers(0, 30, 30)
    weeks = np.arange(1, 31)
    loo = frequency.leave_one_out(x, y, weeks)
    each = [stats.pearsonr(np.delete(x, i), np.delete(y, i)).statistic for i in range(30)]
    assert loo["low"] == pytest.approx(min(each), abs=1e-12)
    assert loo["high"] == pytest.approx(max(each), abs=1e-12)
    assert loo["low_at"] == int(np.argmin(each)) + 1 and loo["high_at"] == int(np.argmax(each)) + 1
    assert loo["undefined_at"] is None
    assert (loo["nonzero_x"], loo["nonzero_y"]) == (int((x > 0).sum()), int((y > 0).sum()))
    # Shares in one week only: without it, they do not vary.
    one = frequency.leave_one_out([3, 1, 4, 1, 5], [0, 0, 7, 0, 0], [10, 11, 12, 13, 14])
    assert one["undefined_at"] == 12 and one["nonzero_y"] == 1
    # Three points: two left is too few, so nothing is defined.
    three = frequency.leave_one_out([1, 2, 3], [1, 3, 2], ["a", "b", "c"])
    assert three["undefined_at"] == "a" and three["low_at"] is None and np.isnan(three["low"])


def test_correlation_matches_scipy_and_reports_df_and_ci():
    x = [1, 2, 3, 4, 5, 6]
    y = [2, 1, 4, 3, 7, 8]
    r = frequency.correlation(x, y)
    assert r["r"] == pytest.approx(stats.pearsonr(x, y).statistic)
    assert r["df"] == 4
    assert r["ci_low"] < r["r"] < r["ci_high"]
    assert r["rho"] == pytest.approx(stats.spearmanr(x, y).statistic)
    assert np.isnan(frequency.correlation([1, 1, 1], [1, 2, 3])["r"])


def test_retweets_per_original_and_reach():
    p = posts(
        [
            ("1", "2016-09-01 10:00", "a", "original"),
            ("2", "2016-09-01 11:00", "b", "retweet", "1"),
            ("3", "2016-09-01 12:00", "c", "retweet", "1"),
            ("4", "2016-09-01 13:00", "c", "quote"),
        ]
    )
    per = frequency.retweets_per_original(p).set_index("post_id")["retweets"]
    assert per.to_dict() == {"1": 2, "4": 0}
    u = pd.DataFrame({"user_id": ["a", "b", "c"], "followers": [5, 10, 32]})
    assert frequency.potential_reach(p, u, "1") == 42


def test_activity_summary():
    p = posts(
        [(str(i), "2016-09-01 10:00", "heavy", "retweet", "x") for i in range(12)]
        + [
            ("a", "2016-09-01 10:00", "once", "original"),
            ("b", "2016-09-01 10:00", "two", "quote"),
            ("c", "2016-09-01 10:00", "two", "original"),
        ]
    )
    s = users.activity_summary(users.posts_per_user(p))
    assert (s["users"], s["once"], s["ten_plus"], s["ten_plus_posts"], s["max"]) == (
        3,
        1,
        1,
        12,
        12,
    )
    assert s["users_by_type"] == {"original": 2, "quote": 1, "retweet": 1}


def test_retweet_graph_drops_and_counts_self_retweets_and_merges_directions():
    edges = pd.DataFrame(
        {"retweeter_id": ["a", "b", "a", "c", "c"], "author_id": ["b", "a", "b", "c", "a"]}
    )
    rg = network.retweet_graph(edges)
    assert rg.self_retweets == 1
    assert sorted(rg.graph.edges(data="retweets")) == [("a", "b", 3), ("a", "c", 1)]


def test_graph_stats_on_a_path_and_a_separate_pair():
    g = nx.path_graph(["a", "b", "c", "d"])
    g.add_edge("x", "y")
    s = network.graph_stats(g)
    assert (s["nodes"], s["edges"], s["components"], s["giant_nodes"]) == (6, 4, 2, 4)
    assert s["diameter"] == 3
    assert s["average_path_length"] == pytest.approx(10 / 6)  # path of 4: (1+2+3+1+2+1)/6


def test_louvain_numbers_groups_by_size_and_finds_two_cliques():
    g = nx.Graph()
    g.add_edges_from(nx.complete_graph(["a1", "a2", "a3", "a4", "a5"]).edges)
    g.add_edges_from(nx.complete_graph(["b1", "b2", "b3"]).edges)
    g.add_edge("a1", "b1")
    part = network.louvain(g, seed=1)
    assert part.sizes() == [5, 3]
    assert part.membership()["b2"] == 2
    assert part.modularity == pytest.approx(nx.community.modularity(g, part.groups))


def test_eigenvector_centrality_is_scaled_to_one_at_the_hub():
    cent = network.eigenvector_centrality(nx.star_graph(4))
    assert max(cent.values()) == pytest.approx(1.0)
    assert cent[0] == pytest.approx(1.0) and cent[1] < 1


def test_group_links_shares_and_ratio():
    g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    part = network.Partition([frozenset({"a", "b"}), frozenset({"c", "d"})], 0.0)
    links = network.group_links(g, part)
    row = links.iloc[0]
    assert (row["group_a"], row["group_b"], row["edges"]) == (1, 2, 1)
    assert row["share_of_a"] == 1.0
    # degrees 3 and 3, 2m = 6: expected 1.5 edges between them.
    assert row["ratio"] == pytest.approx(1 / 1.5)


def test_tokenizer_keeps_hashtags_and_hyphens_drops_stop_words_urls_mentions():
    text = "Data and #IforH2017 health-care views @HeRC_Farr https://t.co/x #datasaveslives at 2017"
    assert tokens.tokens(text, exclude=["#datasaveslives"]) == ["data", "#iforh2017", "health-care"]
    assert tokens.top_words(["b a a", "a c"], n=2) == []  # one-letter words are dropped
    assert tokens.top_words(["data data health", "health research"], n=2) == [
        ("data", 2),
        ("health", 2),
    ]


def test_events_in_includes_both_ends_of_the_window():
    from datasaveslives.report import figures

    events = [{"date": "2016-09-01"}, {"date": "2016-09-15"}, {"date": "2016-09-16"}]
    inside = figures.events_in(events, date(2016, 9, 1), date(2016, 9, 15))
    assert [e["date"] for e in inside] == ["2016-09-01", "2016-09-15"]


def test_tables_render_as_html_and_as_escaped_markdown():

    table = display.show(
        pd.DataFrame({"Code": ["A"], "Post": ["50% of #datasaveslives & more_of it, a|b $5"]})
    )
    lines = table._repr_markdown_().splitlines()
    assert lines[:2] == [":::{list-table}", ":header-rows: 1"]
    assert lines[4:6] == ["* - Code", "  - Post"]
    assert lines[7] == "  - 50\\% of \\#datasaveslives & more\\_of it, a\\|b \\$5"
    html = table._repr_html_()
    assert "<table" in html and "row_heading" not in html  # no index column
    # The short column (Code) is kept on one line in the web book; the post may wrap.
    assert re.search(r"td\.col0 \{\s*white-space: nowrap;", html)
    assert "td.col1" not in html
    wide = pd.DataFrame({"n": ["212,478", "1,234,567"], "rank": ["1 (paper's 1)", "N/A"],
                         "label": ["x" * 16, "y"], "bio": ["z" * 17, ""]})  # fmt: skip
    assert display.short_columns(wide) == [0, 1, 2]
    # No rows: a sentence, not a header alone (which stops the PDF's LaTeX writer).
    empty = display.show(pd.DataFrame({"Code": [], "Post": []}))
    assert empty._repr_markdown_() == f"*{display.EMPTY_TABLE}*"
    assert "<table" not in empty._repr_html_() and display.EMPTY_TABLE in empty._repr_html_()


def test_downloads_state_their_precision(tmp_path):

    frame = pd.DataFrame({"share": [1 / 3, 0.1 + 0.2], "n": [1, 2]})
    text = downloads.csv(frame, tmp_path / "t.csv").read_text()
    assert text == "share,n\n0.333333,1\n0.3,2\n"
    assert downloads.rounded(0.30000000000000004) == 0.3 and downloads.DIGITS == 6


def test_table4s_codes_come_from_the_coding_where_a_post_was_coded():
    from datasaveslives.analysis import themes

    originals = pd.DataFrame({"post_id": ["p1", "p2"], "text": ["coded text", "uncoded text"]})
    read = pd.DataFrame({"post_id": ["p1"], "A": [1], "B": [0]})
    suggested = pd.DataFrame({"A": [False, True], "B": [True, True]})
    out = themes.codes_for_texts(
        ["coded text", "uncoded text"], originals, read, ["A", "B"], suggested
    )
    assert out.to_dict("records") == [
        {"A": True, "B": False, "source": themes.CODED},
        {"A": True, "B": True, "source": themes.SUGGESTED},
    ]
    # A text no original carries takes the suggestion.
    missing = themes.codes_for_texts(["elsewhere"], originals, read, ["A", "B"], suggested[:1])
    assert missing.loc[0, "source"] == themes.SUGGESTED


def test_the_weekly_figure_numbers_its_weeks_and_labels_the_busiest_on_their_bars():
    from datasaveslives.report import figures

    assert figures.week_ticks(52) == [1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]
    assert figures.week_ticks(1) == [1] and figures.week_ticks(0) == []
    assert max(figures.week_ticks(300)) <= 300 and len(figures.week_ticks(300)) <= 12
    weekly = pd.DataFrame(
        {
            "week": [1, 2, 3],
            "week_start": [date(2017, 1, 1), date(2017, 1, 8), date(2017, 1, 15)],
            "days": [7, 7, 3],
            "original": [1, 5, 2],
            "quote": [0, 1, 0],
            "retweet": [2, 9, 1],
        }
    )
    weekly["originals"] = weekly["original"] + weekly["quote"]
    weekly["total"] = weekly["originals"] + weekly["retweet"]
    events = [{"date": "2017-01-09"}, {"date": "2017-01-09"}]
    fig = figures.weekly_figure(weekly, events)
    ax = fig.axes[0]
    top = next(a for a in ax.child_axes if a.get_xlabel() == "Week")
    assert [t.get_text() for t in top.get_xticklabels()] == ["1", "2", "3"]
    labels = [t.get_text() for t in ax.texts]
    assert "week 2: 15" in labels and "week 1: 3" in labels
    # Two events on one day are marked on different rows.
    marks = [t for t in ax.texts if t.get_text() in {"1", "2"}]
    assert len({round(m.get_position()[1], 6) for m in marks}) == 2
