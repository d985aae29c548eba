"""The HTML book's interactive pages, as files: what they embed and that they are the
same for the same inputs (their behaviour in a browser: test_book.py)."""

from __future__ import annotations

import json
import re
from datetime import date

import networkx as nx
from test_week_ranges import corpus, label

from datasaveslives.analysis import network, week_ranges
from datasaveslives.report import interactive


def embedded(page: str) -> dict:
    found = re.search(
        rf'<script type="application/json" id="{interactive.WEEKS_DATA}">(.*?)</script>',
        page,
        re.S,
    )
    assert found
    return json.loads(found.group(1))


def test_the_weekly_page_embeds_the_aggregates_and_is_the_same_each_time(tmp_path):
    posts = corpus(7, 300, 40, 50)
    agg = week_ranges.aggregates(posts, date(2020, 3, 2), date(2020, 4, 20), "UTC", label)
    a = interactive.weekly_html(agg, tmp_path / "a.html", "Posts", "Repost", "reposts")
    b = interactive.weekly_html(agg, tmp_path / "b.html", "Posts", "Repost", "reposts")
    assert a.read_bytes() == b.read_bytes()
    data = embedded(a.read_text())
    assert data == {
        **agg.payload("reposts"),
        "type_labels": {"original": "Original text", "quote": "Quote", "retweet": "Repost"},
    }
    assert 'id="range-summary"' in a.read_text() and "<script src=" not in a.read_text()


def test_a_label_cannot_close_the_embedded_script():
    text = interactive.embedded_json({"labels": ["</script><script>alert(1)</script>"]})
    assert "</script>" not in text and json.loads(text)["labels"][0].startswith("</script>")


def test_the_network_page_lists_every_drawn_group_with_its_most_central(tmp_path):
    g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f")])
    part = network.Partition([frozenset("abc"), frozenset("def")], modularity=0.3)
    positions = nx.spring_layout(g, seed=1)
    cent = {"a": 0.5, "b": 0.5, "c": 1.0, "d": 0.6, "e": 0.3, "f": 0.1}
    labels = {n: f"user-{n}" for n in g} | {"c": "@Org"}
    path = interactive.network_html(
        g, part, positions, labels, cent, tmp_path / "n.html", "Net",
        group_names={1: "1 (paper's 2)"}, back="../book/network.html",
    )  # fmt: skip
    page = path.read_text()
    rows = re.findall(r'<tr data-group="(\d+)".*?</tr>', page, re.S)
    assert rows == ["1", "2"]
    assert "1 (paper&#x27;s 2)" in page and "@Org (1.00), user-a (0.50), user-b (0.50)" in page
    assert 'href="../book/network.html"' in page
    again = interactive.network_html(
        g, part, positions, labels, cent, tmp_path / "m.html", "Net",
        group_names={1: "1 (paper's 2)"}, back="../book/network.html",
    )  # fmt: skip
    assert again.read_bytes() == path.read_bytes()


def test_the_chapter_links_the_explorer_to_the_largest_groups_drawn():
    """Only groups with users drawn, and only the largest (those the figure colours)."""
    members = {f"u{i}": 1 + i % 12 for i in range(24)}
    part = network.Partition(
        [frozenset(u for u, g in members.items() if g == k) for k in range(1, 13)], 0.5
    )
    drawn = [u for u, g in members.items() if g != 3]
    assert interactive.linked_groups(drawn, part) == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert interactive.linked_groups(drawn, part, top=2) == [1, 2]
    assert interactive.linked_groups([], part) == []
