"""The retweet network: graph, whole-network statistics, communities, centrality.

The network is undirected, as in the paper (Gephi): one node per user, one
edge per pair of users where one retweeted the other; the number of
retweets between the pair is kept as the edge attribute ``retweets`` and is
used only where a function says so. Louvain and centrality are unweighted.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from fa2_modified import ForceAtlas2

from datasaveslives.core import tokens


@dataclass(frozen=True)
class RetweetGraph:
    """The graph and what building it dropped."""

    graph: nx.Graph
    self_retweets: int


def retweet_graph(edges: pd.DataFrame) -> RetweetGraph:
    """Undirected retweeter–author graph from a ``retweet_edges`` table.

    Self-retweets (a user retweeting their own post) are dropped and counted.
    """
    pairs = edges[["retweeter_id", "author_id"]].dropna()
    self_loops = pairs["retweeter_id"] == pairs["author_id"]
    pairs = pairs[~self_loops]
    a = pairs[["retweeter_id", "author_id"]].min(axis=1)
    b = pairs[["retweeter_id", "author_id"]].max(axis=1)
    weights = pd.DataFrame({"a": a, "b": b}).value_counts().sort_index()
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        ((u, v, int(w)) for (u, v), w in weights.items()), weight="retweets"
    )
    return RetweetGraph(graph, int(self_loops.sum()))


def giant_component(graph: nx.Graph) -> nx.Graph:
    """The largest connected component (ties broken by smallest node id)."""
    if graph.number_of_nodes() == 0:
        return graph.copy()
    comps = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    return ordered(graph.subgraph(comps[0]))


def ordered(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` with its nodes and edges in sorted order (a subgraph of a
    set of nodes iterates in the set's order, which changes with the hash seed)."""
    out = nx.Graph()
    out.add_nodes_from((n, graph.nodes[n]) for n in sorted(graph.nodes))
    out.add_edges_from(
        sorted(((*sorted((u, v)), d) for u, v, d in graph.edges(data=True)), key=lambda e: e[:2])
    )
    return out


def to_igraph(graph: nx.Graph) -> tuple[Any, list[str]]:
    """``graph`` as an undirected igraph graph, and the node names in vertex order."""
    import igraph

    nodes = sorted(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in graph.edges]
    return igraph.Graph(n=len(nodes), edges=edges, directed=False), nodes


def average_clustering(graph: nx.Graph, engine: str = "igraph") -> float:
    """Mean local clustering coefficient, nodes of degree below 2 counting 0 (networkx's
    ``average_clustering``); by igraph (C) or networkx, which agree (tested)."""
    if engine == "networkx":
        return nx.average_clustering(graph)
    ig, _ = to_igraph(graph)
    return float(ig.transitivity_avglocal_undirected(mode="zero"))


def average_path_length(graph: nx.Graph, engine: str = "igraph") -> float:
    """Mean shortest-path length over all pairs of a connected ``graph``.

    ``engine="igraph"`` (C breadth-first searches, ~25x faster on the paper's
    network) or ``"networkx"``; the two agree exactly (tested)."""
    if engine == "networkx":
        return nx.average_shortest_path_length(graph)
    ig, _ = to_igraph(graph)
    return float(ig.average_path_length(directed=False, unconn=True))


def distances_from(
    graph: nx.Graph, sources: list[str], engine: str = "igraph", chunk: int = 64
) -> Iterator[tuple[str, dict[str, int]]]:
    """(source, {node: hops}) for each of ``sources``: breadth-first search by igraph
    (in chunks, so memory stays at ``chunk`` rows) or networkx; the same distances."""
    if engine == "networkx":
        for source in sources:
            yield source, nx.single_source_shortest_path_length(graph, source)
        return
    ig, nodes = to_igraph(graph)
    index = {node: i for i, node in enumerate(nodes)}
    for start in range(0, len(sources), chunk):
        block = sources[start : start + chunk]
        rows = ig.distances(source=[index[s] for s in block], mode="all")
        for source, row in zip(block, rows, strict=True):
            yield source, {nodes[i]: int(d) for i, d in enumerate(row) if d != math.inf}


