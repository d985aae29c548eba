"""What a reader of an executed chapter sees, as plain text, without building the book.

The Markdown cells with every ``{glue:...}`` role replaced by its glued value, and the
outputs of the code cells (Markdown as written, HTML tables without their tags); code
is left out (it is code, not prose). The scenario tests check this text for what must
never reach a reader.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import yaml

from datasaveslives.report.display import EMPTY_TABLE

GLUE_MD = "application/papermill.record/text/markdown"
GLUE_PLAIN = "application/papermill.record/text/plain"
_ROLE = re.compile(r"\{(glue:text|glue:md|glue|glue:any)\}`([^`]+)`")
_OTHER_ROLE = re.compile(r"\{(ref|numref|doc|download|cite|cite:p|cite:t|term|eq)\}`([^`]*)`")
_TAG = re.compile(r"<[^>]+>")
_STYLE = re.compile(r"<style.*?</style>", re.DOTALL)


def glued(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Values a notebook glued, as their text (Markdown where it glued Markdown)."""
    out = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if key:
                data = output["data"]
                text = data.get(GLUE_MD)
                if text is None:
                    text = data.get(GLUE_PLAIN, "")
                    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
                        text = text[1:-1]
                out[key] = text
    return out


def _output_text(output: dict) -> str:
    if output.get("output_type") == "error":
        return "Traceback: " + output.get("ename", "") + " " + output.get("evalue", "")
    if output.get("output_type") == "stream":
        return output.get("text", "") if output.get("name") == "stderr" else ""
    data = output.get("data", {})
    if output.get("metadata", {}).get("scrapbook"):
        return ""  # glued values appear where the prose uses them
    if "text/markdown" in data:  # displayed Markdown is rendered as MyST: its roles work
        return _OTHER_ROLE.sub(_role, data["text/markdown"])
    if "text/html" in data:
        return html.unescape(_TAG.sub(" ", _STYLE.sub("", data["text/html"])))
    if "image/png" in data or "image/svg+xml" in data:
        return ""
    return data.get("text/plain", "")


def _role(match: re.Match) -> str:
    target = match.group(2)
    label = re.match(r"(.*?)\s*<[^>]*>$", target)
    return label.group(1) if label else target


def _pasted(match: re.Match, values: dict[str, str]) -> str:
    """A glued value as the page shows it: pasted as MyST (``key:myst``) its roles
    render, otherwise they are left as written for the check to find."""
    key, _, fmt = match.group(2).partition(":")
    value = values.get(key, "{unresolved " + match.group(2) + "}")
    return _OTHER_ROLE.sub(_role, value) if fmt == "myst" else value


def text(path: Path) -> str:
    """The chapter at ``path`` (an executed notebook) as its reader reads it."""
    nb = nbformat.read(path, as_version=4)
    values = glued(nb)
    config = Path(path).parent.parent / "_config.yml"  # the staged book's, with its
    substitutions = (  # MyST substitutions
        (yaml.safe_load(config.read_text()).get("parse") or {}).get("myst_substitutions") or {}
        if config.is_file()
        else {}
    )
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            # Roles in the chapter's own text render; in a glued value (glue:md parses
            # CommonMark) they would show as written, so they are left for the check.
            source = re.sub(
                r"\{\{\s*(\w+)\s*\}\}",
                lambda m: str(substitutions.get(m.group(1), m.group(0))),
                cell.source,
            )
            source = _OTHER_ROLE.sub(_role, source)
            source = _ROLE.sub(lambda m: _pasted(m, values), source)
            # An embedded figure by glue key: its caption is prose, its directive is not.
            source = re.sub(r"^```\{glue:figure\}.*$", "", source, flags=re.MULTILINE)
            parts.append(source)
        elif cell.cell_type == "code":
            parts.extend(_output_text(o) for o in cell.get("outputs", []))
    return "\n".join(parts)


# What must never reach a reader, whatever the data.
NEVER = {
    "a Python None": re.compile(r"\bNone\b"),
    "a NaN": re.compile(r"\b(nan|NaN|NAN)\b"),
    "a traceback": re.compile(r"Traceback|Error:"),
    "an unresolved glue": re.compile(r"\{unresolved "),
    "an absolute path": re.compile(r"(?<![\w.:/])/(tmp|home|work|root|Users|usr|var|opt)/"),
    "a spliced 'not defined'": re.compile(r"\bnot defined\b"),
    "an empty placeholder": re.compile(r"–\s*\(\s*–"),
    "a role shown as written": re.compile(r"\{(numref|ref|cite|doc|download|glue:\w+)\}"),
    "a substitution shown as written": re.compile(r"\{\{"),
    "a table shown without rows": re.compile(re.escape(EMPTY_TABLE)),
}


def _strip_code(chapter: str) -> str:
    """The text without fenced code blocks (the exercises' code may say None)."""
    return re.sub(r"```.*?```", "", chapter, flags=re.DOTALL)


# Only in a rendered page (``page``): in a chapter's MyST source (``text``) directives are
# written so. A directive glued through an inline role is not parsed, and the reader
# sees ":::{note}".
NEVER_RENDERED = {"a directive shown as written": re.compile(r":::\s*\{?\w")}


def problems(chapter: str, *, synthetic: bool, study: bool, source: bool = False) -> list[str]:
    """Every reason ``chapter``'s text could not be shown to a reader, with its context.
    ``source``: the text is a chapter's MyST source (:func:`text`), not a rendered page
    (:func:`page`), so directives may be written in it."""
    prose = _strip_code(chapter)
    found = []
    checks = dict(NEVER) if source else {**NEVER, **NEVER_RENDERED}
    if not synthetic:
        checks["'synthetic' on real data"] = re.compile(r"synthetic", re.IGNORECASE)
    if not study:
        checks["the #datasaveslives study in another one"] = re.compile(
            r"#datasaveslives|\bFarr|\bcampaign", re.IGNORECASE
        )
    for what, pattern in checks.items():
        for m in pattern.finditer(prose):
            context = " ".join(prose[max(0, m.start() - 70) : m.end() + 70].split())
            found.append(f"{what}: …{context}…")
    return found


_ARTICLE = re.compile(r"<article[^>]*>(.*)</article>", re.DOTALL)
_CODE = re.compile(
    r'<div class="cell_input[^"]*"[^>]*>.*?</div>\s*</div>|<pre[^>]*>.*?</pre>', re.DOTALL
)


_CITATIONS = re.compile(r'<section id="how-to-cite".*?</section>', re.DOTALL)


def page(html_file: Path, citations: bool = True) -> str:
    """A built HTML page's article as a reader reads it: no navigation, no code; without
    ``citations``, also without the "How to cite" section (whose references give the
    compendium's and the paper's titles as they are, whatever the data)."""
    text = Path(html_file).read_text(encoding="utf-8")
    found = _ARTICLE.search(text)
    body = _CODE.sub(" ", found.group(1) if found else text)
    if not citations:
        body = _CITATIONS.sub(" ", body)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.DOTALL)
    return " ".join(html.unescape(_TAG.sub(" ", body)).split())
