"""Calibration of the synthetic corpus: every published figure, target vs achieved.

The corpus is ingested with the normal pipeline over the paper's window and
every figure is computed with the same functions the chapters use; each row
says the target, what this corpus gives, the tolerance and whether it holds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, cast

import pandas as pd

from datasaveslives.analysis import frequency, network, users
from datasaveslives.core import paths, tokens
from datasaveslives.core.params import DEFAULT_SEED
from datasaveslives.core.window import Window
from datasaveslives.ingest import ingestion, tables
from datasaveslives.paper import comparison, matching, registry
from datasaveslives.synth import build

# The calibration table, as the About the data chapter saves it with a run's results.
TABLE_FILE = "calibration.csv"


class Checks:
    """Collects rows of (section, figure, target, achieved, tolerance, ok, key); ``key``
    names the published figure in the paper's record when the chapters compute it too
    (``paper/registry.py``, which gives its tolerance), so that a test can check that
    the calibration and the chapters computed the same value."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        section: str,
        figure: str,
        target: Any,
        achieved: Any,
        tolerance: str,
        ok: bool,
        key: str | None = None,
    ) -> None:
        self.rows.append(
            {
                "section": section,
                "figure": figure,
                "target": target,
                "achieved": achieved,
                "tolerance": tolerance,
                "ok": bool(ok),
                "key": key,
            }
        )

    def exact(
        self, section: str, figure: str, target: Any, achieved: Any, key: str | None = None
    ) -> None:
        self.add(section, figure, target, achieved, "exact", target == achieved, key)

    def rounded(
        self,
        section: str,
        figure: str,
        target: float,
        achieved: float,
        digits: int,
        key: str | None = None,
    ) -> None:
        self.add(
            section,
            figure,
            target,
            round(achieved, digits + 2),
            "exact (as printed)",
            round(achieved, digits) == target,
            key,
        )

    def within(self, section: str, figure: str, target: float, achieved: float, key: str) -> None:
        """Within the tolerance the registry gives the published figure at ``key``."""
        tol = registry.find(key)[0].tol()
        assert tol is not None, key
        ok, label = comparison.within(target, achieved, tol)
        value = float(achieved)
        shown = int(value) if value.is_integer() else round(value, 3)
        self.add(section, figure, target, shown, label, ok, key)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)


def ingest_corpus(corpus_dir: Path, out_dir: Path) -> tables.Tables:
    """The corpus through the normal ingestion, over the paper's window."""
    t = comparison.paper()["window"]
    ingestion.ingest(
        [corpus_dir / build.CORPUS_FILE],
        out_dir,
        hashtag=t["hashtag"],
        window=Window.from_strings(str(t["start"]), str(t["end"])),
    )
    return tables.load(out_dir)