def path_stats(
    graph: nx.Graph, exact_limit: int = 10_000, sources: int = 500, seed: int = 0
) -> dict[str, float | int | str]:
    """Average shortest path length and diameter of ``graph`` (pass the giant component).

    Exact when the graph has at most ``exact_limit`` nodes. Above it, breadth-first
    searches run from ``sources`` nodes drawn with ``seed``: the path length is the
    mean of the sources' mean distances, with its standard error (finite-population
    corrected) and a 95% interval; the diameter is the largest distance found, refined
    by one more search from the farthest node found (a double sweep), and is a lower
    bound, reported as such.
    """
    n = graph.number_of_nodes()
    if n < 2:
        return {
            "average_path_length": float("nan"),
            "diameter": float("nan"),
            "path_method": "exact",
            "path_sources": n,
            "path_se": 0.0,
            "path_ci_low": float("nan"),
            "path_ci_high": float("nan"),
        }
    if n <= exact_limit or sources >= n:
        apl = average_path_length(graph)
        return {
            "average_path_length": apl,
            "diameter": nx.diameter(graph, usebounds=True),
            "path_method": "exact",
            "path_sources": n,
            "path_se": 0.0,
            "path_ci_low": apl,
            "path_ci_high": apl,
        }
    picked = random.Random(seed).sample(sorted(graph.nodes), sources)
    means, diameter, farthest = [], 0, picked[0]
    for _source, dist in distances_from(graph, picked):
        means.append(sum(dist.values()) / (n - 1))
        node, ecc = max(dist.items(), key=lambda kv: (kv[1], kv[0]))
        if ecc > diameter:
            diameter, farthest = ecc, node
    diameter = max(diameter, max(dict(distances_from(graph, [farthest]))[farthest].values()))
    apl = statistics.fmean(means)
    spread = statistics.stdev(means) if sources > 1 else float("nan")
    se = spread / math.sqrt(sources) * math.sqrt((n - sources) / (n - 1))
    return {
        "average_path_length": apl,
        "diameter": diameter,
        "path_method": "sampled",
        "path_sources": sources,
        "path_se": se,
        "path_ci_low": apl - 1.96 * se,
        "path_ci_high": apl + 1.96 * se,
    }


def graph_stats(
    graph: nx.Graph, exact_limit: int = 10_000, sources: int = 500, seed: int = 0
) -> dict[str, float | int | str]:
    """Nodes, edges, average degree, density, components, clustering, path length, diameter.

    Path length and diameter are over the giant component, Gephi's convention,
    by :func:`path_stats` (exact up to ``exact_limit`` nodes, sampled above).
    """
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    giant = giant_component(graph)
    out: dict[str, float | int | str] = {
        "nodes": n,
        "edges": m,
        "average_degree": 2 * m / n if n else float("nan"),
        "density": nx.density(graph) if n > 1 else float("nan"),
        "components": nx.number_connected_components(graph) if n else 0,
        "giant_nodes": giant.number_of_nodes(),
        "giant_share": giant.number_of_nodes() / n if n else float("nan"),
        "average_clustering": average_clustering(graph) if n else float("nan"),
    }
    out.update(path_stats(giant, exact_limit=exact_limit, sources=sources, seed=seed))
    return out


@dataclass(frozen=True)
class Partition:
    """Communities numbered by size: ``groups[0]`` is group 1, the largest."""

    groups: list[frozenset[str]]
    modularity: float
    engine: str = "networkx"

    def membership(self) -> dict[str, int]:
        """Node -> group number (1 = largest)."""
        return {node: i for i, group in enumerate(self.groups, 1) for node in group}

    def sizes(self) -> list[int]:
        return [len(g) for g in self.groups]


def write_partition(partition: Partition, path: Path) -> None:
    """Save ``partition`` as JSON: its groups in order (each sorted), modularity, engine."""
    Path(path).write_text(
        json.dumps(
            {
                "engine": partition.engine,
                "modularity": partition.modularity,
                "groups": [sorted(group) for group in partition.groups],
            }
        ),
        encoding="utf-8",
    )


