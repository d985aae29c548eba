"""Figures glued with what describes them, or a sentence in their place.

A chapter glues each figure with :func:`figure`, giving an alt text written from the
data it shows; when there is nothing to draw (no posts, one user, no network, no
coding), it glues :func:`absent` instead, with the reason. After a chapter runs,
:func:`resolve` rewrites its ``{glue:figure}`` blocks: the alt text of a drawn figure
becomes the glued one, and an absent figure's block becomes its reason, its cross
references going with it (a parenthetical "({numref}`fig-x`)" is dropped, a paragraph
that opens with one is dropped whole).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ALT_SUFFIX = "__alt"
ABSENT_SUFFIX = "__absent"
GLUE_TEXT = (
    "application/papermill.record/text/markdown",
    "application/papermill.record/text/plain",
)


def figure(key: str, fig, alt: str) -> None:
    """Glue ``fig`` under ``key`` and its ``alt`` text (what the figure shows, from the
    data) beside it."""
    from myst_nb import glue

    glue(key, fig, display=False)
    glue(key + ALT_SUFFIX, " ".join(alt.split()), display=False)


def absent(key: str, why: str) -> None:
    """Glue, in place of the figure ``key``, the sentence saying why it is not drawn."""
    from IPython.display import Markdown
    from myst_nb import glue

    glue(key + ABSENT_SUFFIX, Markdown(why), display=False)


def _glued(nb: nbformat.NotebookNode) -> dict[str, str]:
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and (name.endswith(ALT_SUFFIX) or name.endswith(ABSENT_SUFFIX)):
                data = output.get("data", {})
                text = next((data[k] for k in GLUE_TEXT if k in data), "")
                if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
                    text = text[1:-1]
                out[name] = text
    return out


_BLOCK = re.compile(
    r"```\{glue:figure\} (?P<key>\S+)\n(?P<options>(?::[^\n]*\n)*)(?P<caption>.*?)```", re.S
)


def resolve(path: Path) -> None:
    """Rewrite the executed notebook at ``path`` (see the module's description)."""
    nb = nbformat.read(path, as_version=4)
    glued = _glued(nb)
    gone: list[str] = []

    def block(match: re.Match) -> str:
        key, options = match.group("key"), match.group("options")
        name = re.search(r"^:name: (\S+)$", options, re.M)
        if key + ABSENT_SUFFIX in glued:
            if name:
                gone.append(name.group(1))
            return glued[key + ABSENT_SUFFIX]
        if key + ALT_SUFFIX in glued:
            alt = glued[key + ALT_SUFFIX].replace("\n", " ")
            options = re.sub(r"^:alt: .*$", lambda _: f":alt: {alt}", options, flags=re.M)
        return f"```{{glue:figure}} {key}\n{options}{match.group('caption')}```"

    changed = False
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "{glue:figure}" not in cell.source:
            continue
        cell.source = _BLOCK.sub(block, cell.source)
        changed = True
    if gone:
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = drop_references(cell.source, gone)
    if changed:
        nbformat.write(nb, path)


def drop_references(source: str, names: list[str]) -> str:
    """``source`` without cross references to the figures ``names``: a parenthetical
    reference goes, and so does a paragraph that opens with one."""
    for name in names:
        ref = re.escape(f"{{numref}}`{name}`")
        source = re.sub(rf" ?\({ref}\)", "", source)
        source = re.sub(rf"(^|\n\n){ref}[^\n]*(\n[^\n]+)*", r"\1", source)
    return source
