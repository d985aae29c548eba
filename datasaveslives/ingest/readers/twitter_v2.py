"""Twitter API v2 as written by twarc2: response pages and flattened tweets.

A page (``{"data": [...], "includes": {...}}``) holds many tweets; the full
text of a retweeted or quoted tweet and every author's profile come from its
``includes``. twarc2's ``flatten`` writes one tweet per line with ``author``
and the referenced tweets inlined; both shapes give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from datasaveslives.ingest.readers.common import (
    Parsed,
    RecordError,
    as_dict,
    as_list,
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

PAGE_FORMAT = "twitter_v2"
FLAT_FORMAT = "twitter_v2_flat"


def matches_page(obj: dict[str, Any]) -> bool:
    """True for a twarc2 response page."""
    return "data" in obj and ("includes" in obj or "meta" in obj or "__twarc" in obj)


def matches_flat(obj: dict[str, Any]) -> bool:
    """True for a single v2 tweet (flattened by twarc2, or bare)."""
    return "id" in obj and "text" in obj and "author_id" in obj


def _text(tweet: dict[str, Any]) -> str | None:
    note = as_dict(tweet.get("note_tweet"))
    if isinstance(note.get("text"), str):
        return note["text"]
    return optional_text(tweet.get("text"))


def _entities(tweet: dict[str, Any]) -> dict[str, Any]:
    note = as_dict(tweet.get("note_tweet"))
    if note.get("entities"):
        return as_dict(note.get("entities"))
    return as_dict(tweet.get("entities"))


def _user(
    user: dict[str, Any], observed_at: datetime, seen: dict[int, Any] | None = None
) -> dict[str, Any] | None:
    """The users-table row of a v2 user object, observed at ``observed_at``. ``seen``
    memoises the rows of a page's ``includes`` users, which its tweets share (the row
    differs only in when it was observed)."""
    key = id(user)
    if seen is not None and key in seen and seen[key][0] is user:  # (kept alive: no reuse)
        row = seen[key][1]
        return None if row is None else {**row, "observed_at": observed_at}
    uid = optional_id(user.get("id"))
    row = None
    if uid is not None:
        metrics = as_dict(user.get("public_metrics"))
        row = user_row(
            user_id=uid,
            screen_name=user.get("username"),
            name=user.get("name"),
            bio=user.get("description"),
            followers=metrics.get("followers_count"),
            friends=metrics.get("following_count"),
            statuses=metrics.get("tweet_count"),
            account_created_at=user.get("created_at"),
            observed_at=observed_at,
        )
    if seen is not None:
        seen[key] = (user, row)
    return row


def _tweet(
    tweet: dict[str, Any],
    tweets: dict[str, dict[str, Any]],
    users: dict[str, dict[str, Any]],
    seen: dict[int, Any] | None = None,
) -> Parsed:
    """One v2 tweet; ``tweets``/``users`` resolve referenced ids (page includes)."""
    post_id = require_id(tweet.get("id"), "id")
    created = parse_time(tweet.get("created_at"))
    author_id = require_id(tweet.get("author_id"), "author_id")
    own_text = _text(tweet)
    if own_text is None:
        raise RecordError("missing required field: text")

    refs: dict[str, dict[str, Any]] = {}
    for ref in as_list(tweet.get("referenced_tweets")):
        ref = as_dict(ref)
        rid = optional_id(ref.get("id"))
        if rid and isinstance(ref.get("type"), str):
            # A flattened tweet carries the referenced tweet inline.
            refs[ref["type"]] = {**tweets.get(rid, {}), **ref}

    def author_of(t: dict[str, Any]) -> dict[str, Any]:
        inline = as_dict(t.get("author"))
        return inline or users.get(str(t.get("author_id")), {})

    seen_users = [_user(author_of(tweet), created, seen)]
    fields: dict[str, Any] = {}
    entities = _entities(tweet)
    shown = own_text
    quoted_text = None

    if "retweeted" in refs:
        kind = "retweet"
        original = refs["retweeted"]
        fields["retweeted_post_id"] = optional_id(original.get("id"))
        fields["retweeted_author_id"] = optional_id(original.get("author_id"))
        seen_users.append(_user(author_of(original), created, seen))
        if (full := _text(original)) is not None:  # else only the truncated "RT @" text exists
            shown = full
            entities = _entities(original)
        for ref in as_list(original.get("referenced_tweets")):
            ref = as_dict(ref)
            if ref.get("type") == "quoted":
                inner = {**tweets.get(str(ref.get("id")), {}), **ref}
                quoted_text = _text(inner)
                seen_users.append(_user(author_of(inner), created, seen))
        searched = join_text(shown, quoted_text)
    else:
        if "quoted" in refs:
            kind = "quote"
            quoted = refs["quoted"]
            fields["quoted_post_id"] = optional_id(quoted.get("id"))
            fields["quoted_author_id"] = optional_id(quoted.get("author_id"))
            quoted_text = _text(quoted)
            seen_users.append(_user(author_of(quoted), created, seen))
        else:
            kind = "original"
        searched = join_text(own_text, quoted_text)

    metrics = as_dict(tweet.get("public_metrics"))
    post = post_row(
        post_id=post_id,
        created_at=created,
        author_id=author_id,
        type=kind,
        in_reply_to_post_id=optional_id(as_dict(refs.get("replied_to")).get("id")),
        text=shown,
        full_text=searched,
        hashtags=lower_tags(entity_values(entities.get("hashtags"), "tag", "text")),
        mentions=entity_values(entities.get("mentions"), "username", "screen_name"),
        urls=entity_values(entities.get("urls"), "expanded_url", "url"),
        retweet_count=optional_count(metrics.get("retweet_count"), "retweet_count"),
        lang=optional_text(tweet.get("lang")),
        **fields,
    )
    return Parsed(post, [u for u in seen_users if u is not None])


def parse_page(obj: dict[str, Any]) -> Iterator[Parsed | RecordError]:
    """Yield each tweet of a page; a bad tweet yields its error, not the page's."""
    includes = as_dict(obj.get("includes"))
    tweets = {
        str(t["id"]): t
        for t in as_list(includes.get("tweets"))
        if isinstance(t, dict) and "id" in t
    }
    users = {
        str(u["id"]): u for u in as_list(includes.get("users")) if isinstance(u, dict) and "id" in u
    }
    data = obj.get("data")
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else None
    if items is None:
        raise RecordError("twarc2 page without a data list")
    seen: dict[int, Any] = {}  # user rows of this page, by object (see _user)
    for item in items:
        if not isinstance(item, dict):
            yield RecordError("tweet in page is not an object")
            continue
        try:
            yield _tweet(item, tweets, users, seen)
        except RecordError as err:
            yield err
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as err:
            # One tweet's type confusion: that tweet is quarantined, not its page.
            yield RecordError(f"malformed record: {type(err).__name__}")


def parse_flat(obj: dict[str, Any]) -> Iterator[Parsed]:
    """Yield the one tweet of a flattened (or bare) v2 record."""
    yield _tweet(obj, {}, {})