def read_partition(path: Path) -> Partition:
    """A partition saved by :func:`write_partition`, exactly as it was."""
    saved = json.loads(Path(path).read_text(encoding="utf-8"))
    groups = [frozenset(group) for group in saved["groups"]]
    return Partition(groups, saved["modularity"], saved["engine"])


# Above this many users, Louvain runs in igraph (C) instead of networkx (Python).
LOUVAIN_NETWORKX_LIMIT = 20_000


def louvain(graph: nx.Graph, seed: int, resolution: float = 1.0, engine: str = "auto") -> Partition:
    """Louvain communities (unweighted), numbered by decreasing size, with modularity.

    ``engine``: ``"networkx"`` (the reference implementation, used up to
    ``LOUVAIN_NETWORKX_LIMIT`` nodes by ``"auto"``) or ``"igraph"`` (its C multilevel
    method, ~20x faster, used above it). Both are seeded; they implement the same
    method but draw differently, so their partitions of a large graph differ in detail.
    """
    if engine == "auto":
        engine = "networkx" if graph.number_of_nodes() <= LOUVAIN_NETWORKX_LIMIT else "igraph"
    if engine == "igraph":
        return _louvain_igraph(graph, seed, resolution)
    # On integer nodes (the users in sorted order): networkx's Louvain iterates over sets
    # of nodes, whose order for strings changes with each process's hash seed.
    nodes = sorted(graph.nodes)
    numbered = nx.relabel_nodes(graph, {n: i for i, n in enumerate(nodes)})
    found = nx.community.louvain_communities(
        numbered, weight=None, resolution=resolution, seed=seed
    )
    comms = [{nodes[i] for i in c} for c in found]
    groups = sorted((frozenset(c) for c in comms), key=lambda c: (-len(c), min(c)))
    return Partition(groups, _modularity(graph, groups, resolution))


def _louvain_igraph(graph: nx.Graph, seed: int, resolution: float) -> Partition:
    import igraph

    h, nodes = to_igraph(graph)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = h.community_multilevel(resolution=resolution)
    finally:
        igraph.set_random_number_generator(random)
    groups = sorted(
        (frozenset(nodes[i] for i in members) for members in found if members),
        key=lambda c: (-len(c), min(c)),
    )
    q = h.modularity(found.membership, resolution=resolution) if h.ecount() else float("nan")
    return Partition(groups, float(q), engine="igraph")


def _modularity(graph: nx.Graph, groups: list[frozenset[str]], resolution: float) -> float:
    """Unweighted modularity; not defined (NaN) for a graph without edges."""
    if graph.number_of_edges() == 0:
        return float("nan")
    return nx.community.modularity(graph, groups, weight=None, resolution=resolution)


def leiden(graph: nx.Graph, seed: int, resolution: float = 1.0) -> Partition | None:
    """Leiden communities (modularity objective, unweighted, iterated until stable)
    by igraph, numbered like :func:`louvain`; None when igraph is not installed."""
    try:
        import igraph
    except ImportError:
        return None
    nodes = sorted(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    h = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = h.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=-1
        )
    finally:
        igraph.set_random_number_generator(random)
    groups = sorted(
        (frozenset(nodes[i] for i in members) for members in found if members),
        key=lambda c: (-len(c), min(c)),
    )
    return Partition(groups, _modularity(graph, groups, resolution))


