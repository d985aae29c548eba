"""Mastodon statuses as the REST API returns them (timelines, search, a tag's timeline).

A Status has an instance-local ``id`` and a global ``uri``: posts are keyed by
``uri``, so the same post collected from two instances is one post (the second copy
is a duplicate). Accounts are keyed by ``acct@instance``: ``acct`` is ``user`` for an
account of the instance the data came from and ``user@instance`` for a remote one, so
the instance is added from the account's ``url`` when missing. ``content`` is HTML,
turned into text here; a boost is a status whose ``reblog`` holds the boosted one.
Statuses that were not public (``private``, ``direct``) are filtered, not read.

Quotes (Mastodon 4.5 and later): a status's ``quote`` says whether, and how, the post it
quotes may be shown (``docs.joinmastodon.org/entities/Quote``):

* ``accepted``: the quoted account agreed, and ``quoted_status`` holds the post (or, in
  a shallow quote, ``quoted_status_id`` its local id): a quote of that post, whose text
  joins the body (a hashtag only in the quoted post counts, as on Twitter);
* ``deleted``, ``unauthorized``, ``blocked_account``, ``blocked_domain``,
  ``muted_account`` (and, as the specification says, any state it does not list): the
  quote was agreed but the quoted post is gone or hidden from the collecting account: a
  quote of a post not known;
* ``pending``, ``rejected``, ``revoked``: the quoted account has not agreed, or no
  longer does, and the post is shown without it: an original post.

A status that a pre-4.5 fork gives a whole status as ``quote`` (Fedibird) is a quote of
that status. Replies and shallow quotes name the other post by its instance-local id,
which never equals a ``uri``: the reader writes a ``LOCAL_REF`` placeholder and the
post's own local ids, and ingestion puts the global ``uri`` in its place where that post
is in the archive (else the id is left empty; ``is_reply`` still says it is a reply).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from datasaveslives.ingest.readers.common import (
    Parsed,
    RecordError,
    Skipped,
    as_dict,
    as_list,
    entity_values,
    join_text,
    local_ref,
    optional_count,
    optional_id,
    optional_text,
    parse_time,
    post_row,
    require_id,
    tags_and_text,
    user_row,
)

FORMAT = "mastodon"
PUBLIC = ("public", "unlisted")
ACCEPTED = "accepted"
NOT_AGREED = ("pending", "rejected", "revoked")  # shown without the quote: an original


def matches(obj: dict[str, Any]) -> bool:
    """True for a Mastodon Status (``uri``, ``account`` and HTML ``content``)."""
    return "uri" in obj and "account" in obj and "content" in obj


class _Text(HTMLParser):
    """HTML to text: paragraphs and line breaks become new lines; hidden link parts
    (Mastodon's ``invisible`` spans) are kept, so links read in full; links are listed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")
        elif tag == "a":
            a = dict(attrs)
            classes = (a.get("class") or "").split()
            if a.get("href") and "mention" not in classes and "hashtag" not in classes:
                self.links.append(a["href"] or "")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(html: Any) -> tuple[str, list[str]]:
    """The text of an HTML fragment and the links in it (not mentions or hashtags)."""
    parser = _Text()
    parser.feed(html if isinstance(html, str) else "")
    parser.close()
    return "".join(parser.parts).strip(), parser.links


def qualified(acct: Any, url: Any) -> str | None:
    """``acct@instance`` (the instance from the account's URL when ``acct`` lacks it)."""
    if not isinstance(acct, str) or not acct.strip():
        return None
    acct = acct.strip().lstrip("@")
    if "@" in acct:
        return acct
    host = urlsplit(url).hostname if isinstance(url, str) else None
    return f"{acct}@{host}" if host else acct


def _user(account: dict[str, Any], observed_at: datetime) -> dict[str, Any] | None:
    key = qualified(account.get("acct"), account.get("url"))
    if key is None:
        return None
    bio, _ = html_text(account.get("note"))
    return user_row(
        user_id=key,
        screen_name=key,
        name=account.get("display_name"),
        bio=bio or None,
        followers=account.get("followers_count"),
        friends=account.get("following_count"),
        statuses=account.get("statuses_count"),
        account_created_at=account.get("created_at"),
        observed_at=observed_at,
    )


def _mentions(status: dict[str, Any]) -> list[str]:
    out = []
    for m in as_list(status.get("mentions")):
        m = as_dict(m)
        key = qualified(m.get("acct"), m.get("url"))
        if key:
            out.append(key)
    return out


def _is_status(obj: Any) -> bool:
    return isinstance(obj, dict) and matches(obj)


def _quote(status: dict[str, Any]) -> tuple[bool, dict[str, Any], str | None]:
    """Whether ``status`` is a quote, the quoted status when shown, and the quoted post's
    local id when only that is given (see the module's notes on states)."""
    quote = status.get("quote")
    if _is_status(quote):  # a fork's whole status
        return True, as_dict(quote), None
    if not isinstance(quote, dict):
        return False, {}, None
    state = quote.get("state")
    if state in NOT_AGREED:
        return False, {}, None
    if state != ACCEPTED:
        return True, {}, None
    shown = quote.get("quoted_status")
    if _is_status(shown):
        return True, as_dict(shown), None
    return True, {}, local_ref(quote.get("quoted_status_id"))


def _local_ids(*statuses: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """The local id of each status shown, with its ``uri`` and author."""
    out: dict[str, tuple[str, str | None]] = {}
    for shown in statuses:
        local, uri = shown.get("id"), shown.get("uri")
        if local is not None and isinstance(uri, str) and uri:
            account = as_dict(shown.get("account"))
            with_id = optional_id(local)
            if with_id:
                out[with_id] = (uri, qualified(account.get("acct"), account.get("url")))
    return out


def parse(obj: dict[str, Any]) -> Iterator[Parsed | Skipped]:
    """Yield the post (or boost) of one Status, or raise :class:`RecordError`."""
    visibility = obj.get("visibility")
    if isinstance(visibility, str) and visibility not in PUBLIC:
        yield Skipped(f"not public: visibility '{visibility}'")
        return
    post_id = require_id(obj.get("uri"), "uri")
    created = parse_time(obj.get("created_at"))
    account = as_dict(obj.get("account"))
    author_id = qualified(account.get("acct"), account.get("url"))
    if author_id is None:
        raise RecordError("missing required field: account.acct")
    users = [_user(account, created)]
    boosted = as_dict(obj.get("reblog"))
    shown = boosted or obj
    text, links = html_text(shown.get("content"))
    spoiler = optional_text(shown.get("spoiler_text"))
    is_quote, quoted, quoted_local = _quote(shown)
    quoted_text, _ = html_text(quoted.get("content"))
    quoted_account = as_dict(quoted.get("account"))
    fields: dict[str, Any] = {}
    if boosted:
        kind = "retweet"
        fields["retweeted_post_id"] = require_id(boosted.get("uri"), "reblog.uri")
        original = as_dict(boosted.get("account"))
        fields["retweeted_author_id"] = qualified(original.get("acct"), original.get("url"))
        users.append(_user(original, created))
    elif is_quote:
        kind = "quote"
        fields["quoted_post_id"] = optional_text(quoted.get("uri")) or quoted_local
        fields["quoted_author_id"] = qualified(
            quoted_account.get("acct"), quoted_account.get("url")
        )
    else:
        kind = "original"
    if quoted:
        users.append(_user(quoted_account, created))
    if not isinstance(shown.get("content"), str):
        raise RecordError("missing required field: content")
    post = post_row(
        post_id=post_id,
        created_at=created,
        author_id=author_id,
        type=kind,
        in_reply_to_post_id=local_ref(obj.get("in_reply_to_id")),  # resolved on ingestion
        text=text,
        full_text=join_text(
            spoiler, text, optional_text(quoted.get("spoiler_text")), quoted_text or None
        ),
        hashtags=tags_and_text(entity_values(shown.get("tags"), "name"), text),
        mentions=_mentions(shown),
        urls=links,
        retweet_count=optional_count(obj.get("reblogs_count"), "reblogs_count"),
        lang=optional_text(shown.get("language")),
        **fields,
    )
    local_ids = _local_ids(obj, *([boosted] if boosted else []), *([quoted] if quoted else []))
    yield Parsed(post, [u for u in users if u is not None], local_ids)
