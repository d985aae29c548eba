"""Whole API responses as a collector saved them: the records inside their wrappers.

A researcher saves a response whole (``json.dump(response, f, indent=2)``), or many
responses as an array or one per line. The records are inside a wrapper that names
them: Bluesky's ``feed`` (getAuthorFeed, getTimeline, getFeed, getListFeed), ``posts``
(getPosts, searchPosts), ``records`` (com.atproto.repo.listRecords), ``profiles``
(getProfiles), ``followers`` and ``follows`` (getFollowers, getFollows, with the
``subject`` profile), ``reposted_by``/``repostedBy`` (getRepostedBy, with the ``uri``
of the post shared); Mastodon's search (``statuses``). Twitter v2 pages (``data``
with ``includes``) are read whole by their own reader.
"""

from __future__ import annotations

from typing import Any

# The keys that hold a response's records; the first present (as a list) is read.
RECORD_KEYS = (
    "feed",
    "posts",
    "records",
    "profiles",
    "followers",
    "follows",
    "repostedBy",
    "reposted_by",
    "statuses",
)
# A response's keys besides its records (paging, totals, the query's subject...).
RESPONSE_KEYS = frozenset(
    {"cursor", "hitsTotal", "hits_total", "subject", "uri", "cid", "accounts", "hashtags"}
)


def wrapper_key(obj: Any) -> str | None:
    """The key of ``obj``'s records if it is a response wrapper: a JSON object whose
    records are a list under one of :data:`RECORD_KEYS`, all its other keys paging or
    context (:data:`RESPONSE_KEYS`)."""
    if not isinstance(obj, dict):
        return None
    for key in RECORD_KEYS:
        if isinstance(obj.get(key), list):
            rest = set(obj) - {key}
            return key if rest <= RESPONSE_KEYS | set(RECORD_KEYS) else None
    return None


def records(value: Any) -> list[Any]:
    """The records of a saved JSON value: those of a response wrapper (with its
    ``subject`` profile), of each response of an array of responses, or the value
    itself (one record, or an array of records)."""
    if isinstance(value, list):
        return [r for each in value for r in (records(each) if wrapper_key(each) else [each])]
    key = wrapper_key(value)
    if key is None:
        return [value]
    subject = value.get("subject")
    found = [subject] if isinstance(subject, dict) else []
    for each in value[key]:
        found.extend(records(each) if wrapper_key(each) else [each])
    return found
