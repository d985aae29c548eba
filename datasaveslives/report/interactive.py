"""The HTML book's interactive pages, each self-contained (Bokeh, its JavaScript
inlined, so they work offline; the PDF keeps the static figures):

- the weekly chart (:func:`weekly_html`): brushing a range of weeks shows that range's
  posts by type, most active accounts and weekly correlation, computed in the browser
  from the embedded aggregates of :mod:`datasaveslives.analysis.week_ranges`;
- the network (:func:`network_html`): pan, zoom and hover for each user's label, group,
  degree and centrality, linked with a table of the groups.

Labels are the privacy-filtered ones; no post text and no user id is embedded."""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from bokeh.document import Document
from bokeh.embed import file_html
from bokeh.events import DocumentReady
from bokeh.layouts import column, row
from bokeh.models import (
    BoxSelectTool,
    ColumnDataSource,
    CustomJS,
    DataRange1d,
    HoverTool,
    InlineStyleSheet,
)
from bokeh.models.renderers import DataRenderer
from bokeh.models.widgets import Button, Select
from bokeh.plotting import figure
from bokeh.resources import INLINE
from matplotlib.colors import to_hex

from datasaveslives.analysis import network
from datasaveslives.analysis.network import Partition
from datasaveslives.analysis.week_ranges import WeekAggregates
from datasaveslives.ingest.schema import POST_TYPES
from datasaveslives.report import display
from datasaveslives.report import figures as static_figures

# How a clicked user is drawn (the others keep their look: no fading on selection).
CHOSEN_USER: dict[str, Any] = {"selection_line_color": "black", "selection_line_width": 2.0}
WEEKS_DATA = "compendium-weeks"  # the id of the weekly chart's embedded aggregates
RANGE_SUMMARY = "range-summary"  # the id of the element the brushed range is shown in
FIRST_WEEK, LAST_WEEK = "first_week", "last_week"  # the range's two week lists


def script(name: str) -> str:
    """The JavaScript ``name`` shipped with the package (``report/js/``)."""
    return resources.files("datasaveslives.report").joinpath("js", name).read_text("utf-8")


