"""The synthetic corpus written as Bluesky records: the same study, in Bluesky's format."""

from __future__ import annotations

import gzip
import json
import re
from itertools import islice

import orjson
import pytest

from datasaveslives.core import paths
from datasaveslives.core.params import Params
from datasaveslives.core.window import Window
from datasaveslives.ingest import ingestion, parallel, tables
from datasaveslives.report import notebooks, runs
from datasaveslives.synth import bluesky, build

KW = {"hashtag": "#datasaveslives", "window": Window.from_strings("2016-09-01", "2017-08-31")}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("bluesky")
    meta = bluesky.write(out)
    return out, meta


def test_the_records_are_bluesky_shaped_and_described(converted):
    out, meta = converted
    assert meta["platform"] == "bluesky" and meta["synthetic"] is True
    assert meta["derived_from"]["file"] == build.CORPUS_FILE
    with gzip.open(out / bluesky.RECORDS_FILE, "rb") as fh:
        first = [orjson.loads(line) for line in islice(fh, 2000)]
    kinds = {("reason" in r, "post" in r, "record" in r) for r in first}
    assert (True, True, False) in kinds and (False, False, True) in kinds  # reposts, posts
    post = next(r for r in first if "record" in r)
    assert post["uri"].startswith("at://did:plc:") and "/app.bsky.feed.post/" in post["uri"]
    assert post["author"]["did"].startswith("did:plc:") and len(post["author"]["did"]) == 32
    assert bluesky.did("12") == bluesky.did("12") != bluesky.did("13")
    tags = [f for f in post["record"]["facets"] if f["features"][0]["$type"].endswith("#tag")]
    data = post["record"]["text"].encode()
    for facet in tags:  # byte offsets point at the tag
        i = facet["index"]
        assert data[i["byteStart"] : i["byteEnd"]].decode() == "#" + facet["features"][0]["tag"]


def test_a_run_on_the_records_gives_the_counts_of_a_run_on_the_v1_corpus(converted, tmp_path):
    out, _ = converted
    v1 = ingestion.ingest([paths.SYNTHETIC / build.CORPUS_FILE], tmp_path / "v1", **KW)
    bs = ingestion.ingest([out / bluesky.RECORDS_FILE], tmp_path / "bs", **KW)
    for key in ("kept", "duplicates", "quarantined", "users", "retweet_edges", "kept_by_type"):
        assert getattr(bs, key) == getattr(v1, key), key
    profiles = bs.filtered_reasons.pop("not a post: profile (joins the users table)")
    assert profiles == bs.users and bs.filtered_reasons == v1.filtered_reasons
    a, b = tables.load(tmp_path / "v1", columns=None), tables.load(tmp_path / "bs", columns=None)
    key = ["created_at", "type", "full_text"]
    assert (
        a.posts[key]
        .sort_values(key)
        .reset_index(drop=True)
        .equals(b.posts[key].sort_values(key).reset_index(drop=True))
    )
    # Follower counts come from the profile views, for the same accounts.
    followers = a.users.set_index("user_id")["followers"]
    followers.index = followers.index.map(bluesky.did)
    assert b.users.set_index("user_id")["followers"].sort_index().equals(followers.sort_index())


def test_deletions_and_annotations_follow_the_new_ids(converted, tmp_path):
    out, _ = converted
    ingestion.ingest([out / bluesky.RECORDS_FILE], tmp_path / "all")  # every post, no filter
    run = tables.load(tmp_path / "all")
    deleted = (out / build.DELETIONS_FILE).read_text().splitlines()[1:]
    post_ids = {line.split(",")[0] for line in deleted if line.endswith(",post")}
    assert post_ids and post_ids <= set(run.posts["post_id"])
    with gzip.open(out / build.POSTS_FILE, "rt") as fh:
        annotated = {line.split(",")[0] for line in list(fh)[1:]}
    assert annotated <= set(run.posts["post_id"])
    params = Params.load(out / bluesky.PARAMS_FILE)
    assert params.synthetic and params.data_paths == [(out / bluesky.RECORDS_FILE).resolve()]
    assert params.resolve(params.deletions) == (out / build.DELETIONS_FILE).resolve()


@pytest.mark.notebook
def test_the_chapters_say_reposts_on_bluesky_records(tmp_path, chapters):
    from test_notebooks import glued

    with gzip.open(paths.SYNTHETIC / build.CORPUS_FILE, "rb") as fh:
        statuses = [orjson.loads(line) for line in islice(fh, 6000, 9000)]
    archive = tmp_path / "bluesky.jsonl"
    archive.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in bluesky.convert(iter(statuses))))
    params = Params(data=(str(archive),), hashtag="#datasaveslives", start="2016-09-01",
                    end="2017-08-31", supporters=None)  # fmt: skip
    layout = runs.RunLayout(tmp_path / "run")
    parallel.run_ingest(params, layout.tables)
    parameters = notebooks.prepare(params, layout)
    values = glued(chapters.run(layout, parameters, ("frequency",))["frequency"])
    assert (values["w_shares"], values["w_platform"]) == ("reposts", "Bluesky")
    shared = re.search(r"\(([\d,]+)\) were reposts", values["posts_para"])
    assert shared and int(shared.group(1).replace(",", "")) > 0
    assert json.loads((layout.results / "frequency.json").read_text())["platforms"] == ["bluesky"]


def test_profiles_in_one_part_reach_the_users_of_every_part(converted, tmp_path, monkeypatch):
    """A large archive ingested in parallel parts: the profiles (in a file of their own,
    as they are usually fetched) complete the users whose posts are in other parts."""
    out, _ = converted
    with gzip.open(out / bluesky.RECORDS_FILE, "rb") as fh:
        lines = fh.readlines()
    posts = [line for line in lines if not line.startswith(b'{"did"')][:6000]  # enough to cut
    profiles = [line for line in lines if line.startswith(b'{"did"')]
    folder = tmp_path / "archive"
    folder.mkdir()
    half = len(posts) // 2
    for name, part in (("a_posts", posts[:half]), ("b_posts", posts[half:]), ("c", profiles)):
        (folder / f"{name}.jsonl").write_bytes(b"".join(part))
    params = Params(data=(str(folder),), hashtag="#datasaveslives", start="2016-09-01",
                    end="2017-08-31")  # fmt: skip
    single = parallel.run_ingest(params, runs.RunLayout(tmp_path / "one").tables)
    monkeypatch.setattr(parallel, "PARALLEL_INGEST_BYTES", 0)
    parts = parallel.run_ingest(params, runs.RunLayout(tmp_path / "many").tables)
    assert "duplicates_across_parts" in parts  # it was read in parts
    assert tables.digests(tmp_path / "many" / "tables") == tables.digests(
        tmp_path / "one" / "tables"
    )
    users = tables.load(tmp_path / "many" / "tables").users
    assert users["followers"].notna().all() and len(users) == single["users"]
