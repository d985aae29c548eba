"""The network chapter's case-dependent sentences (``book/network.md``)."""

from __future__ import annotations

import html
import math
from typing import Any

from datasaveslives.report import display, wording


def colours(groups_drawn: str, groups: int, drawn: int = 10) -> str:
    """The network figure's caption on colours."""
    return f"Colours are {groups_drawn}" + (", other groups grey" if groups > drawn else "")


def figure2_check(compared: bool) -> str:
    """The end of the sentence introducing the group map: where the paper's reading is
    checked, if this run is compared with the paper."""
    if compared:
        return (
            "; the paper's reading of its Figure 2 is set against this run below, under "
            "Paper vs this run."
        )
    return "."


def no_network(shared: str, shares: str) -> str:
    """A note for a run in which nobody shared anyone's post (Markdown admonition)."""
    return (
        f":::{{note}}\nNo post was {shared} by another user in this run's data, so there is "
        f"no network of {shares}: nothing below can be measured and the figures are empty.\n:::"
    )


def _paths(stats: dict[str, Any], exact_limit: int) -> str:
    if stats["path_method"] == "exact":
        return (
            "Both are exact, over every pair of users in that part (Gephi averages over the "
            "connected pairs of the whole network, which differs little when one part holds "
            "most users)."
        )
    return (
        f"That part has **{stats['giant_nodes']:,}** users, more than the {exact_limit:,} up "
        f"to which this chapter measures every pair, so both come from shortest paths out of "
        f"**{stats['path_sources']:,}** users drawn with the run's seed: the average path "
        f"length is an estimate (standard error **{stats['path_se']:.3f}**; 95% interval "
        f"**{stats['path_ci_low']:.2f} to {stats['path_ci_high']:.2f}**) and the diameter is "
        "the longest path found, so a lower bound."
    )


def description(stats: dict[str, Any], exact_limit: int, shared: str) -> str:
    """The network's size, parts, paths and clustering (one paragraph)."""
    if not stats["edges"]:
        return (
            f"No user {shared} another's post here, so there is no network: no links, parts, "
            "paths or clustering to measure."
        )
    return (
        f"The network has {stats['nodes']:,} users and {stats['edges']:,} links (average "
        f"degree {display.stat(stats['average_degree'], 2)}, density "
        f"{display.stat(stats['density'], 4)}), in "
        f"{display.counted(stats['components'], 'separate part')}; "
        f"{wording.largest_part(stats['giant_share'])}. Within that largest part, the average "
        f"shortest path between two users is {display.stat(stats['average_path_length'], 2)} "
        f"links and the longest is {stats['diameter']} (the diameter). "
        f"{_paths(stats, exact_limit)} The average clustering coefficient (how often two users "
        "linked to the same user are linked to each other) is "
        f"{display.stat(stats['average_clustering'], 3)}."
    )


def communities(
    has_network: bool,
    engine: str,
    networkx_limit: int,
    sizes: list[int],
    modularity: float,
    nodes: int,
    declared: int,
    supporter_groups: list[int],
) -> str:
    """How Louvain divided the network, and where the official supporters sit."""
    if not has_network:
        return "With no network there are no communities to find."
    implementation = (
        "networkx's implementation"
        if engine == "networkx"
        else f"igraph's implementation, since the network has more than {networkx_limit:,} "
        "users; networkx's would take minutes"
    )
    top5 = (
        f". The five largest hold {sum(sizes[:5]):,} users "
        f"({display.percent(sum(sizes[:5]) / nodes)}); "
        if len(sizes) > 5
        else "; "
    )
    small = sum(s <= 5 for s in sizes)
    where = wording.supporter_groups(declared, supporter_groups, len(sizes))
    return (
        f"Louvain (with the run's seed and resolution, both parameters of this chapter; "
        f"{implementation}) divides the network into {display.counted(len(sizes), 'group')} "
        f"with modularity {display.stat(modularity, 3)}: {wording.modularity(modularity)}. "
        f"Groups are numbered by size{top5}{display.counted(small, 'group')} "
        f"{'has' if small == 1 else 'have'} five users or fewer. {where.capitalize()}."
    )


def stability(
    has_network: bool,
    stab: dict[str, Any],
    rank: int,
    leiden_groups: int | None,
    leiden_modularity: float | None,
    leiden_ari: float | None,
) -> str:
    """How much the division depends on Louvain's seed, and what Leiden finds."""
    runs = stab["runs"]
    seeds = len(runs)
    defined = seeds > 1 and len(stab["ari"]) and not math.isnan(stab["ari"].median())
    if not has_network:
        return ""
    if not defined:
        return wording.stability_sentence(None, seeds)
    modularity = wording.range_over_seeds(
        "modularity", display.stat(runs["modularity"].min()), display.stat(runs["modularity"].max())
    )
    groups = wording.range_over_seeds(
        "the number of groups", f"{runs['communities'].min():,}", f"{runs['communities'].max():,}"
    )
    reported = (
        f"its median adjusted Rand index with the other seeds' divisions is "
        f"**{display.stat(stab['first_ari'].median(), 2)}**, and its modularity ranks "
        f"**{rank}** of **{seeds}**."
        if len(stab["first_ari"])
        else "with one seed, its stability is not measured."
    )
    leiden = (
        " The {term}`Leiden method` {cite}`traag2019` (igraph, same seed and resolution), "
        "which refines "
        "Louvain and guarantees that every group is connected, finds "
        f"**{leiden_groups}** groups with modularity "
        f"**{display.stat(leiden_modularity)}**; its division agrees with the reported one "
        f"with an adjusted Rand index of **{display.stat(leiden_ari, 2)}**."
        if leiden_groups is not None and leiden_modularity is not None and leiden_ari is not None
        else ""
    )
    return (
        "Louvain starts from a random order, so a different seed can give a different "
        f"division. Over {seeds} seeds (the first seed's division is the reported one; the "
        f"others were found by igraph's implementation of the same method, which is "
        f"faster), {modularity} and {groups}; "
        "the divisions agreed with "
        "each other with a median adjusted Rand index of "
        f"{display.stat(stab['ari'].median(), 2)} (1 means identical) and a median "
        "{term}`normalised mutual information` of "
        f"{display.stat(stab['nmi'].median(), 2)}. The division reported here is the first "
        f"seed's: {reported}{leiden}"
    )


