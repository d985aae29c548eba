"""This run's network against the paper's: which group here is which group of Table 3,
and whether the links the paper read off its Figure 2 are among the strongest here.

Group numbers are not comparable between two runs of Louvain (they number groups by
size), so a paper group is matched to the group here that holds its first-named
account.
"""

from __future__ import annotations

import networkx as nx

from datasaveslives.analysis import network

LINKS_READ_IN_PAPER: tuple[tuple[int, int], ...] = ((1, 5), (2, 6), (6, 4), (3, 1), (3, 2), (3, 8))


def match_table3(
    part: network.Partition, names: dict[str, str], table3: list[dict]
) -> dict[int, int]:
    """Table 3 group -> index of the community (among the ten largest) holding the
    group's first-named account; a group whose community another group already took,
    or that is not among the ten largest, is left out."""
    by_name = {names.get(m): i for i, grp in enumerate(part.groups[:10]) for m in grp}
    out: dict[int, int] = {}
    for row in table3:
        idx = by_name.get(next(iter(row["influential"])))
        if idx is not None and idx not in out.values():
            out[row["group"]] = idx
    return out


def leading_organisations(
    members: frozenset[str],
    cent: dict[str, float],
    is_org: dict[str, bool],
    names: dict[str, str],
    k: int,
) -> list[str]:
    """The ``k`` organisational accounts of a community with the highest eigenvector
    centrality (Table 3 lists the most influential organisational accounts)."""
    orgs = [m for m in members if is_org.get(m, False)]
    return [str(names.get(m)) for m in sorted(orgs, key=lambda m: (-cent[m], m))[:k]]


def links_as_read(
    g: nx.Graph, part: network.Partition, number: dict[int, int]
) -> dict[tuple[int, int], bool]:
    """For each link the paper reads off Figure 2 (in the paper's group numbers;
    ``number`` maps a community index to its paper number): is either group among the
    other's three strongest partners of the ten largest groups?"""
    strongest = network.strongest_links(network.group_links(g, part))
    here = {paper: idx + 1 for idx, paper in number.items()}
    out = {}
    for a, b in LINKS_READ_IN_PAPER:
        pair = tuple(sorted((here.get(a, 0), here.get(b, 0))))
        out[(a, b)] = 0 not in pair and pair in strongest
    return out
