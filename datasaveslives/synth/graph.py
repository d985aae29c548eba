"""Who retweets whom: planted hub-and-spoke groups and the directed retweet pairs.

Each user of the network gets a planted group (the ten sizes of Table 3, a
tail of mid-sized groups, and small separate components); each retweeter
spreads their retweets over a few authors, mostly the hubs of their own
group, sometimes the hubs of the groups the paper saw linked, rarely anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from datasaveslives.synth import spec


@dataclass(frozen=True)
class GraphModel:
    """Free parameters of the network model (tuned against the paper's figures)."""

    distinct_share: float = 0.41  # extra distinct authors per extra retweet
    own_group: float = 0.4  # share of further targets inside groups 1-5
    own_group_small: float = 0.72  # ... inside groups 6-10
    own_group_medium: float = 0.96  # ... inside the mid-sized groups
    linked_group: float = 0.05  # share to hubs of linked groups (rest: ordinary authors)
    hub_boost: float = 40.0  # weight of a hub relative to an ordinary author
    cross_floor: float = 0.15  # link strength given to every pair of big groups
    second_hub: float = 0.8  # chance a retweeter's second author is another hub of its group
    medium_groups: int = 19
    medium_largest: int = 42
    small_sizes: tuple[tuple[int, int], ...] = ((2, 35), (3, 18), (4, 10), (5, 6))
    # Planted size of each of groups 1-10 relative to Table 3: Louvain adds a
    # few neighbours to each, so a group is planted a little smaller than the
    # community it should become.
    size_scale: tuple[float, ...] = (
        1.068,
        1.015,
        1.113,
        1.071,
        0.992,
        0.89,
        0.915,
        0.722,
        0.848,
        0.793,
    )
    chains: int = 2  # chains of peripheral authors that set the diameter
    chain_length: int = 3


def group_sizes(model: GraphModel, nodes: int) -> tuple[list[int], list[int], list[int]]:
    """Sizes of the big (Table 3), medium and small groups, summing to ``nodes``."""
    table3 = [row["users"] for row in spec.targets()["network"]["table3"]]
    big = [round(n * f) for n, f in zip(table3, model.size_scale, strict=True)]
    small = [size for size, count in model.small_sizes for _ in range(count)]
    rest = nodes - sum(big) - sum(small)
    k = model.medium_groups
    ratio = np.linspace(1.0, 0.0, k) ** 2.2
    raw = 6 + ratio * (model.medium_largest - 6)
    medium = np.maximum(6, np.round(raw * rest / raw.sum())).astype(int)
    medium[0] += rest - medium.sum()  # rounding goes to the largest
    medium = sorted(medium.tolist(), reverse=True)
    if medium[-1] < 6 or medium[0] >= min(big):
        raise ValueError(f"medium group sizes out of range: {medium}")
    return big, medium, small


def assign_groups(
    rng: np.random.Generator, roster: pd.DataFrame, model: GraphModel, nodes: int
) -> pd.DataFrame:
    """Give every user a planted group: 1-10 big, 11+ medium and small, 0 outside."""
    roster = roster.copy()
    big, medium, small = group_sizes(model, nodes)
    n_content = roster["n_orig"] + roster["n_quote"]
    total = n_content + roster["n_rt"]
    retweeter = roster["n_rt"] > 0
    fixed = roster["group"] > 0

    single_author = roster.index[(~retweeter) & (total == 1) & ~fixed].to_numpy().copy()
    multi_author = roster.index[(~retweeter) & (total > 1) & ~fixed].to_numpy().copy()
    n_authors_only = nodes - int(retweeter.sum())
    n_single_authors = n_authors_only - len(multi_author) - int(((~retweeter) & fixed).sum())
    rng.shuffle(single_author)
    outsiders = single_author[n_single_authors:]
    single_author = single_author[:n_single_authors]
    roster.loc[outsiders, "group"] = 0

    single_rt = roster.index[retweeter & (total == 1) & ~fixed].to_numpy().copy()
    multi_rt = roster.index[retweeter & (total > 1) & ~fixed].to_numpy().copy()
    rng.shuffle(single_rt)
    rng.shuffle(multi_rt)

    # Small separate components: one author retweeted by 1-4 single retweeters.
    small_ids = list(range(11 + len(medium), 11 + len(medium) + len(small)))
    author_iter = iter(single_author)
    rt_iter = iter(single_rt)
    for gid, size in zip(small_ids, small, strict=True):
        roster.at[next(author_iter), "group"] = gid
        for _ in range(size - 1):
            roster.at[next(rt_iter), "group"] = gid
    single_author = np.array(list(author_iter), dtype=int)
    single_rt = np.array(list(rt_iter), dtype=int)

    # Big and medium groups: fixed accounts first, then the others in proportion.
    sizes = {g: s for g, s in enumerate(big, 1)}
    sizes.update({g: s for g, s in enumerate(medium, 11)})
    room = {g: s - int((roster["group"] == g).sum()) for g, s in sizes.items()}
    pools = [np.concatenate([multi_author, single_author]), multi_rt]
    for pool in pools:
        share = np.array([max(room[g], 0) for g in sizes], dtype=float)
        counts = _proportional(len(pool), share)
        start = 0
        for g, c in zip(sizes, counts, strict=True):
            roster.loc[pool[start : start + c], "group"] = g
            room[g] -= c
            start += c
    start = 0
    for g in sizes:
        if room[g] < 0:
            raise ValueError(f"group {g} over-filled")
        roster.loc[single_rt[start : start + room[g]], "group"] = g
        start += room[g]
    if start != len(single_rt) or (roster["group"] < 0).any():
        raise ValueError("group sizes and users do not add up")
    return roster


def _proportional(n: int, share: np.ndarray) -> np.ndarray:
    """Split ``n`` in proportion to ``share`` by largest remainders."""
    if n == 0 or share.sum() == 0:
        return np.zeros(len(share), dtype=int)
    exact = n * share / share.sum()
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: n - base.sum()]] += 1
    return base


