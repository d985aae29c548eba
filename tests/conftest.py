"""Shared fixtures: paths to the real payloads, a factory for v1.1 statuses, a kernel
for chapters; and how the tests are shared between test processes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

# Pseudonyms of real data in the tests: one salt for the test processes and every kernel
# they start (the machine's own salt file is left alone; tests of it set their own).
os.environ.setdefault("DATASAVESLIVES_SALT", "the-test-suite-salt-0123456789")

HERE = Path(__file__).parent
REAL = HERE / "fixtures" / "real"
DERIVED = HERE / "fixtures" / "derived"

TWEET_PARSER_V1 = REAL / "tweet_parser" / "original_format_examples.json"
TWEET_PARSER_AS = REAL / "tweet_parser" / "activity_streams_examples.json"
SFM_V1 = REAL / "sfm" / "user_timeline_v1.jsonl"
BLUESKY = REAL / "twitwi" / "bluesky-posts.json"
MASTODON = REAL / "bigbone" / "tag_timeline.json"
BREXIT_PAGES = REAL / "twarc-csv" / "brexit.jsonl"
KPOP_PAGES = REAL / "twarc-csv" / "kpop.jsonl"
BREXIT_FLAT = DERIVED / "brexit_flat.jsonl"
BREXIT_CSV = DERIVED / "brexit_twarc.csv"


def user(uid: str, name: str, followers: int = 10) -> dict[str, Any]:
    """A v1.1 user object."""
    return {
        "id_str": uid,
        "screen_name": name,
        "name": name.title(),
        "description": f"bio of {name}",
        "followers_count": followers,
        "friends_count": 5,
        "statuses_count": 100,
        "created_at": "Mon Jan 02 10:00:00 +0000 2012",
    }


def status(
    sid: str,
    text: str,
    *,
    author: dict[str, Any] | None = None,
    when: str = "Thu Sep 01 12:00:00 +0000 2016",
    **extra: Any,
) -> dict[str, Any]:
    """A minimal but faithful v1.1 status."""
    return {
        "id_str": sid,
        "id": int(sid),
        "created_at": when,
        "text": text,
        "user": author or user("1", "alice"),
        "entities": {"hashtags": [], "user_mentions": [], "urls": []},
        "retweet_count": 0,
        "lang": "en",
        "is_quote_status": False,
        **extra,
    }


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def jsonl(tmp_path: Path):
    """Write records to a JSON-lines file in tmp_path and return its path."""

    def make(records: list[Any], name: str = "posts.jsonl") -> Path:
        return write_jsonl(tmp_path / name, records)

    return make


@pytest.fixture(scope="session")
def chapters(tmp_path_factory):
    """One kernel for this test process, running chapters in turn (tests/kernel.py)."""
    from kernel import Kernel

    running = Kernel(tmp_path_factory.mktemp("kernel"))
    yield running
    running.close()


# Test modules whose module-scoped fixtures are costly (a book build, a regenerated
# corpus): each runs whole in one test process, so that the fixture is made once. Every
# other test goes to whichever process is free (pytest-xdist's "load").
TOGETHER = {"test_book.py", "test_synthetic.py", "test_synthetic_bluesky.py"}


# The longest work first, so that no process is left with a long module at the end
# while the others wait: the modules kept whole, then the scenario matrix, then the rest.
FIRST = ["test_book.py", "test_synthetic.py", "test_builds.py", "test_scenarios.py"]


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        name = Path(str(item.fspath)).name
        return FIRST.index(name) if name in FIRST else len(FIRST)

    items.sort(key=rank)  # stable: each module keeps its own order


def pytest_xdist_make_scheduler(config, log):
    """Load scheduling, with the modules in TOGETHER kept whole. (xdist's own
    ``--dist loadgroup`` does not group on pytest 9.2: pytest-xdist issue #1386.)"""
    from xdist.scheduler import LoadScopeScheduling

    class Together(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if Path(module).name in TOGETHER else nodeid

    return Together(config, log)