def eigenvector_centrality(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality, scaled so the maximum is 1 (as Gephi reports it).

    The leading eigenvector is that of the giant component (numpy); nodes of the
    small separate components, whose own eigenvectors are not comparable, get 0."""
    if graph.number_of_nodes() == 0:
        return {}
    giant = giant_component(graph)
    nodes = sorted(giant.nodes)  # one order whatever order the graph was built in
    adjacency = nx.to_scipy_sparse_array(giant, nodelist=nodes, weight=None, dtype=float)
    if len(nodes) < 3:  # ARPACK needs k < n - 1; a dense solve is exact here
        _, vectors = np.linalg.eigh(adjacency.toarray())
        leading = vectors[:, -1]
    else:
        # A fixed start vector: networkx's numpy version starts ARPACK from a random one,
        # so its values changed in the last digits from run to run. (SciPy's sparse
        # solvers are imported here: the chapters that import this module for its
        # Partition alone need not start with them.)
        import scipy.sparse.linalg

        _, vectors = scipy.sparse.linalg.eigsh(adjacency, k=1, which="LA", v0=np.ones(len(nodes)))
        leading = vectors[:, 0]
    cent = dict(zip(nodes, np.abs(leading), strict=True))
    top = max(cent.values())
    # Rounded to 12 significant digits: values equal in exact arithmetic compare equal
    # (and rank by the tie-break), whatever rounding the solver's last digits took.
    scaled = {k: float(f"{v / top:.12g}") for k, v in cent.items()}
    for node in graph.nodes:
        scaled.setdefault(node, 0.0)
    return scaled


def group_links(graph: nx.Graph, partition: Partition, top: int = 10) -> pd.DataFrame:
    """Edges between each pair of the ``top`` largest groups, raw and normalised.

    ``share_of_a`` (``share_of_b``) is the pair's share of all edges from group a
    (b) to the other groups of the table: how much of a group's outside contact
    goes to the other. ``ratio`` is observed edges over those expected if edges
    were placed at random given the groups' total degrees (``d_a * d_b / 2m``):
    above 1, the two groups are linked more than chance would link them.
    """
    member = partition.membership()
    two_m = 2 * graph.number_of_edges()
    degree = dict.fromkeys(range(1, top + 1), 0)
    for node, d in graph.degree:
        if member[node] <= top:
            degree[member[node]] += d
    counts: dict[tuple[int, int], int] = {}
    for u, v in graph.edges:
        a, b = sorted((member[u], member[v]))
        if a != b and b <= top:
            counts[(a, b)] = counts.get((a, b), 0) + 1
    outside = dict.fromkeys(range(1, top + 1), 0)
    for (a, b), n in counts.items():
        outside[a] += n
        outside[b] += n
    rows = []
    for (a, b), n in sorted(counts.items()):
        expected = degree[a] * degree[b] / two_m if degree[a] and degree[b] else float("nan")
        rows.append(
            {
                "group_a": a,
                "group_b": b,
                "edges": n,
                "share_of_a": n / outside[a],
                "share_of_b": n / outside[b],
                "ratio": n / expected,
            }
        )
    columns = ["group_a", "group_b", "edges", "share_of_a", "share_of_b", "ratio"]
    return pd.DataFrame(rows, columns=columns)


def strongest_links(links: pd.DataFrame, k: int = 3) -> set[tuple[int, int]]:
    """Pairs ``(a, b)``, ``a < b``, of a :func:`group_links` table where either group
    is among the other's ``k`` strongest partners (by share of its links to other
    groups; ties broken by the smaller group number)."""
    partners: dict[int, list[tuple[float, int]]] = {}
    for row in links.itertuples(index=False):
        a, b = int(row.group_a), int(row.group_b)
        partners.setdefault(a, []).append((-row.share_of_a, b))
        partners.setdefault(b, []).append((-row.share_of_b, a))
    out = set()
    for group, found in partners.items():
        for _, other in sorted(found)[:k]:
            out.add((min(group, other), max(group, other)))
    return out


def stability(
    graph: nx.Graph,
    seeds: list[int],
    resolution: float = 1.0,
    reported: Partition | None = None,
) -> dict[str, object]:
    """Louvain over several seeds: the distribution of modularity and of the number of
    communities, and how far the partitions agree (adjusted Rand index and normalised
    mutual information over every pair of seeds). The first seed's division is
    ``reported`` (the one a chapter reports; by default :func:`louvain`'s for that seed);
    the other seeds' are found by igraph's implementation of the same method (its C
    multilevel method, some 40 times faster than networkx's here, and in agreement with
    it: tests/test_network.py). ``first_ari`` is the reported division against each of
    the others."""
    nodes = sorted(graph.nodes)
    if not seeds:
        labels: list[list[int]] = []
        counts: list[int] = []
        qs: list[float] = []
    else:
        first = reported or louvain(graph, seed=seeds[0], resolution=resolution)
        membership = first.membership()
        labels, counts, qs = (
            [[membership[n] for n in nodes]],
            [len(first.groups)],
            [first.modularity],
        )
        if graph.number_of_edges():
            more = _multilevel_runs(graph, seeds[1:], resolution)
        else:  # no link: every seed leaves every user alone (igraph has no modularity then)
            alone = [louvain(graph, seed=s, resolution=resolution) for s in seeds[1:]]
            more = (
                [[p.membership()[n] for n in nodes] for p in alone],
                [len(p.groups) for p in alone],
                [p.modularity for p in alone],
            )
        labels, counts, qs = labels + more[0], counts + more[1], qs + more[2]
    ari, nmi = [], []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            scores = partition_agreement(labels[i], labels[j])
            ari.append(scores["ari"])
            nmi.append(scores["nmi"])
    runs = pd.DataFrame({"seed": seeds, "communities": counts, "modularity": qs})
    first_ari = ari[: max(len(seeds) - 1, 0)]  # the pairs (0, j) come first
    return {
        "runs": runs,
        "ari": pd.Series(ari, dtype=float),
        "nmi": pd.Series(nmi, dtype=float),
        "first_ari": pd.Series(first_ari, dtype=float),
    }


# Above this many users the stability check's Louvain runs are shared out between
# STABILITY_WORKERS processes: one run took about 5 s on the 339,000 users of the 100x
# corpus and 15 ms on the paper's 3,400, where starting the processes would cost more.
STABILITY_PARALLEL_FROM = 20_000
STABILITY_WORKERS = 2


def _multilevel_runs(
    graph: nx.Graph,
    seeds: list[int],
    resolution: float,
    workers: int = STABILITY_WORKERS,
    parallel_from: int = STABILITY_PARALLEL_FROM,
) -> tuple[list[list[int]], list[int], list[float]]:
    """igraph's Louvain over ``seeds`` on one conversion of the graph (what
    :func:`louvain` does above the limit, seed for seed): memberships in sorted-node
    order, community counts, modularities. From ``parallel_from`` users on, the seeds
    are shared out between ``workers`` processes (each seed's run is the same wherever
    it runs: tests/test_network.py)."""
    h, _ = to_igraph(graph)
    if workers < 2 or len(seeds) < 2 or h.vcount() < parallel_from:
        return _multilevel(h, seeds, resolution)
    from datasaveslives.core import processes

    shares = [seeds[k::workers] for k in range(workers)]
    with processes.fresh_pool(len(shares)) as pool:
        done = list(pool.map(_multilevel, [h] * len(shares), shares, [resolution] * len(shares)))
    labels: list[list[int]] = [[] for _ in seeds]
    counts, qs = [0] * len(seeds), [0.0] * len(seeds)
    for k, (share_labels, share_counts, share_qs) in enumerate(done):
        at = range(k, len(seeds), workers)  # the positions of seeds[k::workers]
        for i, lab, c, q in zip(at, share_labels, share_counts, share_qs, strict=True):
            labels[i], counts[i], qs[i] = lab, c, q
    return labels, counts, qs


def _multilevel(
    h: Any, seeds: list[int], resolution: float
) -> tuple[list[list[int]], list[int], list[float]]:
    """igraph's Louvain on the igraph graph ``h`` once per seed, each seed's random
    numbers from its own generator."""
    import igraph

    labels, counts, qs = [], [], []
    try:
        for seed in seeds:
            igraph.set_random_number_generator(random.Random(seed))
            found = h.community_multilevel(resolution=resolution)
            labels.append(found.membership)
            counts.append(len([m for m in found if m]))
            qs.append(float(h.modularity(found.membership, resolution=resolution)))
    finally:
        igraph.set_random_number_generator(random)
    return labels, counts, qs


def agreement(graph: nx.Graph, a: Partition, b: Partition) -> dict[str, float]:
    """Adjusted Rand index and NMI between two partitions of ``graph``."""
    nodes = sorted(graph.nodes)
    ma, mb = a.membership(), b.membership()
    return partition_agreement([ma[n] for n in nodes], [mb[n] for n in nodes])


def partition_agreement(a: list[int], b: list[int], engine: str = "igraph") -> dict[str, float]:
    """Adjusted Rand index and normalised mutual information (arithmetic mean of the
    entropies) of two labelings of the same nodes: by igraph (C, ~50x faster over the
    190 pairs of a stability check) or scikit-learn; the two agree (tested)."""
    if engine == "sklearn" or len(a) < 2:
        # Imported here: scikit-learn takes longer to import than most chapters to run.
        from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

        return {"ari": adjusted_rand_score(a, b), "nmi": normalized_mutual_info_score(a, b)}
    import igraph

    return {
        "ari": igraph.compare_communities(a, b, method="adjusted_rand"),
        "nmi": igraph.compare_communities(a, b, method="nmi"),
    }


def edge_list(graph: nx.Graph, labels: dict[str, str]) -> pd.DataFrame:
    """The edges with (pseudonymised) labels and retweet counts, for a CSV download."""
    rows = [
        {"source": labels.get(u, u), "target": labels.get(v, v), "retweets": int(w)}
        for u, v, w in graph.edges(data="retweets", default=1)
    ]
    return pd.DataFrame(rows, columns=["source", "target", "retweets"]).sort_values(
        ["source", "target"], ignore_index=True
    )


@dataclass(frozen=True)
class GroupWords:
    """How often each word occurs in one group's members' bios and original posts."""

    bio: Counter[str]
    post: Counter[str]


def group_words(
    partition: Partition,
    profiles: pd.DataFrame,
    originals: pd.DataFrame,
    *,
    top: int = 10,
    exclude_words: tuple[str, ...] = (),
) -> list[GroupWords]:
    """Word counts (``tokens.word_counts``) of the ``top`` largest groups, in order:
    over the bios of the group's members and over the texts of their original posts."""
    bios = profiles.set_index("user_id")["bio"]
    out = []
    for members in partition.groups[:top]:
        texts = originals.loc[originals["author_id"].isin(members), "text"]
        out.append(
            GroupWords(
                bio=tokens.word_counts(bios.reindex(list(members)).dropna(), exclude_words),
                post=tokens.word_counts(texts, exclude_words),
            )
        )
    return out


