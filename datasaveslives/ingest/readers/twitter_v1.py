"""Twitter API v1.1 statuses (REST, streaming and extended/compat modes)."""

from __future__ import annotations

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

FORMAT = "twitter_v1"


def matches(obj: dict[str, Any]) -> bool:
    """True when ``obj`` looks like a v1.1 status (``user`` may be missing: then it is
    a v1.1 status with a missing field, not a record of unknown format)."""
    has_text = "text" in obj or "full_text" in obj
    return has_text and ("user" in obj or "id_str" in obj) and "author_id" not in obj


def full_text(status: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The untruncated text of a status and the entities that index it."""
    ext = as_dict(status.get("extended_tweet"))
    if isinstance(ext.get("full_text"), str):
        return ext["full_text"], as_dict(ext.get("entities"))
    if isinstance(status.get("full_text"), str):
        return status["full_text"], as_dict(status.get("entities"))
    return optional_text(status.get("text")), as_dict(status.get("entities"))


def _status_id(status: dict[str, Any], what: str) -> str:
    return require_id(status.get("id_str") or status.get("id"), what)


def _user(status: dict[str, Any], observed_at: datetime) -> dict[str, Any] | None:
    user = as_dict(status.get("user"))
    uid = optional_id(user.get("id_str") or user.get("id"))
    if uid is None:
        return None
    return user_row(
        user_id=uid,
        screen_name=user.get("screen_name"),
        name=user.get("name"),
        bio=user.get("description"),
        followers=user.get("followers_count"),
        friends=user.get("friends_count"),
        statuses=user.get("statuses_count"),
        account_created_at=user.get("created_at"),
        observed_at=observed_at,
    )


def parse(obj: dict[str, Any]) -> Iterator[Parsed]:
    """Yield the one post in a v1.1 status, or raise :class:`RecordError`."""
    post_id = _status_id(obj, "id")
    created = parse_time(obj.get("created_at"))
    author = as_dict(obj.get("user"))
    if not author:
        raise RecordError("missing required field: user")
    author_id = require_id(author.get("id_str") or author.get("id"), "user.id")
    own_text, own_entities = full_text(obj)
    if own_text is None:
        raise RecordError("missing required field: text")

    users = [_user(obj, created)]
    retweeted = as_dict(obj.get("retweeted_status"))
    quoted = as_dict(obj.get("quoted_status"))
    fields: dict[str, Any] = {}

    if retweeted:
        kind = "retweet"
        rt_text, entities = full_text(retweeted)
        if rt_text is None:
            raise RecordError("missing required field: retweeted_status.text")
        fields["retweeted_post_id"] = _status_id(retweeted, "retweeted_status.id")
        rt_user = as_dict(retweeted.get("user"))
        fields["retweeted_author_id"] = optional_id(rt_user.get("id_str") or rt_user.get("id"))
        users.append(_user(retweeted, created))
        inner_quote = as_dict(retweeted.get("quoted_status")) or quoted
        quoted_text = full_text(inner_quote)[0] if inner_quote else None
        shown = rt_text
        searched = join_text(rt_text, quoted_text)
        if inner_quote:
            users.append(_user(inner_quote, created))
    else:
        entities = own_entities
        shown = own_text
        quoted_text = None
        if quoted or obj.get("is_quote_status") is True:
            kind = "quote"
            if quoted:
                fields["quoted_post_id"] = _status_id(quoted, "quoted_status.id")
                q_user = as_dict(quoted.get("user"))
                fields["quoted_author_id"] = optional_id(q_user.get("id_str") or q_user.get("id"))
                quoted_text = full_text(quoted)[0]
                users.append(_user(quoted, created))
            else:
                fields["quoted_post_id"] = optional_id(obj.get("quoted_status_id_str"))
        else:
            kind = "original"
        searched = join_text(own_text, quoted_text)

    post = post_row(
        post_id=post_id,
        created_at=created,
        author_id=author_id,
        type=kind,
        in_reply_to_post_id=optional_id(obj.get("in_reply_to_status_id_str"))
        or optional_id(obj.get("in_reply_to_status_id")),
        text=shown,
        full_text=searched,
        hashtags=lower_tags(entity_values(entities.get("hashtags"), "text", "tag")),
        mentions=entity_values(entities.get("user_mentions"), "screen_name"),
        urls=entity_values(entities.get("urls"), "expanded_url", "url"),
        retweet_count=optional_count(obj.get("retweet_count"), "retweet_count"),
        lang=optional_text(obj.get("lang")),
        **fields,
    )
    yield Parsed(post, [u for u in users if u is not None])
