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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from datasaveslives.core import tokens
from datasaveslives.paper import comparison, matching


@dataclass(frozen=True)
class Figure:
    """One published figure a run computes."""

    key: str
    label: str
    section: str
    computed_by: str
    # The name of its tolerance in ``data/paper/calibration.yml``; None: equal as printed.
    tolerance: str | None = None
    # From the chapter's result (e.g. analysis.users.Users) to this run's value; for a
    # key with fields, to (fields, value) pairs, one per item. None: the chapter
    # compares the figure itself.
    measure: Callable[[Any], Any] | None = None
    # CALIBRATED (the synthetic corpus's generator or its seed search reads it) or
    # HELD_OUT (neither reads it: the corpus must reproduce it unaided).
    basis: str = "calibrated"

    def measured(self, result: Any) -> list[tuple[str, Any, dict[str, Any]]]:
        """(key, value, fields) of this figure on a chapter's ``result``."""
        assert self.measure is not None, self.key
        if "{" not in self.key:
            return [(self.key, self.measure(result), {})]
        return [(self.key.format(**f), value, f) for f, value in self.measure(result)]

    def tol(self) -> dict[str, float] | None:
        """The tolerance as ``{"abs": x}`` or ``{"rel": x}``; None: equal as printed."""
        return comparison.tolerance(self.tolerance) if self.tolerance else None

    @property
    def held_out(self) -> bool:
        return self.basis == HELD_OUT


CALIBRATED = "calibrated"
HELD_OUT = "held-out"
# What each basis means, as the reproduction report says it.
BASES: dict[str, str] = {
    CALIBRATED: (
        "a target of the synthetic corpus: its generator (datasaveslives/synth) or the "
        "search that chose its seed reads the paper's value, or the figure follows "
        "arithmetically from ones they read. Agreement shows that the code computes what "
        "the paper computed, not that the corpus earned it"
    ),
    HELD_OUT: (
        "neither the generator nor the seed search can read the paper's value "
        "(synth.spec.targets() leaves it out, and a test checks that), so the corpus "
        "reproduces it, or misses it, unaided"
    ),
}


def _supporters_busiest_week(result: Any) -> float:
    busiest = result.supporters_busiest
    return busiest["busiest_week"] if busiest is not None else float("nan")


def _top_shared(top: Any, column: str) -> Iterator[tuple[dict[str, Any], Any]]:
    """Table 1's ``column`` for each rank the paper published (the reach only where the
    paper gives it: not for deleted posts)."""
    for i, got in enumerate(top.head(len(comparison.paper()["top_shared_tweets"])).itertuples()):
        if column == "reach" and comparison.published(f"top_shared_tweets.{i}.reach") is None:
            continue
        yield {"i": str(i), "rank": got.rank}, getattr(got, column)


def _matched(result: Any) -> Iterator[tuple[int, dict[str, Any], int, str]]:
    """Each Table 3 group the paper published that matches one of this run's (by the
    accounts the paper placed, matching.paper_groups): its position in the paper's
    table, its row, this run's group (index, largest first) and a label naming both."""
    matched = matching.match_table3(result.partition, result.names)
    for i, paper_group in enumerate(comparison.paper()["network"]["table3"]):
        if paper_group["group"] in matched:
            idx = matched[paper_group["group"]]
            yield i, paper_group, idx, f"Table 3 group {paper_group['group']} (here {idx + 1})"


def _table3(result: Any, pct: bool) -> Iterator[tuple[dict[str, Any], Any]]:
    """Table 3's group sizes (users, or % of the network's users), in matched groups."""
    for i, _, idx, label in _matched(result):
        users = len(result.partition.groups[idx])
        value = comparison.pct(users, result.stats["nodes"]) if pct else users
        yield {"i": str(i), "group": label}, value


def _table3_words(result: Any, source: str) -> Iterator[tuple[dict[str, Any], Any]]:
    """How often each of Table 3's top words (``source``: ``bio_words`` or
    ``tweet_words``) occurs in the matched group's bios or original posts, counted by
    this run's tokenizer; a word the tokenizer does not keep as itself (a stop word,
    such as "views") is not compared."""
    for i, paper_group, idx, label in _matched(result):
        if idx >= len(result.words):
            continue
        counts = result.words[idx].bio if source == "bio_words" else result.words[idx].post
        for word in paper_group[source]:
            if tokens.counted(str(word)):
                yield {"i": str(i), "word": str(word), "group": label}, counts.get(str(word), 0)


