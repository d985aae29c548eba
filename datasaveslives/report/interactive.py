"""The interactive network for the HTML book: one self-contained page (Bokeh, with
its JavaScript inlined, so it works offline), pan, zoom and hover for each user's
label, group, degree and centrality. Labels are the privacy-filtered ones."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import networkx as nx
from bokeh.embed import file_html
from bokeh.models import ColumnDataSource, HoverTool
from bokeh.plotting import figure
from bokeh.resources import INLINE
from matplotlib.colors import to_hex

from datasaveslives.analysis.network import Partition
from datasaveslives.report import figures as static_figures


def network_html(
    graph: nx.Graph,
    partition: Partition,
    positions: dict[str, tuple[float, float]],
    labels: dict[str, str],
    centrality: dict[str, float],
    path: str | Path,
    title: str,
    top: int = 10,
) -> Path:
    """Write the network (the nodes of ``positions``) as an interactive HTML page.

    Colours follow the static figure (the ``top`` largest groups, others grey)."""
    member = partition.membership()
    palette = [to_hex(c) for c in static_figures.GROUP_COLOURS]
    nodes = sorted((n for n in graph.nodes if n in positions), key=graph.degree)
    shown = set(nodes)
    edges = [(u, v) for u, v in graph.edges if u in shown and v in shown]
    node_data = ColumnDataSource(
        {
            "x": [positions[n][0] for n in nodes],
            "y": [positions[n][1] for n in nodes],
            "label": [labels.get(n, "") for n in nodes],
            "group": [member[n] for n in nodes],
            "degree": [graph.degree(n) for n in nodes],
            "centrality": [round(centrality.get(n, 0.0), 3) for n in nodes],
            "size": [3 + 1.2 * graph.degree(n) ** 0.5 for n in nodes],
            "colour": [palette[member[n] - 1] if member[n] <= top else "#b3b3b3" for n in nodes],
        }
    )
    plot = figure(
        title=title,
        sizing_mode="stretch_both",
        tools="pan,wheel_zoom,box_zoom,reset,save",
        active_scroll="wheel_zoom",
        match_aspect=True,
    )
    plot.multi_line(
        xs=[[positions[u][0], positions[v][0]] for u, v in edges],
        ys=[[positions[u][1], positions[v][1]] for u, v in edges],
        line_color="#cccccc",
        line_width=0.4,
    )
    dots = plot.scatter(
        "x",
        "y",
        size="size",
        fill_color="colour",
        line_color="white",
        line_width=0.3,
        source=node_data,
    )
    plot.add_tools(
        HoverTool(
            renderers=[dots],
            tooltips=[
                ("user", "@label"),
                ("group", "@group"),
                ("degree", "@degree"),
                ("eigenvector centrality", "@centrality"),
            ],
        )
    )
    plot.axis.visible = False
    plot.grid.visible = False
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(stable_ids(file_html(plot, INLINE, title), title), encoding="utf-8")
    return path


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


_MODEL_ID = re.compile(r'"id":"(p\d+)"')


def stable_ids(page: str, title: str) -> str:
    """``page`` with Bokeh's random element and document ids replaced by ids derived
    from ``title`` and their order, and its models' ids (``p1009``: a counter of the
    process, which grows with every plot made before) numbered from 1000 in order, so
    that the same network gives the same file."""
    ids: dict[str, str] = {}
    for found in _UUID.findall(page):
        ids.setdefault(found, str(uuid.uuid5(uuid.NAMESPACE_URL, f"{title}#{len(ids)}")))
    page = _UUID.sub(lambda m: ids[m.group(0)], page)
    models = {m: f"p{1000 + i}" for i, m in enumerate(dict.fromkeys(_MODEL_ID.findall(page)))}
    if not models:
        return page
    used = re.compile(r'(?<=["])(' + "|".join(map(re.escape, models)) + r')(?=["])')
    return used.sub(lambda m: models[m.group(1)], page)
