"""Leak scan: does a built book show anyone it should not, or a deleted post's text?

Every file of the HTML book (pages, downloads, the interactive network, notebook
copies; the members of XLSX and REFI-QDA archives) and the PDF's text are searched
for

- the screen name of any account of the run that is not on the allowlist (or is
  deleted), in every form a name takes (:func:`policy.name_forms`: a Mastodon
  ``name@instance`` or its local part, a Bluesky handle or its first label): as an
  @-mention, in a link (``twitter.com/name``) and as a bare word or possessive
  unless it is an ordinary word of the book's pages (:func:`ordinary_words`);
- the display name of any such account (two words or more, not all ordinary words);
- the id of any such account and of any post it wrote, shared or quoted, and of any
  post replied to (whose author the run cannot vouch for);
- the text of any deleted post (or any post of a deleted account): its longest
  stretch between mentions, hashtags and links, so that a masked quotation is
  caught too.

Text is matched in its normalised form (NFKC, without invisible characters), so a
full-width ``＠name`` or ``@\u200bname`` is found; each hit names its file (and
archive member) and line.

``python -m datasaveslives leakscan`` runs it on a built run and exits non-zero
listing what leaked; the book tests run it on every book they build.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from datasaveslives.core import paths, publication
from datasaveslives.ingest import ingestion
from datasaveslives.privacy import policy

FRAGMENT_MIN = 25
ID_MIN = 6  # shorter ids (and pure numbers below a million) are too common to search
TEXT_SUFFIXES = {
    ".html", ".htm", ".txt", ".csv", ".tsv", ".json", ".gexf", ".xml", ".js", ".md",
    ".ipynb", ".svg", ".tex", ".bib", ".yml", ".yaml", ".css",
}  # fmt: skip
ARCHIVE_SUFFIXES = {".xlsx", ".qdpx", ".zip", ".docx"}
_SPLIT = re.compile(r"@\w+|#\w+|https?://\S+|www\.\S+|\[link\]|@\[username\]")
_AT = re.compile(r"@([\w.\-]*\w(?:@[\w.\-]*\w)?)")
_WORD = re.compile(r"\w(?:[\w.\-]*\w)?")
_ID = re.compile(rf"\w[\w:.\-]{{{ID_MIN - 2},}}\w")  # from and to a word character
_CODE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_DATA = re.compile(
    r"<script\b[^>]*\btype=[\"']application/json[\"'][^>]*>(.*)</script>", re.S | re.I
)
# Keys of an embedded JSON document whose values are code or structure, not data: Bokeh's
# model types, names and ids, and its callbacks' JavaScript.
STRUCTURE_KEYS = frozenset({"type", "name", "id", "code"})


@dataclass(frozen=True)
class Leak:
    """One thing found where it must not be: in which file (and archive member), on
    which line."""

    where: str
    kind: str  # "screen name", "identifier" or "deleted post"
    value: str
    context: str
    line: int = 0

    def __str__(self) -> str:
        at = f"{self.where}:{self.line}" if self.line else self.where
        return f"{at}: {self.kind} {self.value!r} in “…{self.context}…”"


@dataclass(frozen=True)
class Forbidden:
    """What a run's published files may not hold."""

    mentions: frozenset[str] = frozenset()  # name forms searched after @ or in a URL
    bare: frozenset[str] = frozenset()  # name forms searched as bare words too
    ids: frozenset[str] = frozenset()  # post and account ids
    fragments: tuple[tuple[str, str], ...] = ()  # (post id, deleted text)
    display: frozenset[str] = frozenset()  # display names of two words or more


def display_names(users: pd.DataFrame, names: list[str]) -> frozenset[str]:
    """The display names (``name``) of the accounts ``names``, normalised, when they
    could identify someone: two words or more, not all of them ordinary words."""
    hidden = {n.casefold() for n in names}
    rows = users[users["screen_name"].fillna("").astype(str).str.casefold().isin(hidden)]
    out = set()
    for name in rows["name"].dropna().astype(str):
        flat = _normalise(name).strip()
        words = _WORD.findall(flat)
        if len(words) >= 2 and len(flat) >= 8 and not set(words) <= ordinary_words():
            out.add(flat)
    return frozenset(out)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", policy.normalise(text)).casefold()


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