def embedded_json(value: object) -> str:
    """``value`` as JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _write(page: str, path: str | Path, title: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(stable_ids(page, title), encoding="utf-8")
    return path


PAGE_STYLE = """<link rel="icon" href="data:,">
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         font-size: 15px; color: #222; }
  .explorer-note { margin: 0.3em 0.6em; color: #444; }
  #range-summary { margin: 0.3em 0.6em 1em; }
  #range-summary table { border-collapse: collapse; margin: 0.3em 0; }
  #range-summary th { text-align: left; font-weight: normal; padding: 0.1em 1.2em 0.1em 0; }
  #range-summary td { text-align: right; font-variant-numeric: tabular-nums; }
  #range-summary p { margin: 0.4em 0; }
  #range-summary ol { margin: 0.2em 0; padding-left: 1.6em; }
  #range-summary .range-parts { display: flex; flex-wrap: wrap; gap: 0.2em 3.5em; }
  html.framed .standalone { display: none; }
</style>"""


def weekly_html(
    agg: WeekAggregates,
    path: str | Path,
    title: str,
    share_label: str = "Retweet",
    shares: str = "retweets",
    back: str | None = None,
) -> Path:
    """Write the weekly chart as an interactive HTML page: the posts of each week by type
    (stacked bars, shares labelled ``share_label``), a range of weeks brushed by
    dragging across them, and below the chart that range's (or the whole window's)
    posts by type, most active accounts and weekly correlation of the originals with
    the ``shares``, computed in the browser (``report/js/week_ranges.js``). ``back``
    links the chapter when the page is read on its own (not inside the chapter)."""
    weeks = agg.weeks
    start = pd.to_datetime(weeks["week_start"])
    days = weeks["days"].astype(int)
    width_ms = (days - 1).clip(lower=0.8) * 86_400_000
    labels = {**static_figures.TYPE_LABELS, "retweet": share_label}
    bars = ColumnDataSource(
        {
            "mid": start + pd.to_timedelta(days / 2, unit="D"),
            "width": width_ms,
            "week": weeks["week"].astype(int),
            "from": [f"{d:%d %b %Y}" for d in start],
            "total": weeks["total"].astype(int),
            **{t: weeks[t].astype(int) for t in POST_TYPES},
        },
        name="weeks",
    )
    brush = BoxSelectTool(dimensions="width")
    plot = figure(
        title=title,
        x_axis_type="datetime",
        height=330,
        sizing_mode="stretch_width",
        tools=[brush, "xwheel_zoom", "xpan", "reset", "save"],
        toolbar_location="above",
    )
    plot.toolbar.active_drag = brush
    stacked = plot.vbar_stack(
        list(POST_TYPES),
        x="mid",
        width="width",
        source=bars,
        color=[to_hex(static_figures.PALETTE[t]) for t in POST_TYPES],
        legend_label=[labels[t] for t in POST_TYPES],
    )
    bars_drawn: list[DataRenderer] = [stacked[0]]
    plot.add_tools(
        HoverTool(
            renderers=bars_drawn,
            tooltips=[("week", "@week (from @from)"), ("posts", "@total")]
            + [(labels[t], f"@{t}") for t in POST_TYPES],
        )
    )
    plot.y_range = DataRange1d(start=0)
    plot.yaxis.axis_label = "Posts per week"
    plot.legend.location = "top_left"
    plot.xgrid.visible = False
    # The same range chosen with the keyboard: the first and last week as two lists,
    # kept in step with the brushed range (week_ranges.js sets them).
    options: list[str | tuple[Any, str]] = [
        (str(i), f"week {w} (from {d:%d %b %Y})")
        for i, (w, d) in enumerate(zip(weeks["week"].astype(int), start, strict=True))
    ]
    ends = {
        name: Select(
            title=title_,
            options=options,
            value=options[at][0] if options else "",
            width=230,
            name=name,
        )
        for name, title_, at in ((FIRST_WEEK, "First week", 0), (LAST_WEEK, "Last week", -1))
    }
    show = CustomJS(args={"source": bars, **ends}, code=script("week_ranges.js"))
    bars.selected.js_on_change("indices", show)
    pick = CustomJS(args={"source": bars, **ends}, code=script("week_pick.js"))
    for end in ends.values():
        end.js_on_change("value", pick)
    whole = Button(label="Whole window", width=140, align="end")
    whole.js_on_event(
        "button_click", CustomJS(args={"source": bars}, code="source.selected.indices = [];")
    )
    # The lists and the button go onto further lines on a narrow screen.
    wrap = InlineStyleSheet(css=":host { flex-wrap: wrap; row-gap: 0.4em; }")
    controls = row(*ends.values(), whole, stylesheets=[wrap]) if options else whole
    doc = Document()
    doc.add_root(column(plot, controls, sizing_mode="stretch_width"))
    doc.js_on_event(DocumentReady, show)
    data = agg.payload(shares)
    data["type_labels"] = {t: labels[t] for t in POST_TYPES}
    page = file_html(
        doc,
        INLINE,
        title,
        template=(
            "{% block postamble %}" + PAGE_STYLE + "<script>{{ frame | safe }}</script>"
            "{% endblock %}"
            "{% block contents %}{{ back | safe }}"
            '<p class="explorer-note">Drag across the bars, or choose a first and last week '
            "below them, to select a range of weeks; its posts, most active accounts and "
            "correlation are shown below the chart.</p>"
            "{{ super() }}"
            f'<div id="{RANGE_SUMMARY}" aria-live="polite"></div>'
            f'<script type="application/json" id="{WEEKS_DATA}">'
            "{{ weeks_data | safe }}</script>"
            "{% endblock %}"
        ),
        template_variables={
            "weeks_data": embedded_json(data),
            "frame": script("frame_height.js"),
            "back": (
                f'<p class="explorer-note standalone"><a href="{html.escape(back)}">'
                "Back to the chapter</a></p>"
                if back
                else ""
            ),
        },
    )
    return _write(page, path, title)


def network_html(
    graph: nx.Graph,
    partition: Partition,
    positions: dict[str, tuple[float, float]],
    labels: dict[str, str],
    centrality: dict[str, float],
    path: str | Path,
    title: str,
    top: int = 10,
    group_names: Mapping[int, str] | None = None,
    back: str | None = None,
) -> Path:
    """Write the network (the nodes of ``positions``) as an interactive HTML page.

    Colours follow the static figure (the ``top`` largest groups, others grey). Below
    it, a table of the groups with members drawn (each named as ``group_names`` says,
    by its number otherwise; its users drawn; its three most central, as the network
    chapter ranks them): choosing a row highlights exactly that group's members
    (``report/js/network_explorer.js``); clicking a user shows their label, group,
    degree and centrality. ``back`` links the chapter."""
    member = partition.membership()
    nodes = sorted((n for n in graph.nodes if n in positions), key=lambda n: (graph.degree(n), n))
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
            "colour": [group_colour(member[n], top) for n in nodes],
            "alpha": [1.0] * len(nodes),
        },
        name="nodes",
    )
    plot = figure(
        title=title,
        sizing_mode="stretch_width",
        height=620,
        tools="pan,wheel_zoom,box_zoom,tap,reset,save",
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
        fill_alpha="alpha",
        line_alpha="alpha",
        line_color="white",
        line_width=0.3,
        nonselection_fill_alpha="alpha",
        nonselection_line_alpha="alpha",
        source=node_data,
        **CHOSEN_USER,
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
    node_data.selected.js_on_change(
        "indices", CustomJS(args={"source": node_data}, code=script("network_node.js"))
    )
    rows = [
        (group, (group_names or {}).get(group, str(group)), drawn, central)
        for group, (drawn, central) in drawn_groups(nodes, member, centrality, labels).items()
    ]
    doc = Document()
    doc.add_root(plot)
    before = (
        f'<p class="explorer-note"><a href="{html.escape(back)}">Back to the chapter</a></p>'
        if back
        else ""
    ) + (
        '<p class="explorer-note">Scroll to zoom, drag to pan; click a user to see their '
        "label, group and centrality, and a group in the table below the network to "
        "highlight its members.</p>"
    )
    after = (
        '<p id="node-info" class="explorer-note" aria-live="polite">Click a user to see '
        "their label, group and centrality.</p>" + group_table(rows, top)
    )
    explorer = script("network_explorer.js")
    page = file_html(
        doc,
        INLINE,
        title,
        template=(
            "{% block postamble %}{{ style | safe }}{% endblock %}"
            "{% block contents %}{{ before | safe }}{{ super() }}{{ after | safe }}"
            "{% endblock %}"
        ),
        template_variables={
            "style": PAGE_STYLE + NETWORK_STYLE + f"<script>{explorer}</script>",
            "before": before,
            "after": after,
        },
    )
    return _write(page, path, title)


NETWORK_STYLE = """<style>
  #group-table { border-collapse: collapse; margin: 0.3em 0.6em 1.5em; }
  #group-table th, #group-table td { padding: 0.25em 0.8em; text-align: left;
                                     border-bottom: 1px solid #ddd; vertical-align: top; }
  #group-table td.number { text-align: right; font-variant-numeric: tabular-nums; }
  #group-table tbody tr { cursor: pointer; }
  #group-table tbody tr:hover { background: #f3f3f3; }
  #group-table tbody tr.chosen { background: #fde9c9; }
  #group-table .swatch { display: inline-block; width: 0.8em; height: 0.8em;
                         margin-right: 0.4em; border-radius: 50%; }
  #all-groups { margin: 0 0.6em; }
