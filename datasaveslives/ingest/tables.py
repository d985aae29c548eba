"""Loading the canonical tables of an ingested run, and the counts every chapter uses."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from datasaveslives.ingest import schema
from datasaveslives.ingest.ingestion import EDGES_FILE, POSTS_FILE, USERS_FILE, load_report

# The posts' columns for analysis, what ``load`` reads unless told otherwise (the derived
# data, the calibration check, scripts): ids, time, type, text, and what each post
# shares, quotes or answers. The others (each post's hashtags, mentions and links as
# lists, its full text, language and where it was read) are for scripts and the ingest
# report: as Python lists and long strings they take over two thirds of the posts table's
# memory (1.8 GB in all on a corpus of two million posts). The chapters read fewer still.
ANALYSIS_COLUMNS: tuple[str, ...] = (
    "post_id",
    "created_at",
    "author_id",
    "type",
    "is_reply",
    "in_reply_to_post_id",
    "text",
    "retweeted_post_id",
    "retweeted_author_id",
    "quoted_post_id",
    "quoted_author_id",
    "retweet_count",
)
# What each chapter reads of the posts: no more than its analyses use (tests/test_tables.py
# runs each chapter's computation on exactly these and on every column, and compares). On
# the 100x corpus the analysis columns take 531 MB in pandas, the texts 241 MB of them, an
# account and a type per post 72 MB.
# Frequency: when and what each post is, whose post each share shares, and the texts of
# the most shared posts.
FREQUENCY_COLUMNS: tuple[str, ...] = (
    "post_id",
    "created_at",
    "author_id",
    "type",
    "retweeted_post_id",
    "retweeted_author_id",
    "text",
)
# Users: who posted what type of post.
ACCOUNT_COLUMNS: tuple[str, ...] = ("author_id", "type")
# Data and methods: the same, and which posts are replies.
TYPE_COLUMNS: tuple[str, ...] = ("author_id", "type", "is_reply")
# Network: who wrote which original text (its groups' words; ``Tables.originals``); the
# shares themselves come from the edge table.
WORDS_COLUMNS: tuple[str, ...] = ("author_id", "type", "text")
# Themes: the original posts' ids, authors and texts (``Tables.originals``), the sampling
# frame of the coding.
THEMES_COLUMNS: tuple[str, ...] = ("post_id", "author_id", "type", "text")


class Tables:
    """The three canonical tables and the ingest report of one run, each read from its
    file when first used (a chapter that never looks at the share edges does not hold
    them; the folder must outlive the object, or :meth:`read` everything first); of the
    posts, only ``columns`` (None: all)."""

    def __init__(self, folder: Path, columns: Sequence[str] | None = ANALYSIS_COLUMNS) -> None:
        self.folder = folder
        self.columns = None if columns is None else list(columns)

    @cached_property
    def posts(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / POSTS_FILE, columns=self.columns)

    @cached_property
    def originals(self) -> pd.DataFrame:
        """The original posts (original text and quotes; not the shares, most of a
        campaign's posts), in the posts' order, read from the file without the others
        (taken from the posts when they have been read)."""
        if "posts" in self.__dict__:
            return self.posts[self.posts["type"] != "retweet"].reset_index(drop=True)
        return pd.read_parquet(
            self.folder / POSTS_FILE, columns=self.columns, filters=[("type", "!=", "retweet")]
        )

    @cached_property
    def users(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / USERS_FILE)

    @cached_property
    def edges(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / EDGES_FILE)

    @cached_property
    def report(self) -> dict[str, Any]:
        return load_report(self.folder)

    def read(self) -> Tables:
        """Read every table now (before their folder goes); this object."""
        _ = (self.posts, self.users, self.edges, self.report)
        return self


def load(tables_dir: str | Path, columns: Sequence[str] | None = ANALYSIS_COLUMNS) -> Tables:
    """The tables of the run in ``tables_dir`` (read when first used): of the posts, only
    ``columns`` (by default those the analyses read; None: all)."""
    return Tables(Path(tables_dir), columns)


def type_counts(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts by type (original, quote, retweet) with shares, plus how many are replies.

    Every type appears, with zero counts when absent, so that tables keep
    their shape on any window.
    """
    counts = posts["type"].value_counts().reindex(list(schema.POST_TYPES), fill_value=0)
    replies = (
        posts.loc[posts["is_reply"], "type"]
        .value_counts()
        .reindex(list(schema.POST_TYPES), fill_value=0)
    )
    total = int(counts.sum())
    table = pd.DataFrame(
        {
            "type": list(schema.POST_TYPES),
            "posts": counts.to_numpy(),
            "share": counts.to_numpy() / total if total else [float("nan")] * len(counts),
            "of_which_replies": replies.to_numpy(),
        }
    )
    total_row = {
        "type": "total",
        "posts": total,
        "share": 1.0 if total else float("nan"),
        "of_which_replies": int(replies.sum()),
    }
    return pd.concat([table, pd.DataFrame([total_row])], ignore_index=True)


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of a table's content (column names, types and every value, in order),
    independent of how the file holding it was written."""
    digest = hashlib.sha256()
    digest.update(repr([(c, str(t)) for c, t in frame.dtypes.items()]).encode())
    # As text: list-valued columns (hashtags, mentions) cannot be hashed as objects.
    digest.update(pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes())
    return digest.hexdigest()


def digests(tables_dir: str | Path) -> dict[str, str]:
    """:func:`frame_digest` of each canonical table of an ingested run."""
    t = load(tables_dir, columns=None)
    return {
        "posts": frame_digest(t.posts),
        "users": frame_digest(t.users),
        "edges": frame_digest(t.edges),
    }
