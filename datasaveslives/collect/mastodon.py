"""Collect a window of a hashtag's Mastodon statuses with Mastodon.py.

For each instance named, its timeline of the tag (``/api/v1/timelines/tag/TAG``, public
and federated statuses the instance knows), newest first, paged by id: the first page
ends at the window's last day (a status id made from that time, as Mastodon's ids are
times), each next one before the oldest status so far, until a page is empty or older
than the window. Each instance's pages are saved as returned in ``mastodon/<host>/``;
the same status seen by two instances is one post when ingested (keyed by its ``uri``).
An instance sees only what federated to it, so several instances see more.

Rate limits: a refused call waits until the instance's ``X-RateLimit-Reset``. A token
for an instance that wants one comes from ``MASTODON_ACCESS_TOKEN_<HOST>`` (the host in
capitals, dots and dashes as ``_``) or, for every instance, ``MASTODON_ACCESS_TOKEN``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tqdm import tqdm

from datasaveslives.collect.archive import CollectError, Collection
from datasaveslives.collect.pacing import Pacing, RateLimited, Recorder, Retryable
from datasaveslives.ingest.readers.common import optional_time

PAGE_SIZE = 40  # the tag timeline's largest page
TOKEN_ENV = "MASTODON_ACCESS_TOKEN"
LIBRARIES = ("Mastodon.py", "requests")


@dataclass(frozen=True)
class Options:
    """What to collect and where."""

    instances: tuple[str, ...]
    tag: str
    since: date
    until: date  # inclusive
    out: Path
    progress: bool = False


def host_of(instance: str) -> str:
    """An instance's host name, from a URL or a bare host."""
    url = instance if "://" in instance else f"https://{instance}"
    host = urlsplit(url).hostname
    if not host:
        raise CollectError(f"--instance {instance!r} is not an instance's address")
    return host


def base_url(instance: str) -> str:
    """The API base of an instance (https unless the address says otherwise)."""
    if "://" in instance:
        parts = urlsplit(instance)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{host_of(instance)}"


def token_for(host: str, env: Mapping[str, str]) -> str | None:
    """The access token for ``host`` from the environment, if any."""
    key = f"{TOKEN_ENV}_{re.sub(r'[^A-Za-z0-9]', '_', host).upper()}"
    return env.get(key) or env.get(TOKEN_ENV) or None


def clean_tag(tag: str) -> str:
    """The tag without its ``#`` (as the API wants it)."""
    found = tag.strip().lstrip("#")
    if not found or not re.fullmatch(r"\w+", found):
        raise CollectError(f"--tag {tag!r} is not a hashtag")
    return found


def _client(instance: str, token: str | None, recorder: Recorder) -> Any:
    import requests
    from mastodon import Mastodon

    session = requests.Session()
    session.hooks["response"].append(recorder.requests_response)
    return Mastodon(
        api_base_url=base_url(instance),
        access_token=token,
        ratelimit_method="throw",  # the pacing waits, as it does for Bluesky
        version_check_mode="none",  # no version call before the first page
        session=session,
        request_timeout=60,
    )


def _ask(api: Any, make: Callable[[], Any], what: str) -> Any:
    """``make()``, Mastodon.py's errors turned into the pacing's and one clear line."""
    from mastodon import errors

    try:
        return make()
    except errors.MastodonRatelimitError:
        reset = getattr(api, "ratelimit_reset", None)
        raise RateLimited(reset - time.time() if reset else 60.0) from None
    except (errors.MastodonNetworkError, errors.MastodonServerError) as err:
        raise Retryable(str(err) or type(err).__name__) from None
    except errors.MastodonUnauthorizedError as err:
        raise CollectError(
            f"{what}: refused ({err}); set {TOKEN_ENV}_<HOST> to an access token"
        ) from None
    except errors.MastodonError as err:
        raise CollectError(f"{what}: {err}") from None


def collect(
    options: Options, *, pacing: Pacing | None = None, env: Mapping[str, str] | None = None
) -> Collection:
    """Collect (or resume collecting) ``options`` into ``options.out``."""
    env = os.environ if env is None else env
    pacing = pacing or Pacing()
    if options.until < options.since:
        raise CollectError(f"--until {options.until} is before --since {options.since}")
    if not options.instances:
        raise CollectError("name at least one --instance")
    tag = clean_tag(options.tag)
    hosts = [host_of(i) for i in options.instances]
    if len(set(hosts)) != len(hosts):
        raise CollectError("an instance is named twice")
    collection = Collection.open(
        options.out,
        {
            "service": "mastodon",
            "query": f"#{tag}",
            "since": options.since.isoformat(),
            "until": options.until.isoformat(),
            "instances": [base_url(i) for i in options.instances],
            "logged_in": {h: token_for(h, env) is not None for h in hosts},
        },
        LIBRARIES,
    )
    try:
        for instance, host in zip(options.instances, hosts, strict=True):
            _timeline(collection, instance, host, tag, options, pacing, env)
    except BaseException:
        collection.finish("interrupted")
        raise
    collection.finish()
    return collection


def _timeline(
    collection: Collection,
    instance: str,
    host: str,
    tag: str,
    options: Options,
    pacing: Pacing,
    env: Mapping[str, str],
) -> None:
    stage = f"mastodon/{host}"
    state = collection.stage(stage)
    if state["done"]:
        return
    recorder = Recorder()
    api = _client(instance, token_for(host, env), recorder)
    start = datetime.combine(options.since, clock(0), UTC)
    end = datetime.combine(options.until + timedelta(days=1), clock(0), UTC)
    with tqdm(desc=stage, unit="status", initial=state["records"],
              disable=not options.progress, leave=False) as bar:  # fmt: skip
        while not state["done"]:
            max_id = state.get("max_id") or end  # a time: Mastodon.py makes it an id
            ask = partial(api.timeline_hashtag, tag, max_id=max_id, limit=PAGE_SIZE)
            body = pacing.call(recorder, partial(_ask, api, ask, stage), f"{stage} timeline")
            statuses = json.loads(body)
            if not isinstance(statuses, list):
                raise CollectError(f"{stage}: the tag timeline answered with no list")
            oldest = _oldest(statuses)
            finished = not statuses or oldest is None or oldest[1] < start
            collection.save(
                stage,
                body,
                len(statuses),
                max_id=None if finished else oldest[0] if oldest else None,
            )
            bar.update(len(statuses))
            if finished:
                collection.done(stage)


def _oldest(statuses: Sequence[Any]) -> tuple[str, datetime] | None:
    """The id and time of the page's last (oldest) status (None if it has none)."""
    for status in reversed(statuses):
        if isinstance(status, dict) and status.get("id"):
            when = optional_time(status.get("created_at"))
            if when is not None:
                return str(status["id"]), when
    return None