@dataclass
class _Authors:
    """Who can be retweeted: the roster's arrays, authors by group, hubs and links."""

    rng: np.random.Generator
    model: GraphModel
    content: np.ndarray
    group: np.ndarray
    hub_w: np.ndarray
    n_rt: np.ndarray
    weight: np.ndarray
    by_group: dict[int, np.ndarray]
    big_groups: list[int]
    hubs_by_group: dict[int, np.ndarray]
    links: dict[int, list[tuple[int, float]]]

    def pick(self, pool: np.ndarray, exclude: set[int]) -> int | None:
        """One author of ``pool`` not in ``exclude``, in proportion to weight."""
        cand = np.array([x for x in pool if x not in exclude], dtype=int)
        if len(cand) == 0:
            return None
        w = self.weight[cand]
        if w.sum() <= 0:
            w = np.ones(len(cand))
        return int(self.rng.choice(cand, p=w / w.sum()))


def _authors(rng: np.random.Generator, roster: pd.DataFrame, model: GraphModel) -> _Authors:
    content = (roster["n_orig"] + roster["n_quote"]).to_numpy()
    group = roster["group"].to_numpy()
    hub_w = roster["hub_weight"].to_numpy()
    n_rt = roster["n_rt"].to_numpy()

    weight = np.where(hub_w > 0, hub_w * model.hub_boost, 0.0)
    ordinary = (hub_w == 0) & (content > 0)
    weight[ordinary] = np.sqrt(content[ordinary]) * rng.lognormal(0.0, 0.8, ordinary.sum())
    by_group: dict[int, np.ndarray] = {}
    for g in np.unique(group[group > 0]):
        members = np.flatnonzero((group == g) & (content > 0))
        by_group[int(g)] = members
    big_groups = [g for g in by_group if g <= 10]
    hubs_by_group = {g: a[hub_w[a] > 0] for g, a in by_group.items()}
    links: dict[int, list[tuple[int, float]]] = {}
    for (a, b), s in spec.GROUP_LINKS.items():
        links.setdefault(a, []).append((b, s))
        links.setdefault(b, []).append((a, s))
    # Each mid-sized group hangs off one of the five largest groups (its
    # "parent"), chosen by size: a small parent would absorb it.
    large = [g for g in big_groups if g <= 5]
    large_sizes = np.array([np.sum(group == g) for g in large], dtype=float)
    for g in by_group:
        if 10 < g <= 10 + model.medium_groups:
            parent = large[rng.choice(len(large), p=large_sizes / large_sizes.sum())]
            links[g] = [(parent, 1.0)]
    return _Authors(
        rng, model, content, group, hub_w, n_rt, weight, by_group, big_groups, hubs_by_group,
        links,
    )  # fmt: skip


