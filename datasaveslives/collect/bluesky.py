"""Collect a window of Bluesky posts with the AT Protocol SDK (``atproto``).

Four stages, each saved page by page (see :mod:`datasaveslives.collect.archive`):

1. ``bluesky/search``: ``app.bsky.feed.searchPosts`` for the query over the window,
   newest first, paged by cursor. Search returns posts, never reposts.
2. ``bluesky/reposted-by``: for the ``top_reposted`` posts found with the most reposts
   (ties by address), ``app.bsky.feed.getRepostedBy``, paged: who reposted them (but
   not when: a profile list).
3. ``bluesky/reposter-feeds``: each of those accounts' own feed
   (``app.bsky.feed.getAuthorFeed``, newest first), where a repost shows with its time,
   paged until the reposts sought are found, the feed is older than the posts, or
   ``feed_pages`` pages were read. The feeds hold the accounts' other posts too; the
   run's hashtag filter keeps those that carry the hashtag.
4. ``bluesky/profiles``: ``app.bsky.actor.getProfiles`` (25 a call) for every author
   and reposter seen: their follower counts, which post views do not carry.

So the repost network covers the most reposted posts only; reposts of the others, and
posts search does not index, are not in the archive (the manifest says how many
reposters' reposts were not reached, and which posts or accounts the service refused
to show: deleted or suspended since, they are skipped). Credentials (``BLUESKY_HANDLE`` and
``BLUESKY_APP_PASSWORD``) come from the environment; without them the public AppView
is asked, which may refuse search.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from tqdm import tqdm

from datasaveslives.collect.archive import CollectError, Collection
from datasaveslives.collect.pacing import Pacing, RateLimited, Recorder, Retryable
from datasaveslives.ingest.readers import bluesky as reader
from datasaveslives.ingest.readers.common import optional_time

PUBLIC_SERVICE = "https://public.api.bsky.app"  # no login: the public AppView
LOGIN_SERVICE = "https://bsky.social"  # with a login: the account's PDS, found from here
HANDLE_ENV = "BLUESKY_HANDLE"
PASSWORD_ENV = "BLUESKY_APP_PASSWORD"
TOP_REPOSTED = 20
FEED_PAGES = 3
PAGE_SIZE = 100  # searchPosts, getRepostedBy and getAuthorFeed give at most 100 a page
PROFILES_PER_CALL = 25  # getProfiles' limit
LIBRARIES = ("atproto", "httpx")

SEARCH, REPOSTED_BY, FEEDS, PROFILES = (
    "bluesky/search",
    "bluesky/reposted-by",
    "bluesky/reposter-feeds",
    "bluesky/profiles",
)


class Refused(CollectError):
    """A request the service refused (400 and the like): fatal for the search; for one
    post's or one account's reposts (deleted since, suspended) that item is skipped."""


@dataclass(frozen=True)
class Options:
    """What to collect and where."""

    query: str
    since: date
    until: date  # inclusive
    out: Path
    service: str | None = None  # default: PUBLIC_SERVICE, or LOGIN_SERVICE with a login
    top_reposted: int = TOP_REPOSTED
    feed_pages: int = FEED_PAGES
    progress: bool = False


def window(since: date, until: date) -> tuple[str, str]:
    """searchPosts' ``since`` (inclusive) and ``until`` (exclusive) for whole UTC days."""
    if until < since:
        raise CollectError(f"--until {until} is before --since {since}")
    end = until + timedelta(days=1)
    return f"{since.isoformat()}T00:00:00Z", f"{end.isoformat()}T00:00:00Z"


def _client(options: Options, recorder: Recorder, env: Mapping[str, str]) -> tuple[Any, bool]:
    """An SDK client whose HTTP responses the recorder sees; logged in when the
    environment holds credentials (which go no further than the login call)."""
    from atproto import Client
    from atproto_client.request import Request

    handle, password = env.get(HANDLE_ENV), env.get(PASSWORD_ENV)
    login = bool(handle and password)
    service = options.service or (LOGIN_SERVICE if login else PUBLIC_SERVICE)
    client = Client(service, request=Request(event_hooks={"response": [recorder.httpx_response]}))
    if login:
        _ask(lambda: client.login(handle, password, fetch_bsky_profile=False), "log in")
    return client, login


def _ask(make: Callable[[], Any], what: str) -> Any:
    """``make()``, its SDK errors turned into the pacing's and one clear line."""
    from atproto_client import exceptions as ex

    try:
        return make()
    except ex.RateLimitExceededError as err:
        wait = err.retry_after
        if wait is None and err.reset_at is not None:
            wait = (err.reset_at - datetime.now(UTC)).total_seconds()
        raise RateLimited(wait if wait is not None else 60.0) from None
    except ex.NetworkError as err:  # transport failures, timeouts, 409, 413, 502
        raise Retryable(str(err) or type(err).__name__) from None
    except ex.UnauthorizedError as err:
        raise CollectError(
            f"{what}: refused ({err}); set {HANDLE_ENV} and {PASSWORD_ENV} "
            "(an app password) to log in"
        ) from None
    except ex.RequestErrorBase as err:
        status = err.response.status_code if err.response is not None else None
        if status is not None and status >= 500:
            raise Retryable(f"server error {status}") from None
        raise Refused(f"{what}: the service answered {status}: {err}") from None


