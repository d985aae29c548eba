"""How much the headline results depend on the analyst's choices: a multiverse analysis.

Every headline result rests on choices the paper made and a reasonable analyst could
make differently (where a week starts, what counts as a share, which community
algorithm...). This module recomputes each result under every combination of the
choices it depends on (a seeded sample of them when there are more than ``sample``),
from the same tables the chapters read, and reads the outcome: how many combinations
agree with this run's own choices, and which choices move the result most.

The choices and their options are declared in ``params.yml`` under ``multiverse``
(:func:`datasaveslives.core.choices.declared`); the first option of each is this run's
own choice, and the combination of first options reproduces the chapters' results
(tested).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import multiprocessing
import random
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from datasaveslives.analysis import association, frequency, network, themes, users
from datasaveslives.core import files
from datasaveslives.core.choices import OPTIONS, Declaration
from datasaveslives.core.params import project_path
from datasaveslives.core.window import HashtagMatcher, Window
from datasaveslives.ingest import cache, ingestion, tables
from datasaveslives.ingest.readers.csv_export import load_mapping

# The choices that decide which posts and shares are analysed (one "data universe"
# per combination of them), and those of the share network.
DATA_CHOICES: tuple[str, ...] = ("hashtag_rule", "deleted_posts", "window_start", "window_end")
NETWORK_CHOICES: tuple[str, ...] = (
    "share_edges",
    "direction",
    "weights",
    "algorithm",
    "resolution",
)


@dataclass(frozen=True)
class Headline:
    """One headline result: what it depends on, and how a combination "agrees" with this
    run's own choices (``reading``: ``sign``, with significance where ``tested``;
    ``above``: the estimate is at least ``threshold`` as this run's is, or below it as
    this run's is; ``same``: the same category, e.g. the same leading theme)."""

    key: str
    label: str
    depends: tuple[str, ...]
    reading: str
    tested: bool = False
    threshold: float | None = None
    percent: bool = False


HEADLINES: tuple[Headline, ...] = (
    Headline(
        "correlation",
        "weekly original posts vs shares (Pearson r)",
        ("weeks", *DATA_CHOICES),
        "sign",
        tested=True,
    ),
    Headline(
        "supporter_difference",
        "official supporters' minus others' share of original posts",
        DATA_CHOICES,
        "sign",
        tested=True,
        percent=True,
    ),
    Headline(
        "top10_share",
        "share of posts by the most active 10% of accounts",
        DATA_CHOICES,
        "above",
        threshold=0.5,
        percent=True,
    ),
    Headline(
        "modularity",
        "modularity of the share network's groups",
        (*DATA_CHOICES, *NETWORK_CHOICES),
        "above",
        threshold=0.3,  # the usual rule of thumb (report/wording.py: modularity)
    ),
    Headline("groups", "number of groups", (*DATA_CHOICES, *NETWORK_CHOICES), "none"),
    Headline(
        "top5_share",
        "share of the network's users in its five largest groups",
        (*DATA_CHOICES, *NETWORK_CHOICES),
        "above",
        threshold=0.5,
        percent=True,
    ),
    Headline(
        "supporters_in_top5",
        "share of the official supporters in the network who are in its five largest groups",
        (*DATA_CHOICES, *NETWORK_CHOICES),
        "above",
        threshold=0.5,
        percent=True,
    ),
    Headline(
        "leading_theme_share",
        "share of the randomly ordered coded posts carrying the leading theme",
        DATA_CHOICES,
        "same",
        percent=True,
    ),
)
BY_KEY: dict[str, Headline] = {h.key: h for h in HEADLINES}


# -- The data universes -------------------------------------------------------------

POST_COLUMNS: tuple[str, ...] = (
    "post_id",
    "created_at",
    "author_id",
    "type",
    "text",
    "hashtags",
    "retweeted_post_id",
    "quoted_post_id",
    "quoted_author_id",
)


def shifted(day: date | None, option: str) -> date | None:
    """``day`` moved a calendar month earlier or later by a window option (unchanged
    for ``as_set``, and for an open end: there is nothing to move)."""
    if day is None or option == "as_set":
        return day
    months = -1 if option == "month_earlier" else 1
    return (pd.Timestamp(day) + pd.DateOffset(months=months)).date()


