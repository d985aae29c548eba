"""Generate the synthetic corpus: the roster, the retweet graph, the timeline, the posts
and their texts, in that order (``data/synthetic/README.md`` describes the model)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from datasaveslives.analysis import network
from datasaveslives.core import params, paths
from datasaveslives.core.files import sha256_of
from datasaveslives.core.window import HashtagMatcher
from datasaveslives.paper import matching
from datasaveslives.synth import GENERATOR_VERSION, spec, text, timeline, vocabulary, writer
from datasaveslives.synth.graph import GraphModel, assign_groups, retweet_pairs
from datasaveslives.synth.posts import assign_retweets, originals_table, top_tweets
from datasaveslives.synth.roster import Budget, build_roster, label_organisations

CORPUS_FILE = "datasaveslives_synthetic.jsonl.gz"
POSTS_FILE = "annotations_posts.csv.gz"
USERS_FILE = "annotations_users.csv.gz"
DELETIONS_FILE = "deletions.csv"
ACCOUNT_TYPES_FILE = "account_types.yml"
# The corpus's kinds of account as its account-types file lists them (the paper read
# the kinds of its Table 1 and most active accounts from their profiles): the named and
# the most active accounts; the plain individuals are left unclassified, as the paper
# left them.
LISTED_KINDS = {
    "official supporter": "organisation",
    "organisation": "organisation",
    "individual named in the paper": "individual",
    "researcher": "individual",
    "patient advocate": "patient advocate",
}
META_FILE = "corpus.json"
DEFAULT_SEED = 20180002

# Latent themes of Table 1's published posts (a reading of their texts).
TOP_THEMES = {1: "AC", 2: "AC", 4: "C", 5: "C", 6: "C", 7: "D", 8: "D", 9: "A"}
# Share of quotes whose own text leaves the hashtag to the quoted post.
QUOTE_TAG_ONLY_IN_QUOTED = 0.2
DUPLICATE_SHARE = 0.003


@dataclass
class Corpus:
    """The generated campaign: raw statuses, annotations and metadata."""

    records: list[dict[str, Any]]
    posts: pd.DataFrame
    users: pd.DataFrame
    meta: dict[str, Any]


def _streams(seed: int, n: int) -> list[np.random.Generator]:
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n)]


def network_only(
    seed: int = DEFAULT_SEED, model: GraphModel | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster and retweet pairs that :func:`generate` builds for ``seed`` (for
    searching seeds on the network's figures without generating everything)."""
    model = model or GraphModel()
    r_roster, r_graph, _, _, _, _, _, r_ids = _streams(seed, 8)
    roster, pairs = _accounts_and_network(r_roster, r_graph, model)
    roster["user_id"] = _user_ids(r_ids, len(roster), replica=0)
    return roster, pairs


