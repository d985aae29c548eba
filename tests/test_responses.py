"""Saved API responses as a collector saves them: whole, indented, wrapped, paged, or
one per line; each ingests to the same tables as its records one per line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from datasaveslives.core.params import Params
from datasaveslives.ingest import ingestion, parallel, readers
from datasaveslives.ingest.readers import responses

FIXTURES = Path(__file__).parent / "fixtures" / "real"
POSTS = json.loads((FIXTURES / "twitwi" / "bluesky-posts.json").read_text())
STATUSES = json.loads((FIXTURES / "bigbone" / "tag_timeline.json").read_text())


def ingest(path: Path, out: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    params = Params(data=(str(path),), hashtag="", start="2000-01-01", end="2030-12-31")
    report = parallel.run_ingest(params, out)
    posts = pd.read_parquet(out / ingestion.POSTS_FILE).sort_values("post_id")
    users = pd.read_parquet(out / ingestion.USERS_FILE).sort_values("user_id")
    return posts.reset_index(drop=True), users.reset_index(drop=True), report


def content(table: pd.DataFrame) -> pd.DataFrame:
    """A table without where each row was read (its file, its line or record number)."""
    return table.drop(columns=["source_file", "source_line"], errors="ignore")


def lines(records: list) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def half(records: list) -> tuple[list, list]:
    return records[: len(records) // 2], records[len(records) // 2 :]


VIEWS = [p for p in POSTS if "author" in p]  # post views (not bare repost records)
FEED = [{"post": p} for p in VIEWS]  # the same posts as a feed's items

# Each way of saving Bluesky responses: (the records, one per line; the saved text).
SAVED = {
    "posts, indented": (POSTS, lambda: json.dumps({"posts": POSTS, "cursor": "25"}, indent=2)),
    "posts, one line": (POSTS, lambda: json.dumps({"posts": POSTS, "hitsTotal": len(POSTS)})),
    "feed, indented": (FEED, lambda: json.dumps({"feed": FEED, "cursor": "x"}, indent=4)),
    "pages as an array": (
        POSTS,
        lambda: json.dumps(
            [{"posts": h, "cursor": str(i)} for i, h in enumerate(half(POSTS))], indent=1
        ),
    ),
    "pages, one per line": (POSTS, lambda: lines([{"posts": h} for h in half(POSTS)])),
    "array of records, indented": (POSTS, lambda: json.dumps(POSTS, indent=2)),
}


@pytest.mark.parametrize("how", list(SAVED))
@pytest.mark.parametrize("compressed", [False, True])
def test_a_saved_bluesky_response_ingests_as_its_records_one_per_line(how, compressed, tmp_path):
    records, saved = SAVED[how]
    one_per_line = tmp_path / "records.jsonl"
    one_per_line.write_text(lines(records))
    want_posts, want_users, want = ingest(one_per_line, tmp_path / "want")
    text = saved()
    path = tmp_path / ("saved.json.gz" if compressed else "saved.json")
    path.write_bytes(gzip.compress(text.encode()) if compressed else text.encode())
    posts, users, report = ingest(path, tmp_path / "tables")
    assert len(posts) == len(want_posts) > 100
    pd.testing.assert_frame_equal(content(posts), content(want_posts))
    pd.testing.assert_frame_equal(content(users), content(want_users))
    assert (report["read"], report["kept"], report["quarantined"]) == (
        want["read"],
        want["kept"],
        want["quarantined"],
    )


def test_a_saved_mastodon_search_and_timeline_ingest_whole(tmp_path):
    for name, value in {
        "search.json": {"accounts": [], "statuses": STATUSES, "hashtags": []},
        "timeline.json": STATUSES,
    }.items():
        path = tmp_path / name
        path.write_text(json.dumps(value, indent=2))
        posts, _, report = ingest(path, tmp_path / name.replace(".json", ""))
        assert len(posts) == len(STATUSES) and report["quarantined"] == 0


def test_a_file_of_no_known_shape_stops_whatever_its_layout(tmp_path):
    for text in (
        json.dumps({"something": [{"else": 1}]}, indent=2),  # an indented unknown object
        json.dumps({"something": 1}),  # one line of it
        '{\n  "feed": [\n    {"post": \n',  # an indented document cut short
    ):
        path = tmp_path / "odd.json"
        path.write_text(text)
        with pytest.raises(readers.ReadError, match="unknown format"):
            list(readers.iter_file(path))


def test_json_lines_with_a_damaged_first_line_are_still_read_line_by_line(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text('{"uri": "at://broken\n' + lines(POSTS[:3]))
    items = list(readers.iter_file(path))
    assert [i.line for i in items] == [1, 2, 3, 4]
    assert str(items[0].result).startswith("malformed JSON")
    assert readers.json_lines_kind(path) is None  # read whole, not split into pieces
    ok = tmp_path / "ok.jsonl"
    ok.write_text(lines(POSTS[:3]))
    assert readers.json_lines_kind(ok) == "plain"
    indented = tmp_path / "indented.json"
    indented.write_text(json.dumps({"posts": POSTS}, indent=2))
    assert readers.json_lines_kind(indented) is None


def test_the_records_of_each_response_wrapper():
    profile = {"did": "did:plc:x", "handle": "x.bsky.social"}
    assert responses.records({"followers": [profile], "subject": profile, "cursor": "c"}) == [
        profile,
        profile,
    ]
    assert responses.records({"feed": [], "cursor": None}) == []
    assert responses.records({"records": [{"uri": "at://a"}]}) == [{"uri": "at://a"}]
    # An object that only looks like a wrapper (other keys besides paging) is a record.
    post = {"posts": [1], "uri": "at://a", "record": {}, "author": profile}
    assert responses.records(post) == [post]