def widest(start: date | None, end: date | None, decl: Declaration) -> tuple[date | None, ...]:
    """The window that holds every declared window option: the posts to ingest."""
    firsts = [shifted(start, o) for o in decl.options("window_start")]
    lasts = [shifted(end, o) for o in decl.options("window_end")]
    return (
        None if start is None else min(d for d in firsts if d),
        None if end is None else max(d for d in lasts if d),
    )


@dataclass(frozen=True)
class Universe:
    """The posts and shares one combination of the data choices keeps."""

    posts: pd.DataFrame
    edges: pd.DataFrame
    first: date | None
    last: date | None


def universe(
    posts: pd.DataFrame,
    edges: pd.DataFrame,
    combination: Mapping[str, str],
    *,
    start: date | None,
    end: date | None,
    tz: str,
    hashtag: str | None,
    deleted_posts: frozenset[str] = frozenset(),
    deleted_users: frozenset[str] = frozenset(),
) -> Universe:
    """The posts and share edges kept by ``combination``'s data choices: the window
    moved by ``window_start``/``window_end``; with ``hashtag_rule: own_text``, only
    posts whose own text carries the hashtag (not only a post they quote); with
    ``deleted_posts: out``, without the deleted posts, the posts of deleted accounts
    and the shares of either (on the platform a share goes with its post)."""
    first = shifted(start, combination.get("window_start", "as_set"))
    last = shifted(end, combination.get("window_end", "as_set"))
    day = posts["created_at"].dt.tz_convert(tz).dt.date
    keep = pd.Series(True, index=posts.index)
    if first is not None:
        keep &= day >= first
    if last is not None:
        keep &= day <= last
    if combination.get("hashtag_rule", "body") == "own_text" and hashtag:
        keep &= posts[OWN_TEXT] if OWN_TEXT in posts else in_own_text(posts, hashtag)
    if combination.get("deleted_posts", "in") == "out":
        gone = posts["post_id"].isin(deleted_posts) | posts["author_id"].isin(deleted_users)
        gone |= posts["retweeted_post_id"].isin(deleted_posts)
        keep &= ~gone
    kept = posts[keep]
    shares = edges[edges["post_id"].isin(kept["post_id"])]
    return Universe(kept, shares, first, last)


# The column :func:`in_own_text` adds once, so that each universe does not match again.
OWN_TEXT = "hashtag_in_own_text"


def in_own_text(posts: pd.DataFrame, hashtag: str | None) -> pd.Series:
    """Per post: does its own text (not the text of a post it quotes) carry
    ``hashtag``? (For a share, its text is the shared post's.)"""
    matcher = HashtagMatcher(hashtag)
    found = [
        matcher(t, None if h is None else list(h))
        for t, h in zip(posts["text"], posts["hashtags"], strict=True)
    ]
    return pd.Series(found, index=posts.index, dtype=bool)


def valid(combination: Mapping[str, str], start: date | None, end: date | None) -> bool:
    """Whether ``combination`` is defined: its window keeps at least one day."""
    first = shifted(start, combination.get("window_start", "as_set"))
    last = shifted(end, combination.get("window_end", "as_set"))
    return first is None or last is None or first <= last


# -- The headline results of one universe --------------------------------------------


def correlation(u: Universe, weeks: str, tz: str) -> dict[str, float]:
    """Pearson's r between weekly original posts (text and quotes) and shares, weeks
    counted from the window's first day or as ISO weeks (from the Monday on or before
    it), with its 95% interval and P."""
    first, last = frequency.window_days(u.posts, u.first, u.last, tz)
    if weeks == "iso":
        first = first - pd.Timedelta(days=first.weekday())
    weekly = frequency.weekly_counts(u.posts, first, last, tz)
    r = frequency.correlation(weekly["originals"], weekly["retweet"])
    return {"estimate": r["r"], "low": r["ci_low"], "high": r["ci_high"], "p": r["p"]}