@functools.lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Words the book's own pages use (``book/*.md``) and the stop words: a name that
    is one of them is searched only as an @-mention or in a link, never bare (the
    masking still hides it bare in quoted posts)."""
    from datasaveslives.core.tokens import stopwords

    found: set[str] = set()
    for page in paths.BOOK.glob("*.md"):
        found.update(w.casefold() for w in _WORD.findall(page.read_text(encoding="utf-8")))
    return frozenset(found) | stopwords()


def forbidden_ids(posts: pd.DataFrame, users: pd.DataFrame, names: list[str]) -> frozenset[str]:
    """Ids of the accounts in ``names`` and of every post they wrote (at least
    ``ID_MIN`` characters long): any of them in a published file re-identifies."""
    hidden = {n.casefold() for n in names}
    screen = users["screen_name"].fillna("").astype(str).str.casefold()
    accounts = set(users.loc[screen.isin(hidden), "user_id"].astype(str))
    known = set(users["user_id"].astype(str))
    # Authors with no profile row cannot be named: their ids are forbidden too.
    authors = posts["author_id"].astype(str)
    accounts |= set(authors[~authors.isin(known)])
    ids = set(posts.loc[authors.isin(accounts), "post_id"].astype(str))
    for post, author in (
        ("retweeted_post_id", "retweeted_author_id"),
        ("quoted_post_id", "quoted_author_id"),
    ):
        by = posts[author].astype("string")
        hidden_author = by.notna() & (by.isin(accounts) | ~by.isin(known))
        accounts |= set(by[hidden_author & ~by.isin(known)].dropna())
        ids |= set(posts.loc[hidden_author, post].dropna().astype(str))
    ids |= set(posts["in_reply_to_post_id"].dropna().astype(str))
    ids |= accounts
    return frozenset(i for i in ids if len(i) >= ID_MIN)


def deleted_fragments(posts: pd.DataFrame, deletions: policy.Deletions) -> list[tuple[str, str]]:
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
        pieces = [p.strip() for p in _SPLIT.split(policy.normalise(text))]
        longest = _normalise(max(pieces, key=len, default=""))
        if len(longest) >= FRAGMENT_MIN and longest not in visible:
            out.append((str(post_id), longest))
    return out


def forbidden(
    posts: pd.DataFrame,
    users: pd.DataFrame,
    allowlist: frozenset[str],
    deletions: policy.Deletions | None = None,
) -> Forbidden:
    """Everything a run's published files may not hold."""
    deletions = deletions or policy.Deletions()
    names = forbidden_names(users, allowlist, deletions.users)
    forms = set().union(*(policy.name_forms(n) for n in names)) if names else set()
    spared = [n for n in allowlist if n not in {m.casefold() for m in names}]
    bare = policy.bare_forms(names, spared) - ordinary_words()
    return Forbidden(
        frozenset(forms),
        frozenset(bare),
        forbidden_ids(posts, users, names) | frozenset(deletions.posts),
        tuple(deleted_fragments(posts, deletions)),
        display_names(users, names),
    )


def _pdf_pages(pdf: Path, name: str) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(pdf).pages, 1):
        yield f"{name} page {number}", page.extract_text() or ""


def documents(html_dir: Path | None, pdf: Path | None = None) -> Iterator[tuple[str, str]]:
    """(name, text) of every searchable file of a built book: the HTML folder's text
    files, archives and PDFs, and ``pdf`` unless the HTML folder publishes the same file."""
    published_pdfs: set[bytes] = set()
    if html_dir is not None:
        for path in sorted(p for p in Path(html_dir).rglob("*") if p.is_file()):
            name = str(path.relative_to(html_dir))
            suffix = path.suffix.lower()
            if suffix == ".pdf":
                published_pdfs.add(hashlib.sha256(path.read_bytes()).digest())
                yield from _pdf_pages(path, name)
            elif suffix in TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8", errors="replace")
                yield name, html.unescape(text) if suffix in {".html", ".htm", ".xml"} else text
            elif suffix in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        data = archive.read(member).decode("utf-8", errors="replace")
                        yield f"{name}!{member}", html.unescape(data)
    if pdf is not None and hashlib.sha256(Path(pdf).read_bytes()).digest() not in published_pdfs:
        yield from _pdf_pages(Path(pdf), Path(pdf).name)


