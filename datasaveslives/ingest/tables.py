"""Loading the canonical tables of an ingested run, and the counts every chapter uses."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from datasaveslives.ingest import schema
from datasaveslives.ingest.ingestion import EDGES_FILE, POSTS_FILE, USERS_FILE, load_report


@dataclass(frozen=True)
class Tables:
    """The three canonical tables and the ingest report of one run."""

    posts: pd.DataFrame
    users: pd.DataFrame
    edges: pd.DataFrame
    report: dict[str, Any]


def load(tables_dir: str | Path) -> Tables:
    """Read ``posts``, ``users``, ``retweet_edges`` and the report from ``tables_dir``."""
    folder = Path(tables_dir)
    return Tables(
        posts=pd.read_parquet(folder / POSTS_FILE),
        users=pd.read_parquet(folder / USERS_FILE),
        edges=pd.read_parquet(folder / EDGES_FILE),
        report=load_report(folder),
    )


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
    t = load(tables_dir)
    return {
        "posts": frame_digest(t.posts),
        "users": frame_digest(t.users),
        "edges": frame_digest(t.edges),
    }
