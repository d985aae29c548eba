"""Bluesky (AT Protocol) posts, reposts and profiles, as the AppView API returns them.

* a post view (``app.bsky.feed.searchPosts``, ``getPosts``...): ``uri``, ``cid``,
  ``author{did, handle, displayName}``, ``record{text, createdAt, langs, facets, reply,
  embed}``, ``repostCount``, ``indexedAt``;
* a feed item (``getAuthorFeed``, feeds): ``{"post": view}``, with
  ``reason`` = ``app.bsky.feed.defs#reasonRepost`` when it shows a repost
  (``reason.by`` reposted it at ``reason.indexedAt``; newer AppViews add the repost
  record's own ``uri``, which then keys it, so that the same repost read from a feed and
  from its repository record is one post);
* a repost record (``com.atproto.repo.listRecords``): ``uri`` of an
  ``app.bsky.feed.repost``, ``value{subject{uri}, createdAt}``; it carries no text;
* a profile view (``app.bsky.actor.getProfile(s)``): ``did``, ``handle``,
  ``followersCount``... which updates the users table.

Posts are keyed by their ``at://`` URI and accounts by their DID (stable when a
handle changes). A quote is a post whose record embeds another
(``app.bsky.embed.record`` or ``recordWithMedia``). Hashtags come from the
``#tag`` facets and from the text.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from datasaveslives.ingest.readers.common import (
    Parsed,
    Profile,
    RecordError,
    as_dict,
    as_list,
    join_text,
    optional_count,
    optional_text,
    optional_time,
    parse_time,
    post_row,
    require_id,
    tags_and_text,
    user_row,
)

FORMAT = "bluesky"
REPOST_FORMAT = "bluesky_repost"
PROFILE_FORMAT = "bluesky_profile"

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"
REASON_REPOST = "app.bsky.feed.defs#reasonRepost"
QUOTE_EMBEDS = ("app.bsky.embed.record", "app.bsky.embed.recordWithMedia")
TAG = "app.bsky.richtext.facet#tag"
MENTION = "app.bsky.richtext.facet#mention"
LINK = "app.bsky.richtext.facet#link"
HANDLE = re.compile(r"@\w[\w.-]*\w")  # (underscores too: handles migrated from elsewhere)


def _is_at_uri(value: Any, collection: str | None = None) -> bool:
    if not isinstance(value, str) or not value.startswith("at://did:"):
        return False
    return collection is None or f"/{collection}/" in value


def matches(obj: dict[str, Any]) -> bool:
    """True for a post view, a feed item, a repost record or a profile view."""
    if _is_at_uri(obj.get("uri")) and ("record" in obj or "value" in obj):
        return True
    if isinstance(obj.get("post"), dict) and _is_at_uri(obj["post"].get("uri")):
        return True
    return isinstance(obj.get("did"), str) and obj["did"].startswith("did:") and "handle" in obj


def feed_repost_id(reposter: str, post_uri: str) -> str:
    """The id of a repost seen in a feed, which has no URI of its own: the reposter's
    DID and the reposted post's URI name it."""
    return f"{reposter}/repost/{post_uri}"


def did_of(uri: str) -> str | None:
    """The DID an ``at://`` URI belongs to (its author)."""
    parts = uri[len("at://") :].split("/") if uri.startswith("at://") else []
    return parts[0] if parts and parts[0].startswith("did:") else None


def _user(author: dict[str, Any], observed_at: datetime) -> dict[str, Any] | None:
    did = optional_text(author.get("did"))
    if not did:
        return None
    return user_row(
        user_id=did,
        screen_name=author.get("handle"),
        name=author.get("displayName"),
        bio=author.get("description"),
        followers=author.get("followersCount"),
        friends=author.get("followsCount"),
        statuses=author.get("postsCount"),
        account_created_at=author.get("createdAt"),
        observed_at=observed_at,
    )