def _accounts_and_network(
    r_roster: np.random.Generator, r_graph: np.random.Generator, model: GraphModel
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steps 1-3 of the design: accounts and their activity, groups, who retweets whom."""
    budget = Budget.from_paper()
    roster = build_roster(r_roster, budget)
    roster = assign_groups(r_graph, roster, model, budget.network_nodes)
    pairs = retweet_pairs(r_graph, roster, model)
    label_organisations(roster, 11, 10 + model.medium_groups)
    return roster, pairs


def _user_ids(r_ids: np.random.Generator, n: int, replica: int) -> list[str]:
    """User ids: the first draw of the ids stream. The last three digits hold the
    replica, so ids of replicas never collide."""
    ids = 10**8 + r_ids.choice(8 * 10**8, size=n, replace=False)
    return [str(int(i) * 1000 + replica) for i in ids]


def generate(seed: int = DEFAULT_SEED, model: GraphModel | None = None, replica: int = 0) -> Corpus:
    """The calibrated campaign for ``seed``.

    ``replica`` > 0 makes a copy for a scaled corpus: the same structure from
    another seed, with every account pseudonymous (the paper's names and texts
    appear once, in replica 0) and ids that cannot collide with other replicas.
    """
    model = model or GraphModel()
    # A ninth stream for the wording and a tenth for the bios: the first eight are the
    # same whatever is spawned after.
    streams = _streams(seed, 10)
    r_roster, r_graph, r_posts, r_time, r_text, r_follow, r_extra, r_ids, r_words, r_bios = streams
    roster, pairs = _accounts_and_network(r_roster, r_graph, model)
    in_network = {int(u) for u in pairs["retweeter"]} | {int(u) for u in pairs["author"]}

    originals = originals_table(roster)
    retweets = assign_retweets(
        r_posts,
        roster,
        pairs,
        originals,
        spec.targets()["frequency"]["originals_retweeted_at_least_once"],
    )
    totals = timeline.weekly_totals(r_time)
    n_orig = timeline.weekly_split(r_time, totals)
    timeline.place_originals(r_time, originals, roster, n_orig, totals - n_orig)
    originals["created_at"] = timeline.post_times(r_time, originals)
    retweets["created_at"] = timeline.retweet_times(r_time, retweets, originals)
    originals["extrapolated"] = False
    retweets["extrapolated"] = False

    if replica:  # a pseudonymous copy: the paper's names appear in replica 0 only
        named = roster["screen_name"].notna()
        roster.loc[named, ["screen_name", "display", "bio"]] = None
        roster.loc[named, "kind"] = roster.loc[named, "kind"].replace(
            {"official supporter": "organisation", "individual named in the paper": "individual"}
        )
    with_tag = _profiles(r_ids, r_text, roster, replica)
    placed = _placed(roster, pairs, in_network, replica)
    _bios(r_bios, roster, placed, with_tag)
    _texts(r_text, r_words, roster, originals, placed)
    ex_orig, ex_rt = _extrapolate(r_extra, r_words, roster, pairs, originals)
    originals = pd.concat([originals, ex_orig], ignore_index=True)
    retweets = pd.concat([retweets, ex_rt], ignore_index=True)
    originals["retweets_total"] = (
        retweets["original"].value_counts().reindex(originals.index, fill_value=0).to_numpy()
    )
    _followers(r_follow, roster, originals, retweets)
    _quotes(r_text, roster, originals)
    records, posts = _records(r_ids, roster, originals, retweets, replica)
    users = _user_annotations(roster)
    meta = {
        "synthetic": True,
        "description": "A synthetic model of the #datasaveslives campaign on Twitter, "
        "calibrated to the figures published by Hassan, Nenadic & Tully (J Med Internet Res "
        "2021;23(2):e16348). Not real posts: generated texts are not quotes, and accounts not "
        "named in the paper are invented pseudonyms.",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "scale": 1,
        "format": "Twitter API v1.1 statuses, extended mode (full_text), one per line, gzipped",
        "window": {"start": str(spec.WINDOW_START), "end": str(spec.WINDOW_END)},
        "calibrated_window": {"start": str(spec.WINDOW_START), "end": str(spec.WINDOW_END)},
        "extrapolated": [
            {"start": str(spec.CORPUS_START), "end": str(spec.WINDOW_START - timedelta(days=1))},
            {"start": str(spec.WINDOW_END + timedelta(days=1)), "end": str(spec.CORPUS_END)},
        ],
        "targets": {
            "file": "data/paper/published_figures.yml",
            "sha256": sha256_of(paths.PAPER_FIGURES),
        },
        "model": asdict(model),
        "events": [
            {"tag": e.tag, "day": str(e.day), "label": e.label, "groups": list(e.groups)}
            for e in spec.EVENTS
        ],
        "records": len(records),
    }
    return Corpus(records, posts, users, meta)


# -- accounts ---------------------------------------------------------------------------


def _profiles(
    r_ids: np.random.Generator, r_text: np.random.Generator, roster: pd.DataFrame, replica: int
) -> set[int]:
    """Ids, names, creation dates and counts of every account; returns the accounts
    whose bios will carry the hashtag."""
    n = len(roster)
    roster["user_id"] = _user_ids(r_ids, n, replica)
    codes = 36**5 + r_ids.choice(36**6 - 36**5, size=n, replace=False)
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

    def b36(x: int) -> str:
        out = ""
        while x:
            x, d = divmod(x, 36)
            out = alphabet[d] + out
        return out

    pseudo = roster["screen_name"].isna()
    suffix = f"r{replica}" if replica else ""
    roster.loc[pseudo, "screen_name"] = [
        f"user_{b36(int(c))}{suffix}" for c in codes[pseudo.to_numpy()]
    ]
    roster.loc[pseudo, "display"] = [
        f"Synthetic user {name[5:]}" for name in roster.loc[pseudo, "screen_name"]
    ]
    start = datetime(2008, 6, 1, tzinfo=UTC)
    span = (datetime(2016, 8, 1, tzinfo=UTC) - start).total_seconds()
    roster["account_created_at"] = [
        start + timedelta(seconds=float(s)) for s in r_ids.uniform(0, span, n)
    ]
    total = roster["n_orig"] + roster["n_quote"] + roster["n_rt"]
    # Bios: the named accounts keep theirs; 26 bios carry the hashtag (the paper),
    # HeRC_Farr's among them.
    with_tag = {
        int(i)
        for i in roster.index[roster["bio"].fillna("").str.contains("#datasaveslives", case=False)]
    }
    n_tag = spec.targets()["users"]["users_with_hashtag_in_bio"] - len(with_tag)
    cands = roster.index[pseudo & (total >= 2)].to_numpy()
    with_tag |= set(int(x) for x in r_text.choice(cands, size=n_tag, replace=False))
    roster["friends"] = np.round(r_ids.lognormal(np.log(450), 0.9, n)).astype(int)
    roster["statuses"] = np.round(
        r_ids.lognormal(np.log(2500), 1.1, n) * (1 + np.log1p(total.to_numpy()))
    ).astype(int)
    roster["deleted"] = roster["role"] == "deleted"
    return with_tag


@dataclass(frozen=True)
class Placed:
    """Where Table 3's words are counted: for each paper group, the accounts (roster
    rows) of the network group the chapters will match with it; and everyone else of
    a described group, who says its words at the same rate but is not counted."""

    counted: dict[int, set[int]]
    others: dict[int, set[int]]


def _placed(
    roster: pd.DataFrame, pairs: pd.DataFrame, in_network: set[int], replica: int
) -> Placed:
    """The paper groups' members as the network chapter will find them: Louvain on the
    network exactly as the pipeline builds it (as the seed search does), each group
    matched to the paper's by the accounts it placed (paper/matching.py). A replica,
    whose accounts are all pseudonymous, and a group that does not match, fall back on
    the planted group's members in the network."""
    groups = roster["group"].astype(int)
    described = set(vocabulary.table3())
    counted: dict[int, set[int]] = {}
    if not replica:
        ids = roster["user_id"]
        edges = pd.DataFrame(
            {
                "retweeter_id": ids.loc[pairs["retweeter"]].to_numpy(),
                "author_id": ids.loc[pairs["author"]].to_numpy(),
            }
        )
        part = network.louvain(network.retweet_graph(edges).graph, seed=params.DEFAULT_SEED)
        row_of = {u: int(i) for i, u in ids.items()}
        names = {
            u: n for u, n in zip(ids, roster["screen_name"], strict=True) if isinstance(n, str)
        }
        for gid, idx in matching.match_table3(part, names).items():
            if gid in described:
                counted[gid] = {row_of[u] for u in part.groups[idx]}
    for gid in described - set(counted):
        counted[gid] = {int(i) for i in roster.index[groups == gid] if int(i) in in_network}
    taken = set().union(*counted.values())
    others = {
        gid: {int(i) for i in roster.index[groups == gid] if int(i) not in taken}
        for gid in described
    }
    return Placed(counted, others)