def embedded_strings(value: object) -> Iterator[str]:
    """Every string value of a JSON document (the data a page embeds for its scripts),
    but those of :data:`STRUCTURE_KEYS` and binary blobs (Bokeh's numeric arrays,
    ``{"type": "bytes", "data": <base64>}``: numbers, whose base64 text could spell a
    name by chance)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from embedded_strings(item)
    elif isinstance(value, dict) and value.get("type") != "bytes":
        for key, item in value.items():
            if key not in STRUCTURE_KEYS:
                yield from embedded_strings(item)


def searchable(page: str) -> str:
    """An HTML page's text as searched for bare names: its scripts and styles left out
    (code: their words are not the page's), except the data a script element embeds as
    JSON (``type="application/json"``), whose string values are searched, one a line."""

    def kept(m: re.Match[str]) -> str:
        data = _DATA.match(m.group(0))
        if data is None:
            return " "
        try:
            return "\n" + "\n".join(embedded_strings(json.loads(data.group(1)))) + "\n"
        except ValueError:  # not JSON after all: every word of it is searched
            return data.group(1)

    return _CODE.sub(kept, page)


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 30) : end + 30].replace("\n", " ")


class _Index:
    """Texts to find (deleted posts' fragments, display names), each indexed by one of
    its words: a document is searched only for the texts whose word it holds (a set
    intersection in C), not for every text. A fragment is indexed by a word inside it
    (whole wherever the fragment occurs); a name by its longest word."""

    def __init__(self, texts: Iterable[tuple[str, str]], inner: bool) -> None:
        self.by_word: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
        self.always: list[tuple[str, str]] = []
        for key, text in texts:
            words = sorted(set(_WORD.findall(" ".join(text.split()[1:-1]) if inner else text)),
                           key=lambda w: (-len(w), w))  # fmt: skip
            if words:  # by its longest word; its next two must be there too
                self.by_word.setdefault(words[0], []).append((key, text, frozenset(words[1:3])))
            else:
                self.always.append((key, text))

    def candidates(self, words: set[str]) -> list[tuple[str, str]]:
        found = self.by_word.keys() & words
        return self.always + [
            (key, text)
            for word in sorted(found)
            for key, text, also in self.by_word[word]
            if also <= words
        ]


def scan_document(
    where: str, text: str, rules: Forbidden, index: tuple[_Index, _Index] | None = None
) -> Iterator[Leak]:
    """Every forbidden name, id and deleted text in one document, matched in its
    normalised form (NFKC, no invisible characters), with the line it is on. (Each
    kind is first looked for as a set of words in C, then placed only where found.)"""
    text = policy.normalise(text)
    fragments, display = index or _indexes(rules)

    def hit(kind: str, value: str, source: str, m: re.Match[str]) -> Leak:
        return Leak(where, kind, value, _context(source, *m.span()), _line(source, m.start()))

    if "@" in text:
        for m in _AT.finditer(text):
            found = m.group(1).casefold()
            if found in rules.mentions or found.split("@", 1)[0] in rules.mentions:
                yield hit("screen name", m.group(0), text, m)
    skip = where.startswith("_static") and where.endswith((".js", ".css"))
    if rules.bare and not skip:
        words = text if not where.endswith((".html", ".htm")) else searchable(text)
        present = rules.bare.intersection(_WORD.findall(words.casefold()))
        for m in _WORD.finditer(words) if present else ():
            if m.group(0).casefold() in present and words[m.start() - 1 : m.start()] != "@":
                yield hit("screen name", m.group(0), words, m)
    ids = rules.ids.intersection(_ID.findall(text)) if rules.ids else frozenset()
    for m in _ID.finditer(text) if ids else ():
        if m.group(0) in ids:
            yield hit("identifier", m.group(0), text, m)
    flat = _normalise(text)
    tokens = set(_WORD.findall(flat))
    for _, name in display.candidates(tokens):
        at = flat.find(name)
        if at >= 0:
            yield Leak(where, "display name", name, flat[max(0, at - 30) : at + len(name) + 30])
    for post_id, fragment in fragments.candidates(tokens):
        at = flat.find(fragment)
        if at >= 0:
            yield Leak(where, "deleted post", post_id, flat[at : at + 60])


def scan(
    docs: Iterable[tuple[str, str]],
    names: list[str] | Forbidden,
    fragments: Sequence[tuple[str, str]] = (),
) -> list[Leak]:
    """Every forbidden name, id and deleted text found in ``docs``. ``names`` is a
    :class:`Forbidden` or, for a quick check, a list of screen names (searched as
    mentions, and bare unless an ordinary word) with ``fragments``."""
    if isinstance(names, Forbidden):
        rules = names
    else:
        forms = set().union(*(policy.name_forms(n) for n in names)) if names else set()
        bare = policy.bare_forms(names) - ordinary_words()
        rules = Forbidden(frozenset(forms), frozenset(bare), frozenset(), tuple(fragments))
    index = _indexes(rules)
    return [leak for where, text in docs for leak in scan_document(where, text, rules, index)]


def _indexes(rules: Forbidden) -> tuple[_Index, _Index]:
    return _Index(rules.fragments, inner=True), _Index(((n, n) for n in rules.display), inner=False)


def scan_run(
    run_dir: Path, html_dir: Path, pdf: Path | None = None, verify: bool = True
) -> list[Leak]:
    """Scan a built run: its tables say who and what must not appear, its
    provenance which allowlist and deletions it used. A run whose files are not those
    its last finished build published (:func:`publication.verify`) is refused: its
    tables may not be the book's (``verify=False`` scans it anyway)."""
    run_dir = Path(run_dir)
    if verify:
        publication.verify(run_dir, Path(html_dir), Path(pdf) if pdf else None)
    parameters = json.loads((run_dir / "provenance.json").read_text(encoding="utf-8"))["parameters"]
    allowlist = policy.load_allowlist(parameters.get("allowlist"))
    deletions = policy.Deletions.load(parameters.get("deletions"))
    tables = run_dir / "tables"
    users = pd.read_parquet(tables / ingestion.USERS_FILE)
    posts = pd.read_parquet(tables / ingestion.POSTS_FILE)
    return scan(documents(html_dir, pdf), forbidden(posts, users, allowlist, deletions))