@dataclass
class _Run:
    """One collection run: where it saves, what it was asked, how it calls."""

    collection: Collection
    options: Options
    pacing: Pacing
    recorder: Recorder

    def call(self, method: Callable[..., Any], params: dict[str, Any], what: str) -> Any:
        """``method(params)`` (the parameters given a value), paced: the raw body and
        its JSON."""
        ask = partial(_ask, partial(method, _given(params)), what)
        body = self.pacing.call(self.recorder, ask, what)
        return body, json.loads(body)

    def bar(self, stage: str, unit: str) -> Any:
        """A progress bar for ``stage`` (shown on a terminal only)."""
        return tqdm(desc=stage, unit=unit, initial=self.collection.stage(stage)["records"],
                    disable=not self.options.progress, leave=False)  # fmt: skip


def _given(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters that have a value (a first page has no cursor)."""
    return {k: v for k, v in params.items() if v is not None}


def saved(collection: Collection, stage: str) -> Iterator[Any]:
    """The responses saved so far for ``stage``, in order."""
    for entry in collection.manifest["files"]:
        if entry["path"].startswith(f"{stage}/"):
            with gzip.open(collection.root / entry["path"], "rb") as fh:
                yield json.loads(fh.read())


def collect(
    options: Options, *, pacing: Pacing | None = None, env: Mapping[str, str] | None = None
) -> Collection:
    """Collect (or resume collecting) ``options`` into ``options.out``."""
    env = os.environ if env is None else env
    pacing = pacing or Pacing()
    since, until = window(options.since, options.until)
    recorder = Recorder()
    client, login = _client(options, recorder, env)
    collection = Collection.open(
        options.out,
        {
            "service": "bluesky",
            "query": options.query,
            "since": options.since.isoformat(),
            "until": options.until.isoformat(),
            "instances": None,
            "endpoint": options.service or (LOGIN_SERVICE if login else PUBLIC_SERVICE),
            "logged_in": login,
            "top_reposted": options.top_reposted,
            "feed_pages": options.feed_pages,
        },
        LIBRARIES,
    )
    try:
        feed = client.app.bsky.feed
        run = _Run(collection, options, pacing, recorder)
        _search(run, feed, since, until)
        targets = _most_reposted(collection, options.top_reposted)
        _reposted_by(run, feed, targets)
        _reposter_feeds(run, feed, targets)
        _profiles(run, client.app.bsky.actor, targets)
    except BaseException:
        collection.finish("interrupted")
        raise
    collection.finish()
    return collection


def _search(run: _Run, feed: Any, since: str, until: str) -> None:
    state = run.collection.stage(SEARCH)
    with run.bar(SEARCH, "post") as bar:
        while not state["done"]:
            params = {"q": run.options.query, "since": since, "until": until, "sort": "latest",
                      "limit": PAGE_SIZE, "cursor": state.get("cursor")}  # fmt: skip
            body, page = run.call(feed.search_posts, params, "searchPosts")
            posts = page.get("posts") or []
            cursor = page.get("cursor") if posts else None
            run.collection.save(SEARCH, body, len(posts), cursor=cursor)
            bar.update(len(posts))
            if not cursor:
                run.collection.done(SEARCH)


def _most_reposted(collection: Collection, top: int) -> list[dict[str, Any]]:
    """The ``top`` posts found with the most reposts (ties by address), with their
    addresses and creation times."""
    found: dict[str, dict[str, Any]] = {}
    for page in saved(collection, SEARCH):
        for post in page.get("posts") or []:
            count = post.get("repostCount") or 0
            if isinstance(post.get("uri"), str) and isinstance(count, int) and count > 0:
                when = (post.get("record") or {}).get("createdAt") or post.get("indexedAt")
                found[post["uri"]] = {"uri": post["uri"], "reposts": count, "created": when}
    ranked = sorted(found.values(), key=lambda p: (-p["reposts"], p["uri"]))
    return ranked[: max(top, 0)]


def _reposted_by(run: _Run, feed: Any, targets: list[dict[str, Any]]) -> None:
    state = run.collection.stage(REPOSTED_BY)
    state.setdefault("item", 0)
    with run.bar(REPOSTED_BY, "account") as bar:
        while not state["done"]:
            if state["item"] >= len(targets):
                run.collection.done(REPOSTED_BY)
                break
            params = {"uri": targets[state["item"]]["uri"], "limit": PAGE_SIZE,
                      "cursor": state.get("cursor")}  # fmt: skip
            try:
                body, page = run.call(feed.get_reposted_by, params, "getRepostedBy")
            except Refused as refused:  # the post is gone since the search: none to read
                state["refused"] = [*state.get("refused", []), f"{params['uri']}: {refused}"]
                state.update(item=state["item"] + 1, cursor=None)
                run.collection.write()
                continue
            accounts = page.get("repostedBy") or []
            following = page.get("cursor") if accounts else None
            item = state["item"] if following else state["item"] + 1
            run.collection.save(REPOSTED_BY, body, len(accounts), item=item, cursor=following)
            bar.update(len(accounts))


def _reposters(collection: Collection, targets: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Each reposter's DID and the addresses of the sought posts it reposted."""
    sought = {t["uri"] for t in targets}
    by: dict[str, set[str]] = {}
    for page in saved(collection, REPOSTED_BY):
        uri = page.get("uri")
        for account in page.get("repostedBy") or []:
            did = account.get("did") if isinstance(account, dict) else None
            if isinstance(did, str) and uri in sought:
                by.setdefault(did, set()).add(uri)
    return by


def _reposter_feeds(run: _Run, feed: Any, targets: list[dict[str, Any]]) -> None:
    collection, options = run.collection, run.options
    state = collection.stage(FEEDS)
    state.setdefault("item", 0)
    by = _reposters(collection, targets)
    accounts = sorted(by)
    created = {t["uri"]: optional_time(t["created"]) for t in targets}
    with run.bar(FEEDS, "item") as bar:
        while not state["done"]:
            if state["item"] >= len(accounts):
                collection.done(FEEDS, accounts=len(accounts))
                break
            did = accounts[state["item"]]
            sought = by[did] - set(state.get("found", []))
            params = {"actor": did, "limit": PAGE_SIZE, "cursor": state.get("cursor"),
                      "filter": "posts_no_replies"}  # fmt: skip
            try:
                body, page = run.call(feed.get_author_feed, params, "getAuthorFeed")
            except Refused as refused:  # the account is gone or hidden: its reposts unread
                state["refused"] = [*state.get("refused", []), f"{did}: {refused}"]
                state["unreached"] = state.get("unreached", 0) + len(sought)
                state.update(item=state["item"] + 1, cursor=None, found=[], pages_of_account=0)
                collection.write()
                continue
            items = page.get("feed") or []
            found = _reposts_in(items, did, sought)
            times = [t for t in (_sort_time(i) for i in items) if t is not None]
            first = [t for t in (created[u] for u in sought) if t is not None]
            older = bool(times and first) and min(times) < min(first)  # past the posts
            pages = state.get("pages_of_account", 0) + 1
            finished = (
                not page.get("cursor")
                or not items
                or not (sought - found)
                or older
                or pages >= options.feed_pages
            )
            unreached = state.get("unreached", 0) + (len(sought - found) if finished else 0)
            collection.save(
                FEEDS,
                body,
                len(items),
                item=state["item"] + 1 if finished else state["item"],
                cursor=None if finished else page.get("cursor"),
                found=[] if finished else sorted(set(state.get("found", [])) | found),
                pages_of_account=0 if finished else pages,
                unreached=unreached,
            )
            bar.update(len(items))


def _sort_time(item: Any) -> datetime | None:
    """When a feed item was placed in the feed: a repost's time, else its post's."""
    if not isinstance(item, dict):
        return None
    reason = item.get("reason") or {}
    post = item.get("post") or {}
    return optional_time(reason.get("indexedAt") or post.get("indexedAt"))


def _reposts_in(items: list[Any], did: str, sought: set[str]) -> set[str]:
    """The sought posts that these feed items show ``did`` reposting."""
    found = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        reason, post = item.get("reason") or {}, item.get("post") or {}
        by = (reason.get("by") or {}).get("did")
        if reason.get("$type") == reader.REASON_REPOST and by == did and post.get("uri") in sought:
            found.add(post["uri"])
    return found


def _profiles(run: _Run, actor: Any, targets: list[dict[str, Any]]) -> None:
    collection = run.collection
    state = collection.stage(PROFILES)
    state.setdefault("batch", 0)
    if state["done"]:
        return
    dids: set[str] = set()
    for page in saved(collection, SEARCH):
        for post in page.get("posts") or []:
            did = (post.get("author") or {}).get("did") if isinstance(post, dict) else None
            if isinstance(did, str):
                dids.add(did)
    dids |= set(_reposters(collection, targets))
    ordered = sorted(dids)
    step = PROFILES_PER_CALL
    batches = [ordered[i : i + step] for i in range(0, len(ordered), step)]
    with run.bar(PROFILES, "profile") as bar:
        while state["batch"] < len(batches):
            batch = batches[state["batch"]]
            body, page = run.call(actor.get_profiles, {"actors": batch}, "getProfiles")
            profiles = page.get("profiles") or []
            collection.save(PROFILES, body, len(profiles), batch=state["batch"] + 1)
            bar.update(len(profiles))
    collection.done(PROFILES, accounts=len(ordered))
