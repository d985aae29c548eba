"""How a chapter reads a run's tables: the posts' analysis columns only, each table
when first used, and everything at once for a folder that is about to go."""

from __future__ import annotations

import shutil

from conftest import status, user

from datasaveslives.analysis import frequency, network, users
from datasaveslives.ingest import schema, tables
from datasaveslives.ingest.ingestion import EDGES_FILE, POSTS_FILE, ingest


def _run(tmp_path, jsonl):
    bob = user("2", "bob")
    first = status(
        "10",
        "#datasaveslives one",
        entities={"hashtags": [{"text": "datasaveslives"}], "user_mentions": [], "urls": []},
    )
    share = status("11", "RT @alice: #datasaveslives one", author=bob, retweeted_status=first)
    out = tmp_path / "tables"
    ingest([jsonl([first, share])], out)
    return out


def test_the_posts_carry_the_analysis_columns_unless_all_are_asked_for(tmp_path, jsonl):
    out = _run(tmp_path, jsonl)
    run = tables.load(out)
    assert list(run.posts.columns) == list(tables.ANALYSIS_COLUMNS)
    assert set(tables.ANALYSIS_COLUMNS) < set(schema.POSTS.names)
    # The columns left out are the heavy ones no analysis reads.
    assert {"hashtags", "mentions", "urls", "full_text"}.isdisjoint(run.posts.columns)
    whole = tables.load(out, columns=None).posts
    assert list(whole.columns) == schema.POSTS.names
    assert whole[list(tables.ANALYSIS_COLUMNS)].equals(run.posts)
    # Every column the analyses use is among them: they run on the projected posts.
    frequency.shares(run.posts)
    users.posts_per_user(run.posts)
    assert network.retweet_graph(run.edges).graph.number_of_edges() == 1


def test_counting_chapters_read_no_texts(tmp_path, jsonl):
    out = _run(tmp_path, jsonl)
    posts = tables.load(out, columns=tables.COUNTING_COLUMNS).posts
    assert "text" not in posts.columns
    assert set(posts.columns) == set(tables.ANALYSIS_COLUMNS) - {"text"}
    users.posts_per_user(posts)
    tables.type_counts(posts)


def test_each_table_is_read_when_first_used(tmp_path, jsonl, monkeypatch):
    out = _run(tmp_path, jsonl)
    read = []
    original = tables.pd.read_parquet

    def counting(path, *args, **kwargs):
        read.append(path.name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(tables.pd, "read_parquet", counting)
    run = tables.load(out)
    assert read == []
    assert len(run.posts) == 2
    assert len(run.posts) == 2  # used again: not read again
    assert read == [POSTS_FILE]  # once, and the edges not at all
    assert run.report["kept"] == 2
    assert EDGES_FILE not in read


def test_read_takes_everything_before_the_folder_goes(tmp_path, jsonl):
    out = _run(tmp_path, jsonl)
    run = tables.load(out).read()
    shutil.rmtree(out)
    assert len(run.posts) == 2 and len(run.users) == 2 and len(run.edges) == 1
    assert run.report["kept"] == 2


def test_the_left_out_columns_take_most_of_the_posts_memory(tmp_path):
    """Why the projection: on the default corpus the analysis columns take well under
    half the memory of the whole posts table (the lists of hashtags, mentions and links
    are Python objects)."""
    from datasaveslives.core import paths
    from datasaveslives.synth import build

    out = tmp_path / "t"
    ingest([paths.SYNTHETIC / build.CORPUS_FILE], out)
    kept = tables.load(out).posts.memory_usage(deep=True).sum()
    whole = tables.load(out, columns=None).posts.memory_usage(deep=True).sum()
    assert kept < 0.5 * whole
