"""The book's downloads: tables as CSV and the network as GEXF, with floating values to
``DIGITS`` significant digits (a value computed again on another machine may differ in
its last bits; the downloads do not)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import networkx as nx
import pandas as pd

from datasaveslives import __version__
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


# GEXF 1.2's node attributes as Gephi reads them: (id, title, type).
GEXF_ATTRIBUTES = (
    ("0", "group", "long"),
    ("1", "degree", "long"),
    ("2", "eigenvector", "double"),
    ("3", "official_supporter", "boolean"),
)
GEXF_HEADER = (
    '<gexf xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns="http://www.gexf.net/1.2draft" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
    'version="1.2">'
)


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
    and the layout's coordinates when given. Edge weights are the retweet counts.

    Written node by node, as networkx's writer (``nx.write_gexf``) would write the same
    graph, without its document tree: on the 100x corpus (339,000 accounts) that tree
    took 30 s and over a gigabyte. Nodes in the order of their ids, edges in the graph's
    order, no date (the same inputs give the same file on any day); networkx reads it
    back (tests/test_network.py)."""
    member = partition.membership()
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        out.write("<?xml version='1.0' encoding='utf-8'?>\n" + GEXF_HEADER + "\n")
        out.write(f"  <meta>\n    <creator>datasaveslives {__version__}</creator>\n  </meta>\n")
        out.write('  <graph defaultedgetype="undirected" mode="static" name="">\n')
        out.write('    <attributes mode="static" class="node">\n')
        for key, title, kind in GEXF_ATTRIBUTES:
            out.write(f'      <attribute id="{key}" title="{title}" type="{kind}" />\n')
        out.write("    </attributes>\n    <nodes>\n")
        for node in sorted(graph.nodes):
            # Node ids are replaced by labels too, so no raw account id leaves the build.
            name = quoteattr(labels.get(node, node))
            out.write(f"      <node id={name} label={name}>\n")
            if positions and node in positions:
                x, y = positions[node]
                out.write(
                    f'        <viz:position x="{rounded(float(x))!r}" '
                    f'y="{rounded(float(y))!r}" z="0.0" />\n'
                )
            values = (
                int(member[node]),
                int(graph.degree(node)),
                repr(rounded(float(centrality.get(node, 0.0)))),
                "true" if node in supporters else "false",
            )
            out.write("        <attvalues>\n")
            for (key, _, _), value in zip(GEXF_ATTRIBUTES, values, strict=True):
                out.write(f'          <attvalue for="{key}" value="{value}" />\n')
            out.write("        </attvalues>\n      </node>\n")
        out.write("    </nodes>\n    <edges>\n")
        for i, (u, v, w) in enumerate(graph.edges(data="retweets", default=1)):
            source, target = quoteattr(labels.get(u, u)), quoteattr(labels.get(v, v))
            out.write(
                f'      <edge source={source} target={target} id="{i}" weight="{int(w)}" />\n'
            )
        out.write("    </edges>\n  </graph>\n</gexf>\n")