def explorer(href: str, size: int, users: int, groups: list[int]) -> str:
    """The HTML edition's paragraph on the interactive network at ``href`` (``size``
    bytes), which draws ``users`` users; it opens on each of ``groups`` (the largest
    groups drawn, by number) from links here. Raw HTML links: the page is a static file,
    not a chapter."""
    if users == 0:  # said just after the chapter's "no groups to describe" (no shares)
        return "There is no interactive network to explore either."
    page = f'<a href="{html.escape(href)}">the interactive network</a>'
    lead = (
        f"An interactive version opens on its own page: {page} ({display.file_size(size)}; "
        "it works offline). Pan, zoom and click a user to see their label (pseudonymised as "
        "above), group and centrality; choose a group in its table to highlight the "
        "group's members."
    )
    links = [f'<a href="{html.escape(href)}#group={g}">{g}</a>' for g in groups]
    if not links:
        return lead
    if len(links) == 1:
        return f"{lead} It can also open with group {links[0]} highlighted."
    return f"{lead} It can also open with a group highlighted: groups {display.listed(links)}."


def layout_how(method: str, fa2_limit: int) -> str:
    """How the network figure is laid out (a phrase after "draws the network")."""
    if method == "ForceAtlas2":
        return "as Gephi would, with the ForceAtlas2 layout"
    return (
        f"with igraph's DrL layout, built for large graphs: its largest part has more than "
        f"{fa2_limit:,} users, for which ForceAtlas2 takes minutes"
    )


def words_caption(hashtag: str | None, organisations: bool = False) -> str:
    """Table 3's note on how its words were counted (and, on a run with account types,
    where its organisations come from)."""
    also = f" and {hashtag}" if hashtag else ""
    kinds = (
        " The most central organisations are the accounts the run's account types call "
        "organisations; every account's centrality is in the download."
        if organisations
        else ""
    )
    return (
        f"*Words are counted after the stop words of `data/stopwords.txt`{also} are removed; "
        "post words come from members' original posts and quotes. Accounts that may not be "
        f"named are shown by pseudonym, and their names are left out of the words.{kinds}*"
    )


def summary(
    has_network: bool,
    nodes: int,
    sizes: list[int],
    modularity: float,
    path_length: float,
    shared: str,
) -> str:
    """The chapter's summary paragraph."""
    if not has_network:
        return f"No post was {shared} between users here, so there is no network to describe."
    top5 = (
        f", the five largest holding {display.percent(sum(sizes[:5]) / nodes)} of them"
        if len(sizes) > 5
        else ""
    )
    return (
        f"The {nodes:,} users who shared posts or were shared form "
        f"{display.counted(len(sizes), 'group')} (modularity {display.stat(modularity, 3)})"
        f"{top5}; any two users of the largest connected part are on average "
        f"{display.stat(path_length, 2)} links apart."
    )


def mapping_method(declared: bool) -> str:
    """How this run's groups are paired with the published study's (a lead-in to the
    code that does it), or that there is nothing to pair them with."""
    if not declared:
        return (
            "Groups are numbered by size. A run whose study compares with a published one "
            "pairs them with the study's groups here:"
        )
    return (
        "Louvain numbers groups by size, so this run's group 3 need not be the paper's group "
        "3. The paper placed named accounts in its groups (Tables 1 and 3). Its groups and "
        "this run's are paired one to one by those accounts, the pairs chosen together so "
        "that the accounts they share are the most in all (the Hungarian assignment, SciPy); "
        "a group that shares no account with any partner left stays unpaired:"
    )


def group_mapping(declared: bool, matched: list[tuple[int, int]], paper_groups: int) -> str:
    """Which of this run's groups is which of the paper's (``matched``: pairs of this
    run's number and the paper's), or why there is no matching."""
    if not declared:
        return (
            "This run declares no published study whose groups it could be matched with, "
            "so groups carry this run's numbers only."
        )
    if not matched:
        return (
            "No group of this run holds an account the paper placed in one of its groups, "
            "so groups carry this run's numbers only."
        )
    differ = [(here, paper) for here, paper in matched if here != paper]
    n = len(matched)
    which = (
        f"all {paper_groups} of the paper's groups"
        if n == paper_groups
        else f"{n} of the paper's {paper_groups} groups"
    )
    if not differ:
        same = "each carries the same number here as in the paper"
        return f"The matching pairs {which} with a group of this run, and {same}."
    listed = ", ".join(f"this run's {here} is the paper's {paper}" for here, paper in differ)
    return (
        f"The matching pairs {which} with a group of this run; "
        f"{display.counted(len(differ), 'group')} carry another number here ({listed}), so "
        f"the book shows both wherever a group appears: “{differ[0][0]} (paper's "
        f"{differ[0][1]})”."
    )