def most_central(
    members: Iterable[str], centrality: Mapping[str, float], k: int | None = None
) -> list[str]:
    """``members`` by eigenvector centrality, most central first (ties by id), the
    first ``k`` (all when None): how Table 3 and the network explorer rank a group."""
    return sorted(members, key=lambda m: (-centrality.get(m, 0.0), m))[:k]


def describe_groups(
    partition: Partition,
    centrality: dict[str, float],
    profiles: pd.DataFrame,
    originals: pd.DataFrame,
    account: Callable[[str, str | None], str],
    supporters: set[str],
    *,
    top: int = 10,
    exclude_words: tuple[str, ...] = (),
    words: list[GroupWords] | None = None,
    organisations: set[str] | None = None,
) -> pd.DataFrame:
    """Table 3: for each of the ``top`` largest groups, its size and share of the
    network, its three most central accounts (eigenvector centrality over the whole
    network, shown through ``account``, which names or pseudonymises), the five most
    frequent words of members' bios and of their original posts (``words``, from
    :func:`group_words` when not given), its official supporters and, when the run
    lists its ``organisations`` (user ids, from its account types), its three most
    central organisations, as the paper's Table 3 lists them."""
    names = profiles.set_index("user_id")["screen_name"]
    if words is None:
        words = group_words(partition, profiles, originals, top=top, exclude_words=exclude_words)
    n_nodes = sum(partition.sizes())
    rows = []
    for gid, (members, counted) in enumerate(zip(partition.groups[:top], words, strict=True), 1):
        ranked = most_central(members, centrality, 3)
        rows.append(
            {
                "group": gid,
                "users": len(members),
                "share": len(members) / n_nodes if n_nodes else float("nan"),
                "central": [(account(m, names.get(m)), centrality.get(m, 0.0)) for m in ranked],
                "bio_words": tokens.most_common(counted.bio, 5),
                "tweet_words": tokens.most_common(counted.post, 5),
                "supporters": sorted(account(m, names.get(m)) for m in members if m in supporters),
                "organisations": None
                if organisations is None
                else [
                    (account(m, names.get(m)), centrality.get(m, 0.0))
                    for m in most_central((m for m in members if m in organisations), centrality, 3)
                ],
            }
        )
    columns = [
        "group",
        "users",
        "share",
        "central",
        "bio_words",
        "tweet_words",
        "supporters",
        "organisations",
    ]
    return pd.DataFrame(rows, columns=columns)