def _bios(r: np.random.Generator, roster: pd.DataFrame, placed: Placed, with_tag: set[int]) -> None:
    """Bios for the accounts without one: Table 3's bio words given to as many of each
    group's members as the paper's counts (synth/vocabulary.py);
    a few general words for the groups Table 3 does not describe."""
    todo = [int(i) for i in roster.index[roster["bio"].isna()]]
    free = set(todo)
    advocate = {int(i) for i in roster.index[roster["kind"] == "patient advocate"]}
    words: dict[int, list[str]] = {i: [] for i in todo}
    described = vocabulary.table3()
    for g, paper in described.items():
        counted = sorted(placed.counted[g])
        fixed = vocabulary.said(
            [roster.at[i, "bio"] for i in counted if i not in free]
            + [vocabulary.ADVOCATE_ROLE for i in counted if i in advocate]
        )
        words.update(
            vocabulary.allocate(
                r,
                paper.bio,
                [i for i in counted if i in free],
                [i for i in sorted(placed.others[g]) if i in free],
                fixed,
            )
        )
    general = list(spec.group_vocabulary(0).bio)
    described_anyone = set().union(*placed.counted.values(), *placed.others.values())
    for i in todo:
        if i not in described_anyone and r.random() < 0.5:
            words[i] = [general[int(r.integers(len(general)))]]
    for i in todo:
        roster.at[i, "bio"] = vocabulary.bio(r, words[i], i in advocate, i in with_tag)


