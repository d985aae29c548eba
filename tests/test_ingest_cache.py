"""Ingestion cached by input hash: same inputs and parameters are not re-read."""

from __future__ import annotations

import pytest
from conftest import status

from datasaveslives.core.params import Params
from datasaveslives.core.window import Window
from datasaveslives.ingest import cache, ingestion, parallel
from datasaveslives.report import runs


def _key(path, hashtag="#datasaveslives", start="2016-09-01"):
    return cache.key([path], hashtag=hashtag, window=Window.from_strings(start, "2017-08-31"))


def test_the_key_follows_content_and_parameters(jsonl):
    data = jsonl([status("1", "Hello #datasaveslives")])
    first = _key(data)
    assert _key(data) == first  # same inputs, same key
    assert _key(data, hashtag="#other") != first
    assert _key(data, start="2017-01-01") != first
    data.write_text(data.read_text().replace("Hello", "Hi"))
    assert _key(data) != first  # same file name, new content


def test_a_cached_entry_is_reused_and_copied(tmp_path):
    calls = []

    def run(folder):
        calls.append(folder)
        folder.mkdir(parents=True)
        (folder / ingestion.REPORT_FILE).write_text("{}")

    out = tmp_path / "run" / "tables"
    assert cache.cached(tmp_path / "cache", "k", out, run) is False
    (out / "scratch").write_text("a run's own file")
    assert cache.cached(tmp_path / "cache", "k", out, run) is True
    assert len(calls) == 1
    assert sorted(p.name for p in out.iterdir()) == [ingestion.REPORT_FILE]  # a fresh copy
    assert (tmp_path / "cache" / "k" / ingestion.REPORT_FILE).is_file()


def test_a_failed_ingestion_leaves_no_entry(tmp_path):
    def run(folder):
        folder.mkdir(parents=True)
        raise ingestion.IngestError("bad input")

    with pytest.raises(ingestion.IngestError):
        cache.cached(tmp_path / "cache", "k", tmp_path / "out", run)
    assert list((tmp_path / "cache").iterdir()) == []


def test_the_pipeline_ingests_once_for_the_same_inputs(tmp_path, jsonl):
    data = jsonl([status("1", "Hello #datasaveslives", when="Thu Sep 01 10:00:00 +0000 2016")])
    params = Params(
        data=(str(data),), hashtag="#datasaveslives", start="2016-09-01", end="2017-08-31"
    )
    cache = tmp_path / "cache"
    first, hit = parallel.cached_ingest(params, runs.RunLayout(tmp_path / "a").tables, cache)
    assert hit is False and first["kept"] == 1
    second, hit = parallel.cached_ingest(params, runs.RunLayout(tmp_path / "b").tables, cache)
    assert hit is True and second == first
    assert (tmp_path / "b" / "tables" / ingestion.POSTS_FILE).is_file()
    later = Params(
        data=(str(data),), hashtag="#datasaveslives", start="2016-09-02", end="2017-08-31"
    )
    third, hit = parallel.cached_ingest(later, runs.RunLayout(tmp_path / "c").tables, cache)
    assert hit is False and third["kept"] == 0