# Above this many users ForceAtlas2 (O(n log n) per iteration, in Python loops) takes
# minutes; the layout switches to igraph's DrL, built for large graphs.
LAYOUT_FA2_LIMIT = 20_000


def layout_method(graph: nx.Graph) -> str:
    """``"ForceAtlas2"`` up to ``LAYOUT_FA2_LIMIT`` users, ``"DrL"`` above."""
    return "ForceAtlas2" if graph.number_of_nodes() <= LAYOUT_FA2_LIMIT else "DrL"


def layout(
    graph: nx.Graph, seed: int, iterations: int = 100, cache_dir: Path | None = None
) -> dict[str, tuple[float, float]]:
    """Positions of ``graph``'s users by :func:`layout_method` (ForceAtlas2, Barnes-Hut,
    as Gephi computes it; igraph's DrL for large graphs), seeded and cached.

    The cache key is the graph's edges, the seed, the iterations and the method, so a
    rebuild on the same data reuses the layout instead of recomputing it.
    """
    if graph.number_of_nodes() == 0:
        return {}
    method = layout_method(graph)
    edges = sorted(tuple(sorted(e)) for e in graph.edges)
    nodes = sorted(graph.nodes)
    key = hashlib.sha256(json.dumps([edges, nodes, seed, iterations, method]).encode())
    cached = cache_dir / f"layout-{key.hexdigest()[:20]}.json" if cache_dir else None
    if cached and cached.exists():
        return {k: tuple(v) for k, v in json.loads(cached.read_text()).items()}
    state = random.getstate()
    random.seed(seed)  # both layouts draw from Python's generator (igraph's default)
    try:
        if method == "DrL":
            import igraph

            index = {n: i for i, n in enumerate(nodes)}
            small = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in edges])
            pos = dict(zip(nodes, small.layout_drl().coords, strict=True))
        else:
            fa2 = ForceAtlas2(barnesHutOptimize=True, scalingRatio=2.0, gravity=1.0, verbose=False)
            ordered = nx.Graph()
            ordered.add_nodes_from(nodes)
            ordered.add_edges_from(edges)
            pos = fa2.forceatlas2_networkx_layout(ordered, pos=None, iterations=iterations)
    finally:
        random.setstate(state)
    out = {str(k): (round(float(x), 4), round(float(y), 4)) for k, (x, y) in pos.items()}
    if cached:  # written whole, then renamed: a build reading it at the same time sees all or none
        cached.parent.mkdir(parents=True, exist_ok=True)
        incoming = cached.with_name(f"{cached.name}.{os.getpid()}.incoming")
        incoming.write_text(json.dumps(out))
        incoming.replace(cached)
    return out


