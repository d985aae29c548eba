"""Figures glued with their alt text, or replaced by a sentence when there is nothing
to draw, and the references to a figure that is not drawn removed with it."""

from __future__ import annotations

import nbformat

from datasaveslives.report import figure_glue

CHAPTER = """Some text ({numref}`fig-a`).

{numref}`fig-b` draws the groups, one per circle.
More about fig-b.

```{glue:figure} fig_a
:name: fig-a
:alt: A fixed description.

Caption of a.
```

```{glue:figure} fig_b
:name: fig-b
:alt: Another fixed description.

Caption of b.
```
"""


def glued_output(name: str, text: str, markdown: bool = False) -> dict:
    kind = "text/markdown" if markdown else "text/plain"
    return nbformat.v4.new_output(
        "display_data",
        data={f"application/papermill.record/{kind}": text if markdown else repr(text)},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    )


def notebook(tmp_path, outputs):
    code = nbformat.v4.new_code_cell("")
    code.outputs = outputs
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(CHAPTER), code])
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_drawn_figure_takes_its_alt_text_from_the_data(tmp_path):
    path = notebook(
        tmp_path, [glued_output("fig_a__alt", "Bars over 3 weeks; the busiest has 12 posts.")]
    )
    figure_glue.resolve(path)
    text = nbformat.read(path, as_version=4).cells[0].source
    assert ":alt: Bars over 3 weeks; the busiest has 12 posts." in text
    assert "A fixed description" not in text
    assert ":alt: Another fixed description." in text  # nothing glued for b: unchanged


def test_an_absent_figure_becomes_its_reason_and_its_references_go(tmp_path):
    path = notebook(
        tmp_path, [glued_output("fig_b__absent", "*One group: nothing to draw.*", True)]
    )
    figure_glue.resolve(path)
    text = nbformat.read(path, as_version=4).cells[0].source
    assert "*One group: nothing to draw.*" in text
    assert "{glue:figure} fig_b" not in text and "Caption of b" not in text
    assert "fig-b" not in text and "draws the groups" not in text  # its paragraph went
    assert "Some text ({numref}`fig-a`)." in text and "{glue:figure} fig_a" in text


def test_every_reference_to_a_chapter_figure_goes_when_the_figure_is_absent():
    """A figure may be absent on any run (no posts in the window, one account, no
    network): every chapter refers to its figures only in ways that go with them (in
    parentheses, or opening a paragraph), so the book builds without a dangling
    reference. An empty window once failed the build here ("of {numref}`fig-weekly`")."""
    import re

    from datasaveslives.core import paths

    checked = set()
    for chapter in sorted((paths.ROOT / "book").glob("*.md")):
        source = chapter.read_text(encoding="utf-8")
        names = [
            m.group(1)
            for block in figure_glue._BLOCK.finditer(source)
            if (m := re.search(r"^:name: (\S+)$", block.group("options"), re.M))
        ]
        left = figure_glue.drop_references(source, names)
        for name in names:
            assert f"{{numref}}`{name}`" not in left, f"{chapter.name}: {name}"
        checked.update(names)
    assert {"fig-weekly", "fig-network"} <= checked  # the chapters' figures were found