def _first_targets(au: _Authors) -> dict[int, list[int]]:
    """The authors every retweeter must retweet: its small component's author, the
    group's authors-only users, and (for a hub) the other hubs of its group."""
    group, content, n_rt, model = au.group, au.content, au.n_rt, au.model
    targets: dict[int, list[int]] = {int(u): [] for u in np.flatnonzero(n_rt > 0)}

    # Small components: every retweeter retweets the component's author.
    small_groups = sorted(set(group[group > 10 + model.medium_groups]))
    for g in small_groups:
        members = np.flatnonzero(group == g)
        author = [m for m in members if content[m] > 0 and n_rt[m] == 0]
        a = int(author[0]) if author else int(members[0])
        for member in members:
            if member != a and n_rt[member] > 0:
                targets[int(member)].append(a)

    # Authors-only users must be retweeted by someone in their group.
    for only in np.flatnonzero(
        (n_rt == 0) & (content > 0) & (group > 0) & (group <= 10 + model.medium_groups)
    ):
        # A retweeter with other retweets, so the pair is not a component of its own.
        cands = np.flatnonzero((group == group[only]) & (n_rt > 1))
        cw = np.sqrt(n_rt[cands]).astype(float)
        chosen = int(au.rng.choice(cands, p=cw / cw.sum()))
        targets[chosen].append(int(only))

    # The hubs of a group form its tight core: each retweets the others.
    for hubs in au.hubs_by_group.values():
        for hub in hubs:
            if n_rt[hub] > 0:
                targets[int(hub)].extend(
                    int(h) for h in hubs if h != hub and int(h) not in targets[int(hub)]
                )
    return targets


def _more_targets(au: _Authors, targets: dict[int, list[int]]) -> None:
    """Further authors for each retweeter in a group: its own group's, often a second
    hub of it, a linked group's hubs, or an ordinary author elsewhere."""
    rng, model = au.rng, au.model
    for u in sorted(targets):
        g = int(au.group[u])
        if g > 10 + model.medium_groups:
            continue
        extra = rng.binomial(au.n_rt[u] - 1, model.distinct_share) if au.n_rt[u] > 1 else 0
        want = max(1, 1 + extra)
        chosen = set(targets[u]) | {u}
        own = (
            model.own_group
            if g <= 5
            else model.own_group_small
            if g <= 10
            else model.own_group_medium
        )
        tries = 0
        while len(targets[u]) < want and tries < 20 * want:
            tries += 1
            # The first author anchors the user in its own group; the second is
            # often another hub of it (spokes bridging a group's hubs keep the
            # group whole); further authors may lie elsewhere.
            x = rng.random() if targets[u] or tries > 3 else 0.0
            a = None
            if len(targets[u]) == 1 and rng.random() < model.second_hub:
                a = au.pick(au.hubs_by_group.get(g, np.array([], dtype=int)), chosen)
            if a is None and x < own:
                a = au.pick(au.by_group[g], chosen)
            if a is None and own <= x < own + model.linked_group and g in au.links:
                # A hub of a group the paper saw linked to this one.
                lg = _linked(rng, au.links[g])
                a = au.pick(au.hubs_by_group.get(lg, au.by_group[lg]), chosen)
            elif a is None:
                # An ordinary author elsewhere: linked groups first, any big group
                # possible. Peripheral cross links lower modularity without
                # creating hub-to-hub shortcuts.
                lg = _linked(
                    rng,
                    au.links.get(g, []) + [(b, model.cross_floor) for b in au.big_groups if b != g],
                )
                pool = au.by_group[lg]
                a = au.pick(pool[au.hub_w[pool] == 0], chosen)
            if a is not None:
                targets[u].append(a)
                chosen.add(a)