</style>"""


def linked_groups(drawn: Iterable[str], partition: Partition, top: int = 10) -> list[int]:
    """The groups the chapter links the explorer open on: the ``top`` largest with users
    among those ``drawn`` (the nodes laid out), by number."""
    member = partition.membership()
    return sorted({member[n] for n in drawn if member[n] <= top})


def group_colour(group: int, top: int = 10) -> str:
    """A group's colour as the static network figure draws it: the ``top`` largest in
    their own colours, every other group grey."""
    if group <= top:
        return str(to_hex(static_figures.GROUP_COLOURS[group - 1]))
    return str(to_hex(static_figures.OTHER_GROUPS))


def drawn_groups(
    nodes: list[str],
    member: Mapping[str, int],
    centrality: Mapping[str, float],
    labels: Mapping[str, str],
    k: int = 3,
) -> dict[int, tuple[int, str]]:
    """Each group with users drawn (by number): how many are drawn, and the ``k`` most
    central of them with their centrality, ranked and written as Table 3's."""
    groups: dict[int, list[str]] = {}
    for n in nodes:
        groups.setdefault(member[n], []).append(n)
    return {
        group: (
            len(users),
            display.central_accounts(
                (labels.get(n, ""), centrality.get(n, 0.0))
                for n in network.most_central(users, centrality, k)
            ),
        )
        for group, users in sorted(groups.items())
    }


def group_table(rows: list[tuple[int, str, int, str]], top: int = 10) -> str:
    """The explorer's table of groups: one row per (group, name, users drawn, most
    central accounts), its colour as drawn; each row chooses its group."""
    if not rows:
        return ""
    cells = []
    for group, name, users, central in rows:
        colour = group_colour(group, top)
        cells.append(
            f'<tr data-group="{group}" tabindex="0" aria-selected="false">'
            f'<td><span class="swatch" style="background:{colour}"></span>'
            f"{html.escape(name)}</td>"
            f'<td class="number">{users:,}</td><td>{html.escape(central)}</td></tr>'
        )
    return (
        '<p class="explorer-note"><strong>Groups</strong> (choose one to highlight its members; '
        'choose it again to show everyone) <button id="all-groups" type="button">All groups'
        "</button></p>"
        '<table id="group-table"><thead><tr><th>Group</th><th>Users drawn</th>'
        "<th>Most central accounts (eigenvector centrality)</th></tr></thead>"
        f"<tbody>{''.join(cells)}</tbody></table>"
    )


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
