"""How a chapter reads a run's tables: the posts' analysis columns only, each table
when first used, and everything at once for a folder that is about to go."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
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


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The default corpus's tables (its posts by type, supporters, shares and groups make
    every branch of the chapters' computations run)."""
    from datasaveslives.core import paths
    from datasaveslives.synth import build

    out = tmp_path_factory.mktemp("corpus") / "tables"
    ingest([paths.SYNTHETIC / build.CORPUS_FILE], out)
    return out


def _frame_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_each_chapter_computes_the_same_on_its_columns_as_on_all(corpus):
    """A chapter reads only its columns (tables.*_COLUMNS); its computation gives the
    same results on them as on every analysis column, and they are few."""
    from datetime import date

    from datasaveslives.core.params import Params
    from datasaveslives.privacy import policy

    given = Params.load().notebook_parameters()  # what the chapters are given
    everything = tables.load(corpus)
    profiles = everything.users
    ids = users.supporter_ids(profiles, given["supporters"])
    rules = policy.from_parameters(given["allowlist"], None, None, True, users=profiles)
    start, end = date.fromisoformat(given["start"]), date.fromisoformat(given["end"])

    def freq(posts):
        return frequency.compute(posts, profiles, start, end, given["timezone"], ids, privacy=rules)

    whole, own = freq(everything.posts), freq(tables.load(corpus, tables.FREQUENCY_COLUMNS).posts)
    assert own.saved(["twitter"]) == whole.saved(["twitter"])
    for name in ("weekly", "monthly", "top"):
        _frame_equal(getattr(own, name), getattr(whole, name))

    def account(posts):
        return users.compute(posts, profiles, given["supporters"], given["hashtag"])

    whole_u = account(everything.posts)
    own_u = account(tables.load(corpus, tables.ACCOUNT_COLUMNS).posts)
    _frame_equal(own_u.table2, whole_u.table2)
    _frame_equal(own_u.per_user, whole_u.per_user)
    assert own_u.clustered == whole_u.clustered and own_u.chi["p"] == whole_u.chi["p"]

    typed = tables.load(corpus, tables.TYPE_COLUMNS).posts
    _frame_equal(tables.type_counts(typed), tables.type_counts(everything.posts))

    from datasaveslives.analysis import network as net

    graph = net.retweet_graph(everything.edges).graph
    part = net.louvain(graph, seed=1, resolution=1.0)
    worded = tables.load(corpus, tables.WORDS_COLUMNS).posts
    assert net.group_words(part, profiles, worded[worded["type"] != "retweet"]) == net.group_words(
        part, profiles, everything.posts[everything.posts["type"] != "retweet"]
    )
    for own_columns in (
        tables.FREQUENCY_COLUMNS,
        tables.ACCOUNT_COLUMNS,
        tables.TYPE_COLUMNS,
        tables.WORDS_COLUMNS,
    ):
        assert set(own_columns) < set(tables.ANALYSIS_COLUMNS)
    assert "text" not in tables.ACCOUNT_COLUMNS + tables.TYPE_COLUMNS  # they quote nothing


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


def test_the_originals_are_read_without_the_shares_in_the_posts_order(corpus):
    posts = tables.load(corpus).posts
    expected = posts[posts["type"] != "retweet"].reset_index(drop=True)
    assert len(expected) < len(posts)
    from_file = tables.load(corpus)
    _frame_equal(from_file.originals, expected)
    assert "posts" not in vars(from_file)  # the shares were never read
    # Once the posts are read, the originals are taken from them.
    _frame_equal(tables.load(corpus).read().originals, expected)
    themed = tables.load(corpus, tables.THEMES_COLUMNS).originals
    _frame_equal(themed, expected[list(tables.THEMES_COLUMNS)])
