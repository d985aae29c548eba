"""Every coding file of a run read into one coded table, and the sample to code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from datasaveslives.coding import qdpx, workbook
from datasaveslives.coding.codebook import Codebook
from datasaveslives.coding.workbook import CodingFileError
from datasaveslives.privacy.policy import DELETED_TEXT, NOT_QUOTED, Privacy


def read_all(
    files: list[str], codebook: Codebook, sample_ids: set[str], rules: Privacy | None = None
) -> pd.DataFrame:
    """The coded tables of ``files`` (``.xlsx``/``.csv`` workbooks, one coder each,
    named by the file; ``.qdpx`` projects, coders named by their users), together. A
    coder who coded the same post in two files is an error naming both. With ``rules``,
    a file coded from the book's published copies (which carry each post's keyed
    reference, not its id) is read too: references become the posts' ids."""
    refs = {rules.reference(p): p for p in sample_ids} if rules is not None else {}
    known = set(sample_ids) | set(refs)
    parts = []
    origin: dict[tuple[str, str], str] = {}
    for name in files:
        path = Path(name)
        if path.suffix.lower() == ".qdpx":
            part = qdpx.read(path, codebook, known)
        else:
            part = workbook.read(path, codebook, known)
        part["post_id"] = [refs.get(p, p) for p in part["post_id"]]
        for key in zip(part["coder"], part["post_id"], strict=True):
            if key in origin:
                raise CodingFileError(
                    f"{path}: coder {key[0]} coded post {key[1]} again (also in {origin[key]})"
                )
            origin[key] = str(path)
        parts.append(part)
    if not parts:
        return workbook.empty_coding(codebook)
    return pd.concat(parts, ignore_index=True)


def sample_for_coding(order: pd.DataFrame, names: pd.Series, rules: Privacy) -> pd.DataFrame:
    """The coding order as coders see it: author as an allowlisted name or a
    pseudonym; a deleted post keeps its place (it stays in the counts) but not its text."""
    out = order[["order", "post_id", "created_at", "phase"]].copy()
    out["author"] = [rules.account(a, names.get(a)) for a in order["author_id"]]
    out["text"] = [
        DELETED_TEXT if p in rules.deletions.posts or a in rules.deletions.users else t
        for p, a, t in zip(order["post_id"], order["author_id"], order["text"], strict=True)
    ]
    return out


def primary_coder(coded: pd.DataFrame) -> str | None:
    """The coder who read the most posts (ties: first by name): the analysis's coder."""
    if coded.empty:
        return None
    counts = coded.groupby("coder").size()
    return sorted(counts.index, key=lambda c: (-counts[c], c))[0]


def in_reading_order(coded: pd.DataFrame, order: pd.DataFrame, coder: str) -> pd.DataFrame:
    """One coder's rows sorted by the coding order, with ``order`` and ``phase``."""
    own = coded[coded["coder"] == coder]
    placed = own.merge(order[["post_id", "order", "phase"]], on="post_id", how="left")
    return placed.sort_values("order", ignore_index=True)


def with_references(coded: pd.DataFrame | None, rules: Privacy) -> pd.DataFrame | None:
    """A coded table as published beside :func:`publishable`'s sample: post ids
    replaced by their keyed references."""
    if coded is None:
        return None
    out = coded.copy()
    out["post_id"] = [rules.reference(p) for p in coded["post_id"]]
    return out


NOT_PUBLISHED = "Not shown in the published copy (see the run's coding folder)"


def publishable(
    sample: pd.DataFrame,
    order: pd.DataFrame,
    names: pd.Series,
    rules: Privacy,
    synthetic: bool,
) -> pd.DataFrame:
    """The coding sample as the book may publish it: each post is given by its keyed
    reference (``Privacy.reference``), never its id, which anyone could look up; on
    real data a text is shown only where ``rules`` let the book quote it; on the
    synthetic corpus every (generated) text is shown, deleted ones excepted. Either
    way, @-mentions of accounts that may not be named and links are masked
    (``Privacy.mask``)."""
    out = sample.copy()
    out["post_id"] = [rules.reference(p) for p in sample["post_id"]]
    if synthetic:
        out["text"] = [t if t == DELETED_TEXT else rules.mask(t) for t in out["text"]]
        return out
    author = order.set_index("post_id")["author_id"]
    texts = []
    for pid, text in zip(sample["post_id"], out["text"], strict=True):
        shown = rules.text(pid, author[pid], names.get(author[pid]), text)
        texts.append(NOT_PUBLISHED if shown is None or shown == NOT_QUOTED else shown)
    out["text"] = texts
    return out