def _centralities(result: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    """The eigenvector centrality (most central account 1, as Gephi reports it) of each
    account Table 3 lists as most influential, wherever it is in this run's network; an
    account not in the network is not compared."""
    ids = {str(name).casefold(): uid for uid, name in result.names.items()}
    for i, paper_group in enumerate(comparison.paper()["network"]["table3"]):
        for account in paper_group["influential"]:
            uid = ids.get(str(account).casefold())
            if uid is not None and uid in result.centrality:
                fields = {"i": str(i), "account": account, "group": paper_group["group"]}
                yield fields, round(result.centrality[uid], 2)


def _table4(codes: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    """The codes this run gives Table 4's posts (``codes``: one row per post, in the
    paper's order, a boolean column per code and the ``source`` of the row, from
    ``analysis.themes.codes_for_texts``), as the paper's 1 or 0."""
    for i, example in enumerate(comparison.paper()["themes"]["table4_examples"]):
        if i >= len(codes):
            break
        source = codes.iloc[i]["source"] if "source" in codes else "assistive coder"
        for code in ("A", "B", "C", "D"):
            if code in example and code in codes:
                fields = {
                    "i": str(i),
                    "code": code,
                    "n": i + 1,
                    "user": example.get("user"),
                    "source": source,
                }
                yield fields, int(bool(codes.iloc[i][code]))


def _table2(table: Any) -> Iterator[tuple[dict[str, str], int]]:
    """Table 2's counts by post type and column, as the paper's record keys them."""
    by_type = table.set_index("type")
    for key, label in (("original_text", "original"), ("quote", "quote"), ("retweet", "retweet")):
        for column, name in (
            ("official", "supporter"),
            ("other", "other"),
            ("total", "total"),
            ("unique_users", "distinct_users"),
        ):
            fields = {"type": key, "column": column, "label": label, "name": name.replace("_", " ")}
            yield fields, int(by_type.loc[label, name])


_F = "analysis.frequency"
_U = "analysis.users"
_N = "analysis.network"

FIGURES: tuple[Figure, ...] = (
    # How often (the frequency chapter): measured on its result, analysis.frequency.compute.
    Figure(
        "frequency.tweets_total",
        "Posts",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: r.shares["posts"],
    ),
    Figure(
        "frequency.original_posts",
        "Original posts (text and quotes)",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: r.shares["originals"],
    ),
    Figure(
        "frequency.original_text",
        "Original text",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: r.shares["originals"] - r.shares["quotes"],
    ),
    Figure(
        "frequency.quote_tweets",
        "Quotes",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: r.shares["quotes"],
    ),
    Figure(
        "frequency.retweets",
        "Retweets",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: r.shares["retweets"],
    ),
    Figure(
        "frequency.pct_original",
        "% original",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: comparison.pct(r.shares["pct_original"], 1),
    ),
    Figure(
        "frequency.pct_retweets",
        "% retweets",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: comparison.pct(r.shares["pct_retweet"], 1),
    ),
    Figure(
        "frequency.pct_quotes_of_original",
        "% quotes of originals",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: comparison.pct(r.shares["pct_quotes_of_originals"], 1),
    ),
    Figure(
        "frequency.originals_retweeted_at_least_once",
        "Originals retweeted",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: r.shares["originals_retweeted"],
    ),
    Figure(
        "frequency.pct_originals_retweeted_at_least_once",
        "% originals retweeted",
        "frequency",
        f"{_F}.shares",
        measure=lambda r: comparison.pct(r.shares["pct_originals_retweeted"], 1),
    ),
    Figure(
        "frequency.weeks",
        "Weeks",
        "frequency",
        f"{_F}.weekly_summary",
        measure=lambda r: r.summary["weeks"],
    ),
    Figure(
        "frequency.weekly_total_mean",
        "Weekly mean",
        "frequency",
        f"{_F}.weekly_summary",
        measure=lambda r: round(r.summary["mean"], 2),
    ),
    Figure(
        "frequency.weekly_total_sd",
        "Weekly SD",
        "frequency",
        f"{_F}.weekly_summary",
        measure=lambda r: round(r.summary["sd"], 2),
    ),
    Figure(
        "frequency.weekly_total_min",
        "Weekly minimum",
        "frequency",
        f"{_F}.weekly_summary",
        measure=lambda r: r.summary["min"],
    ),
    Figure(
        "frequency.weekly_total_max",
        "Weekly maximum",
        "frequency",
        f"{_F}.weekly_summary",
        measure=lambda r: r.summary["max"],
    ),
    Figure(
        "frequency.peak_week_posts",
        "Busiest week: original posts",
        "frequency",
        f"{_F}.weekly_summary",
        measure=lambda r: r.summary["busiest_week_originals"],
    ),
    Figure(
        "frequency.peak_week_retweets",
        "Busiest week: retweets",
        "frequency",
        f"{_F}.weekly_summary",
        measure=lambda r: r.summary["busiest_week_retweets"],
    ),
    Figure(
        "frequency.official_peak_week_number",
        "Supporters' busiest week (number)",
        "frequency",
        f"{_F}.weekly_summary",
        measure=_supporters_busiest_week,
    ),
    Figure(
        "frequency.weekly_posts_vs_retweets_r",
        "Weekly r (posts, retweets)",
        "frequency",
        f"{_F}.correlation",
        "weekly_posts_vs_retweets_r",
        measure=lambda r: round(r.r_weekly["r"], 3),
    ),
    Figure(
        "frequency.weekly_posts_vs_retweets_df",
        "Weekly r: degrees of freedom",
        "frequency",
        f"{_F}.correlation",
        measure=lambda r: r.r_weekly["df"],
    ),
    Figure(
        "frequency.retweet_count_vs_followers_r",
        "r (retweets, followers)",
        "frequency",
        f"{_F}.correlation",
        "retweet_count_vs_followers_r",
        measure=lambda r: round(r.r_followers["r"], 3),
    ),
    Figure(
        "frequency.retweet_count_vs_followers_df",
        "r (retweets, followers): degrees of freedom",
        "frequency",
        f"{_F}.correlation",
        measure=lambda r: r.r_followers["df"],
    ),
    Figure(
        "frequency.top10_from_official_supporters",
        "Table 1: posts by official supporters",
        "frequency",
        f"{_F}.top_shared",
        measure=lambda r: r.top_supporters,
    ),
    Figure(
        "frequency.top10_from_organisations",
        "Table 1: posts by organisations",
        "frequency",
        f"{_F}.compute",
        measure=lambda r: r.top_organisations,
    ),
    Figure(
        "top_shared_tweets.{i}.retweets",
        "Table 1 rank {rank}: retweets",
        "frequency",
        f"{_F}.top_shared",
        measure=lambda r: _top_shared(r.top, "retweets"),
    ),
    Figure(
        "top_shared_tweets.{i}.reach",
        "Table 1 rank {rank}: potential reach",
        "frequency",
        f"{_F}.top_shared",
        "potential_reach",
        measure=lambda r: _top_shared(r.top, "reach"),
    ),
    # Who (the users chapter): measured on its result, analysis.users.compute.
    Figure(
        "users.unique_users",
        "Distinct users",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: r.activity["users"],
    ),
    Figure(
        "users.official_supporter_tweets",
        "Official supporters' posts",
        "users",
        f"{_U}.table2",
        measure=lambda r: r.supporter_posts,
    ),
    Figure(
        "users.other_tweets",
        "Others' posts",
        "users",
        f"{_U}.table2",
        measure=lambda r: r.posts - r.supporter_posts,
    ),
    Figure(
        "users.pct_tweets_by_official",
        "% of posts by official supporters",
        "users",
        f"{_U}.table2",
        measure=lambda r: comparison.pct(r.supporter_posts, r.posts),
    ),
    # 421 / 2722 = 15.466…: the paper prints 15.46 (cut, not rounded), so allow 0.01.
    Figure(
        "users.pct_original_text_by_official",
        "% of original text by official supporters",
        "users",
        f"{_U}.table2",
        "printed_truncated",
        measure=lambda r: comparison.pct(r.originals["supporter"], r.originals["total"]),
    ),
    Figure(
        "users.table2.{type}.{column}",
        "Table 2, {label}: {name}",
        "users",
        f"{_U}.table2",
        measure=lambda r: _table2(r.table2),
    ),
    # The paper prints 57.5 for 57.45 (rounded twice): compare at its precision.
    Figure(
        "users.official_vs_other_original_text_chi2",
        "χ² (original text vs other)",
        "users",
        f"{_U}.chi_square_original",
        "printed_rounded_twice",
        measure=lambda r: round(r.chi["chi2"], 2),
    ),
    Figure(
        "users.official_vs_other_original_text_pct.0",
        "% of supporters' posts that are original text",
        "users",
        f"{_U}.chi_square_original",
        measure=lambda r: comparison.pct(r.chi.get("share_supporter", float("nan")), 1),
    ),
    Figure(
        "users.official_vs_other_original_text_pct.1",
        "% of others' posts that are original text",
        "users",
        f"{_U}.chi_square_original",
        measure=lambda r: comparison.pct(r.chi.get("share_other", float("nan")), 1),
    ),
    Figure(
        "users.users_tweeting_once",
        "Users posting once",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: r.activity["once"],
    ),
    Figure(
        "users.pct_users_tweeting_once",
        "% of users posting once",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: comparison.pct(r.activity["once"], r.activity["users"]),
    ),
    Figure(
        "users.users_tweeting_10_or_more",
        "Users posting 10+ times",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: r.activity["ten_plus"],
    ),
    Figure(
        "users.pct_users_tweeting_10_or_more",
        "% of users posting 10+ times",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: comparison.pct(r.activity["ten_plus"], r.activity["users"]),
    ),
    Figure(
        "users.tweets_by_users_tweeting_10_or_more",
        "Posts by users posting 10+",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: r.activity["ten_plus_posts"],
    ),
    Figure(
        "users.pct_tweets_by_users_tweeting_10_or_more",
        "% of posts by users posting 10+",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: comparison.pct(r.activity["ten_plus_posts"], r.posts),
    ),
    Figure(
        "users.users_tweeting_100_or_more",
        "Users posting 100+ times",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: r.activity["hundred_plus"],
    ),
    Figure(
        "users.official_supporters_among_100_or_more",
        "Official supporters among the 100+",
        "users",
        f"{_U}.posts_per_user",
        measure=lambda r: r.heavy_supporters,
    ),
    Figure(
        "users.group_accounts_among_100_or_more",
        "Organisations among the 100+",
        "users",
        f"{_U}.kinds_of",
        measure=lambda r: r.heavy_organisations,
    ),
    Figure(
        "users.patient_advocate_tweets",
        "Posts by the most active patient advocate",
        "users",
        f"{_U}.kinds_of",
        measure=lambda r: r.advocate_posts,
    ),
    Figure(
        "users.max_tweets_by_one_user",
        "Most posts by one user",
        "users",
        f"{_U}.activity_summary",
        measure=lambda r: r.activity["max"],
    ),
    Figure(
        "users.users_with_hashtag_in_bio",
        "Bios with the hashtag",
        "users",
        f"{_U}.bios_with_hashtag",
        measure=lambda r: r.in_bio,
    ),
    # How shared (the network chapter): measured on its result, analysis.network.compute.
    Figure(
        "network.nodes",
        "Users (nodes)",
        "network",
        f"{_N}.graph_stats",
        "network_nodes",
        measure=lambda r: r.stats["nodes"],
    ),
    Figure(
        "network.edges",
        "Links (edges)",
        "network",
        f"{_N}.graph_stats",
        "network_edges",
        measure=lambda r: r.stats["edges"],
    ),
    # Average degree follows from users and links: it takes the links' tolerance.
    Figure(
        "network.average_degree",
        "Average degree",
        "network",
        f"{_N}.graph_stats",
        "network_edges",
        measure=lambda r: round(r.stats["average_degree"], 2),
    ),
    Figure(
        "network.average_path_length",
        "Average path length",
        "network",
        f"{_N}.graph_stats",
        "average_path_length",
        measure=lambda r: round(r.stats["average_path_length"], 2),
        basis=HELD_OUT,
    ),
    Figure(
        "network.diameter",
        "Diameter",
        "network",
        f"{_N}.graph_stats",
        "diameter",
        measure=lambda r: r.stats["diameter"],
        basis=HELD_OUT,
    ),
    Figure(
        "network.communities",
        "Groups",
        "network",
        f"{_N}.louvain",
        "communities",
        measure=lambda r: len(r.sizes),
        basis=HELD_OUT,
    ),
    Figure(
        "network.modularity",
        "Modularity",
        "network",
        f"{_N}.louvain",
        "modularity",
        measure=lambda r: round(r.partition.modularity, 3),
        basis=HELD_OUT,
    ),
    Figure(
        "network.users_in_5_largest",
        "Users in the 5 largest",
        "network",
        f"{_N}.louvain",
        "users_in_5_largest",
        measure=lambda r: r.top5,
    ),
    Figure(
        "network.pct_users_in_5_largest",
        "% of users in the 5 largest",
        "network",
        f"{_N}.louvain",
        "users_in_5_largest",
        measure=lambda r: comparison.pct(r.top5, r.stats["nodes"]),
    ),
    Figure(
        "network.communities_with_5_or_fewer_users",
        "Groups of 5 or fewer",
        "network",
        f"{_N}.louvain",
        "communities_with_5_or_fewer_users",
        measure=lambda r: r.small_groups,
        basis=HELD_OUT,
    ),
    Figure(
        "network.table3.{i}.users",
        "{group}: users",
        "network",
        f"{_N}.louvain",
        "table3_group_size",
        measure=lambda r: _table3(r, pct=False),
    ),
    Figure(
        "network.table3.{i}.pct",
        "{group}: % of users",
        "network",
        f"{_N}.louvain",
        "table3_group_size",
        measure=lambda r: _table3(r, pct=True),
    ),
    Figure(
        "network.table3.{i}.influential.{account}",
        "Table 3 group {group}: centrality of @{account}",
        "network",
        f"{_N}.eigenvector_centrality",
        "table3_centrality",
        measure=_centralities,
        basis=HELD_OUT,
    ),
    Figure(
        "network.table3.{i}.bio_words.{word}",
        "{group}: '{word}' in bios",
        "network",
        f"{_N}.group_words",
        "table3_word_count",
        measure=lambda r: _table3_words(r, "bio_words"),
    ),
    Figure(
        "network.table3.{i}.tweet_words.{word}",
        "{group}: '{word}' in original posts",
        "network",
        f"{_N}.group_words",
        "table3_word_count",
        measure=lambda r: _table3_words(r, "tweet_words"),
    ),
    # What about (the themes chapter): this run's codes for Table 4's posts, the
    # coding's where a post was coded, else the assistive coder's suggestion.
    Figure(
        "themes.table4_examples.{i}.{code}",
        "Table 4 post {n} (@{user}; {source}): code {code}",
        "themes",
        "analysis.themes.codes_for_texts",
        measure=_table4,
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
    return comparison.row(key, figure.label.format(**{**found, **fields}), value, figure.tol())


def table(section: str, result: Any) -> pd.DataFrame:
    """A chapter's "paper vs this run" table (``comparison.table``), each row with its
    basis (calibrated or held-out) and the name of its tolerance."""
    out = comparison.table(rows(section, result))
    found = [find(k)[0] for k in out["key"]]
    return out.assign(
        basis=[f.basis for f in found], tolerance_name=[f.tolerance or "" for f in found]
    )


def declared(section: str) -> int:
    """How many published numbers the registry declares for ``section`` (compared when a
    run computes them)."""
    mine = [pattern for pattern, figure in _patterns() if figure.section == section]
    return sum(any(p.match(k) for p in mine) for k in comparison.published_numbers())


def held_out_keys() -> set[str]:
    """Every published number the generator and the seed search must not read."""
    held = [pattern for pattern, figure in _patterns() if figure.held_out]
    return {k for k in comparison.published_numbers() if any(p.match(k) for p in held)}


def tolerances_used() -> pd.DataFrame:
    """Each tolerance the registry names (and "equal"), with its size and its source."""
    names = sorted({f.tolerance for f in FIGURES if f.tolerance})
    rows_ = [
        {
            "tolerance": "equal",
            "size": "equal as printed",
            "source": comparison.tolerance_source(None),
        }
    ]
    for name in names:
        size = comparison.tolerance_label(comparison.tolerance(name))
        rows_.append({"tolerance": name, "size": size, "source": comparison.tolerance_source(name)})
    return pd.DataFrame(rows_, columns=["tolerance", "size", "source"])


def measured(section: str, result: Any) -> list[tuple[str, Any, dict[str, Any]]]:
    """(key, value, fields) of every figure of ``section`` measured on its ``result``,
    in the order declared; a figure this run cannot compute (None: no account types
    declared, no patient advocate listed) is left out, and the report lists it as not
    compared."""
    return [
        m for f in of_section(section) if f.measure for m in f.measured(result) if m[1] is not None
    ]


def rows(section: str, result: Any) -> list[comparison.Row]:
    """The "paper vs this run" rows of a chapter's ``result``."""
    return [row(key, value, **fields) for key, value, fields in measured(section, result)]


def of_section(section: str) -> list[Figure]:
    """The figures a chapter computes, in the order declared."""
    return [f for f in FIGURES if f.section == section]
