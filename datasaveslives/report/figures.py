"""Figures of the chapters, sized and labelled to read in print as well as on screen."""

from __future__ import annotations

import math
import textwrap
from datetime import date, timedelta
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns
import yaml
from numpy.typing import ArrayLike

TYPE_LABELS = {"original": "Original text", "quote": "Quote", "retweet": "Retweet"}
PALETTE = dict(zip(TYPE_LABELS, sns.color_palette("colorblind", 3), strict=True))
# The ten largest network groups: tab10 without its grey (which "other groups" use),
# and navy in its place, so that no group can be mistaken for the others.
OTHER_GROUPS = (0.7, 0.7, 0.7)
GROUP_COLOURS = [c for i, c in enumerate(sns.color_palette("tab10", 10)) if i != 7] + [
    (0.0, 0.0, 0.5)
]


def style() -> None:
    """One style for every figure: white grid, legible fonts."""
    sns.set_theme(style="whitegrid", context="paper", font_scale=1.2)


def load_events(path: str | Path | None) -> list[dict]:
    """Events to mark (``date``, ``label``, ``source``); an empty list without a file."""
    if not path or not Path(path).exists():
        return []
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []


def weekly_figure(
    weekly: pd.DataFrame, events: list[dict], annotate: int = 2, share_label: str = "Retweet"
) -> plt.Figure:
    """Posts per week by type (stacked bars), the ``annotate`` busiest weeks labelled,
    and events inside the window marked with a dashed line and a number; shares are
    labelled ``share_label`` (the platform's word)."""
    style()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    x = pd.to_datetime(weekly["week_start"])
    bottom = pd.Series(0, index=weekly.index)
    # The last week may be longer (its bar says so); a day's gap between bars, except for
    # a window of a day or two, whose one bar would vanish.
    width = (weekly["days"] - 1).clip(lower=0.8)
    for t, label in {**TYPE_LABELS, "retweet": share_label}.items():
        ax.bar(
            x, weekly[t], bottom=bottom, width=width, align="edge", color=PALETTE[t], label=label
        )
        bottom = bottom + weekly[t]
    top = max(weekly["total"].max(), 1)
    ax.set_ylim(0, top * 1.38)
    # The window, not matplotlib's guess, sets the time axis (a one-week window would
    # otherwise be drawn on years of axis).
    first_day = pd.Timestamp(weekly["week_start"].iloc[0])
    last_day = weekly["week_start"].iloc[-1] + timedelta(days=int(weekly["days"].iloc[-1]) - 1)
    span_days = (pd.Timestamp(last_day) - first_day).days
    margin = timedelta(days=max(1.0, 0.02 * span_days))
    ax.set_xlim(first_day - margin, pd.Timestamp(last_day) + timedelta(days=1) + margin)
    if (pd.Timestamp(last_day) - first_day).days < 60:  # days, not hours or years, on the axis
        ax.xaxis.set_major_locator(
            mdates.AutoDateLocator(minticks=3, maxticks=8, interval_multiples=True)
        )
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    # The week numbers the text cites, on a second axis along the top (week 1 starts on
    # the window's first day, as the weekly counts number them).
    origin = float(mdates.date2num(first_day))

    def to_week(day: ArrayLike) -> ArrayLike:
        return (np.asarray(day, dtype=float) - origin) / 7 + 1

    def to_day(week: ArrayLike) -> ArrayLike:
        return (np.asarray(week, dtype=float) - 1) * 7 + origin

    weeks_axis = ax.secondary_xaxis("top", functions=(to_week, to_day))
    weeks_axis.set_xticks(week_ticks(len(weekly)))
    weeks_axis.set_xlabel("Week", fontsize=9)
    weeks_axis.tick_params(labelsize=8)
    # The busiest weeks labelled on their own bars; a second label close to the first
    # goes a line higher.
    busiest = weekly[weekly["total"] > 0].nlargest(annotate, "total")  # never an empty week
    placed: list[pd.Timestamp] = []
    for _, row in busiest.iterrows():
        start = pd.Timestamp(row["week_start"])
        near = any(abs((start - p).days) < 0.06 * max(span_days, 7) for p in placed)
        ax.annotate(
            f"week {int(row['week'])}: {int(row['total']):,}",
            (start + timedelta(days=float(row["days"]) / 2), row["total"]),
            xytext=(0, 12 if near else 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
        placed.append(start)
    # Event numbers in a band along the top, on the first of three rows where they do not
    # overlap an event already marked.
    rows: list[list[pd.Timestamp]] = [[], [], []]
    for i, e in enumerate(events_in(events, weekly["week_start"].iloc[0], last_day), 1):
        when = pd.Timestamp(_as_date(e["date"]))
        ax.axvline(when, ymax=0.93, color="0.35", linestyle="--", linewidth=0.8)
        clear = 0.035 * max(span_days, 7)
        level = next(
            (k for k, row in enumerate(rows) if all(abs((when - o).days) >= clear for o in row)),
            len(rows) - 1,
        )
        rows[level].append(when)
        ax.text(
            when,
            top * (1.27 - 0.07 * level),
            str(i),
            fontsize=8,
            ha="center",
            va="top",
            bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": "0.35"},
        )
    ax.set_xlabel("Week starting")
    ax.set_ylabel("Posts")
    ax.legend(loc="upper left", frameon=False, ncols=3, bbox_to_anchor=(0, 1.0))
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def week_ticks(weeks: int, most: int = 12) -> list[int]:
    """Week numbers to mark on an axis of ``weeks`` weeks: the first, then every
    multiple of the smallest step of 1, 2, 4, 5, 10, 13, 26, 52... that leaves at most
    ``most`` marks (never a week the window does not have)."""
    if weeks < 1:
        return []
    steps = [1, 2, 4, 5, 10, 13, 26, 52]
    step = next((s for s in steps if weeks / s <= most), 52 * math.ceil(weeks / (52 * most)))
    return sorted({1, *range(step, weeks + 1, step)})


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def events_in(events: list[dict], first: date, last: date) -> list[dict]:
    """The events dated within ``first`` to ``last`` (both included), in file order:
    the numbers on the weekly figure are positions in this list."""
    return [e for e in events if first <= _as_date(e["date"]) <= last]


def lorenz_figure(pop, cum, gini: float) -> plt.Figure:
    """Lorenz curve of posts over users, with the line of equality."""
    style()
    fig, ax = plt.subplots(figsize=(4.6, 4.2))
    ax.plot(pop, cum, color=PALETTE["retweet"], linewidth=2, label=f"Posts (Gini {gini:.2f})")
    ax.plot([0, 1], [0, 1], color="0.5", linestyle="--", linewidth=1, label="Equal activity")
    ax.set_xlabel("Share of users (least to most active)")
    ax.set_ylabel("Share of posts")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", frameon=False)
    fig.tight_layout()
    return fig


def network_figure(
    graph,
    partition,
    positions: dict[str, tuple[float, float]],
    labels: dict[str, str],
    top: int = 10,
    paper_of: dict[int, int] | None = None,
) -> plt.Figure:
    """The retweet network: nodes coloured by group (the ``top`` largest; others grey),
    sized by degree, edges faint; ``labels`` names the few nodes to label; the legend
    gives the paper's number of each group ``paper_of`` matches."""
    style()
    fig, ax = plt.subplots(figsize=(8, 8))
    member = partition.membership()
    colours = GROUP_COLOURS
    xs = {n: positions[n][0] for n in graph.nodes}
    ys = {n: positions[n][1] for n in graph.nodes}
    for u, v in sorted(tuple(sorted(e)) for e in graph.edges):  # drawn in one order
        ax.plot([xs[u], xs[v]], [ys[u], ys[v]], color="0.8", linewidth=0.2, zorder=1)
    nodes = sorted(graph.nodes, key=lambda n: (graph.degree(n), n))
    ax.scatter(
        [xs[n] for n in nodes],
        [ys[n] for n in nodes],
        s=[4 + 2.5 * graph.degree(n) ** 0.9 for n in nodes],
        c=[colours[member[n] - 1] if member[n] <= top else OTHER_GROUPS for n in nodes],
        linewidths=0,
        zorder=2,
    )
    for node, text in labels.items():
        if node in xs:
            ax.annotate(
                text,
                (xs[node], ys[node]),
                fontsize=7,
                ha="center",
                va="bottom",
                xytext=(0, 4),
                textcoords="offset points",
                zorder=3,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
            )
    # The legend lists exactly the groups drawn (this part of the network may hold few).
    drawn = sorted({member[n] for n in graph.nodes})
    handles = [
        plt.Line2D(
            [], [], marker="o", linestyle="", color=colours[g - 1], label=_group(g, paper_of)
        )
        for g in drawn
        if g <= top
    ]
    if any(g > top for g in drawn):
        handles.append(
            plt.Line2D([], [], marker="o", linestyle="", color=OTHER_GROUPS, label="Other groups")
        )
    ax.legend(handles=handles, loc="lower left", frameon=False, ncols=2, fontsize=8)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def _group(g: int, paper_of: dict[int, int] | None) -> str:
    paper = (paper_of or {}).get(g)
    return f"Group {g} (paper's {paper})" if paper is not None else f"Group {g}"


def group_map_figure(
    links: pd.DataFrame,
    sizes: list[int],
    names: dict[int, str],
    strongest: set[tuple[int, int]],
) -> plt.Figure:
    """Group-level map: one circle per group (area by users, colours as in the
    network figure) and a line for each pair in ``strongest`` (width by ``ratio``).
    Groups sit on a circle in size order (clockwise from the top), so that no two
    overlap and the same group is always in the same place."""
    style()
    top = len(sizes)
    colours = GROUP_COLOURS
    ratio = {
        (int(r.group_a), int(r.group_b)): float(r.ratio) for r in links.itertuples(index=False)
    }
    g = nx.Graph()
    g.add_nodes_from(range(1, top + 1))
    g.add_weighted_edges_from(
        ((a, b, ratio[(a, b)]) for a, b in sorted(strongest) if (a, b) in ratio), weight="ratio"
    )
    angles = {i: math.pi / 2 - 2 * math.pi * (i - 1) / top for i in range(1, top + 1)}
    pos = {i: (math.cos(t), math.sin(t)) for i, t in angles.items()}
    fig, ax = plt.subplots(figsize=(7, 5.5))
    most = max((d["ratio"] for _, _, d in g.edges(data=True)), default=1.0) or 1.0
    for a, b, data in g.edges(data=True):
        ax.plot(
            [pos[a][0], pos[b][0]],
            [pos[a][1], pos[b][1]],
            color="0.35",
            linewidth=0.8 + 7 * data["ratio"] / most,
            alpha=0.8,
            zorder=1,
            solid_capstyle="round",
        )
    biggest = max(sizes) if sizes else 1
    for i in range(1, top + 1):
        x, y = pos[i]
        area = 250 + 2250 * sizes[i - 1] / biggest
        ax.scatter(x, y, s=area, color=colours[i - 1], zorder=3, edgecolors="white", linewidths=1.5)
        ax.annotate(
            str(i),
            (x, y),
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            color="white",
            zorder=4,
        )
        if names.get(i):
            out, dx, dy = area**0.5 / 2 + 4, math.cos(angles[i]), math.sin(angles[i])
            ax.annotate(
                names[i],
                (x, y),
                xytext=(dx * out, dy * out),
                textcoords="offset points",
                ha="left" if dx > 0.2 else "right" if dx < -0.2 else "center",
                va="bottom" if dy > 0.2 else "top" if dy < -0.2 else "center",
                fontsize=8,
                zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )
    ax.margins(0.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def saturation_figure(curve: pd.DataFrame, frame_size: int) -> plt.Figure:
    """Distinct codes against posts read, new codes per batch as bars, the end of the
    coding frame and the saturation point marked."""
    style()
    fig, ax = plt.subplots(figsize=(8, 3.8))
    width = (curve["posts_read"].diff().fillna(curve["posts_read"]).median() or 1) * 0.8
    ax.bar(
        curve["posts_read"],
        curve["new_codes"],
        width=width,
        color="0.8",
        label="New codes in the batch",
    )
    ax.step(
        curve["posts_read"],
        curve["distinct_codes"],
        where="post",
        color="C0",
        linewidth=2,
        label="Distinct codes so far",
    )
    if 0 < frame_size < curve["posts_read"].max():
        ax.axvline(frame_size, color="0.4", linestyle=":", linewidth=1)
        ax.annotate(
            "end of the coding frame ",
            (frame_size, ax.get_ylim()[1] * 0.5),
            xytext=(-4, 0),
            textcoords="offset points",
            fontsize=8,
            ha="right",
            va="center",
            color="0.3",
        )
    hit = curve[curve["saturated"]]
    if len(hit):
        x, y = hit["posts_read"].iloc[0], hit["distinct_codes"].iloc[0]
        ax.plot([x], [y], marker="o", color="C3", zorder=3)
        ax.annotate(
            f"saturation ({x:,} posts read)",
            (x, y),
            xytext=(8, -16),
            textcoords="offset points",
            fontsize=9,
            color="C3",
            arrowprops={"arrowstyle": "-", "color": "C3", "linewidth": 0.8},
        )
    ax.set_xlabel("Posts read (in coding order)")
    ax.set_ylabel("Codes")
    ax.set_ylim(0, curve["distinct_codes"].max() * 1.15 if len(curve) else 1)
    ax.legend(loc="center right", frameon=False)
    fig.tight_layout()
    return fig


def upset_figure(
    overlaps: pd.DataFrame, sizes: dict[str, int], names: dict[str, str]
) -> plt.Figure:
    """An UpSet plot of code combinations: bars of posts per exact combination over a
    dot matrix of the codes it holds, and each code's total on the left. (Drawn here:
    the ``upsetplot`` package no longer runs on the pinned pandas and matplotlib.)"""
    style()
    codes = list(sizes)
    combos = overlaps[overlaps["combination"] != "none"].reset_index(drop=True)
    fig = plt.figure(figsize=(9, 4.8))
    grid = fig.add_gridspec(
        2, 2, width_ratios=[1.5, 4], height_ratios=[3, 1.5], wspace=0.03, hspace=0.05
    )
    bars = fig.add_subplot(grid[0, 1])
    matrix = fig.add_subplot(grid[1, 1], sharex=bars)
    totals = fig.add_subplot(grid[1, 0])
    xs = list(range(len(combos)))
    bars.bar(xs, combos["posts"], color="0.25", width=0.6)
    for x, n in zip(xs, combos["posts"], strict=True):
        bars.annotate(
            f"{n:,}", (x, n), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7
        )
    bars.set_ylabel("Posts with exactly\nthese codes")
    bars.tick_params(axis="x", bottom=False, labelbottom=False)
    bars.spines[["top", "right"]].set_visible(False)
    bars.grid(axis="x", visible=False)
    for y, code in enumerate(codes):
        members = [code in _members(c, codes) for c in combos["combination"]]
        colours = ["0.15" if m else "0.85" for m in members]
        matrix.scatter(xs, [y] * len(combos), s=40, color=colours, zorder=2)
    for x, combo in enumerate(combos["combination"]):
        ys = [codes.index(c) for c in _members(combo, codes)]
        if len(ys) > 1:
            matrix.plot([x, x], [min(ys), max(ys)], color="0.15", linewidth=1.5, zorder=1)
    matrix.set_ylim(len(codes) - 0.5, -0.5)
    matrix.set_axis_off()
    totals.barh(range(len(codes)), [sizes[c] for c in codes], color="C0", height=0.5)
    totals.set_ylim(len(codes) - 0.5, -0.5)
    totals.invert_xaxis()
    totals.set_yticks(range(len(codes)))
    totals.set_yticklabels([f"{c}: {names.get(c, c)}" for c in codes], fontsize=8)
    totals.tick_params(axis="y", length=0)
    totals.tick_params(axis="x", labelsize=7)
    totals.set_xlabel("Posts with the code", fontsize=8)
    totals.grid(axis="y", visible=False)
    totals.spines[["top", "left", "right"]].set_visible(False)
    return fig


def _members(combination: str, codes: list[str]) -> list[str]:
    if " + " in combination:
        return combination.split(" + ")
    return (
        [c for c in codes if c in combination] if all(len(c) == 1 for c in codes) else [combination]
    )


def specification_curve(
    rows: pd.DataFrame,
    choices: list[tuple[str, tuple[str, ...]]],
    label: str,
    threshold: float | None = None,
    percent: bool = False,
) -> plt.Figure:
    """A specification curve: each combination's estimate (with its 95% interval where
    there is one), sorted, this run's own in orange; below, a row per option of each
    choice (``choices``: name and options) with a mark where the combination takes it.
    ``rows``: a result's rows of the multiverse table; ``threshold``: a reference line."""
    style()
    rows = rows[rows["estimate"].notna()].sort_values(["estimate", "own"], kind="stable")
    rows = rows.reset_index(drop=True)
    varied = [(n, opts) for n, opts in choices if len(opts) > 1]
    labels = [f"{n}: {o}" for n, opts in varied for o in opts]
    height = 2.6 + 0.17 * len(labels)
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(8, height),
        sharex=True,
        gridspec_kw={"height_ratios": [2.6, max(0.17 * len(labels), 0.4)]},
    )
    x = np.arange(len(rows))
    scale = 100 if percent else 1
    colours = np.where(rows["own"], "tab:orange", "0.3")
    if rows["low"].notna().any():
        top.vlines(x, rows["low"] * scale, rows["high"] * scale, color="0.75", linewidth=1)
    top.scatter(x, rows["estimate"] * scale, c=colours, s=10, zorder=3)
    if threshold is not None:
        top.axhline(threshold * scale, color="0.4", linestyle="--", linewidth=0.8)
    top.set_ylabel(textwrap.fill(label + (" (%)" if percent else ""), 28), fontsize=8)
    own = "this run's own in orange" if rows["own"].any() else "undefined under this run's own"
    top.set_title(f"{len(rows):,} combinations, sorted; {own}", fontsize=9)
    for i, (name, option) in enumerate((n, o) for n, opts in varied for o in opts):
        taken = rows[name] == option
        bottom.scatter(x[taken], np.full(taken.sum(), i), marker="|", s=30,
                       c=colours[taken.to_numpy()], linewidths=1)  # fmt: skip
    bottom.set_yticks(range(len(labels)), labels, fontsize=7)
    bottom.set_ylim(len(labels) - 0.5, -0.5)
    bottom.set_xlabel("Combination of choices (by estimate)")
    bottom.grid(False)
    bottom.set_xlim(-1, max(len(rows), 1))
    fig.tight_layout()
    return fig
