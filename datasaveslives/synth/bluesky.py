"""The synthetic corpus as Bluesky records, so the whole study can be rehearsed on them.

Each v1.1 status of the corpus becomes what Bluesky's AppView would return for it: an
original or quote as a post view (a quote embeds the quoted post), a retweet as a feed
item with a ``reasonRepost`` (the reposter and the post it shares), and every account
as a profile view (with its follower counts, as separate profile calls give them).
Accounts get a DID derived from their id, posts an ``at://`` URI with a record key
derived from theirs; handles keep the corpus's screen names, so that the allowlist and
the accounts the paper names apply unchanged. The annotations and deletions are
rewritten with the new ids, and a ``params.yml`` for a run on the records is written
beside them: ``python -m datasaveslives build --params DIR/params.yml``.

Converted from the committed corpus (not regenerated), the records hold the same
posts, so a run on them gives the same counts as a run on the v1.1 corpus
(``tests/test_synthetic_bluesky.py``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import yaml

from datasaveslives.core import paths
from datasaveslives.ingest.readers import bluesky as readers_bluesky
from datasaveslives.ingest.readers.bluesky import LINK, MENTION, TAG
from datasaveslives.ingest.readers.common import parse_time
from datasaveslives.synth import build, spec, writer

RECORDS_FILE = "datasaveslives_synthetic_bluesky.jsonl.gz"
PARAMS_FILE = "params.yml"
_TID = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as AT Protocol record keys


def did(user_id: str) -> str:
    """A did:plc for an account id (24 base32 characters of its hash)."""
    digest = hashlib.sha256(f"datasaveslives-synthetic:{user_id}".encode()).digest()
    return "did:plc:" + base64.b32encode(digest[:15]).decode().lower()


def record_key(post_id: str) -> str:
    """A 13-character record key (TID alphabet) encoding a numeric post id."""
    n, out = int(post_id), []
    for _ in range(13):
        out.append(_TID[n & 31])
        n >>= 5
    return "".join(reversed(out))


def post_uri(status: dict[str, Any]) -> str:
    return f"at://{did(status['user']['id_str'])}/app.bsky.feed.post/{record_key(status['id_str'])}"


def repost_id(retweet: dict[str, Any]) -> str:
    """The id the Bluesky reader gives a feed repost (reposter, then the post's URI)."""
    return readers_bluesky.feed_repost_id(
        did(retweet["user"]["id_str"]), post_uri(retweet["retweeted_status"])
    )


def _iso(twitter_time: str) -> str:
    return parse_time(twitter_time).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _author(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "did": did(user["id_str"]),
        "handle": user["screen_name"],
        "displayName": user.get("name") or "",
        "createdAt": _iso(user["created_at"]),
    }


def _facets(text: str, status: dict[str, Any]) -> list[dict[str, Any]]:
    """Tag, mention and link facets from the status's entities, their character indices
    turned into the UTF-8 byte offsets Bluesky uses."""
    entities = status["entities"]

    def at(indices: list[int]) -> dict[str, int]:
        start = len(text[: indices[0]].encode("utf-8"))
        return {"byteStart": start, "byteEnd": start + len(text[slice(*indices)].encode("utf-8"))}

    out = [
        {"index": at(t["indices"]), "features": [{"$type": TAG, "tag": t["text"]}]}
        for t in entities["hashtags"]
    ]
    out += [
        {"index": at(m["indices"]), "features": [{"$type": MENTION, "did": did(m["id_str"])}]}
        for m in entities["user_mentions"]
        if m.get("id_str")
    ]
    out += [
        {"index": at(u["indices"]), "features": [{"$type": LINK, "uri": u["expanded_url"]}]}
        for u in entities["urls"]
    ]
    return sorted(out, key=lambda f: f["index"]["byteStart"])


def view(status: dict[str, Any]) -> dict[str, Any]:
    """The post view of an original or quote status."""
    text = status["full_text"]
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "createdAt": _iso(status["created_at"]),
        "langs": [status.get("lang") or "en"],
        "text": text,
        "facets": _facets(text, status),
    }
    out: dict[str, Any] = {
        "uri": post_uri(status),
        "cid": "bafyrei" + record_key(status["id_str"]),
        "author": _author(status["user"]),
        "record": record,
        "repostCount": status.get("retweet_count", 0),
        "indexedAt": record["createdAt"],
    }
    quoted = status.get("quoted_status")
    if quoted:
        ref = {"uri": post_uri(quoted), "cid": "bafyrei" + record_key(quoted["id_str"])}
        record["embed"] = {"$type": "app.bsky.embed.record", "record": ref}
        out["embed"] = {
            "$type": "app.bsky.embed.record#view",
            "record": {
                "$type": "app.bsky.embed.record#viewRecord",
                **ref,
                "author": _author(quoted["user"]),
                "value": {
                    "$type": "app.bsky.feed.post",
                    "text": quoted["full_text"],
                    "createdAt": _iso(quoted["created_at"]),
                },
            },
        }
    return out