def _followers(
    r: np.random.Generator, roster: pd.DataFrame, originals: pd.DataFrame, retweets: pd.DataFrame
) -> None:
    """Followers: named accounts as given; the retweeters of Table 1's posts set so
    that each post's potential reach is the published one; everyone else drawn and
    tied to how much their posts are shared, so that r(retweets, author followers)
    over the window's originals is the paper's."""
    f = spec.targets()["frequency"]
    n = len(roster)
    total = (roster["n_orig"] + roster["n_quote"] + roster["n_rt"]).to_numpy()
    noise = r.normal(size=n)
    base = np.exp(np.log(320) + 1.15 * noise) * (1 + 0.4 * np.log1p(total))
    fixed = roster["followers"].notna().to_numpy()
    heavy = (roster["role"].isin(["heavy", "deleted"])).to_numpy()
    base[heavy] = r.uniform(1500, 5000, heavy.sum())
    foll = np.where(fixed, roster["followers"].fillna(0).to_numpy(float), base)
    # Potential reach of Table 1's posts first: the followers of their retweeters
    # (other than named accounts) are set so that each sum is the published one.
    tops = [t for t in spec.targets()["top_shared_tweets"] if t.get("reach")]
    reach = {t["rank"]: t["reach"] for t in tops}
    set_by_reach: set[int] = set()
    # Posts with the smallest reach per retweeter first: a retweeter shared with a
    # wider-reaching post then keeps the small count, and that post's other
    # retweeters make up the difference.
    for rank in sorted(
        reach, key=lambda k: reach[k] / next(t["retweets"] for t in tops if t["rank"] == k)
    ):
        post = originals.index[originals["top_rank"] == rank][0]
        who = retweets.loc[
            (retweets["original"] == post) & ~retweets["extrapolated"], "retweeter"
        ].unique()
        free = [int(u) for u in who if not fixed[u] and u not in set_by_reach]
        need = reach[rank] - sum(foll[u] for u in who if u not in free)
        if free and need > 5 * len(free):
            scale = need / sum(foll[u] for u in free)
            for u in free:
                foll[u] = max(5.0, round(foll[u] * scale))
            foll[max(free, key=lambda u: foll[u])] += reach[rank] - sum(foll[u] for u in who)
        set_by_reach.update(free)
    # Then everyone else's followers are tied to how much their posts are shared,
    # so that r(retweets, author followers) over the window's originals is the paper's.
    inwin = originals[~originals["extrapolated"]]
    mean_rt = inwin.groupby("author")["retweets"].mean().reindex(range(n), fill_value=0).to_numpy()
    z = np.log1p(mean_rt)
    z = (z - z.mean()) / z.std()
    tunable = ~fixed & ~np.isin(np.arange(n), list(set_by_reach))
    x = inwin["retweets"].to_numpy(dtype=float)
    authors = inwin["author"].to_numpy()
    best, best_err = foll, np.inf
    # Two knobs: how strongly followers follow sharing (beta), and how widely
    # ordinary accounts' followers spread (sigma); the named accounts' fixed counts
    # alone already tie followers to sharing.
    for sigma in (1.15, 1.4, 1.65, 1.9, 2.15):
        spread = np.exp(np.log(320) + sigma * noise) * (1 + 0.4 * np.log1p(total))
        spread[heavy] = base[heavy]
        for beta in np.linspace(0.0, 2.5, 51):
            trial = np.where(tunable, spread * np.exp(beta * z), foll)
            rr = np.corrcoef(x, trial[authors])[0, 1]
            if abs(rr - f["retweet_count_vs_followers_r"]) < best_err - 1e-9:
                best, best_err = trial, abs(rr - f["retweet_count_vs_followers_r"])
    foll = np.round(best)
    roster["followers"] = foll.astype(int)


def _user_json(row: pd.Series) -> dict[str, Any]:
    return {
        "id": int(row["user_id"]),
        "id_str": row["user_id"],
        "name": row["display"],
        "screen_name": row["screen_name"],
        "description": row["bio"],
        "followers_count": int(row["followers"]),
        "friends_count": int(row["friends"]),
        "statuses_count": int(row["statuses"]),
        "created_at": writer.v1_time(row["account_created_at"]),
        "protected": False,
        "verified": False,
        "lang": "en",
    }


def _user_annotations(roster: pd.DataFrame) -> pd.DataFrame:
    named = roster["role"].isin(["supporter", "named"])
    return pd.DataFrame(
        {
            "user_id": roster["user_id"],
            "screen_name": roster["screen_name"],
            "kind": roster["kind"],
            "role": roster["role"],
            "named_in_paper": named,
            "planted_group": roster["group"],
            "deleted": roster["deleted"],
        }
    )


# -- texts ------------------------------------------------------------------------------


def _events_in_week(week: int) -> list[spec.Event]:
    out = []
    for ev in spec.EVENTS:
        if not spec.WINDOW_START <= ev.day <= spec.WINDOW_END:
            continue
        w = timeline.week_of(ev.day)
        if w - ev.before <= week <= w + ev.after:
            out.append(ev)
    return out


