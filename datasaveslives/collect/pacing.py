"""Calls to a service, paced: a rate-limited call waits until the service says it may be
made again, a failed one is retried a few times, and the raw body of the response that
answered is kept (the libraries parse it; the archive keeps what was sent).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RETRIES = 3  # a failed call (a network error, a 5xx) is tried this many times more
BACKOFF = 5.0  # seconds before the first retry, doubled each time
LONGEST_WAIT = 15 * 60.0  # a rate limit's wait, at most (a longer one is the service's error)


class RateLimited(Exception):
    """A call the service refused for now: retry after ``wait`` seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"rate limited for {wait:.0f} s")
        self.wait = wait


class Retryable(Exception):
    """A call that failed in a way worth trying again (the network, a server error)."""


@dataclass
class Recorder:
    """Keeps the body of the last successful response the library received (hooked into
    its HTTP client: ``httpx`` event hooks, ``requests`` response hooks)."""

    last: bytes | None = None

    def httpx_response(self, response: Any) -> None:
        """An ``httpx`` response event hook."""
        if 200 <= response.status_code < 300:
            response.read()
            self.last = response.content

    def requests_response(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        """A ``requests`` response hook."""
        if 200 <= response.status_code < 300:
            self.last = response.content
        return response


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # looked up when called


@dataclass
class Pacing:
    """How calls wait and retry; ``sleep`` is replaceable (the tests do not wait)."""

    sleep: Callable[[float], None] = _sleep
    retries: int = RETRIES
    backoff: float = BACKOFF
    waited: list[float] = field(default_factory=list)

    def call(self, recorder: Recorder, make: Callable[[], object], what: str) -> bytes:
        """``make()`` until it answers; the raw body that answered (the library's parsed
        result is not kept: the archive keeps what the service sent). A rate limit waits
        (and does not count as a failure); a retryable failure is tried ``retries`` more
        times, then raised as :class:`RuntimeError` with ``what``."""
        failures = 0
        while True:
            recorder.last = None
            try:
                make()
            except RateLimited as limited:
                wait = min(max(limited.wait, 1.0), LONGEST_WAIT)
                self.waited.append(wait)
                self.sleep(wait)
                continue
            except Retryable as err:
                failures += 1
                if failures > self.retries:
                    raise RuntimeError(f"{what}: {err} (tried {failures} times)") from None
                wait = self.backoff * 2 ** (failures - 1)
                self.waited.append(wait)
                self.sleep(wait)
                continue
            if recorder.last is None:  # pragma: no cover - a library answering from no response
                raise RuntimeError(f"{what}: the library answered without a response to keep")
            return recorder.last
