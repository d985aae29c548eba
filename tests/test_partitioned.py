"""Ingesting in parts and merging with DuckDB gives what one ingestion gives."""

from __future__ import annotations

import gzip

from datasaveslives import ingest, partitioned, paths, tables
from datasaveslives.window import Window

WINDOW = Window.from_strings("2016-09-01", "2017-08-31")


def test_parts_merged_out_of_core_equal_a_single_ingestion(tmp_path):
    with gzip.open(paths.SYNTHETIC / "datasaveslives_synthetic.jsonl.gz", "rb") as fh:
        lines = fh.readlines()[6000:12000]  # inside the window
    files = []
    for i, chunk in enumerate((lines[:2500], lines[2500:4000] + lines[2000:2500], lines[4000:])):
        path = tmp_path / "archive" / f"part{i}.jsonl"  # the second repeats 500 posts
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"".join(chunk))
        files.append(path)
    kw = {"hashtag": "#datasaveslives", "window": WINDOW}
    whole = ingest.ingest(files, tmp_path / "whole", **kw).to_dict()
    parts = []
    for i, path in enumerate(files):
        ingest.ingest([path], tmp_path / f"p{i}", **kw)
        parts.append(tmp_path / f"p{i}")
    merged = partitioned.merge(parts, tmp_path / "merged", memory_limit="256MB")

    assert tables.digests(tmp_path / "merged") == tables.digests(tmp_path / "whole")
    for key in ("read", "kept", "quarantined", "users"):
        assert merged[key] == whole[key], key
    # A repeated post that is filtered out counts as filtered in each part.
    assert merged["filtered"] + merged["duplicates"] == whole["filtered"] + whole["duplicates"]
    assert merged["kept_by_type"] == whole["kept_by_type"]
    assert merged["balanced"] and merged["duplicates_across_parts"] > 0
    assert {f["path"]: f["kept"] for f in merged["files"]} == {
        f["path"]: f["kept"] for f in whole["files"]
    }
    assert tables.load(tmp_path / "merged").report["retweet_edges"] == whole["retweet_edges"]


def test_the_merge_command(tmp_path, jsonl, capsys):
    from conftest import status

    from datasaveslives import cli

    a = jsonl([status("1", "x #datasaveslives"), status("2", "y #datasaveslives")], "a.jsonl")
    b = jsonl([status("2", "y #datasaveslives"), status("3", "z")], "b.jsonl")
    for name, path in (("pa", a), ("pb", b)):
        assert (
            cli.main(
                ["ingest", str(path), "--out", str(tmp_path / name), "--hashtag", "#datasaveslives"]
            )
            == 0
        )
    capsys.readouterr()
    assert (
        cli.main(
            ["merge", str(tmp_path / "pa"), str(tmp_path / "pb"), "--out", str(tmp_path / "m")]
        )
        == 0
    )
    assert "kept 2, filtered 1, duplicates 1 (1 across parts)" in capsys.readouterr().out
    assert cli.main(["merge", str(tmp_path / "nothing"), "--out", str(tmp_path / "m2")]) == 2


def test_a_large_archive_of_several_files_is_ingested_in_parallel_parts(tmp_path, monkeypatch):
    from datasaveslives import pipeline
    from datasaveslives.params import Params

    with gzip.open(paths.SYNTHETIC / "datasaveslives_synthetic.jsonl.gz", "rb") as fh:
        lines = fh.readlines()[6000:9000]
    folder = tmp_path / "archive"
    folder.mkdir()
    for i in range(3):
        (folder / f"part{i}.jsonl").write_bytes(b"".join(lines[i * 1000 : (i + 1) * 1000]))
    params = Params(data=(str(folder),), hashtag="#datasaveslives", start="2016-09-01",
                    end="2017-08-31")  # fmt: skip
    single = pipeline.run_ingest(params, pipeline.RunLayout(tmp_path / "one"))
    monkeypatch.setattr(pipeline, "PARALLEL_INGEST_BYTES", 0)
    parallel = pipeline.run_ingest(params, pipeline.RunLayout(tmp_path / "many"))
    assert "duplicates_across_parts" in parallel and "duplicates_across_parts" not in single
    assert tables.digests(tmp_path / "many" / "tables") == tables.digests(
        tmp_path / "one" / "tables"
    )
    assert (parallel["read"], parallel["kept"]) == (single["read"], single["kept"])
    assert not (tmp_path / "many" / "tables.parts").exists()


def test_files_skipped_in_the_archive_stay_in_the_merged_report(tmp_path, jsonl):
    from conftest import status

    ingest.ingest([jsonl([status("1", "x")])], tmp_path / "p")
    report = partitioned.merge([tmp_path / "p"], tmp_path / "m", skipped_files=["notes.md"])
    assert report["skipped_files"] == ["notes.md"]
    assert ingest.load_report(tmp_path / "m")["skipped_files"] == ["notes.md"]