def _texts(
    r: np.random.Generator,
    wording: np.random.Generator,
    roster: pd.DataFrame,
    originals: pd.DataFrame,
    placed: Placed,
) -> None:
    originals["text"] = ""
    originals["themes"] = ""
    originals["event"] = None
    originals["quotable"] = False
    originals["generated"] = True
    names = roster["screen_name"]
    hubs = {
        g: list(roster.loc[(roster["group"] == g) & (roster["hub_weight"] > 0), "screen_name"])
        for g in roster["group"].unique()
    }
    replica = not names.isin([a.name for a in spec.SUPPORTERS]).any()
    for t in top_tweets():
        i = originals.index[originals["top_rank"] == t.rank][0]
        if t.text and not replica:
            originals.loc[i, ["text", "themes", "quotable", "generated"]] = [
                t.text,
                TOP_THEMES[t.rank],
                True,
                False,
            ]
    # The paper's published example texts, each on one original of its account,
    # as near as possible to the day the text belongs to.
    used = set(originals.index[originals["text"] != ""])
    for account, themes, body, day in text.table4_quotes() + list(text.PAPER_QUOTES):
        author = roster.index[names == account]
        if len(author) == 0:
            continue
        mine = originals.index[
            (originals["author"] == author[0])
            & (originals["type"] == "original")
            & (originals["top_rank"] == 0)
        ]
        mine = [m for m in mine if m not in used]
        if not mine:
            continue
        if day:
            target = timeline.week_of(date.fromisoformat(day))
            mine.sort(key=lambda m: (abs(int(originals.at[m, "week"]) - target), m))
        pick = mine[0]
        used.add(pick)
        originals.loc[pick, ["text", "themes", "quotable", "generated"]] = [
            body,
            themes,
            True,
            False,
        ]
    # Collected, then written once: a per-row .loc assignment cost ~2 ms a post. The
    # random draws are the same, in the same order, so the corpus is byte-identical.
    todo = originals.index[originals["text"] == ""]
    author_of, week_of = originals["author"].to_dict(), originals["week"].to_dict()
    group_of, name_of = roster["group"].to_dict(), names.to_dict()
    # First what each post is about (themes, its event, a mention, a link), then which
    # group words it says (Table 3's counts), then how it says them.
    drafts: dict[int, tuple[str, spec.Event | None, str | None, bool, list[str]]] = {}
    for i in todo:
        a = int(author_of[i])
        g = int(group_of[a])
        week = int(week_of[i]) if week_of[i] else 0
        pool = [h for h in hubs.get(g, []) if h != name_of[a]]
        mention = pool[int(r.integers(len(pool)))] if pool and r.random() < 0.2 else None
        relevant = [ev for ev in (_events_in_week(week) if week else []) if g in ev.groups]
        themes = text.draw_themes(r, bool(relevant))
        event = relevant[int(r.integers(len(relevant)))] if relevant and "B" in themes else None
        tags = [ev.tag for ev in relevant]
        drafts[int(i)] = (themes, event, mention, r.random() < 0.6, tags)
    said = _post_words(r, roster, originals, drafts, placed)
    chosen = []
    for i, (themes, event, mention, link, _) in drafts.items():
        words = said[i]
        tag = event.tag if event is not None and event.tag in words else None
        chosen.append(
            text.TextChoice(
                text.compose(wording, text.Content(themes, words, tag, mention, link)),
                themes,
                tag,
            )
        )
    if chosen:
        originals.loc[todo, "text"] = [c.text for c in chosen]
        originals.loc[todo, "themes"] = [c.themes for c in chosen]
        originals.loc[todo, "event"] = pd.Series(
            [c.event for c in chosen], index=todo, dtype=object
        )


def _post_words(
    r: np.random.Generator,
    roster: pd.DataFrame,
    originals: pd.DataFrame,
    drafts: dict[int, tuple[str, spec.Event | None, str | None, bool, list[str]]],
    placed: Placed,
) -> dict[int, list[str]]:
    """The group words of each generated post: Table 3's post words on as many of each
    group's posts as the paper's counts (synth/vocabulary.py); an
    event's hashtag only near the event, first on the posts that report it; two or three
    general words for the groups Table 3 does not describe."""
    author = originals["author"].astype(int)
    out: dict[int, list[str]] = {i: [] for i in drafts}
    for g, paper in vocabulary.table3().items():
        counted_members, other_members = placed.counted[g], placed.others[g]
        mine = originals.index[author.isin(counted_members | other_members)]
        counted = [int(i) for i in mine if int(i) in drafts and author[i] in counted_members]
        uncounted = [int(i) for i in mine if int(i) in drafts and author[i] in other_members]
        fixed = vocabulary.said(
            [
                originals.at[i, "text"]
                for i in mine
                if int(i) not in drafts and author[i] in counted_members
            ]
        )
        tag_of = {i: ev.tag for i in (*counted, *uncounted) if (ev := drafts[i][1]) is not None}
        allowed: dict[str, Sequence[int]] = {
            w: [i for i in (*counted, *uncounted) if w in drafts[i][4]]
            for w in paper.post
            if w in text.EVENT_TAGS
        }
        first: dict[str, Sequence[int]] = {
            w: [i for i in (*counted, *uncounted) if tag_of.get(i) == w] for w in allowed
        }
        out.update(vocabulary.allocate(r, paper.post, counted, uncounted, fixed, first, allowed))
    general = spec.group_vocabulary(0).tweet
    described_anyone = set().union(*placed.counted.values(), *placed.others.values())
    for i in drafts:
        if author[i] not in described_anyone:
            out[i] = text.topic_words(r, general, set())
    return out


