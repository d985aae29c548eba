"""Writing the corpus as Twitter API v1.1 extended JSON lines (gzipped, byte-stable)."""

from __future__ import annotations

import gzip
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pandas as pd

TWITTER_EPOCH_MS = 1288834974657
SOURCE = (
    '<a href="https://example.org/datasaveslives-synthetic" rel="nofollow">'
    "datasaveslives synthetic corpus</a>"
)
_TAG = re.compile(r"(?<![\w&])#(\w+)")
_MENTION = re.compile(r"(?<![\w])@(\w+)")
_LINK = re.compile(r"https://t\.co/\w+")


def v1_time(t: datetime) -> str:
    return t.strftime("%a %b %d %H:%M:%S +0000 %Y")


def snowflake(t: datetime, worker: int, seq: int) -> int:
    """A Twitter-style id: milliseconds since Twitter's epoch, a 10-bit worker (the
    replica of a scaled corpus) and a 12-bit sequence number within the millisecond."""
    ms = int(t.timestamp() * 1000)
    return ((ms - TWITTER_EPOCH_MS) << 22) | ((worker & 0x3FF) << 12) | (seq & 0xFFF)


def entities(text: str, links: dict[str, str], names: dict[str, str]) -> dict[str, Any]:
    return {
        "hashtags": [
            {"text": m.group(1), "indices": [m.start(), m.end()]} for m in _TAG.finditer(text)
        ],
        "user_mentions": [
            {
                "screen_name": m.group(1),
                "id_str": names.get(m.group(1), ""),
                "indices": [m.start(), m.end()],
            }
            for m in _MENTION.finditer(text)
        ],
        "urls": [
            {
                "url": m.group(0),
                "expanded_url": links.get(m.group(0), ""),
                "indices": [m.start(), m.end()],
            }
            for m in _LINK.finditer(text)
        ],
        "symbols": [],
    }


def status(
    *,
    post_id: int,
    created_at: datetime,
    text: str,
    user: dict[str, Any],
    retweet_count: int,
    links: dict[str, str],
    names: dict[str, str],
    quoted: dict[str, Any] | None = None,
    retweeted: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A v1.1 status in extended mode (``full_text``)."""
    if retweeted is not None:
        author = retweeted["user"]["screen_name"]
        full = f"RT @{author}: {retweeted['full_text']}"
        if len(full) > 140:
            full = full[:139] + "…"
        text = full
    out: dict[str, Any] = {
        "created_at": v1_time(created_at),
        "id": post_id,
        "id_str": str(post_id),
        "full_text": text,
        "truncated": False,
        "display_text_range": [0, len(text)],
        "entities": entities(text, links, names),
        "source": SOURCE,
        "in_reply_to_status_id_str": None,
        "in_reply_to_user_id_str": None,
        "user": user,
        "is_quote_status": quoted is not None,
        "retweet_count": retweet_count,
        "favorite_count": 0,
        "lang": "en",
    }
    if quoted is not None:
        out["quoted_status_id_str"] = quoted["id_str"]
        out["quoted_status"] = quoted
    if retweeted is not None:
        out["retweeted_status"] = retweeted
    return out


def _stable_gzip(raw: Any) -> gzip.GzipFile:
    """A gzip stream with no timestamp or name in its header (byte-stable)."""
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)


def write_jsonl_gz(records: list[dict[str, Any]], path: Path) -> None:
    """Gzipped JSON lines, byte-stable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, _stable_gzip(raw) as gz:
        for rec in records:
            gz.write(orjson.dumps(rec))
            gz.write(b"\n")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A table as CSV (``\\n`` line ends, no index), gzipped byte-stable when ``path``
    ends in ``.gz``."""
    data = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if path.suffix != ".gz":
        path.write_bytes(data)
        return
    with open(path, "wb") as raw, _stable_gzip(raw) as gz:
        gz.write(data)
