"""The retweet network: graph, whole-network statistics, communities, centrality.

The network is undirected, as in the paper (Gephi): one node per user, one
edge per pair of users where one retweeted the other; the number of
retweets between the pair is kept as the edge attribute ``retweets`` and is
used only where a function says so. Louvain and centrality are unweighted.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd


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
    return graph.subgraph(comps[0]).copy()


def graph_stats(graph: nx.Graph) -> dict[str, float | int]:
    """Nodes, edges, average degree, density, components, clustering, path length, diameter.

    Path length and diameter are over the giant component, exactly (Gephi
    reports them over all connected pairs; the giant component holds nearly
    all of them).
    """
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    giant = giant_component(graph)
    out: dict[str, float | int] = {
        "nodes": n,
        "edges": m,
        "average_degree": 2 * m / n if n else float("nan"),
        "density": nx.density(graph) if n > 1 else float("nan"),
        "components": nx.number_connected_components(graph) if n else 0,
        "giant_nodes": giant.number_of_nodes(),
        "giant_share": giant.number_of_nodes() / n if n else float("nan"),
        "average_clustering": nx.average_clustering(graph) if n else float("nan"),
    }
    if giant.number_of_nodes() > 1:
        out["average_path_length"] = nx.average_shortest_path_length(giant)
        out["diameter"] = nx.diameter(giant, usebounds=True)
    else:
        out["average_path_length"] = float("nan")
        out["diameter"] = float("nan")
    return out


@dataclass(frozen=True)
class Partition:
    """Communities numbered by size: ``groups[0]`` is group 1, the largest."""

    groups: list[frozenset[str]]
    modularity: float

    def membership(self) -> dict[str, int]:
        """Node -> group number (1 = largest)."""
        return {node: i for i, group in enumerate(self.groups, 1) for node in group}

    def sizes(self) -> list[int]:
        return [len(g) for g in self.groups]


def louvain(graph: nx.Graph, seed: int, resolution: float = 1.0) -> Partition:
    """Louvain communities (unweighted), numbered by decreasing size, with modularity."""
    comms = nx.community.louvain_communities(graph, weight=None, resolution=resolution, seed=seed)
    groups = sorted((frozenset(c) for c in comms), key=lambda c: (-len(c), min(c)))
    q = nx.community.modularity(graph, groups, weight=None, resolution=resolution)
    return Partition(groups, q)


def eigenvector_centrality(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality over the whole network, scaled so the maximum is 1
    (as Gephi reports it). Computed per connected component's leading eigenvector
    by numpy; nodes outside the giant component get their component's values."""
    if graph.number_of_nodes() == 0:
        return {}
    giant = giant_component(graph)
    cent = nx.eigenvector_centrality_numpy(giant, weight=None)
    top = max(cent.values())
    scaled = {k: v / top for k, v in cent.items()}
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