def _quotes(r: np.random.Generator, roster: pd.DataFrame, originals: pd.DataFrame) -> None:
    """Each quote quotes an earlier post: mostly a post of the corpus by someone in
    the same group; sometimes a post outside the corpus (without the hashtag)."""
    originals["quoted"] = -1
    originals["quoted_external"] = None
    times = originals["created_at"].to_numpy()
    order = np.argsort(times)
    group = roster["group"].to_numpy()
    author = originals["author"].to_numpy()
    sorted_times = times[order]
    has_tag = HashtagMatcher("#datasaveslives")
    quotes = originals.index[originals["type"] == "quote"]
    for i in sorted(quotes, key=lambda q: (originals.at[q, "created_at"], q)):
        t = originals.at[i, "created_at"]
        k = np.searchsorted(sorted_times, t - timedelta(minutes=10))
        earlier = order[max(0, k - 400) : k]
        same = [
            j for j in earlier if group[author[j]] == group[author[i]] and author[j] != author[i]
        ]
        if same and r.random() < 0.75 and originals.at[i, "quotable"] is not True:
            j = int(same[int(r.integers(len(same)))])
            originals.at[i, "quoted"] = j
            if r.random() < QUOTE_TAG_ONLY_IN_QUOTED and has_tag(originals.at[j, "text"]):
                # The hashtag is only in the quoted post.
                stripped = " ".join(
                    w for w in originals.at[i, "text"].split() if w.lower() != "#datasaveslives"
                )
                originals.at[i, "text"] = stripped
        else:
            originals.at[i, "quoted_external"] = int(author[i])


# -- outside the window -----------------------------------------------------------------


