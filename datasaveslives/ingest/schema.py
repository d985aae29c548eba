"""Schemas of the canonical tables written by ingestion (see data/README.md).

These names and columns are a stable interface: scripts outside the package
read ``posts.parquet``, ``users.parquet`` and ``retweet_edges.parquet``.
"""

from __future__ import annotations

import pyarrow as pa

POST_TYPES: tuple[str, ...] = ("original", "quote", "retweet")

TS = pa.timestamp("s", tz="UTC")

POSTS = pa.schema(
    [
        ("post_id", pa.string()),
        ("created_at", TS),
        ("author_id", pa.string()),
        ("type", pa.string()),
        ("is_reply", pa.bool_()),
        ("in_reply_to_post_id", pa.string()),
        ("text", pa.string()),
        ("full_text", pa.string()),
        ("hashtags", pa.list_(pa.string())),
        ("mentions", pa.list_(pa.string())),
        ("urls", pa.list_(pa.string())),
        ("retweeted_post_id", pa.string()),
        ("retweeted_author_id", pa.string()),
        ("quoted_post_id", pa.string()),
        ("quoted_author_id", pa.string()),
        ("retweet_count", pa.int64()),
        ("lang", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
        ("source_format", pa.string()),
    ]
)

USERS = pa.schema(
    [
        ("user_id", pa.string()),
        ("screen_name", pa.string()),
        ("name", pa.string()),
        ("bio", pa.string()),
        ("followers", pa.int64()),
        ("friends", pa.int64()),
        ("statuses", pa.int64()),
        ("account_created_at", TS),
        ("observed_at", TS),
    ]
)

RETWEET_EDGES = pa.schema(
    [
        ("retweeter_id", pa.string()),
        ("author_id", pa.string()),
        ("post_id", pa.string()),
        ("retweeted_post_id", pa.string()),
        ("created_at", TS),
    ]
)

QUARANTINE = pa.schema(
    [
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
        ("reason", pa.string()),
        ("excerpt", pa.string()),
    ]
)