def supporter_difference(u: Universe, supporter_ids: set[str]) -> dict[str, float]:
    """Official supporters' minus others' share of original posts, with Newcombe's 95%
    interval and the χ² test's P (the users chapter's Table 2 test)."""
    nan = float("nan")
    if not supporter_ids or u.posts.empty:
        return {"estimate": nan, "low": nan, "high": nan, "p": nan}
    chi = users.chi_square_original(users.table2(u.posts, supporter_ids))
    diff = association.share_difference(chi["observed"])
    return {
        "estimate": diff.get("difference", nan),
        "low": diff.get("difference_low", nan),
        "high": diff.get("difference_high", nan),
        "p": chi["p"],
    }


def top_share(counts: np.ndarray, fraction: float = 0.1) -> float:
    """The share of all posts written by the most active ``fraction`` of accounts (at
    least one account); NaN without posts."""
    total = counts.sum()
    if not len(counts) or not total:
        return float("nan")
    k = max(1, math.ceil(fraction * len(counts)))
    return float(np.sort(counts)[::-1][:k].sum() / total)


def top10(u: Universe, seed: int, resamples: int = 200) -> dict[str, float]:
    """:func:`top_share` of the accounts' post counts, with a 95% percentile interval
    from ``resamples`` bootstrap samples of the accounts drawn with ``seed``."""
    counts = u.posts["author_id"].value_counts().to_numpy()
    estimate = top_share(counts)
    nan = float("nan")
    if len(counts) < 2:
        return {"estimate": estimate, "low": nan, "high": nan, "p": nan}
    rng = np.random.default_rng(seed)
    draws = [top_share(rng.choice(counts, size=len(counts))) for _ in range(resamples)]
    low, high = np.percentile(draws, [2.5, 97.5])
    return {"estimate": estimate, "low": float(low), "high": float(high), "p": nan}


# The edge attribute holding how many shares a link stands for (network.retweet_graph's).
WEIGHT = "retweets"


def share_graph(u: Universe, combination: Mapping[str, str]) -> nx.Graph:
    """The share network of ``combination``: retweets (and quotes), directed from the
    sharer to the author or not, weighted by the number of shares or not; self-shares
    make no link, as in the network chapter."""
    pairs = u.edges[["retweeter_id", "author_id"]].dropna()
    if combination.get("share_edges") == "retweets_and_quotes":
        quotes = u.posts.loc[u.posts["type"] == "quote", ["author_id", "quoted_author_id"]]
        quotes = quotes.dropna().set_axis(["retweeter_id", "author_id"], axis=1)
        pairs = pd.concat([pairs, quotes], ignore_index=True)
    if combination.get("direction") != "directed":  # the network chapter's own graph
        return network.retweet_graph(pairs).graph
    pairs = pairs[pairs["retweeter_id"] != pairs["author_id"]]
    weights = pairs.value_counts().sort_index()
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(((a, b, int(w)) for (a, b), w in weights.items()), weight=WEIGHT)
    return graph


def communities(
    graph: nx.Graph, combination: Mapping[str, str], resolution: float, seed: int
) -> tuple[list[frozenset[str]], float]:
    """The groups (largest first) and modularity of ``graph`` by ``combination``'s
    algorithm and resolution, with the shares as weights when weighted. Louvain on the
    undirected unweighted graph is exactly the network chapter's :func:`network.louvain`;
    otherwise by the same engine as the chapter's (networkx up to
    ``network.LOUVAIN_NETWORKX_LIMIT`` users, and on any directed graph, where it
    optimises directed modularity; igraph's above), so that an option's effect is not an
    engine's. Leiden by igraph. Modularity by igraph (directed on a directed graph),
    which agrees with networkx's (tested)."""
    import igraph

    option = combination.get("resolution", "as_set")
    gamma = resolution if option == "as_set" else float(option)
    weighted = combination.get("weights") == "weighted"
    directed = graph.is_directed()
    if graph.number_of_edges() == 0:
        return [frozenset([n]) for n in sorted(graph.nodes)], float("nan")
    louvain = combination.get("algorithm", "louvain") == "louvain"
    if louvain and not directed and not weighted:
        part = network.louvain(graph, seed=seed, resolution=gamma)
        return list(part.groups), part.modularity
    nodes = sorted(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[a], index[b], d[WEIGHT]) for a, b, d in graph.edges(data=True)]
    h = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges], directed=directed)
    w = [x for _, _, x in edges] if weighted else None
    small = graph.number_of_nodes() <= network.LOUVAIN_NETWORKX_LIMIT
    if louvain and (directed or small):
        numbered = nx.relabel_nodes(graph, index)
        found = nx.community.louvain_communities(
            numbered, weight=WEIGHT if weighted else None, resolution=gamma, seed=seed
        )
        membership = [0] * len(nodes)
        for k, members in enumerate(found):
            for i in members:
                membership[i] = k
    else:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            if louvain:
                clusters = h.community_multilevel(weights=w, resolution=gamma)
            else:
                clusters = h.community_leiden(
                    objective_function="modularity", weights=w, resolution=gamma, n_iterations=-1
                )
        finally:
            igraph.set_random_number_generator(random)
        membership = list(clusters.membership)
    q = h.modularity(membership, weights=w, resolution=gamma, directed=directed)
    found_groups: dict[int, set[str]] = {}
    for i, k in enumerate(membership):
        found_groups.setdefault(k, set()).add(nodes[i])
    groups = sorted((frozenset(g) for g in found_groups.values()), key=lambda c: (-len(c), min(c)))
    return groups, float(q)


