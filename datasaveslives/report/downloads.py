"""The book's downloads: tables as CSV and the network as GEXF, with floating values to
``DIGITS`` significant digits (a value computed again on another machine may differ in
its last bits; the downloads do not)."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd

from datasaveslives.analysis import network

DIGITS = 6


def rounded(value: float) -> float:
    """``value`` to ``DIGITS`` significant digits (as the downloads give it)."""
    return float(f"{value:.{DIGITS}g}")


def csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as a CSV download (no index; floats to ``DIGITS`` significant
    digits)."""
    frame.to_csv(path, index=False, float_format=f"%.{DIGITS}g")
    return Path(path)


def gexf(
    graph: nx.Graph,
    path: str | Path,
    *,
    partition: network.Partition,
    centrality: dict[str, float],
    labels: dict[str, str],
    supporters: set[str],
    positions: dict[str, tuple[float, float]] | None = None,
) -> None:
    """A GEXF file Gephi opens on the same picture: node attributes group, degree,
    eigenvector centrality, official-supporter flag and the (pseudonymised) label,
    and the layout's coordinates when given. Edge weights are the retweet counts."""
    member = partition.membership()
    out = nx.Graph()
    for node in sorted(graph.nodes):
        attrs = {
            "label": labels.get(node, node),
            "group": int(member[node]),
            "degree": int(graph.degree(node)),
            "eigenvector": rounded(float(centrality.get(node, 0.0))),
            "official_supporter": node in supporters,
        }
        if positions and node in positions:
            x, y = positions[node]
            position = {"x": rounded(float(x)), "y": rounded(float(y)), "z": 0.0}
            attrs["viz"] = {"position": position}
        # Node ids are replaced by labels too, so no raw account id leaves the build.
        out.add_node(labels.get(node, node), **attrs)
    for u, v, w in graph.edges(data="retweets", default=1):
        out.add_edge(labels.get(u, u), labels.get(v, v), weight=int(w))
    # networkx stamps the day it writes (lastmodifieddate): leave it out, so that the same
    # inputs give the same file whatever the day (the attribute is optional in GEXF).
    text = "\n".join(nx.generate_gexf(out))
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    Path(path).write_text(
        "<?xml version='1.0' encoding='utf-8'?>\n" + text + "\n", encoding="utf-8"
    )
