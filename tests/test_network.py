"""Network statistics on small graphs with known answers, and against igraph."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import pandas as pd
import pytest

from datasaveslives.analysis import network
from datasaveslives.report import downloads


def two_cliques() -> nx.Graph:
    g = nx.Graph()
    g.add_edges_from(nx.complete_graph(["a1", "a2", "a3", "a4", "a5"]).edges)
    g.add_edges_from(nx.complete_graph(["b1", "b2", "b3", "b4"]).edges)
    g.add_edge("a1", "b1")
    return g


def test_stability_of_an_unambiguous_partition():
    res = network.stability(two_cliques(), seeds=[1, 2, 3, 4])
    assert res["runs"]["communities"].tolist() == [2, 2, 2, 2]
    assert res["runs"]["modularity"].nunique() == 1
    assert len(res["ari"]) == 6
    assert (res["ari"] == 1.0).all()
    assert res["nmi"].tolist() == pytest.approx([1.0] * 6)
    assert res["first_ari"].tolist() == [1.0, 1.0, 1.0]


def test_agreement_of_different_partitions_is_below_one():
    g = two_cliques()
    good = network.louvain(g, seed=1)
    bad = network.Partition(
        [frozenset({"a1", "b1", "b2"}), frozenset(set(g.nodes) - {"a1", "b1", "b2"})], 0.0
    )
    assert network.agreement(g, good, good)["ari"] == 1.0
    assert network.agreement(g, good, bad)["ari"] < 0.5


def test_gexf_carries_attributes_coordinates_and_no_raw_ids(tmp_path):
    g = two_cliques()
    nx.set_edge_attributes(g, 2, "retweets")
    part = network.louvain(g, seed=1)
    cent = network.eigenvector_centrality(g)
    labels = {n: f"user-{i}" for i, n in enumerate(sorted(g.nodes))}
    pos = {n: (float(i), float(-i)) for i, n in enumerate(sorted(g.nodes))}
    path = tmp_path / "net.gexf"
    downloads.gexf(
        g, path, partition=part, centrality=cent, labels=labels, supporters={"a1"}, positions=pos
    )
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == 9 and back.number_of_edges() == 17
    node = back.nodes[labels["a1"]]
    assert node["group"] == 1 and node["official_supporter"] is True
    assert node["degree"] == 5 and 0 < node["eigenvector"] <= 1
    assert node["viz"]["position"]["x"] == pos["a1"][0]
    assert "a1" not in path.read_text()
    assert all(w == 2 for _, _, w in back.edges(data="weight"))
    edges = network.edge_list(g, labels)
    assert set(edges.columns) == {"source", "target", "retweets"} and (edges["retweets"] == 2).all()


def test_gexf_is_the_graph_networkx_would_write(tmp_path):
    """Written node by node: networkx reads back the graph its own writer would have
    written (names with XML's special characters included; a node without coordinates
    has none), and the same inputs give the same bytes."""
    g = two_cliques()
    nx.set_edge_attributes(g, {e: i + 1 for i, e in enumerate(g.edges)}, "retweets")
    part = network.louvain(g, seed=1)
    cent = network.eigenvector_centrality(g)
    labels = {n: f'@A&B "{n}" <x>' for n in g.nodes}
    pos = {n: (1.5, -2.25) for n in sorted(g.nodes)[:3]}
    kw = {"partition": part, "centrality": cent, "labels": labels, "supporters": {"b1"}}
    downloads.gexf(g, tmp_path / "a.gexf", positions=pos, **kw)
    downloads.gexf(g, tmp_path / "b.gexf", positions=pos, **kw)
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()
    ours = nx.read_gexf(tmp_path / "a.gexf")
    theirs = nx.Graph()
    member = part.membership()
    for n in sorted(g.nodes):
        attrs = {
            "label": labels[n],
            "group": member[n],
            "degree": g.degree(n),
            "eigenvector": downloads.rounded(cent[n]),
            "official_supporter": n == "b1",
        }
        if n in pos:
            attrs["viz"] = {"position": {"x": pos[n][0], "y": pos[n][1], "z": 0.0}}
        theirs.add_node(labels[n], **attrs)
    for u, v, w in g.edges(data="retweets"):
        theirs.add_edge(labels[u], labels[v], weight=w)
    nx.write_gexf(theirs, tmp_path / "nx.gexf")
    expected = nx.read_gexf(tmp_path / "nx.gexf")
    assert dict(ours.nodes(data=True)) == dict(expected.nodes(data=True))
    assert {frozenset((u, v)): w for u, v, w in ours.edges(data="weight")} == {
        frozenset((u, v)): w for u, v, w in expected.edges(data="weight")
    }


def test_describe_groups_names_through_the_privacy_function():
    g = two_cliques()
    part = network.louvain(g, seed=1)
    cent = network.eigenvector_centrality(g)
    profiles = pd.DataFrame(
        {
            "user_id": sorted(g.nodes),
            "screen_name": sorted(g.nodes),
            "bio": ["health data research"] * 5 + ["cancer research"] * 4,
        }
    )
    originals = pd.DataFrame(
        {"author_id": ["a1", "b2"], "text": ["data data saves", "cancer care"]}
    )
    table = network.describe_groups(
        part, cent, profiles, originals, lambda uid, name: f"<{name}>", {"a1"}
    )
    first = table.iloc[0]
    assert (first["group"], first["users"]) == (1, 5)
    assert first["share"] == pytest.approx(5 / 9)
    assert first["central"][0] == ("<a1>", pytest.approx(1.0))
    assert first["bio_words"][0] == ("data", 5) or first["bio_words"][0] == ("health", 5)
    assert first["tweet_words"] == [("data", 2), ("saves", 1)]
    assert first["supporters"] == ["<a1>"]


@pytest.fixture(scope="module")
def random_graph() -> nx.Graph:
    g = nx.powerlaw_cluster_graph(400, 2, 0.2, seed=3)
    return nx.relabel_nodes(g, {n: f"u{n}" for n in g.nodes})


def to_igraph(g: nx.Graph) -> tuple[ig.Graph, list[str]]:
    nodes = sorted(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    return ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in g.edges]), nodes


def test_path_length_and_diameter_agree_with_networkx(random_graph):
    stats = network.graph_stats(random_graph)
    giant = network.giant_component(random_graph)
    assert stats["average_path_length"] == pytest.approx(nx.average_shortest_path_length(giant))
    assert stats["diameter"] == nx.diameter(giant)
    assert stats["average_clustering"] == pytest.approx(nx.average_clustering(random_graph))


def test_fast_and_reference_engines_give_the_same_answers(random_graph):
    """Each kernel with a fast path (igraph) gives networkx's / scikit-learn's answer."""
    giant = network.giant_component(random_graph)
    assert network.average_path_length(giant) == pytest.approx(
        network.average_path_length(giant, engine="networkx"), rel=1e-12
    )
    sources = sorted(giant.nodes)[:7]
    fast = dict(network.distances_from(giant, sources, chunk=3))
    slow = dict(network.distances_from(giant, sources, engine="networkx"))
    assert fast == slow
    a = network.louvain(random_graph, seed=1).membership()
    b = network.louvain(random_graph, seed=2).membership()
    la, lb = ([m[n] for n in sorted(random_graph)] for m in (a, b))
    quick, reference = (
        network.partition_agreement(la, lb),
        network.partition_agreement(la, lb, engine="sklearn"),
    )
    assert quick == pytest.approx(reference, rel=1e-9)


def test_modularity_and_centrality_agree_with_igraph(random_graph):
    part = network.louvain(random_graph, seed=5)
    h, nodes = to_igraph(random_graph)
    member = part.membership()
    assert part.modularity == pytest.approx(h.modularity([member[n] for n in nodes]))
    cent = network.eigenvector_centrality(random_graph)
    ig_cent = dict(zip(nodes, h.eigenvector_centrality(scale=True), strict=True))
    for n in nodes:
        assert cent[n] == pytest.approx(ig_cent[n], abs=1e-6)


def test_the_chapters_visible_centrality_cell_agrees_with_the_package(random_graph):
    """The network chapter computes centrality in a visible cell with networkx's own
    function; scaled to a maximum of 1, it gives the package's values."""
    giant = random_graph.subgraph(max(nx.connected_components(random_graph), key=len))
    scores = nx.eigenvector_centrality_numpy(giant)
    top = max(scores.values())
    cent = network.eigenvector_centrality(random_graph)
    for n, v in scores.items():
        assert v / top == pytest.approx(cent[n], abs=1e-6)


