"""vcrpy cassettes of Bluesky and Mastodon API exchanges, made from real payloads.

No network is reachable here, so the exchanges are not recorded live: each response body
is made of the real records of ``tests/fixtures/real`` (twitwi's Bluesky post views and
feed items, bigbone's Mastodon tag timeline), cut into pages and wrapped as the services
wrap them (``posts`` and ``cursor``, ``repostedBy``, ``feed``, ``profiles``; a status
array with a ``Link`` header), with the services' rate-limit and error responses. vcrpy
replays them through the libraries' own HTTP clients (httpx for atproto, requests for
Mastodon.py) and fails on any request a cassette does not hold: a collector that asks
for the wrong page, or asks again for a page it saved, fails its test.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from conftest import BLUESKY, MASTODON

BSKY = "https://public.api.bsky.app/xrpc"
SINCE, UNTIL = "2025-01-01", "2025-12-31"


def exchange(
    uri: str, body: Any, *, status: int = 200, headers: dict[str, str] | None = None,
    indent: int | None = None, method: str = "GET"
) -> dict[str, Any]:  # fmt: skip
    """One request and the response that answered it, as vcrpy stores them."""
    text = body if isinstance(body, str) else json.dumps(body, indent=indent)
    found = {"Content-Type": ["application/json; charset=utf-8"]}
    found.update({k: [v] for k, v in (headers or {}).items()})
    return {
        "request": {"body": None, "headers": {}, "method": method, "uri": uri},
        "response": {
            "body": {"string": text},
            "headers": found,
            "status": {"code": status, "message": "OK" if status < 400 else "Error"},
        },
    }


def write(path: Path, exchanges: Iterable[dict[str, Any]]) -> Path:
    """A cassette file holding ``exchanges``, in order."""
    path.write_text(
        yaml.safe_dump({"interactions": list(exchanges), "version": 1}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def xrpc(nsid: str, **params: Any) -> str:
    """The address the SDK asks for ``nsid`` with ``params`` (in its order)."""
    return f"{BSKY}/{nsid}?{urlencode({k: v for k, v in params.items() if v is not None})}"


# --- Bluesky ------------------------------------------------------------------------------


def bluesky_records() -> list[dict[str, Any]]:
    return json.loads(BLUESKY.read_text(encoding="utf-8"))


def bluesky_window_posts() -> list[dict[str, Any]]:
    """The real post views created in the window, newest first (as search sorts)."""
    views = [r for r in bluesky_records() if "post" not in r]
    inside = [v for v in views if SINCE <= v["record"]["createdAt"][:10] <= UNTIL]
    return sorted(inside, key=lambda v: v["record"]["createdAt"], reverse=True)


def reposter() -> dict[str, Any]:
    """A real reposter (the ``reason.by`` of twitwi's feed items)."""
    for r in bluesky_records():
        by = (r.get("reason") or {}).get("by")
        if by:
            return copy.deepcopy(by)
    raise AssertionError("the fixture has no repost")


def search_pages(per_page: int = 25) -> list[tuple[str, dict[str, Any]]]:
    """The window's posts as searchPosts pages: (the page's cursor, the response)."""
    posts = bluesky_window_posts()
    pages = [posts[i : i + per_page] for i in range(0, len(posts), per_page)]
    out = []
    for n, page in enumerate(pages):
        following = f"page{n + 2}" if n + 1 < len(pages) else None
        response = {"posts": page, "hitsTotal": len(posts)}
        if following:
            response["cursor"] = following
        out.append((f"page{n + 1}" if n else None, response))
    return out


def search_exchange(cursor: str | None, response: Any, **kw: Any) -> dict[str, Any]:
    uri = xrpc("app.bsky.feed.searchPosts", q="#bluesky", since=f"{SINCE}T00:00:00Z",
               until="2026-01-01T00:00:00Z", sort="latest", limit=100, cursor=cursor)  # fmt: skip
    return exchange(uri, response, **kw)


def most_reposted(top: int) -> list[dict[str, Any]]:
    posts = [p for p in bluesky_window_posts() if p.get("repostCount")]
    return sorted(posts, key=lambda p: (-p["repostCount"], p["uri"]))[:top]


def repost_of(view: dict[str, Any], when: str) -> dict[str, Any]:
    """A feed item showing the reposter's repost of ``view`` at ``when``."""
    rkey = "3l" + view["uri"].rsplit("/", 1)[1][2:]
    return {
        "post": view,
        "reason": {
            "$type": "app.bsky.feed.defs#reasonRepost",
            "by": reposter(),
            "uri": f"at://{reposter()['did']}/app.bsky.feed.repost/{rkey}",
            "indexedAt": when,
        },  # fmt: skip
    }


def bluesky_after_search(top: int) -> list[dict[str, Any]]:
    """Every exchange after the search: who reposted the ``top`` posts, the reposter's
    feed (its real items and its reposts of them), and the profiles."""
    targets = most_reposted(top)
    by = reposter()
    out = []
    for post in targets:
        uri = xrpc("app.bsky.feed.getRepostedBy", uri=post["uri"], limit=100)
        out.append(exchange(uri, {"uri": post["uri"], "cid": post["cid"], "repostedBy": [by]}))
    feed = [r for r in bluesky_records() if "post" in r]
    first = feed[:5] + [repost_of(targets[0], "2025-12-20T10:00:00.000Z")]
    second = [repost_of(p, "2025-11-02T09:00:00.000Z") for p in targets[1:]] + feed[5:]
    params = {"actor": by["did"], "limit": 100, "filter": "posts_no_replies",
              "includePins": "false"}  # fmt: skip
    out.append(exchange(xrpc("app.bsky.feed.getAuthorFeed", **params),
                        {"feed": first, "cursor": "feed2"}))  # fmt: skip
    out.append(exchange(xrpc("app.bsky.feed.getAuthorFeed", **{**params, "cursor": "feed2"}),
                        {"feed": second, "cursor": "feed3"}))  # fmt: skip
    authors: dict[str, dict[str, Any]] = {}
    for post in bluesky_window_posts():
        authors[post["author"]["did"]] = post["author"]
    authors[by["did"]] = by
    dids = sorted(authors)
    for i in range(0, len(dids), 25):
        batch = dids[i : i + 25]
        profiles = [
            {
                **authors[d],
                "followersCount": 100 + n,
                "followsCount": 7,
                "postsCount": 40,
                "indexedAt": "2025-12-31T12:00:00.000Z",
            }  # fmt: skip
            for n, d in enumerate(batch)
        ]
        query = "&".join(f"actors={d}" for d in batch)
        out.append(exchange(f"{BSKY}/app.bsky.actor.getProfiles?{query}", {"profiles": profiles}))
    return out


def rate_limited(reset_in: float) -> dict[str, str]:
    """Bluesky's rate-limit headers: the window resets ``reset_in`` seconds from now."""
    reset = int(datetime.now(UTC).timestamp() + reset_in)
    return {"ratelimit-limit": "3000", "ratelimit-remaining": "0",
            "ratelimit-reset": str(reset), "ratelimit-policy": "3000;w=300"}  # fmt: skip


ERROR = {"error": "InternalServerError", "message": "Internal Server Error"}


# --- Mastodon -----------------------------------------------------------------------------

TAG = "mastodon"
M_SINCE, M_UNTIL = "2017-04-01", "2017-04-30"


def statuses() -> list[dict[str, Any]]:
    return json.loads(MASTODON.read_text(encoding="utf-8"))


def snowflake(day: str) -> str:
    """The status id Mastodon.py asks for at the start of ``day`` (UTC)."""
    when = datetime.fromisoformat(f"{day}T00:00:00+00:00")
    return str(int(when.timestamp() * 1000) << 16)


def timeline_uri(base: str, max_id: str) -> str:
    return f"{base}/api/v1/timelines/tag/{TAG}?max_id={max_id}&limit=40"


def timeline_pages(base: str, items: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """A tag timeline served in pages of ``size`` and an empty last page, each asked
    with the id before which it starts (the first: the day after the window)."""
    out, max_id = [], snowflake("2017-05-01")
    for i in range(0, len(items) + 1, size):
        page = items[i : i + size]
        link = f'<{timeline_uri(base, page[-1]["id"])}>; rel="next"' if page else None
        out.append(exchange(timeline_uri(base, max_id), page,
                            headers={"Link": link} if link else None))  # fmt: skip
        if page:
            max_id = page[-1]["id"]
    return out


def seen_from(items: list[dict[str, Any]], offset: int) -> list[dict[str, Any]]:
    """The same statuses as another instance serves them: its own local ids."""
    return [{**s, "id": str(int(s["id"]) + offset)} for s in items]


def mastodon_rate_limit() -> dict[str, str]:
    """Mastodon's rate-limit headers, the window reset a moment ago (no real wait)."""
    return {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": "2017-04-30T00:00:00.000Z"}  # fmt: skip
