"""This run's network against the paper's: which group here is which group of Table 3,
and whether the links the paper read off its Figure 2 are among the strongest here.

Group numbers are not comparable between two runs of Louvain (they number groups by
size). :func:`paper_groups` matches this run's groups to the paper's by the named
accounts they share (the most overlap in all, Hungarian assignment): the chapters show
both numbers by it, and Table 3's comparisons and the calibration read it through
:func:`match_table3`.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from datasaveslives.analysis import network
from datasaveslives.paper import comparison

LINKS_READ_IN_PAPER: tuple[tuple[int, int], ...] = ((1, 5), (2, 6), (6, 4), (3, 1), (3, 2), (3, 8))


def match_table3(
    part: network.Partition, names: dict[str, str], placed: dict[str, int] | None = None
) -> dict[int, int]:
    """The paper's group -> index (0-based) of this run's group it is matched with by
    :func:`paper_groups` (the accounts the paper placed, ``placed``; default: Tables 1
    and 3 of the paper's record), for the matches among this run's ten largest groups:
    the one matching the chapters show, read the way Table 3's comparisons need it."""
    if placed is None:
        placed = placed_accounts(comparison.paper())
    numbers_here = numbers(paper_groups(part, names, placed))
    return {paper: here - 1 for here, paper in numbers_here.items() if here <= 10}


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


def placed_accounts(figures: dict) -> dict[str, int]:
    """The accounts the paper placed in a network group (case-folded name -> group):
    Table 1's authors and Table 3's most influential accounts (the two agree)."""
    out: dict[str, int] = {}
    for row in figures.get("top_shared_tweets") or []:
        if row.get("user") and row.get("group") is not None:
            out[str(row["user"]).casefold()] = int(row["group"])
    for row in (figures.get("network") or {}).get("table3") or []:
        for name in row.get("influential") or {}:
            out.setdefault(str(name).casefold(), int(row["group"]))
    return out


MAPPING_COLUMNS = ["group", "paper_group", "accounts"]


def paper_groups(
    part: network.Partition, names: Mapping[str, str | None], placed: dict[str, int]
) -> pd.DataFrame:
    """This run's groups (1 = largest) matched one to one with the paper's by the named
    accounts they share, maximising the shared accounts over all pairs (SciPy's
    ``linear_sum_assignment``); pairs sharing no account are not matched. Columns:
    ``group``, ``paper_group``, ``accounts`` (the shared names, sorted)."""
    shared: dict[tuple[int, int], list[str]] = {}
    for here, members in enumerate(part.groups, 1):
        for member in members:
            name = names.get(member)
            if name and name.casefold() in placed:
                shared.setdefault((here, placed[name.casefold()]), []).append(name)
    if not shared:
        return pd.DataFrame(columns=MAPPING_COLUMNS)
    rows = sorted({h for h, _ in shared})
    cols = sorted({p for _, p in shared})
    overlap = np.zeros((len(rows), len(cols)))
    for (h, p), accounts in shared.items():
        overlap[rows.index(h), cols.index(p)] = len(accounts)
    from scipy.optimize import linear_sum_assignment  # here: most importers never match

    r, c = linear_sum_assignment(overlap, maximize=True)
    matched = [
        {
            "group": rows[i],
            "paper_group": cols[j],
            "accounts": sorted(shared[(rows[i], cols[j])], key=str.casefold),
        }
        for i, j in zip(r, c, strict=True)
        if overlap[i, j] > 0
    ]
    return pd.DataFrame(matched, columns=MAPPING_COLUMNS).sort_values("group", ignore_index=True)


def numbers(mapping: pd.DataFrame) -> dict[int, int]:
    """This run's group number -> the paper's, from :func:`paper_groups`."""
    return {int(h): int(p) for h, p in zip(mapping["group"], mapping["paper_group"], strict=True)}


def paper_numbers(
    part: network.Partition, names: Mapping[str, str | None], compared_with: str | None
) -> dict[int, int]:
    """This run's group number -> the paper's, for a run whose study compares with the
    paper (``compared_with``, the ``paper`` parameter); empty otherwise."""
    if not compared_with:
        return {}
    return numbers(paper_groups(part, names, placed_accounts(comparison.paper())))