def test_sampled_path_length_brackets_the_exact_value_and_is_seeded():
    g = nx.connected_watts_strogatz_graph(1500, 6, 0.1, seed=3)
    exact = network.path_stats(g)
    assert exact["path_method"] == "exact"
    est = network.path_stats(g, exact_limit=100, sources=150, seed=7)
    assert est["path_method"] == "sampled" and est["path_sources"] == 150
    assert est["path_ci_low"] < exact["average_path_length"] < est["path_ci_high"]
    assert 0 < est["path_se"] < 0.1
    # The sampled diameter is a lower bound, never above the exact one.
    assert est["diameter"] <= exact["diameter"]
    assert network.path_stats(g, exact_limit=100, sources=150, seed=7) == est
    assert network.path_stats(g, exact_limit=100, sources=150, seed=8) != est


def test_double_sweep_finds_the_diameter_of_a_path():
    # From any source, the farthest node is an end of the path; a search from it
    # reaches the other end, so even one source gives the exact diameter.
    g = nx.path_graph(300)
    est = network.path_stats(g, exact_limit=10, sources=1, seed=0)
    assert est["diameter"] == 299


def test_graph_stats_switches_to_sampling_above_the_limit():
    g = nx.path_graph(40)
    assert network.graph_stats(g, exact_limit=39, sources=5)["path_method"] == "sampled"
    assert network.graph_stats(g, exact_limit=40, sources=5)["path_method"] == "exact"