def network_results(
    u: Universe,
    combination: Mapping[str, str],
    resolution: float,
    seed: int,
    supporter_ids: set[str],
) -> dict[str, float]:
    """Modularity, number of groups, the five largest groups' share of users and of the
    official supporters in the network, for one combination."""
    graph = share_graph(u, combination)
    nan = float("nan")
    if graph.number_of_nodes() == 0:
        return {"modularity": nan, "groups": nan, "top5_share": nan, "supporters_in_top5": nan}
    groups, q = communities(graph, combination, resolution, seed)
    top5 = set().union(*groups[:5])
    present = supporter_ids & set(graph.nodes)
    return {
        "modularity": q,
        "groups": float(len(groups)),
        "top5_share": len(top5) / graph.number_of_nodes(),
        "supporters_in_top5": len(present & top5) / len(present) if present else nan,
    }


def leading_theme(coded: pd.DataFrame | None, u: Universe, codes: list[str]) -> dict[str, Any]:
    """The theme carried by most of the coded posts still in the universe (ties: the
    codebook's order), and its share with Wilson's 95% interval."""
    nan = float("nan")
    none = {"estimate": nan, "low": nan, "high": nan, "p": nan, "category": None}
    if coded is None or coded.empty or not codes:
        return none
    here = coded[coded["post_id"].isin(u.posts["post_id"])]
    if here.empty:
        return none
    # The themes chapter's prevalence; the first of the most common in codebook order.
    table = themes.prevalence(here, codes)
    top = table.loc[table["posts"].idxmax()]
    return {
        "estimate": float(top["share"]),
        "low": float(top["ci_low"]),
        "high": float(top["ci_high"]),
        "p": nan,
        "category": top["code"],
    }


# -- The grid ----------------------------------------------------------------------


def grid(decl: Declaration, depends: Iterable[str]) -> list[dict[str, str]]:
    """Every combination of the options of the choices in ``depends`` (this run's own
    first), in a stable order."""
    names = list(depends)
    return [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(decl.options(n) for n in names))
    ]


def sampled(
    combinations: list[dict[str, str]], most: int, seed: int
) -> tuple[list[dict[str, str]], bool]:
    """``combinations`` if there are at most ``most``; else this run's own (the first)
    and a sample of the others drawn with ``seed``, in their original order."""
    if len(combinations) <= most:
        return combinations, False
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(1, len(combinations)), most - 1))
    return [combinations[0], *(combinations[i] for i in chosen)], True