@dataclass(frozen=True)
class Network:
    """The network chapter's results, computed once by :func:`compute` and read by the
    chapter's text, tables and figures, its saved results and the paper's registry
    (``paper/registry.py``)."""

    shares: RetweetGraph
    stats: dict[str, Any]
    partition: Partition
    centrality: dict[str, float]
    stability: dict[str, Any]
    leiden: Partition | None
    leiden_ari: float | None
    supporter_groups: list[int]
    groups: pd.DataFrame
    links: pd.DataFrame
    names: dict[str, str]
    # Table 3's groups' word counts (bios and original posts), largest group first.
    words: list[GroupWords]

    @property
    def graph(self) -> nx.Graph:
        return self.shares.graph

    @property
    def sizes(self) -> list[int]:
        return self.partition.sizes()

    @property
    def top5(self) -> int:
        """Users in the five largest groups."""
        return sum(self.sizes[:5])

    @property
    def small_groups(self) -> int:
        """Groups of five users or fewer."""
        return sum(s <= 5 for s in self.sizes)

    @property
    def modularity_rank(self) -> int:
        """The reported division's rank by modularity among the stability seeds' (1: best)."""
        runs = self.stability["runs"]
        return int((runs["modularity"] > self.partition.modularity + 1e-12).sum()) + 1

    def saved(self, stability_seeds: int, supporters_declared: int) -> dict[str, Any]:
        """The chapter's saved results (``results/network.json``)."""
        s, ari = self.stats, self.stability["ari"]
        return {
            "nodes": s["nodes"],
            "edges": s["edges"],
            "giant_share": s["giant_share"],
            "path_length": s["average_path_length"],
            "path_method": s["path_method"],
            "diameter": s["diameter"],
            "groups": len(self.sizes),
            "modularity": self.partition.modularity,
            "pct_top5": self.top5 / s["nodes"] if s["nodes"] else None,
            "ari_median": ari.median() if len(ari) else None,
            "stability_seeds": stability_seeds,
            "supporter_groups": self.supporter_groups,
            "supporters_declared": supporters_declared,
        }