def test_leiden_finds_the_two_cliques_and_is_seeded(random_graph):
    part = network.leiden(two_cliques(), seed=1)
    assert sorted(part.sizes()) == [4, 5]
    a = network.leiden(random_graph, seed=3)
    assert a == network.leiden(random_graph, seed=3)
    # Leiden optimises the same modularity as Louvain: on a small graph, close to it.
    assert a.modularity == pytest.approx(network.louvain(random_graph, seed=3).modularity, abs=0.05)


def test_strongest_links_take_each_groups_top_partners():
    links = pd.DataFrame(
        {
            "group_a": [1, 1, 1, 2],
            "group_b": [2, 3, 4, 3],
            "edges": [10, 1, 5, 1],
            "share_of_a": [10 / 16, 1 / 16, 5 / 16, 1 / 11],
            "share_of_b": [10 / 11, 1 / 2, 1.0, 1 / 2],
            "ratio": [1.0, 0.1, 0.5, 0.1],
        }
    )
    assert network.strongest_links(links, k=1) == {(1, 2), (1, 3), (1, 4)}
    # Group 3's two links tie (1 of its 2 each): the smaller group number wins.
    assert network.strongest_links(links, k=2) == {(1, 2), (1, 3), (1, 4), (2, 3)}


def test_communities_of_a_graph_without_edges():
    g = nx.Graph()
    g.add_nodes_from(["a", "b"])
    for part in (network.louvain(g, seed=1), network.leiden(g, seed=1)):
        assert sorted(part.sizes()) == [1, 1] and part.modularity != part.modularity  # NaN
    empty = network.louvain(nx.Graph(), seed=1)
    assert empty.groups == [] and empty.membership() == {}


def test_louvain_switches_to_igraph_above_the_limit(random_graph, monkeypatch):
    reference = network.louvain(random_graph, seed=3, engine="networkx")
    fast = network.louvain(random_graph, seed=3, engine="igraph")
    assert (reference.engine, fast.engine) == ("networkx", "igraph")
    # The same method: similar divisions and modularity on the same graph.
    assert fast.modularity == pytest.approx(reference.modularity, abs=0.03)
    # About as close as two networkx seeds are to each other on this graph.
    other_seed = network.louvain(random_graph, seed=4, engine="networkx")
    between_seeds = network.agreement(random_graph, reference, other_seed)["nmi"]
    assert network.agreement(random_graph, reference, fast)["nmi"] > between_seeds - 0.1
    assert network.louvain(random_graph, seed=3, engine="igraph") == fast  # seeded
    monkeypatch.setattr(network, "LOUVAIN_NETWORKX_LIMIT", 100)
    assert network.louvain(random_graph, seed=3).engine == "igraph"
    two = network.louvain(two_cliques(), seed=1, engine="igraph")
    assert [len(g) for g in two.groups] == [5, 4]


def test_stability_above_the_limit_runs_igraph_and_matches_the_reported_partition(
    random_graph, monkeypatch
):
    monkeypatch.setattr(network, "LOUVAIN_NETWORKX_LIMIT", 100)
    seeds = [5, 6, 7]
    stab = network.stability(random_graph, seeds)
    reported = [network.louvain(random_graph, seed=s) for s in seeds]
    assert stab["runs"]["communities"].tolist() == [len(p.groups) for p in reported]
    assert stab["runs"]["modularity"].tolist() == pytest.approx([p.modularity for p in reported])
    assert network.average_clustering(random_graph) == pytest.approx(
        network.average_clustering(random_graph, engine="networkx")
    )


def test_stability_runs_shared_between_processes_are_the_runs_of_one(random_graph, monkeypatch):
    """Above STABILITY_PARALLEL_FROM users the seeds are shared out between processes:
    each seed gives the same division, count and modularity as in one process, in the
    seeds' order (five seeds: the two processes get three and two)."""
    from datasaveslives.core import processes

    pools = []
    real_pool = processes.fresh_pool
    monkeypatch.setattr(processes, "fresh_pool", lambda n: pools.append(n) or real_pool(n))
    seeds = [11, 12, 13, 14, 15]
    alone = network._multilevel_runs(random_graph, seeds, 1.0, workers=1)
    assert pools == []
    shared = network._multilevel_runs(random_graph, seeds, 1.0, workers=2, parallel_from=0)
    assert pools == [2]  # two processes ran them
    assert shared == alone
    assert len({tuple(labels) for labels in alone[0]}) > 1  # the seeds differ: order counts


