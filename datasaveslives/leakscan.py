"""Leak scan: does a built book show anyone it should not, or a deleted post's text?

Every file of the HTML book (pages, downloads, the interactive network, notebook
copies; the members of XLSX and REFI-QDA archives) and the PDF's text are searched
for

- the screen name of any account of the run that is not on the allowlist, as an
  @-mention anywhere, and as a bare word when it could not be an ordinary word
  (it holds a digit or an underscore, or is at least ``BARE_MIN`` letters long);
- the text of any deleted post (or any post of a deleted account): its longest
  stretch between mentions, hashtags and links, so that a masked quotation is
  caught too.

``python -m datasaveslives leakscan`` runs it on a built run and exits non-zero
listing what leaked; the book tests run it on every book they build.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from datasaveslives import ingest, privacy

BARE_MIN = 8
FRAGMENT_MIN = 25
TEXT_SUFFIXES = {
    ".html", ".htm", ".txt", ".csv", ".tsv", ".json", ".gexf", ".xml", ".js", ".md",
    ".ipynb", ".svg", ".tex", ".bib", ".yml", ".yaml",
}  # fmt: skip
ARCHIVE_SUFFIXES = {".xlsx", ".qdpx", ".zip", ".docx"}
_SPLIT = re.compile(r"@\w+|#\w+|https?://\S+|www\.\S+|\[link\]|@\[username\]")


@dataclass(frozen=True)
class Leak:
    """One thing found where it must not be."""

    where: str
    kind: str  # "screen name" or "deleted post"
    value: str
    context: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind} {self.value!r} in “…{self.context}…”"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def forbidden_names(
    users: pd.DataFrame, allowlist: frozenset[str], deleted_users: frozenset[str] = frozenset()
) -> list[str]:
    """Screen names of the run's accounts that may not be shown: every one not on the
    allowlist, and every deleted account's even if it is."""
    names = users["screen_name"].fillna("").astype(str).str.strip()
    deleted = users["user_id"].astype(str).isin(deleted_users)
    return sorted(
        {
            n
            for n, gone in zip(names, deleted, strict=True)
            if n and (gone or n.casefold() not in allowlist)
        }
    )


def deleted_fragments(posts: pd.DataFrame, deletions: privacy.Deletions) -> list[tuple[str, str]]:
    """(post id, searchable fragment) for every deleted post and post of a deleted
    account: the longest stretch of its text between mentions and links."""
    own = posts[posts["type"] != "retweet"]  # a retweet's text is its original's
    removed = own["post_id"].isin(deletions.posts) | own["author_id"].isin(deletions.users)
    # A stretch that another, visible post also says proves nothing: skip it.
    visible = "\n".join(_normalise(t) for t in own.loc[~removed, "text"].fillna(""))
    out = []
    for post_id, text in zip(
        own.loc[removed, "post_id"], own.loc[removed, "text"].fillna(""), strict=True
    ):
        pieces = [p.strip() for p in _SPLIT.split(text)]
        longest = _normalise(max(pieces, key=len, default=""))
        if len(longest) >= FRAGMENT_MIN and longest not in visible:
            out.append((str(post_id), longest))
    return out


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    mentions, bare = [], []
    for name in names:
        (bare if len(name) >= BARE_MIN or re.search(r"[\d_]", name) else mentions).append(
            re.escape(name)
        )
    parts = []
    if mentions or bare:
        parts.append(r"@(?:" + "|".join(mentions + bare) + r")(?!\w)")
    if bare:
        parts.append(r"(?<![\w@-])(?:" + "|".join(bare) + r")(?![\w-])")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def documents(html_dir: Path | None, pdf: Path | None = None) -> Iterator[tuple[str, str]]:
    """(name, text) of every searchable file of a built book."""
    if html_dir is not None:
        for path in sorted(p for p in Path(html_dir).rglob("*") if p.is_file()):
            name = str(path.relative_to(html_dir))
            suffix = path.suffix.lower()
            if suffix in TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8", errors="replace")
                yield name, html.unescape(text) if suffix in {".html", ".htm", ".xml"} else text
            elif suffix in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        data = archive.read(member).decode("utf-8", errors="replace")
                        yield f"{name}!{member}", html.unescape(data)
    if pdf is not None:
        from pypdf import PdfReader

        for number, page in enumerate(PdfReader(pdf).pages, 1):
            yield f"{Path(pdf).name} page {number}", page.extract_text() or ""


def scan(
    docs: Iterable[tuple[str, str]], names: list[str], fragments: list[tuple[str, str]]
) -> list[Leak]:
    """Every forbidden name and deleted text found in ``docs``."""
    pattern = _names_pattern(names)
    leaks = []
    for where, text in docs:
        if pattern is not None:
            for m in pattern.finditer(text):
                context = text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
                leaks.append(Leak(where, "screen name", m.group(0), context))
        flat = _normalise(text)
        for post_id, fragment in fragments:
            at = flat.find(fragment)
            if at >= 0:
                leaks.append(Leak(where, "deleted post", post_id, flat[at : at + 60]))
    return leaks


def scan_run(run_dir: Path, html_dir: Path, pdf: Path | None = None) -> list[Leak]:
    """Scan a built run: its tables say who and what must not appear, its
    provenance which allowlist and deletions it used."""
    run_dir = Path(run_dir)
    parameters = json.loads((run_dir / "provenance.json").read_text(encoding="utf-8"))["parameters"]
    allowlist = privacy.load_allowlist(parameters.get("allowlist"))
    deletions = privacy.Deletions.load(parameters.get("deletions"))
    tables = run_dir / "tables"
    users = pd.read_parquet(tables / ingest.USERS_FILE)
    posts = pd.read_parquet(tables / ingest.POSTS_FILE)
    return scan(
        documents(html_dir, pdf),
        forbidden_names(users, allowlist, deletions.users),
        deleted_fragments(posts, deletions),
    )