def _facets(record: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """Tags, mentioned handles and links of a post record's facets."""
    text = optional_text(record.get("text")) or ""
    data = text.encode("utf-8")
    tags: list[str] = []
    mentions: list[str] = []
    links: list[str] = []
    for facet in as_list(record.get("facets")):
        facet = as_dict(facet)
        index = as_dict(facet.get("index"))
        for feature in as_list(facet.get("features")):
            feature = as_dict(feature)
            kind = feature.get("$type")
            if kind == TAG and isinstance(feature.get("tag"), str):
                tags.append(feature["tag"])
            elif kind == LINK and isinstance(feature.get("uri"), str):
                links.append(feature["uri"])
            elif kind == MENTION:
                # The handle as written in the text; real facets sometimes point at the
                # wrong bytes, and then the mentioned account's DID stands for it.
                start, end = index.get("byteStart"), index.get("byteEnd")
                shown = ""
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                    shown = data[start:end].decode("utf-8", errors="replace").strip()
                handle = (shown.lstrip("@") if HANDLE.fullmatch(shown) else None) or optional_text(
                    feature.get("did")
                )
                if handle:
                    mentions.append(handle)
    return tags, mentions, links


def _quoted(
    record: dict[str, Any], view: dict[str, Any]
) -> tuple[str | None, str | None, dict[str, Any]]:
    """The URI of the post a record quotes, and its text and author when the view
    embeds it."""
    embed = as_dict(record.get("embed"))
    if embed.get("$type") not in QUOTE_EMBEDS:
        return None, None, {}
    ref = as_dict(embed.get("record"))
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        ref = as_dict(ref.get("record"))
    uri = optional_text(ref.get("uri"))
    shown = as_dict(as_dict(view.get("embed")).get("record"))
    if "record" in shown and "value" not in shown:  # recordWithMedia#view nests once more
        shown = as_dict(shown.get("record"))
    text = optional_text(as_dict(shown.get("value")).get("text"))
    return uri, text, as_dict(shown.get("author"))


def _post(view: dict[str, Any]) -> Parsed:
    """The post of a post view."""
    post_id = require_id(view.get("uri"), "uri")
    record = as_dict(view.get("record"))
    if record.get("$type") not in (None, POST, f"{POST}#main"):
        raise RecordError(f"not a post record: {str(record.get('$type'))[:40]}")
    created = parse_time(record.get("createdAt"), "record.createdAt")
    author = as_dict(view.get("author"))
    author_id = require_id(author.get("did"), "author.did")
    text = optional_text(record.get("text"))
    if text is None:
        raise RecordError("missing required field: record.text")
    tags, mentions, links = _facets(record)
    external = as_dict(as_dict(record.get("embed")).get("external"))
    if isinstance(external.get("uri"), str) and external["uri"] not in links:
        links.append(external["uri"])
    quoted_uri, quoted_text, quoted_author = _quoted(record, view)
    reply = as_dict(as_dict(record.get("reply")).get("parent"))
    langs = [x for x in as_list(record.get("langs")) if isinstance(x, str)]
    post = post_row(
        post_id=post_id,
        created_at=created,
        author_id=author_id,
        type="quote" if quoted_uri else "original",
        in_reply_to_post_id=optional_text(reply.get("uri")),
        text=text,
        full_text=join_text(text, quoted_text),
        hashtags=tags_and_text(tags, text),
        mentions=mentions,
        urls=links,
        quoted_post_id=quoted_uri,
        quoted_author_id=did_of(quoted_uri) if quoted_uri else None,
        retweet_count=optional_count(view.get("repostCount"), "repostCount"),
        lang=langs[0] if langs else None,
    )
    users = [_user(author, created), _user(quoted_author, created)]
    return Parsed(post, [u for u in users if u is not None])


def _repost_of(view: dict[str, Any], by: dict[str, Any], when: Any, repost_id: str) -> Parsed:
    """A repost of the post ``view`` by ``by`` at ``when``."""
    original = _post(view)
    created = parse_time(when, "reason.indexedAt")
    reposter = require_id(by.get("did"), "reason.by.did")
    shown = original.post
    post = post_row(
        post_id=repost_id,
        created_at=created,
        author_id=reposter,
        type="retweet",
        text=shown["text"],
        full_text=shown["full_text"],
        hashtags=shown["hashtags"],
        mentions=shown["mentions"],
        urls=shown["urls"],
        retweeted_post_id=shown["post_id"],
        retweeted_author_id=shown["author_id"],
        lang=shown["lang"],
    )
    users = [_user(by, created), *(dict(u, observed_at=created) for u in original.users)]
    return Parsed(post, [u for u in users if u is not None])


_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def camel(value: Any) -> Any:
    """The AppView's own key names for a record dumped by the atproto Python SDK (as
    4CAT's NDJSON holds them): ``created_at`` -> ``createdAt``, ``py_type`` -> ``$type``."""
    if isinstance(value, list):
        return [camel(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key == "py_type":
            key = "$type"
        elif isinstance(key, str) and _SNAKE.fullmatch(key):
            head, *rest = key.split("_")
            key = head + "".join(part.capitalize() for part in rest)
        out[key] = camel(item)
    return out


def read(obj: dict[str, Any]) -> tuple[str, list[Parsed | Profile]]:
    """The format and the result of one Bluesky record, in the AppView's key style or
    the atproto SDK's (see :func:`camel`); raises :class:`RecordError`."""
    obj = camel(obj)
    if "did" in obj and "uri" not in obj and "post" not in obj:
        return PROFILE_FORMAT, [Profile(_profile(obj))]
    if isinstance(obj.get("post"), dict):  # a feed item
        view = obj["post"]
        reason = as_dict(obj.get("reason"))
        if reason.get("$type") == REASON_REPOST:
            by = as_dict(reason.get("by"))
            own = reason.get("uri")  # the repost record's own address (newer AppViews)
            repost_id = (
                own
                if isinstance(own, str) and _is_at_uri(own, REPOST)
                else feed_repost_id(str(by.get("did")), str(view.get("uri")))
            )
            return REPOST_FORMAT, [_repost_of(view, by, reason.get("indexedAt"), repost_id)]
        return FORMAT, [_post(view)]
    value = as_dict(obj.get("value"))
    if _is_at_uri(obj.get("uri"), REPOST) or value.get("$type") == REPOST:
        return REPOST_FORMAT, [_repost_record(obj, value)]
    if "value" in obj and "record" not in obj:  # a post record from a repository
        author = {"did": did_of(str(obj.get("uri")))}
        return FORMAT, [_post({**obj, "record": value, "author": author})]
    return FORMAT, [_post(obj)]


def _repost_record(obj: dict[str, Any], value: dict[str, Any]) -> Parsed:
    """An ``app.bsky.feed.repost`` record: who reposted which post, when (no text)."""
    repost_id = require_id(obj.get("uri"), "uri")
    reposter = did_of(repost_id)
    if reposter is None:
        raise RecordError(f"invalid uri: {repost_id[:60]!r}")
    subject = optional_text(as_dict(value.get("subject")).get("uri"))
    if not subject:
        raise RecordError("missing required field: value.subject.uri")
    created = parse_time(value.get("createdAt"), "value.createdAt")
    post = post_row(
        post_id=repost_id,
        created_at=created,
        author_id=reposter,
        type="retweet",
        text="",
        full_text="",
        retweeted_post_id=subject,
        retweeted_author_id=did_of(subject),
    )
    return Parsed(post, [])


def _profile(obj: dict[str, Any]) -> dict[str, Any]:
    """The users-table row of a profile view (observed when indexed, else unknown)."""
    observed = optional_time(obj.get("indexedAt")) or optional_time(obj.get("createdAt"))
    if observed is None:
        raise RecordError("profile without indexedAt or createdAt")
    row = _user(obj, observed)
    if row is None:
        raise RecordError("missing required field: did")
    return row