def test_a_large_network_is_laid_out_by_drl_seeded(monkeypatch, tmp_path):
    import networkx as nx

    from datasaveslives.analysis import network

    g = nx.connected_watts_strogatz_graph(300, 4, 0.1, seed=1)
    g = nx.relabel_nodes(g, {n: f"u{n}" for n in g})
    assert network.layout_method(g) == "ForceAtlas2"
    monkeypatch.setattr(network, "LAYOUT_FA2_LIMIT", 100)
    assert network.layout_method(g) == "DrL"
    a = network.layout(g, seed=3)
    assert a == network.layout(g, seed=3, cache_dir=tmp_path)
    assert a == network.layout(g, seed=3, cache_dir=tmp_path)  # from the cache
    assert set(a) == set(g.nodes) and a != network.layout(g, seed=4)
    # Linked users end up closer than users picked at random.
    import math

    def dist(u, v):
        return math.dist(a[u], a[v])

    linked = sum(dist(u, v) for u, v in g.edges) / g.number_of_edges()
    nodes = sorted(g)
    unlinked = sum(dist(nodes[i], nodes[-1 - i]) for i in range(100)) / 100
    assert linked < unlinked


def test_the_modularity_the_chapter_recomputes_is_the_partitions():
    """The network chapter shows Louvain's modularity recomputed with networkx from the
    shares' table: it must be the partition's own, and the graph the package's."""
    import networkx as nx
    import pandas as pd

    from datasaveslives.analysis import network

    edges = pd.DataFrame(
        {
            "retweeter_id": ["a", "b", "c", "d", "e", "f", "a", "g"],
            "author_id": ["b", "c", "a", "e", "f", "d", "d", "g"],
        }
    )
    built = network.retweet_graph(edges).graph
    pairs = edges[edges["retweeter_id"] != edges["author_id"]]
    shares = nx.from_pandas_edgelist(pairs, "retweeter_id", "author_id")
    assert {frozenset(e) for e in shares.edges} == {frozenset(e) for e in built.edges}
    part = network.louvain(built, seed=1, resolution=1.0)
    q = nx.community.modularity(shares, [set(g) for g in part.groups], resolution=1.0)
    assert abs(q - part.modularity) < 1e-12


@pytest.mark.parametrize("size", [60, 200, 600])
def test_igraph_louvain_agrees_with_networkx_on_small_graphs(size):
    """The stability seeds run on igraph's Louvain: the same method as networkx's, which
    finds the groups the book reports. On graphs with planted groups, both recover them,
    with modularities within 0.01 of each other, seed for seed."""
    groups = [size // 6] * 6
    g = nx.planted_partition_graph(6, size // 6, 0.5, 0.01, seed=size)
    g = nx.relabel_nodes(g, {n: f"u{n:04d}" for n in g.nodes})
    planted = network.Partition(
        [frozenset(f"u{n:04d}" for n in block) for block in g.graph["partition"]], 0.0
    )
    assert [len(b) for b in planted.groups] == groups
    for seed in (1, 2, 3):
        by_networkx = network.louvain(g, seed=seed, engine="networkx")
        by_igraph = network.louvain(g, seed=seed, engine="igraph")
        assert by_igraph.modularity == pytest.approx(by_networkx.modularity, abs=0.01)
        assert network.agreement(g, by_igraph, planted)["ari"] > 0.9
        assert network.agreement(g, by_networkx, planted)["ari"] > 0.9


def test_stability_starts_from_the_reported_division(random_graph):
    """The first seed's division is the reported one (networkx's below the limit); the
    other seeds' come from igraph."""
    seeds = [5, 6, 7, 8]
    reported = network.louvain(random_graph, seed=5)
    assert reported.engine != "igraph"
    stab = network.stability(random_graph, seeds, reported=reported)
    assert stab["runs"]["communities"].iloc[0] == len(reported.groups)
    assert stab["runs"]["modularity"].iloc[0] == pytest.approx(reported.modularity)
    by_igraph = [network.louvain(random_graph, seed=s, engine="igraph") for s in seeds[1:]]
    assert stab["runs"]["modularity"].iloc[1:].tolist() == pytest.approx(
        [p.modularity for p in by_igraph]
    )
    first = [network.agreement(random_graph, reported, p)["ari"] for p in by_igraph]
    assert stab["first_ari"].tolist() == pytest.approx(first)
    # No link: every user alone whatever the seed, and no crash.
    lonely = nx.empty_graph(["a", "b", "c"])
    assert network.stability(lonely, [1, 2])["runs"]["communities"].tolist() == [3, 3]