def convert(statuses: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Bluesky records for v1.1 statuses, then one profile view per account."""
    users: dict[str, dict[str, Any]] = {}
    for status in statuses:
        for s in (status, status.get("retweeted_status"), status.get("quoted_status")):
            if s:
                users.setdefault(s["user"]["id_str"], s["user"])
        shared = status.get("retweeted_status")
        if shared:
            reason = {
                "$type": "app.bsky.feed.defs#reasonRepost",
                "by": _author(status["user"]),
                "indexedAt": _iso(status["created_at"]),
            }
            yield {"post": view(shared), "reason": reason}
        else:
            yield view(status)
    observed = spec.CORPUS_END.isoformat() + "T23:59:59.000Z"  # profiles fetched after it
    for user in users.values():
        yield {
            **_author(user),
            "description": user.get("description") or "",
            "followersCount": user.get("followers_count"),
            "followsCount": user.get("friends_count"),
            "postsCount": user.get("statuses_count"),
            "indexedAt": observed,
        }


def _statuses(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rb") as fh:
        for line in fh:
            yield orjson.loads(line)


def _rewrite_csv(src: Path, dst: Path, columns: dict[str, Any]) -> None:
    """Copy a corpus table (CSV, gzipped or not) with some columns' ids mapped:
    ``columns`` maps a column to a function of (value, row)."""
    frame = pd.read_csv(src, dtype=str, keep_default_na=False)
    for name, mapped in columns.items():
        frame[name] = [
            mapped(value, row) if value else value
            for value, row in zip(frame[name], frame.to_dict("records"), strict=True)
        ]
    writer.write_csv(frame, dst)


def write(out_dir: Path, corpus_dir: Path = paths.SYNTHETIC) -> dict[str, Any]:
    """Write the corpus of ``corpus_dir`` as Bluesky records (with annotations,
    deletions, ``corpus.json`` and a ``params.yml``) to ``out_dir``; return the
    corpus metadata written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = corpus_dir / build.CORPUS_FILE
    post_ids: dict[str, str] = {}
    user_ids: set[str] = set()
    records = []
    for status in _statuses(source):
        user_ids.add(status["user"]["id_str"])
        if status.get("retweeted_status"):
            post_ids[status["id_str"]] = repost_id(status)
        else:
            post_ids[status["id_str"]] = post_uri(status)
        records.append(status)
    writer.write_jsonl_gz(list(convert(iter(records))), out_dir / RECORDS_FILE)

    def post(value: str, row: dict[str, str]) -> str:
        return post_ids.get(value, value)

    def user(value: str, row: dict[str, str]) -> str:
        return did(value)

    def either(value: str, row: dict[str, str]) -> str:
        return did(value) if row.get("kind") == "user" else post_ids.get(value, value)

    _rewrite_csv(corpus_dir / build.POSTS_FILE, out_dir / build.POSTS_FILE,
                 {"post_id": post, "author_id": user})  # fmt: skip
    _rewrite_csv(corpus_dir / build.USERS_FILE, out_dir / build.USERS_FILE, {"user_id": user})
    _rewrite_csv(corpus_dir / build.DELETIONS_FILE, out_dir / build.DELETIONS_FILE, {"id": either})
    meta = json.loads((corpus_dir / build.META_FILE).read_text(encoding="utf-8"))
    meta.update(
        platform="bluesky",
        format="Bluesky AppView records, one per line, gzipped: post views, feed items with "
        "reasonRepost for reposts, then one profile view per account",
        derived_from={
            "file": build.CORPUS_FILE,
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        },
        files={
            name: hashlib.sha256((out_dir / name).read_bytes()).hexdigest()
            for name in (RECORDS_FILE, build.POSTS_FILE, build.USERS_FILE, build.DELETIONS_FILE)
        },
    )
    (out_dir / build.META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out_dir / PARAMS_FILE).write_text(_params(out_dir), encoding="utf-8")
    return meta


def _params(out_dir: Path) -> str:
    """The default parameters, with the data, deletions and annotations of ``out_dir``."""
    spec = yaml.safe_load(paths.PARAMS.read_text(encoding="utf-8"))

    def where(name: str) -> str:
        path = (out_dir / name).resolve()
        try:
            return str(path.relative_to(paths.ROOT))
        except ValueError:
            return str(path)

    spec.update(
        data=[where(RECORDS_FILE)],
        data_label="the synthetic #datasaveslives corpus as Bluesky records",
        synthetic=True,
        deletions=where(build.DELETIONS_FILE),
        quotable=where(build.POSTS_FILE),
    )
    head = (
        "# A run on the synthetic corpus as Bluesky records (written by\n"
        "# `python -m datasaveslives synth --platform bluesky`); otherwise params.yml.\n"
    )
    return head + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