def compute(
    edges: pd.DataFrame,
    posts: pd.DataFrame,
    profiles: pd.DataFrame,
    partition: Partition,
    *,
    seed: int,
    resolution: float,
    stability_seeds: int,
    account: Callable[[str, str | None], str],
    supporter_ids: set[str] | frozenset[str],
    exclude_words: tuple[str, ...] = (),
    path_exact_limit: int = 10_000,
    path_sources: int = 500,
    organisations: set[str] | None = None,
) -> Network:
    """Every result of the network chapter, from a run's share edges, posts and profiles
    and the Louvain ``partition`` the build found once (:func:`louvain` with ``seed``
    and ``resolution``): the network's statistics, centrality, the division's stability
    over ``stability_seeds`` seeds, Leiden's division, Table 3 (accounts shown through
    ``account``; words without ``exclude_words``; its most central ``organisations``,
    user ids from the run's account types, when it lists any) and the links between
    groups."""
    shares = retweet_graph(edges)
    g = shares.graph
    stats = graph_stats(g, exact_limit=path_exact_limit, sources=path_sources, seed=seed)
    centrality = eigenvector_centrality(g)
    lei = leiden(g, seed=seed, resolution=resolution) if stats["edges"] else None
    membership = partition.membership()
    originals = posts[posts["type"] != "retweet"]
    words = group_words(partition, profiles, originals, exclude_words=exclude_words)
    return Network(
        shares=shares,
        stats=stats,
        partition=partition,
        centrality=centrality,
        stability=stability(
            g, [seed + k for k in range(stability_seeds)], resolution, reported=partition
        ),
        leiden=lei,
        leiden_ari=agreement(g, partition, lei)["ari"] if lei is not None else None,
        supporter_groups=sorted({membership[u] for u in supporter_ids if u in membership}),
        groups=describe_groups(
            partition,
            centrality,
            profiles,
            originals,
            account,
            set(supporter_ids),
            exclude_words=exclude_words,
            words=words,
            organisations=organisations,
        ),
        links=group_links(g, partition),
        names=profiles.set_index("user_id")["screen_name"].dropna().to_dict(),
        words=words,
    )