def check(corpus_dir: Path = paths.SYNTHETIC, seed: int | None = None) -> pd.DataFrame:
    """Every calibration row for the corpus in ``corpus_dir``."""
    corpus_dir = Path(corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        t = ingest_corpus(corpus_dir, Path(tmp))
    ann_users = pd.read_csv(corpus_dir / build.USERS_FILE, dtype={"user_id": str})
    ann_posts = pd.read_csv(corpus_dir / build.POSTS_FILE, dtype={"post_id": str, "author_id": str})
    deletions = pd.read_csv(corpus_dir / build.DELETIONS_FILE, dtype={"id": str})
    seed = DEFAULT_SEED if seed is None else seed
    paper = comparison.paper()
    c = Checks()
    _frequency(c, t, paper)
    _users(c, t, paper, ann_users)
    _top_tweets(c, t, paper, deletions)
    _network(c, t, paper, seed, ann_users)
    _themes(c, ann_posts, paper)
    meta = build.read_meta(corpus_dir)
    c.exact("corpus", "labelled synthetic", True, bool(meta.get("synthetic")))
    return c.frame()


def _frequency(c: Checks, t: tables.Tables, paper: dict) -> None:
    f = paper["frequency"]
    counts = t.posts["type"].value_counts()
    c.exact("frequency", "posts", f["tweets_total"], len(t.posts), "frequency.tweets_total")
    c.exact(
        "frequency",
        "original text",
        f["original_text"],
        int(counts.get("original", 0)),
        "frequency.original_text",
    )
    c.exact(
        "frequency",
        "quotes",
        f["quote_tweets"],
        int(counts.get("quote", 0)),
        "frequency.quote_tweets",
    )
    c.exact(
        "frequency", "retweets", f["retweets"], int(counts.get("retweet", 0)), "frequency.retweets"
    )
    per_orig = frequency.retweets_per_original(t.posts)
    c.exact(
        "frequency",
        "originals retweeted at least once",
        f["originals_retweeted_at_least_once"],
        int((per_orig["retweets"] > 0).sum()),
        "frequency.originals_retweeted_at_least_once",
    )
    w = paper["window"]
    start, end = date.fromisoformat(str(w["start"])), date.fromisoformat(str(w["end"]))
    weekly = frequency.weekly_counts(t.posts, start, end)
    s = frequency.weekly_summary(weekly)
    c.exact("frequency", "weeks", f["weeks"], s["weeks"], "frequency.weeks")
    c.rounded(
        "frequency",
        "weekly mean",
        f["weekly_total_mean"],
        s["mean"],
        2,
        "frequency.weekly_total_mean",
    )
    c.rounded(
        "frequency", "weekly SD", f["weekly_total_sd"], s["sd"], 2, "frequency.weekly_total_sd"
    )
    c.exact(
        "frequency", "weekly minimum", f["weekly_total_min"], s["min"], "frequency.weekly_total_min"
    )
    c.exact(
        "frequency", "weekly maximum", f["weekly_total_max"], s["max"], "frequency.weekly_total_max"
    )
    c.exact(
        "frequency", "busiest week starts", str(f["peak_week_start"]), str(s["busiest_week_start"])
    )
    c.exact(
        "frequency",
        "busiest week: original posts",
        f["peak_week_posts"],
        s["busiest_week_originals"],
        "frequency.peak_week_posts",
    )
    c.exact(
        "frequency",
        "busiest week: retweets",
        f["peak_week_retweets"],
        s["busiest_week_retweets"],
        "frequency.peak_week_retweets",
    )
    r = frequency.correlation(weekly["originals"], weekly["retweet"])
    c.within(
        "frequency",
        "weekly posts vs retweets, Pearson r",
        f["weekly_posts_vs_retweets_r"],
        r["r"],
        "frequency.weekly_posts_vs_retweets_r",
    )
    followers = t.users.set_index("user_id")["followers"]
    rr = frequency.correlation(per_orig["retweets"], per_orig["author_id"].map(followers))
    c.within(
        "frequency",
        "retweets vs author followers, Pearson r",
        f["retweet_count_vs_followers_r"],
        rr["r"],
        "frequency.retweet_count_vs_followers_r",
    )
    sup_posts = t.posts[
        t.posts["author_id"].isin(users.supporter_ids(t.users, paper["official_supporters"]))
    ]
    sup_weekly = frequency.weekly_counts(sup_posts, start, end)
    c.exact(
        "frequency",
        "supporters' busiest week",
        f["official_peak_week_number"],
        frequency.weekly_summary(sup_weekly)["busiest_week"],
        "frequency.official_peak_week_number",
    )


def _users(c: Checks, t: tables.Tables, paper: dict, ann: pd.DataFrame) -> None:
    u = paper["users"]
    per_user = users.posts_per_user(t.posts)
    s = users.activity_summary(per_user)
    c.exact("users", "distinct users", u["unique_users"], s["users"], "users.unique_users")
    for key, label in (("original_text", "original"), ("quote", "quote"), ("retweet", "retweet")):
        c.exact(
            "users",
            f"distinct users posting {label}",
            u["table2"][key]["unique_users"],
            s["users_by_type"][label],
            f"users.table2.{key}.unique_users",
        )
    sup = users.is_supporter(t.users, paper["official_supporters"])
    flag = t.posts["author_id"].map(sup).fillna(False).astype(bool)
    for key, label in (("original_text", "original"), ("quote", "quote"), ("retweet", "retweet")):
        n = int(((t.posts["type"] == label) & flag).sum())
        c.exact(
            "users",
            f"official supporters' {label} posts",
            u["table2"][key]["official"],
            n,
            f"users.table2.{key}.official",
        )
    c.exact(
        "users",
        "users posting once",
        u["users_tweeting_once"],
        s["once"],
        "users.users_tweeting_once",
    )
    c.exact(
        "users",
        "users posting 10+ times",
        u["users_tweeting_10_or_more"],
        s["ten_plus"],
        "users.users_tweeting_10_or_more",
    )
    c.exact(
        "users",
        "posts by users posting 10+ times",
        u["tweets_by_users_tweeting_10_or_more"],
        s["ten_plus_posts"],
        "users.tweets_by_users_tweeting_10_or_more",
    )
    c.exact(
        "users",
        "users posting 100+ times",
        u["users_tweeting_100_or_more"],
        s["hundred_plus"],
        "users.users_tweeting_100_or_more",
    )
    c.exact(
        "users",
        "most posts by one user",
        u["max_tweets_by_one_user"],
        s["max"],
        "users.max_tweets_by_one_user",
    )
    heavy = per_user[per_user["total"] >= 100].merge(ann, on="user_id")
    c.exact(
        "users",
        "official supporters among the 100+",
        u["official_supporters_among_100_or_more"],
        int((heavy["role"] == "supporter").sum()),
    )
    orgs = heavy["kind"].isin(["organisation", "official supporter"])
    c.exact(
        "users",
        "organisations among the 100+",
        u["group_accounts_among_100_or_more"],
        int(orgs.sum()),
    )
    advocate = heavy[heavy["kind"] == "patient advocate"]
    c.exact(
        "users",
        "posts by the patient advocate",
        u["patient_advocate_tweets"],
        int(advocate["total"].iloc[0]) if len(advocate) else None,
    )
    c.exact(
        "users",
        "bios with the hashtag",
        u["users_with_hashtag_in_bio"],
        users.bios_with_hashtag(t.users, per_user["user_id"], paper["window"]["hashtag"]),
        "users.users_with_hashtag_in_bio",
    )


def _top_tweets(c: Checks, t: tables.Tables, paper: dict, deletions: pd.DataFrame) -> None:
    per_orig = frequency.retweets_per_original(t.posts).sort_values(
        ["retweets", "post_id"], ascending=[False, True]
    )
    top = per_orig.head(10).reset_index(drop=True)
    names = t.users.set_index("user_id")["screen_name"]
    text = t.posts.set_index("post_id")["text"]
    deleted = set(deletions.loc[deletions["kind"] == "post", "id"])
    for i, row in enumerate(paper["top_shared_tweets"]):
        got = top.iloc[i]
        c.exact(
            "Table 1",
            f"rank {row['rank']}: retweets",
            row["retweets"],
            int(got["retweets"]),
            f"top_shared_tweets.{i}.retweets",
        )
        if row.get("deleted"):
            c.exact("Table 1", f"rank {row['rank']}: deleted", True, got["post_id"] in deleted)
            continue
        c.exact("Table 1", f"rank {row['rank']}: account", row["user"], names.get(got["author_id"]))
        c.exact("Table 1", f"rank {row['rank']}: text", row["text"], text.get(got["post_id"]))
        reach = frequency.potential_reach(t.posts, t.users, got["post_id"])
        c.within(
            "Table 1",
            f"rank {row['rank']}: potential reach",
            row["reach"],
            reach or 0,
            f"top_shared_tweets.{i}.reach",
        )


def _network(c: Checks, t: tables.Tables, paper: dict, seed: int, ann_users: pd.DataFrame) -> None:
    n = paper["network"]
    g = network.retweet_graph(t.edges).graph
    # graph_stats holds numbers and the words saying how the path lengths were found
    st = cast(dict[str, float], network.graph_stats(g))
    c.within("network", "nodes", n["nodes"], st["nodes"], "network.nodes")
    c.within("network", "edges", n["edges"], st["edges"], "network.edges")
    c.within(
        "network",
        "average path length",
        n["average_path_length"],
        st["average_path_length"],
        "network.average_path_length",
    )
    c.within("network", "diameter", n["diameter"], st["diameter"], "network.diameter")
    part = network.louvain(g, seed=seed)
    sizes = part.sizes()
    c.within("network", "communities", n["communities"], len(sizes), "network.communities")
    c.within("network", "modularity", n["modularity"], part.modularity, "network.modularity")
    c.within(
        "network",
        "users in the 5 largest",
        n["users_in_5_largest"],
        sum(sizes[:5]),
        "network.users_in_5_largest",
    )
    c.within(
        "network",
        "communities of 5 or fewer",
        n["communities_with_5_or_fewer_users"],
        sum(s <= 5 for s in sizes),
        "network.communities_with_5_or_fewer_users",
    )
    cent = network.eigenvector_centrality(g)
    names = t.users.set_index("user_id")["screen_name"]
    kinds = ann_users.set_index("user_id")["kind"]
    is_org = kinds.isin(["organisation", "official supporter"])
    bios = t.users.set_index("user_id")["bio"]
    originals = t.posts[t.posts["type"] != "retweet"]
    stop = tokens.stopwords()
    # Each Table 3 group is matched to the community of the ten largest that holds
    # its first-named account (groups of nearly equal size may swap ranks).
    matched = matching.match_table3(part, names.to_dict(), n["table3"])
    is_org_map = is_org.to_dict()
    for i, row in enumerate(n["table3"]):
        gid = row["group"]
        wanted = list(row["influential"])
        if gid not in matched:
            c.add(
                "Table 3",
                f"group {gid}: community",
                f"led by {wanted[0]}",
                "not its own",
                "its own community",
                False,
            )
            continue
        idx = matched[gid]
        members = part.groups[idx]
        c.within(
            "Table 3",
            f"group {gid}: users (community {idx + 1})",
            row["users"],
            len(members),
            f"network.table3.{i}.users",
        )
        top = matching.leading_organisations(
            members, cent, is_org_map, names.to_dict(), len(wanted)
        )
        c.add(
            "Table 3",
            f"group {gid}: most central organisations",
            ", ".join(wanted),
            ", ".join(top),
            "the same accounts",
            set(wanted) == set(top),
        )
        for kind, texts in (
            ("bio", bios.reindex(list(members)).dropna()),
            ("tweet", originals.loc[originals["author_id"].isin(members), "text"]),
        ):
            top10 = {w for w, _ in tokens.top_words(texts, 10, exclude=["#datasaveslives"])}
            paper_words = [w for w in row[f"{kind}_words"] if w not in stop]
            missing = [w for w in paper_words if w not in top10]
            excluded = [w for w in row[f"{kind}_words"] if w in stop]
            note = f" (stop word, not counted: {', '.join(excluded)})" if excluded else ""
            c.add(
                "Table 3",
                f"group {gid}: top {kind} words",
                ", ".join(paper_words) + note,
                "missing: " + ", ".join(missing) if missing else "all in top 10",
                "paper's top 5 in top 10",
                not missing,
            )
    number = {idx: gid for gid, idx in matched.items()}
    for (a, b), ok in matching.links_as_read(g, part, number).items():
        c.add(
            "network",
            f"groups {a} and {b} linked",
            "among the strongest",
            "yes" if ok else "no",
            "a top-3 partner of either (share of its outside edges)",
            ok,
        )
    # Hub and spoke: a few accounts at the centre of each large group.
    shares = []
    for members in part.groups[:10]:
        sub = g.subgraph(members)
        hubs = sorted(dict(sub.degree).items(), key=lambda kv: -kv[1])[:3]
        touched = {e for node, _ in hubs for e in sub.edges(node)}
        shares.append(len(touched) / max(sub.number_of_edges(), 1))
    c.add(
        "network",
        "hub and spoke: edges touching each group's 3 top accounts",
        "most",
        f"min {min(shares):.0%}",
        "at least 40% in every group",
        min(shares) >= 0.4,
    )


def _themes(c: Checks, ann: pd.DataFrame, paper: dict) -> None:
    orig = ann[(ann["type"] != "retweet") & ~ann["extrapolated"]]
    themes = orig["themes"].fillna("")
    for code in "ABCD":
        c.add(
            "themes",
            f"theme {code} present",
            "yes",
            f"{themes.str.contains(code).mean():.0%} of originals",
            "> 5%",
            themes.str.contains(code).mean() > 0.05,
        )
    multi = (themes.str.len() >= 2).mean()
    c.add(
        "themes",
        "originals with overlapping themes",
        "substantial",
        f"{multi:.0%}",
        "> 20%",
        multi > 0.2,
    )
    quotable = ann[ann["quotable"]]
    for row in paper["themes"]["table4_examples"]:
        codes = "".join(k for k in "ABCD" if row[k])
        hit = quotable[quotable["themes"] == codes]
        c.add(
            "themes",
            f"Table 4 example ({codes})",
            "present, coded as in the paper",
            "yes" if len(hit) else "no",
            "exact",
            len(hit) > 0,
        )


def print_table(frame: pd.DataFrame, out: Callable[[str], None] = print) -> None:
    """Plain-text calibration table."""
    width = frame["figure"].str.len().max()
    for _, r in frame.iterrows():
        mark = "ok  " if r["ok"] else "FAIL"
        target, achieved = str(r["target"])[:40], str(r["achieved"])[:40]
        out(
            f"{mark} {r['section']:<10} {r['figure']:<{width}}  target {target:<40}  "
            f"achieved {achieved:<40}  {r['tolerance']}"
        )
    out(f"{int(frame['ok'].sum())} of {len(frame)} figures within tolerance")