def _extrapolate(
    r: np.random.Generator,
    wording: np.random.Generator,
    roster: pd.DataFrame,
    pairs: pd.DataFrame,
    originals: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plausible activity before and after the paper's window (marked extrapolated)."""
    content = (roster["n_orig"] + roster["n_quote"]).to_numpy(float)
    authors = np.flatnonzero(content > 0)
    p_author = content[authors] / content[authors].sum()
    counts = originals.loc[originals["top_rank"] == 0, "retweets"].to_numpy()
    fans = {a: grp["retweeter"].to_numpy() for a, grp in pairs.groupby("author")}
    rows_o: list[dict[str, Any]] = []
    rows_r: list[dict[str, Any]] = []
    periods = [
        (spec.CORPUS_START, spec.WINDOW_START, 5.0, 9.0),
        (spec.WINDOW_END + timedelta(days=1), spec.CORPUS_END + timedelta(days=1), 10.0, 6.0),
    ]
    for first, stop, lam0, lam1 in periods:
        days = (stop - first).days
        for d in range(days):
            day = datetime.combine(first + timedelta(days=d), datetime.min.time(), UTC)
            lam = lam0 + (lam1 - lam0) * d / days
            for _ in range(r.poisson(lam)):
                a = int(r.choice(authors, p=p_author))
                t0 = day + timedelta(
                    hours=int(r.choice(24, p=timeline.UK_HOURS / timeline.UK_HOURS.sum())),
                    minutes=int(r.integers(60)),
                    seconds=int(r.integers(60)),
                )
                kind = "quote" if r.random() < 0.35 else "original"
                idx = len(originals) + len(rows_o)
                rows_o.append(
                    {
                        "author": a,
                        "type": kind,
                        "retweets": 0,
                        "top_rank": 0,
                        "week": 0,
                        "created_at": t0,
                        "extrapolated": True,
                    }
                )
                n = min(int(r.choice(counts)), len(fans.get(a, [])))
                if n:
                    for u in r.choice(fans[a], size=n, replace=False):
                        delay = timedelta(seconds=float(r.lognormal(np.log(3 * 3600), 1.1)))
                        t1 = t0 + delay
                        limit = datetime.combine(spec.WINDOW_START, datetime.min.time(), UTC)
                        if t0 < limit <= t1:  # never let a pre-window retweet enter the window
                            t1 = t0 + (limit - t0) * float(r.uniform(0.05, 0.95))
                        rows_r.append(
                            {
                                "retweeter": int(u),
                                "original": idx,
                                "created_at": t1,
                                "extrapolated": True,
                            }
                        )
                    rows_o[-1]["retweets"] = n
    ex_o = pd.DataFrame(rows_o, index=range(len(originals), len(originals) + len(rows_o)))
    ex_o["text"] = ""
    group_of = roster["group"].to_dict()
    chosen = [
        text.post_text(r, wording, int(group_of[int(a)]), [], None, r.random() < 0.6)
        for a in ex_o["author"]
    ]
    if chosen:  # written once (see _texts); the same draws in the same order
        ex_o["text"] = [c.text for c in chosen]
        ex_o["themes"] = [c.themes for c in chosen]
        ex_o["event"] = None
    ex_o["quotable"] = False
    ex_o["generated"] = True
    return ex_o, pd.DataFrame(
        rows_r, columns=["retweeter", "original", "created_at", "extrapolated"]
    )


# -- records ----------------------------------------------------------------------------


def _records(
    r: np.random.Generator,
    roster: pd.DataFrame,
    originals: pd.DataFrame,
    retweets: pd.DataFrame,
    replica: int,
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    users = {i: _user_json(row) for i, row in roster.iterrows()}
    names = dict(zip(roster["screen_name"], roster["user_id"], strict=True))
    used_ms: dict[int, int] = {}

    def new_id(t: datetime) -> int:
        ms = int(t.timestamp() * 1000)
        seq = used_ms.get(ms, int(r.integers(0, 2048)))
        if seq >= 4096:
            raise RuntimeError("more than 4096 posts in one millisecond")
        used_ms[ms] = seq + 1
        return writer.snowflake(t, replica, seq)

    link_n = [0]
    links: dict[str, str] = {}

    def fill_links(body: str) -> str:
        while "{link}" in body:
            link_n[0] += 1
            short = f"https://t.co/s{replica:03x}{link_n[0]:08x}"
            links[short] = f"https://example.org/synthetic/{replica}/{link_n[0]}"
            body = body.replace("{link}", short, 1)
        return body

    originals = originals.sort_values("created_at", kind="stable")
    status_of: dict[int, dict[str, Any]] = {}
    ids: dict[int, int] = {}
    # Rows as dicts, not iterrows' Series (a tenth of the time); the same values.
    rows = list(zip(originals.index, originals.to_dict("records"), strict=True))
    for i, row in rows:
        ids[i] = new_id(row["created_at"])
    records: list[tuple[datetime, int, dict[str, Any]]] = []
    ann: list[dict[str, Any]] = []
    deleted_users = set(roster.index[roster["deleted"]])
    for i, row in rows:
        body = fill_links(row["text"])
        quoted = None
        if row["type"] == "quote":
            if row.get("quoted", -1) is not None and int(row.get("quoted", -1)) >= 0:
                quoted = {
                    k: v for k, v in status_of[int(row["quoted"])].items() if k != "quoted_status"
                }
            else:
                a = int(row["author"])
                t_ext = row["created_at"] - timedelta(hours=float(r.uniform(2, 96)))
                quoted = writer.status(
                    post_id=new_id(t_ext),
                    created_at=t_ext,
                    text=fill_links("Our latest news on health data and research {link}"),
                    user=users[a],
                    retweet_count=0,
                    links=links,
                    names=names,
                )
        st = writer.status(
            post_id=ids[i],
            created_at=row["created_at"],
            text=body,
            user=users[int(row["author"])],
            retweet_count=int(row["retweets_total"]),
            links=links,
            names=names,
            quoted=quoted,
        )
        status_of[i] = st
        records.append((row["created_at"], ids[i], st))
        ann.append(
            {
                "post_id": str(ids[i]),
                "type": row["type"],
                "author_id": roster.at[int(row["author"]), "user_id"],
                "themes": row["themes"],
                "event": row["event"],
                "quotable": bool(row["quotable"]),
                "generated": bool(row["generated"]),
                "deleted": bool(row["top_rank"] in (3, 10) or int(row["author"]) in deleted_users),
                "extrapolated": bool(row["extrapolated"]),
                "top_rank": int(row["top_rank"]),
            }
        )
    total_of = originals["retweets_total"].to_dict()
    for row in retweets.sort_values("created_at", kind="stable").to_dict("records"):
        orig = int(row["original"])
        pid = new_id(row["created_at"])
        st = writer.status(
            post_id=pid,
            created_at=row["created_at"],
            text="",
            user=users[int(row["retweeter"])],
            retweet_count=int(total_of[orig]),
            links=links,
            names=names,
            retweeted=status_of[orig],
        )
        if "quoted_status" in status_of[orig]:
            st["quoted_status"] = status_of[orig]["quoted_status"]
            st["quoted_status_id_str"] = status_of[orig]["quoted_status_id_str"]
            st["is_quote_status"] = True
        records.append((row["created_at"], pid, st))
        ann.append(
            {
                "post_id": str(pid),
                "type": "retweet",
                "author_id": roster.at[int(row["retweeter"]), "user_id"],
                "themes": "",
                "event": None,
                "quotable": False,
                "generated": True,
                "deleted": int(row["retweeter"]) in deleted_users,
                "extrapolated": bool(row["extrapolated"]),
                "top_rank": 0,
            }
        )
    records.sort(key=lambda x: (x[0], x[1]))
    out = [rec for _, _, rec in records]
    # Historical exports repeat some posts: a few records appear twice.
    n_dup = round(DUPLICATE_SHARE * len(out))
    for k in sorted(r.choice(len(out), size=n_dup, replace=False), reverse=True):
        out.insert(int(k) + 1, out[int(k)])
    return out, pd.DataFrame(ann)


# -- files ------------------------------------------------------------------------------


def write(corpus: Corpus, out_dir: Path) -> dict[str, str]:
    """Write the corpus files; return each file's SHA-256."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    writer.write_jsonl_gz(corpus.records, out_dir / CORPUS_FILE)
    for frame, name in ((corpus.posts, POSTS_FILE), (corpus.users, USERS_FILE)):
        writer.write_csv(frame, out_dir / name)
    deleted_posts = corpus.posts.loc[corpus.posts["deleted"], "post_id"]
    deleted_users = corpus.users.loc[corpus.users["deleted"], "user_id"]
    deletions = pd.concat(
        [
            pd.DataFrame({"id": deleted_posts, "kind": "post"}),
            pd.DataFrame({"id": deleted_users, "kind": "user"}),
        ]
    )
    writer.write_csv(deletions, out_dir / DELETIONS_FILE)
    (out_dir / ACCOUNT_TYPES_FILE).write_text(account_types(corpus.users), encoding="utf-8")
    files = {
        name: sha256_of(out_dir / name)
        for name in (CORPUS_FILE, POSTS_FILE, USERS_FILE, DELETIONS_FILE, ACCOUNT_TYPES_FILE)
    }
    meta = {**corpus.meta, "files": files}
    (out_dir / META_FILE).write_text(
        json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8"
    )
    return files


def account_types(users: pd.DataFrame) -> str:
    """The corpus's account-types file (``params.load_account_types`` reads it): its named
    and most active accounts by kind, in the order of the annotations."""
    kinds: dict[str, list[str]] = {kind: [] for kind in dict.fromkeys(LISTED_KINDS.values())}
    for name, kind in zip(users["screen_name"], users["kind"], strict=True):
        if kind in LISTED_KINDS and isinstance(name, str):
            kinds[LISTED_KINDS[kind]].append(name)
    head = (
        "# The kinds of the synthetic corpus's named and most active accounts, as a\n"
        "# researcher would read them from their profiles (the paper did so for Table 1\n"
        "# and the accounts posting 100 times or more). Written by `python -m\n"
        "# datasaveslives synth`; unlisted accounts are not classified.\n"
    )
    return head + yaml.safe_dump({"types": kinds}, sort_keys=False, allow_unicode=True)


def read_meta(corpus_dir: Path) -> dict[str, Any]:
    """The corpus's ``corpus.json``."""
    return json.loads((Path(corpus_dir) / META_FILE).read_text(encoding="utf-8"))


RECORDS_DIR = "records"


def _write_replica(seed: int, k: int, out_dir: Path) -> tuple[int, str, pd.DataFrame, pd.DataFrame]:
    """Generate replica ``k`` and write its records; return its digest and annotations.

    A replica's seed is ``seed + k``; the few seeds whose draws cannot meet the paper's
    constraints (e.g. more retweets than an account has posts to spread them over) are
    replaced by ``seed + k + 1000``, ``+ 2000``..., deterministically."""
    for attempt in range(10):
        try:
            corpus = generate(seed + k + 1000 * attempt, replica=k)
            break
        except ValueError:
            if attempt == 9:
                raise
    path = out_dir / RECORDS_DIR / f"replica_{k:04d}.jsonl.gz"
    writer.write_jsonl_gz(corpus.records, path)
    return k, sha256_of(path), corpus.posts, corpus.users


def write_scaled(
    out_dir: Path, seed: int = DEFAULT_SEED, scale: int = 100, jobs: int = 2
) -> dict[str, Any]:
    """``scale`` replicas written as one file each under ``out_dir/records/`` (the data
    folder to analyse; its ``corpus.json`` is in ``out_dir``), generated ``jobs`` at a time, so that
    no more than ``jobs`` replicas are ever in memory (one ``jobs``: in this process);
    annotations and deletions for all replicas beside it. For benchmarks at scale; the
    shipped corpus is scale 1."""
    from concurrent.futures import ProcessPoolExecutor
    from contextlib import ExitStack

    if not 1 <= scale <= 1000:
        raise ValueError("scale must be between 1 and 1000")
    out_dir = Path(out_dir)
    (out_dir / RECORDS_DIR).mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}
    posts, users = [], []
    with ExitStack() as stack:
        if jobs > 1:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=jobs))
            done = pool.map(_write_replica, [seed] * scale, range(scale), [out_dir] * scale)
        else:  # one at a time, in this process
            done = map(_write_replica, [seed] * scale, range(scale), [out_dir] * scale)
        for k, digest, p, u in done:
            digests[f"{RECORDS_DIR}/replica_{k:04d}.jsonl.gz"] = digest
            posts.append(p)
            users.append(u)
    posts_all, users_all = pd.concat(posts, ignore_index=True), pd.concat(users, ignore_index=True)
    writer.write_csv(posts_all, out_dir / POSTS_FILE)
    writer.write_csv(users_all, out_dir / USERS_FILE)
    writer.write_csv(
        pd.concat(
            [
                pd.DataFrame(
                    {"id": posts_all.loc[posts_all["deleted"], "post_id"], "kind": "post"}
                ),
                pd.DataFrame(
                    {"id": users_all.loc[users_all["deleted"], "user_id"], "kind": "user"}
                ),
            ]
        ),
        out_dir / DELETIONS_FILE,
    )
    meta = {
        "synthetic": True,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "scale": scale,
        "posts": int(len(posts_all)),
        "description": f"{scale} replicas of the synthetic campaign, one file each; "
        "replicas 1 and up are pseudonymous copies. For benchmarks.",
        "files": digests,
    }
    text = json.dumps(meta, indent=2) + "\n"
    (out_dir / META_FILE).write_text(text, encoding="utf-8")
    return meta
