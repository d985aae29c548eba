"""The paper's figures that a run computes, each declared once.

Every published number the chapters compare with this run is declared here: its key in
the paper's record (``data/paper/published_figures.yml``), how the "paper vs this run"
tables name it, the chapter that computes it, the package function that computes it
(one hop from the number to the code), and its tolerance (by name from
``data/paper/calibration.yml``, given here, or none: equal to the paper's printed
precision). The chapters' comparison tables (:func:`row`), the calibration of the
synthetic corpus (``synth/calibration.py``) and the reproduction report all take a
figure's label, target and tolerance from here.

A key may hold ``{name}`` fields for a list's items (``network.table3.{i}.users``); a
label may name them too, and :func:`row` fills them from the key and from its
arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from datasaveslives.paper import comparison


@dataclass(frozen=True)
class Figure:
    """One published figure a run computes."""

    key: str
    label: str
    section: str
    computed_by: str
    tolerance: str | dict[str, float] | None = None

    def tol(self) -> dict[str, float] | None:
        """The tolerance as ``{"abs": x}`` or ``{"rel": x}``; None: equal as printed."""
        if isinstance(self.tolerance, str):
            return comparison.tolerance(self.tolerance)
        return self.tolerance


_F = "analysis.frequency"
_U = "analysis.users"
_N = "analysis.network"

FIGURES: tuple[Figure, ...] = (
    # How often (the frequency chapter).
    Figure("frequency.tweets_total", "Posts", "frequency", f"{_F}.shares"),
    Figure(
        "frequency.original_posts", "Original posts (text and quotes)", "frequency", f"{_F}.shares"
    ),
    Figure("frequency.original_text", "Original text", "frequency", f"{_F}.shares"),
    Figure("frequency.quote_tweets", "Quotes", "frequency", f"{_F}.shares"),
    Figure("frequency.retweets", "Retweets", "frequency", f"{_F}.shares"),
    Figure("frequency.pct_original", "% original", "frequency", f"{_F}.shares"),
    Figure("frequency.pct_retweets", "% retweets", "frequency", f"{_F}.shares"),
    Figure(
        "frequency.pct_quotes_of_original", "% quotes of originals", "frequency", f"{_F}.shares"
    ),
    Figure(
        "frequency.originals_retweeted_at_least_once",
        "Originals retweeted",
        "frequency",
        f"{_F}.shares",
    ),
    Figure(
        "frequency.pct_originals_retweeted_at_least_once",
        "% originals retweeted",
        "frequency",
        f"{_F}.shares",
    ),
    Figure("frequency.weeks", "Weeks", "frequency", f"{_F}.weekly_summary"),
    Figure("frequency.weekly_total_mean", "Weekly mean", "frequency", f"{_F}.weekly_summary"),
    Figure("frequency.weekly_total_sd", "Weekly SD", "frequency", f"{_F}.weekly_summary"),
    Figure("frequency.weekly_total_min", "Weekly minimum", "frequency", f"{_F}.weekly_summary"),
    Figure("frequency.weekly_total_max", "Weekly maximum", "frequency", f"{_F}.weekly_summary"),
    Figure(
        "frequency.peak_week_posts",
        "Busiest week: original posts",
        "frequency",
        f"{_F}.weekly_summary",
    ),
    Figure(
        "frequency.peak_week_retweets",
        "Busiest week: retweets",
        "frequency",
        f"{_F}.weekly_summary",
    ),
    Figure(
        "frequency.official_peak_week_number",
        "Supporters' busiest week (number)",
        "frequency",
        f"{_F}.weekly_summary",
    ),
    Figure(
        "frequency.weekly_posts_vs_retweets_r",
        "Weekly r (posts, retweets)",
        "frequency",
        f"{_F}.correlation",
        "weekly_posts_vs_retweets_r",
    ),
    Figure(
        "frequency.weekly_posts_vs_retweets_df",
        "Weekly r: degrees of freedom",
        "frequency",
        f"{_F}.correlation",
    ),
    Figure(
        "frequency.retweet_count_vs_followers_r",
        "r (retweets, followers)",
        "frequency",
        f"{_F}.correlation",
        "retweet_count_vs_followers_r",
    ),
    Figure(
        "frequency.retweet_count_vs_followers_df",
        "r (retweets, followers): degrees of freedom",
        "frequency",
        f"{_F}.correlation",
    ),
    Figure(
        "frequency.top10_from_official_supporters",
        "Table 1: posts by official supporters",
        "frequency",
        f"{_F}.top_shared",
    ),
    Figure(
        "top_shared_tweets.{i}.retweets",
        "Table 1 rank {rank}: retweets",
        "frequency",
        f"{_F}.top_shared",
    ),
    Figure(
        "top_shared_tweets.{i}.reach",
        "Table 1 rank {rank}: potential reach",
        "frequency",
        f"{_F}.top_shared",
        "potential_reach",
    ),
    # Who (the users chapter).
    Figure("users.unique_users", "Distinct users", "users", f"{_U}.activity_summary"),
    Figure(
        "users.official_supporter_tweets", "Official supporters' posts", "users", f"{_U}.table2"
    ),
    Figure("users.other_tweets", "Others' posts", "users", f"{_U}.table2"),
    Figure(
        "users.pct_tweets_by_official", "% of posts by official supporters", "users", f"{_U}.table2"
    ),
    # 421 / 2722 = 15.466…: the paper prints 15.46 (cut, not rounded), so allow 0.01.
    Figure(
        "users.pct_original_text_by_official",
        "% of original text by official supporters",
        "users",
        f"{_U}.table2",
        {"abs": 0.01},
    ),
    Figure(
        "users.table2.{type}.{column}",
        "Table 2, {label}: {name}",
        "users",
        f"{_U}.table2",
    ),
    # The paper prints 57.5 for 57.45 (rounded twice): compare at its precision.
    Figure(
        "users.official_vs_other_original_text_chi2",
        "χ² (original text vs other)",
        "users",
        f"{_U}.chi_square_original",
        {"abs": 0.05},
    ),
    Figure(
        "users.official_vs_other_original_text_pct.0",
        "% of supporters' posts that are original text",
        "users",
        f"{_U}.chi_square_original",
    ),
    Figure(
        "users.official_vs_other_original_text_pct.1",
        "% of others' posts that are original text",
        "users",
        f"{_U}.chi_square_original",
    ),
    Figure("users.users_tweeting_once", "Users posting once", "users", f"{_U}.activity_summary"),
    Figure(
        "users.pct_users_tweeting_once",
        "% of users posting once",
        "users",
        f"{_U}.activity_summary",
    ),
    Figure(
        "users.users_tweeting_10_or_more",
        "Users posting 10+ times",
        "users",
        f"{_U}.activity_summary",
    ),
    Figure(
        "users.pct_users_tweeting_10_or_more",
        "% of users posting 10+ times",
        "users",
        f"{_U}.activity_summary",
    ),
    Figure(
        "users.tweets_by_users_tweeting_10_or_more",
        "Posts by users posting 10+",
        "users",
        f"{_U}.activity_summary",
    ),
    Figure(
        "users.pct_tweets_by_users_tweeting_10_or_more",
        "% of posts by users posting 10+",
        "users",
        f"{_U}.activity_summary",
    ),
    Figure(
        "users.users_tweeting_100_or_more",
        "Users posting 100+ times",
        "users",
        f"{_U}.activity_summary",
    ),
    Figure(
        "users.official_supporters_among_100_or_more",
        "Official supporters among the 100+",
        "users",
        f"{_U}.posts_per_user",
    ),
    Figure(
        "users.max_tweets_by_one_user", "Most posts by one user", "users", f"{_U}.activity_summary"
    ),
    Figure(
        "users.users_with_hashtag_in_bio",
        "Bios with the hashtag",
        "users",
        f"{_U}.bios_with_hashtag",
    ),
    # How shared (the network chapter).
    Figure("network.nodes", "Users (nodes)", "network", f"{_N}.graph_stats", "network_nodes"),
    Figure("network.edges", "Links (edges)", "network", f"{_N}.graph_stats", "network_edges"),
    # Average degree follows from users and links: it takes the links' tolerance.
    Figure(
        "network.average_degree", "Average degree", "network", f"{_N}.graph_stats", "network_edges"
    ),
    Figure(
        "network.average_path_length",
        "Average path length",
        "network",
        f"{_N}.graph_stats",
        "average_path_length",
    ),
    Figure("network.diameter", "Diameter", "network", f"{_N}.graph_stats", "diameter"),
    Figure("network.communities", "Groups", "network", f"{_N}.louvain", "communities"),
    Figure("network.modularity", "Modularity", "network", f"{_N}.louvain", "modularity"),
    Figure(
        "network.users_in_5_largest",
        "Users in the 5 largest",
        "network",
        f"{_N}.louvain",
        "users_in_5_largest",
    ),
    Figure(
        "network.pct_users_in_5_largest",
        "% of users in the 5 largest",
        "network",
        f"{_N}.louvain",
        "users_in_5_largest",
    ),
    Figure(
        "network.communities_with_5_or_fewer_users",
        "Groups of 5 or fewer",
        "network",
        f"{_N}.louvain",
        "communities_with_5_or_fewer_users",
    ),
    Figure(
        "network.table3.{i}.users",
        "{group}: users",
        "network",
        f"{_N}.louvain",
        "table3_group_size",
    ),
    Figure(
        "network.table3.{i}.pct",
        "{group}: % of users",
        "network",
        f"{_N}.louvain",
        "table3_group_size",
    ),
)


@cache
def _patterns() -> list[tuple[re.Pattern[str], Figure]]:
    out = []
    for figure in FIGURES:
        parts = re.split(r"(\{\w+\})", figure.key)
        pattern = "".join(
            f"(?P<{p[1:-1]}>[^.]+)" if p.startswith("{") else re.escape(p) for p in parts
        )
        out.append((re.compile(pattern + "$"), figure))
    return out


class UnknownFigure(KeyError):
    """A key that the registry does not declare."""


def find(key: str) -> tuple[Figure, dict[str, str]]:
    """The figure declared for ``key``, and the values of its key's fields."""
    for pattern, figure in _patterns():
        match = pattern.match(key)
        if match:
            return figure, match.groupdict()
    raise UnknownFigure(f"no published figure is declared for {key!r} (paper/registry.py)")


def row(key: str, value: Any, **fields: Any) -> comparison.Row:
    """The "paper vs this run" row of the figure at ``key`` with this run's ``value``:
    its label (filled from the key's fields and ``fields``) and tolerance from here."""
    figure, found = find(key)
    return comparison.row(key, figure.label.format(**found, **fields), value, figure.tol())


def of_section(section: str) -> list[Figure]:
    """The figures a chapter computes, in the order declared."""
    return [f for f in FIGURES if f.section == section]