@dataclass(frozen=True)
class Inputs:
    """What every combination reads: the posts and shares (of the widest window), the
    run's parameters and the coded posts."""

    posts: pd.DataFrame
    edges: pd.DataFrame
    start: date | None
    end: date | None
    tz: str
    hashtag: str | None
    supporter_ids: frozenset[str]
    deleted_posts: frozenset[str] = frozenset()
    deleted_users: frozenset[str] = frozenset()
    resolution: float = 1.0
    seed: int = 0
    coded: pd.DataFrame | None = None
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The combinations each headline result is computed on."""

    per_result: dict[str, list[dict[str, str]]]
    sampled: dict[str, bool]
    full_size: dict[str, int]
    dropped: dict[str, int] = field(default_factory=dict)


def plan(
    decl: Declaration, start: date | None, end: date | None, seed: int, resolution: float = 1.0
) -> Plan:
    """The combinations of each headline result: its full grid without the undefined
    ones (a window with no day) and those that repeat this run's own (a resolution
    option equal to the run's ``resolution``), sampled down to ``decl.sample`` with
    ``seed``. The network results share their combinations."""
    per: dict[str, list[dict[str, str]]] = {}
    was: dict[str, bool] = {}
    full: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for h in HEADLINES:
        distinct = [c for c in grid(decl, h.depends) if not _repeats_resolution(c, resolution)]
        defined = [c for c in distinct if valid(c, start, end)]
        dropped[h.key] = len(distinct) - len(defined)
        full[h.key] = len(defined)
        per[h.key], was[h.key] = sampled(defined, decl.sample, seed)
    return Plan(per, was, full, dropped)


def applying(
    decl: Declaration, hashtag: str | None, deletions: bool
) -> tuple[Declaration, list[str]]:
    """``decl`` without the choices that cannot change anything on this run (kept at
    this run's own option), and their names: the hashtag rule without a hashtag filter,
    the deleted posts without a deletions list."""
    idle = []
    if not hashtag:
        idle.append("hashtag_rule")
    if not deletions:
        idle.append("deleted_posts")
    idle = [n for n in idle if len(decl.options(n)) > 1]
    kept = tuple(replace(c, options=c.options[:1]) if c.name in idle else c for c in decl.choices)
    return replace(decl, choices=kept), idle


def _repeats_resolution(combination: Mapping[str, str], resolution: float) -> bool:
    option = combination.get("resolution", "as_set")
    return option != "as_set" and float(option) == resolution


def _data_key(combination: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(combination.get(c, OPTIONS[c][0]) for c in DATA_CHOICES)


# The inputs of a worker process (sent once per process, not once per universe).
_INPUTS: list[Inputs] = []


def _set_inputs(inputs: Inputs) -> None:
    _INPUTS[:] = [inputs]


def _in_worker(data: tuple[str, ...], jobs: list[tuple[str, dict]]) -> list:
    return _universe_task(_INPUTS[0], data, jobs)


def _universe_task(inputs: Inputs, data: tuple[str, ...], jobs: list[tuple[str, dict]]) -> list:
    """Every (result, combination) of ``jobs`` on the universe of the data choices
    ``data``: rows of the results table."""
    u = universe(
        inputs.posts,
        inputs.edges,
        dict(zip(DATA_CHOICES, data, strict=True)),
        start=inputs.start,
        end=inputs.end,
        tz=inputs.tz,
        hashtag=inputs.hashtag,
        deleted_posts=inputs.deleted_posts,
        deleted_users=inputs.deleted_users,
    )
    supporters = set(inputs.supporter_ids)
    rows = []
    networks: dict[tuple, dict[str, float]] = {}
    for key, combination in jobs:
        if key == "correlation":
            out = correlation(u, combination["weeks"], inputs.tz)
        elif key == "supporter_difference":
            out = supporter_difference(u, supporters)
        elif key == "top10_share":
            out = top10(u, inputs.seed)
        elif key == "leading_theme_share":
            out = leading_theme(inputs.coded, u, list(inputs.codes))
        else:
            net = tuple(combination[c] for c in NETWORK_CHOICES)
            if net not in networks:
                networks[net] = network_results(
                    u, combination, inputs.resolution, inputs.seed, supporters
                )
            nan = float("nan")
            out = {"estimate": networks[net][key], "low": nan, "high": nan, "p": nan}
        rows.append({"result": key, **combination, **out, "posts": len(u.posts)})
    return rows


# Below this many posts the universes are computed in this process: starting processes
# would take longer than the work.
PARALLEL_FROM = 5_000


def compute(inputs: Inputs, the_plan: Plan, workers: int = 1) -> pd.DataFrame:
    """The results table: one row per headline result and combination, with the
    estimate, its 95% interval and P where defined, a column per choice (the option
    taken) and ``own`` (this run's own combination). Universes are computed in
    ``workers`` processes; the table is the same for any number."""
    tasks: dict[tuple[str, ...], list[tuple[str, dict]]] = {}
    for key, combinations in the_plan.per_result.items():
        for combination in combinations:
            tasks.setdefault(_data_key(combination), []).append((key, combination))
    order = sorted(tasks)
    if workers > 1 and len(order) > 1 and len(inputs.posts) >= PARALLEL_FROM:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_set_inputs, initargs=(inputs,)
        ) as pool:
            parts = list(pool.map(_in_worker, order, [tasks[k] for k in order]))
    else:
        parts = [_universe_task(inputs, k, tasks[k]) for k in order]
    table = pd.DataFrame([row for part in parts for row in part])
    for name in OPTIONS:
        if name in table:
            table[name] = table[name].fillna("")
        else:
            table[name] = ""
    own = pd.Series(True, index=table.index)
    for name in OPTIONS:
        own &= table[name].isin(["", OPTIONS[name][0]])
    table["own"] = own
    columns = ["result", *OPTIONS, "own", "estimate", "low", "high", "p", "posts"]
    if "category" not in table:
        table["category"] = None
    return (
        table[[*columns, "category"]]
        .sort_values(["result", *OPTIONS], kind="stable")
        .reset_index(drop=True)
    )


def computed(
    inputs: Inputs, the_plan: Plan, data_key: str, cache_dir: Path | None, workers: int = 1
) -> pd.DataFrame:
    """:func:`compute`, kept in ``cache_dir`` under :func:`digest` (read from there when
    the same inputs, parameters and code were computed before)."""
    saved = cache_dir / f"{digest(inputs, the_plan, data_key)}.parquet" if cache_dir else None
    if saved is not None and saved.is_file():
        return pd.read_parquet(saved)
    table = compute(inputs, the_plan, workers)
    if saved is not None:
        saved.parent.mkdir(parents=True, exist_ok=True)
        partial = saved.with_suffix(".incoming")
        table.to_parquet(partial, index=False)
        partial.replace(saved)  # whole or not at all: a build may run beside this one
    return table


def wide_tables(
    data: list[str],
    hashtag: str | None,
    start: date | None,
    end: date | None,
    tz: str,
    csv_mapping: str | None,
    decl: Declaration,
    run_tables: Path,
    scratch: Path,
    cache_dir: Path | None,
) -> tuple[tables.Tables, str]:
    """The posts every window option needs: the run's own tables when no option widens
    its window, else the same data ingested over the widest window (through the
    build's ingestion cache, ``cache_dir``/ingest, into ``scratch``); with the ingestion's cache key
    (the inputs' content and the parameters), which keys the results too."""
    first, last = widest(start, end, decl)
    window = Window(first, last, tz)
    # The parameters' paths are relative to the project root (the chapter runs in book/).
    data = [str(project_path(d)) for d in data]
    csv_mapping = str(project_path(csv_mapping)) if csv_mapping else None
    mapping = load_mapping(Path(csv_mapping)) if csv_mapping else None
    key = cache.key(data, hashtag=hashtag, window=window, csv_mapping=csv_mapping)
    if (first, last) == (start, end):
        return tables.load(run_tables, columns=list(POST_COLUMNS)), key

    def run(folder: Path) -> None:
        ingestion.ingest(data, folder, hashtag=hashtag, window=window, csv_mapping=mapping)

    if cache_dir is None:
        run(scratch)
    else:
        cache.cached(cache_dir / "ingest", key, scratch, run)
    return tables.load(scratch, columns=list(POST_COLUMNS)), key


def digest(inputs: Inputs, the_plan: Plan, data_key: str) -> str:
    """A key for the results of ``the_plan`` on ``inputs`` (cache): the ingestion's key
    ``data_key`` (the inputs' content, the hashtag and window), the coded posts, the
    other parameters and the code that computes them (the analysis and core packages)."""
    package = Path(__file__).parents[1]
    code = files.tree_digest(package / "analysis", package / "core")
    h = hashlib.sha256(f"{code}:{data_key}".encode())
    if inputs.coded is not None:
        h.update(pd.util.hash_pandas_object(inputs.coded, index=False).to_numpy())
    rest = {
        "start": str(inputs.start),
        "end": str(inputs.end),
        "tz": inputs.tz,
        "hashtag": inputs.hashtag,
        "supporters": sorted(inputs.supporter_ids),
        "deleted": [sorted(inputs.deleted_posts), sorted(inputs.deleted_users)],
        "resolution": inputs.resolution,
        "seed": inputs.seed,
        "codes": list(inputs.codes),
        "plan": the_plan.per_result,
    }
    h.update(json.dumps(rest, sort_keys=True, default=str).encode())
    return h.hexdigest()


# -- Reading the curves -------------------------------------------------------------

ALPHA = 0.05
# A result is "robust" when at least this share of its combinations agree with this
# run's own; below it the Discussion points to the multiverse appendix.
ROBUST_SHARE = 0.9


@dataclass(frozen=True)
class Reading:
    """How the combinations of one headline result read against this run's own."""

    key: str
    combinations: int
    defined: int
    own: float | None
    own_category: str | None
    agree: int
    significant: int | None
    own_significant: bool | None
    low: float | None
    high: float | None
    movers: list[tuple[str, str, str, float]]

    @property
    def robust(self) -> bool | None:
        """Whether at least ``ROBUST_SHARE`` of the combinations agree with this run's own
        (None where that cannot be judged: nothing to agree with, or a result with no
        reading, such as the number of groups)."""
        if not self.defined or self.own is None or BY_KEY[self.key].reading == "none":
            return None
        return self.agree >= ROBUST_SHARE * self.defined


def _agrees(h: Headline, estimate: float, own: float, category: Any, own_cat: Any) -> bool:
    if h.reading == "sign":
        return bool(np.sign(estimate) == np.sign(own))
    if h.reading == "above" and h.threshold is not None:
        return (estimate >= h.threshold) == (own >= h.threshold)
    if h.reading == "same":
        return category == own_cat
    return True


# Differences of mean estimates below this are rounding, not a choice's effect.
SAME = 1e-9


def movers(rows: pd.DataFrame, depends: Iterable[str], top: int = 2) -> list:
    """The choices that move the estimate most: for each choice with two options or
    more, the options with the lowest and highest mean estimate over the combinations
    and the difference of those means; the ``top`` largest differences."""
    found = []
    for name in depends:
        if name not in rows:
            continue
        means = rows.groupby(name)["estimate"].mean().dropna()
        if len(means) < 2:
            continue
        spread = float(means.max() - means.min())
        if spread > SAME:  # a choice whose options give the same mean moves nothing
            found.append((name, str(means.idxmin()), str(means.idxmax()), spread))
    found.sort(key=lambda m: (-m[3], m[0]))
    return found[:top]


def read(table: pd.DataFrame, key: str) -> Reading:
    """The reading of headline result ``key`` from the results table (:func:`compute`)."""
    h = BY_KEY[key]
    rows = table[table["result"] == key]
    defined = rows[rows["estimate"].notna()]
    own_rows = rows[rows["own"]]
    own = own_rows["estimate"].iloc[0] if len(own_rows) else float("nan")
    own_cat = own_rows["category"].iloc[0] if len(own_rows) else None
    if pd.isna(own) or defined.empty:
        low, high = (
            (float(defined["estimate"].min()), float(defined["estimate"].max()))
            if len(defined)
            else (None, None)
        )
        return Reading(key, len(rows), len(defined), None, None, 0, None, None, low, high, [])
    agree = defined.apply(lambda r: _agrees(h, r["estimate"], own, r["category"], own_cat), axis=1)
    significant, own_sig = None, None
    if h.tested:
        own_sig = bool(own_rows["p"].iloc[0] < ALPHA)
        same_sig = (defined["p"] < ALPHA) == own_sig
        significant = int((agree & same_sig).sum())
    return Reading(
        key,
        len(rows),
        len(defined),
        float(own),
        own_cat,
        int(agree.sum()),
        significant,
        own_sig,
        float(defined["estimate"].min()),
        float(defined["estimate"].max()),
        movers(defined, h.depends),
    )