def _spread(au: _Authors, targets: dict[int, list[int]]) -> list[tuple[int, int, int]]:
    """Each retweeter's retweets spread over its authors (at most an author's posts
    each, in proportion to weight): (retweeter, author, retweets) rows."""
    rng, model, content, n_rt = au.rng, au.model, au.content, au.n_rt
    rows = []
    for u in sorted(targets):
        ts = targets[u]
        if not ts:
            raise ValueError(f"retweeter {u} has no author to retweet")
        cap = np.array([content[a] for a in ts])
        counts = np.ones(len(ts), dtype=int)
        rest = n_rt[u] - len(ts)
        if rest < 0:  # pre-assigned targets beyond the user's retweets: keep the first
            ts, counts, rest = ts[: n_rt[u]], counts[: n_rt[u]], 0
            cap = cap[: n_rt[u]]
        w = np.array([max(au.weight[a], 1e-3) for a in ts])
        while rest > 0:
            room = counts < cap
            if not room.any():  # every author is exhausted: retweet one more author
                g = int(au.group[u])
                pool = au.by_group.get(g, np.array([], dtype=int))
                a = au.pick(pool, set(ts) | {u}) if g <= 10 + model.medium_groups else None
                if a is None:
                    big = au.big_groups[rng.integers(len(au.big_groups))]
                    a = au.pick(au.by_group[big], set(ts) | {u})
                if a is None:
                    raise ValueError(f"retweeter {u} has no author left to retweet")
                ts = [*ts, a]
                cap = np.append(cap, content[a])
                counts = np.append(counts, 1)
                w = np.append(w, max(au.weight[a], 1e-3))
                rest -= 1
                continue
            p = np.where(room, w, 0.0)
            k = int(rng.choice(len(ts), p=p / p.sum()))
            counts[k] += 1
            rest -= 1
        rows += [(u, a, int(c)) for a, c in zip(ts, counts, strict=True)]
    return rows


def retweet_pairs(
    rng: np.random.Generator, roster: pd.DataFrame, model: GraphModel
) -> pd.DataFrame:
    """Directed (retweeter, author, retweets) pairs; every retweet of the window is in one."""
    au = _authors(rng, roster, model)
    targets = _first_targets(au)
    _more_targets(au, targets)
    _add_chains(rng, targets, roster, model, au.content, au.n_rt)
    return pd.DataFrame(_spread(au, targets), columns=["retweeter", "author", "retweets"])


def _linked(rng: np.random.Generator, options: list[tuple[int, float]]) -> int:
    """One group among ``options`` (group, strength), in proportion to strength."""
    groups, strength = zip(*options, strict=True)
    s = np.array(strength, dtype=float)
    return int(groups[rng.choice(len(groups), p=s / s.sum())])


def _add_chains(
    rng: np.random.Generator,
    targets: dict[int, list[int]],
    roster: pd.DataFrame,
    model: GraphModel,
    content: np.ndarray,
    n_rt: np.ndarray,
) -> None:
    """Rewire a few peripheral users into chains (each retweets the previous one),
    hung from mid-sized groups at the edge of the network: these long thin tails
    are what sets the network's diameter."""
    group = roster["group"].to_numpy()
    hub = roster["hub_weight"].to_numpy() > 0
    medium = (group > 10) & (group <= 10 + model.medium_groups)
    retweeted = {a for ts in targets.values() for a in ts}
    unseen = ~np.isin(np.arange(len(group)), list(retweeted))
    # Chain links: retweeted by nobody else (no shortcut into the chain), a few
    # retweets at most (all of them of the previous link) and some originals
    # (for the next link to retweet).
    fit = (n_rt >= 1) & (n_rt <= 3) & (content >= 1) & ~hub
    fit &= (group > 0) & (group <= 10 + model.medium_groups)
    link_ok = fit & unseen
    end_ok = (n_rt == 1) & (content == 0) & (group > 5) & (group <= 10 + model.medium_groups)
    anchors = [int(u) for u in np.flatnonzero(medium & (content >= 1) & ~hub & ~link_ok)]
    # Users nobody retweets first; others only if those run out.
    pool = [int(u) for u in np.flatnonzero(link_ok)] + [
        int(u) for u in np.flatnonzero(fit & ~unseen)
    ]
    ends = list(np.flatnonzero(end_ok))
    first, rest = pool[: int(link_ok.sum())], pool[int(link_ok.sum()) :]
    rng.shuffle(first)
    rng.shuffle(rest)
    pool = first + rest
    rng.shuffle(ends)
    rng.shuffle(anchors)
    for _ in range(model.chains):
        if len(pool) < model.chain_length or not ends or not anchors:
            raise ValueError("not enough peripheral users to build the network's chains")
        head = anchors.pop()
        chain = [head]
        for _ in range(model.chain_length):
            # The next link retweets only the previous one, as often as it retweets.
            fits = [u for u in pool if n_rt[u] <= content[chain[-1]]]
            if not fits:
                raise ValueError("no peripheral user fits the next link of a chain")
            nxt = int(fits[0])
            pool.remove(nxt)
            chain.append(nxt)
        for prev, nxt in zip(chain, [*chain[1:], int(ends.pop())], strict=True):
            targets[int(nxt)] = [int(prev)]
