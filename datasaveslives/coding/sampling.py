"""The order in which original posts are read and coded, as in the paper: the first
posts in date order to build the coding frame, then the rest in a seeded random order
(optionally stratified, so that every prefix of the order keeps the strata's shares)."""

from __future__ import annotations

import numpy as np
import pandas as pd

STRATA = ("month", "type", "group")


def coding_order(
    originals: pd.DataFrame,
    first: int = 200,
    seed: int = 0,
    stratify: str | None = None,
    groups: dict[str, int] | None = None,
    top_groups: int = 10,
) -> pd.DataFrame:
    """Every original post with its place in the coding order.

    Columns: ``order`` (1 = read first), ``phase`` (``"frame"`` for the first ``first``
    posts by date, ``"random"`` after), ``stratum`` and the post's columns. The random
    phase is a seeded permutation; with ``stratify`` (``"month"``, ``"type"`` or
    ``"group"``: the author's network group from ``groups``, groups beyond
    ``top_groups`` pooled as ``"other"``) each post gets the key (rank within its
    stratum + u) / stratum size, u uniform, so that any prefix holds each stratum in
    proportion to its size.
    """
    if stratify is not None and stratify not in STRATA:
        raise ValueError(f"stratify must be one of {', '.join(STRATA)} or none, not {stratify!r}")
    if stratify == "group" and groups is None:
        raise ValueError("stratifying by network group needs the groups")
    posts = originals.sort_values(["created_at", "post_id"], kind="stable").reset_index(drop=True)
    posts["stratum"] = _strata(posts, stratify, groups or {}, top_groups)
    framed = posts.iloc[:first].assign(phase="frame")
    rest = posts.iloc[first:].copy()
    rng = np.random.default_rng(seed)
    if stratify is None:
        rest["_key"] = rng.permutation(len(rest))
    else:
        u = rng.random(len(rest))
        key = np.empty(len(rest))
        # Shuffle within each stratum, then spread the stratum evenly over [0, 1).
        for _, idx in sorted(rest.groupby("stratum").indices.items()):
            key[idx] = (rng.permutation(len(idx)) + u[idx]) / len(idx)
        rest["_key"] = key
    rest = rest.sort_values(["_key", "post_id"]).drop(columns="_key").assign(phase="random")
    out = pd.concat([framed, rest], ignore_index=True)
    out.insert(0, "order", np.arange(1, len(out) + 1))
    return out


def _strata(
    posts: pd.DataFrame, stratify: str | None, groups: dict[str, int], top: int
) -> pd.Series:
    if stratify is None:
        return pd.Series("all", index=posts.index)
    if stratify == "month":
        return posts["created_at"].dt.strftime("%Y-%m")
    if stratify == "type":
        return posts["type"].astype(str)
    number = posts["author_id"].map(groups)
    return number.map(lambda g: f"group {int(g)}" if pd.notna(g) and g <= top else "other")
