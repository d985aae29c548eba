"""GNIP / Historical PowerTrack Activity Streams (the format of the paper's data)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from datasaveslives.ingest.readers.common import (
    Parsed,
    RecordError,
    as_dict,
    entity_values,
    join_text,
    lower_tags,
    optional_count,
    optional_id,
    optional_text,
    parse_time,
    post_row,
    require_id,
    user_row,
)

FORMAT = "gnip"

_STATUS_LINK = re.compile(r"/status(?:es)?/(\d+)")


def matches(obj: dict[str, Any]) -> bool:
    """True when ``obj`` looks like an Activity Streams activity."""
    return "verb" in obj and "actor" in obj


def _tail_id(value: Any, what: str) -> str:
    """``tag:search.twitter.com,2005:123`` or ``id:twitter.com:456`` -> the number."""
    text = require_id(value, what)
    return text.rsplit(":", 1)[-1]


def _body(activity: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """Untruncated body of an activity and its entities (``long_object`` first)."""
    long = as_dict(activity.get("long_object"))
    if isinstance(long.get("body"), str):
        return long["body"], as_dict(long.get("twitter_entities"))
    return optional_text(activity.get("body")), as_dict(activity.get("twitter_entities"))


def _actor(activity: dict[str, Any], observed_at: datetime) -> dict[str, Any] | None:
    actor = as_dict(activity.get("actor"))
    if not optional_id(actor.get("id")):
        return None
    return user_row(
        user_id=_tail_id(actor.get("id"), "actor.id"),
        screen_name=actor.get("preferredUsername"),
        name=actor.get("displayName"),
        bio=actor.get("summary"),
        followers=actor.get("followersCount"),
        friends=actor.get("friendsCount"),
        statuses=actor.get("statusesCount"),
        account_created_at=actor.get("postedTime"),
        observed_at=observed_at,
    )


def _actor_id(activity: dict[str, Any]) -> str | None:
    actor = as_dict(activity.get("actor"))
    return _tail_id(actor["id"], "actor.id") if optional_id(actor.get("id")) else None


def parse(obj: dict[str, Any]) -> Iterator[Parsed]:
    """Yield the one post in an activity, or raise :class:`RecordError`."""
    verb = obj.get("verb")
    if verb not in ("post", "share"):
        raise RecordError(f"unsupported activity verb: {str(verb)[:20]!r}")
    post_id = _tail_id(obj.get("id"), "id")
    created = parse_time(obj.get("postedTime"), "postedTime")
    author_id = _actor_id(obj)
    if author_id is None:
        raise RecordError("missing required field: actor.id")
    users = [_actor(obj, created)]
    fields: dict[str, Any] = {}
    own_text, own_entities = _body(obj)
    if own_text is None:
        raise RecordError("missing required field: body")

    if verb == "share":
        kind = "retweet"
        original = as_dict(obj.get("object"))
        if not original:
            raise RecordError("missing required field: object")
        shown, entities = _body(original)
        if shown is None:
            raise RecordError("missing required field: object.body")
        fields["retweeted_post_id"] = _tail_id(original.get("id"), "object.id")
        fields["retweeted_author_id"] = _actor_id(original)
        users.append(_actor(original, created))
        inner_quote = as_dict(original.get("twitter_quoted_status")) or as_dict(
            obj.get("twitter_quoted_status")
        )
        quoted_text = _body(inner_quote)[0] if inner_quote else None
        if inner_quote:
            users.append(_actor(inner_quote, created))
        searched = join_text(shown, quoted_text)
    else:
        shown, entities = own_text, own_entities
        quoted = as_dict(obj.get("twitter_quoted_status"))
        quoted_text = None
        if quoted:
            kind = "quote"
            fields["quoted_post_id"] = _tail_id(quoted.get("id"), "twitter_quoted_status.id")
            fields["quoted_author_id"] = _actor_id(quoted)
            quoted_text = _body(quoted)[0]
            users.append(_actor(quoted, created))
        else:
            kind = "original"
        searched = join_text(own_text, quoted_text)

    reply_link = as_dict(obj.get("inReplyTo")).get("link")
    reply_match = _STATUS_LINK.search(reply_link) if isinstance(reply_link, str) else None
    post = post_row(
        post_id=post_id,
        created_at=created,
        author_id=author_id,
        type=kind,
        in_reply_to_post_id=reply_match.group(1) if reply_match else None,
        text=shown,
        full_text=searched,
        hashtags=lower_tags(entity_values(entities.get("hashtags"), "text", "tag")),
        mentions=entity_values(entities.get("user_mentions"), "screen_name"),
        urls=entity_values(entities.get("urls"), "expanded_url", "url"),
        retweet_count=optional_count(obj.get("retweetCount"), "retweetCount"),
        lang=optional_text(obj.get("twitter_lang")),
        **fields,
    )
    yield Parsed(post, [u for u in users if u is not None])
