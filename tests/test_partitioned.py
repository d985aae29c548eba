"""Ingesting in parts and merging with DuckDB gives what one ingestion gives."""

from __future__ import annotations

import gzip

import pytest

from datasaveslives.core import paths
from datasaveslives.core.window import Window
from datasaveslives.ingest import ingestion, parallel, partitioned, tables

WINDOW = Window.from_strings("2016-09-01", "2017-08-31")


@pytest.fixture(scope="module", autouse=True)
def cluster():
    """One two-worker Dask cluster for the module's parallel ingestions (started once, as
    an existing cluster is: DASK_SCHEDULER_ADDRESS); the first test below starts its own,
    as a build on this machine does."""
    from distributed import LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as local,
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setenv(parallel.SCHEDULER_VARIABLE, local.scheduler_address)
        yield local


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
    whole = ingestion.ingest(files, tmp_path / "whole", **kw).to_dict()
    parts = []
    for i, path in enumerate(files):
        ingestion.ingest([path], tmp_path / f"p{i}", **kw)
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
    from datasaveslives.core.params import Params

    monkeypatch.delenv(parallel.SCHEDULER_VARIABLE)  # this machine's own cluster, started here

    with gzip.open(paths.SYNTHETIC / "datasaveslives_synthetic.jsonl.gz", "rb") as fh:
        lines = fh.readlines()[6000:9000]
    folder = tmp_path / "archive"
    folder.mkdir()
    for i in range(3):
        (folder / f"part{i}.jsonl").write_bytes(b"".join(lines[i * 1000 : (i + 1) * 1000]))
    params = Params(data=(str(folder),), hashtag="#datasaveslives", start="2016-09-01",
                    end="2017-08-31")  # fmt: skip
    single = parallel.run_ingest(params, tmp_path / "one" / "tables")
    monkeypatch.setattr(parallel, "PARALLEL_INGEST_BYTES", 0)
    in_parts = parallel.run_ingest(params, tmp_path / "many" / "tables")
    assert "duplicates_across_parts" in in_parts and "duplicates_across_parts" not in single
    assert tables.digests(tmp_path / "many" / "tables") == tables.digests(
        tmp_path / "one" / "tables"
    )
    assert (in_parts["read"], in_parts["kept"]) == (single["read"], single["kept"])
    assert not (tmp_path / "many" / "tables.parts").exists()


def test_files_skipped_in_the_archive_stay_in_the_merged_report(tmp_path, jsonl):
    from conftest import status

    ingestion.ingest([jsonl([status("1", "x")])], tmp_path / "p")
    report = partitioned.merge([tmp_path / "p"], tmp_path / "m", skipped_files=["notes.md"])
    assert report["skipped_files"] == ["notes.md"]
    assert ingestion.load_report(tmp_path / "m")["skipped_files"] == ["notes.md"]


def test_a_large_file_is_split_into_pieces_of_whole_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"".join(b'{"n": %d}\n' % i for i in range(1000)) + b'{"n": "last"}')
    spans = list(partitioned.pieces(path, part_bytes=1000))
    assert len(spans) > 5
    data = path.read_bytes()
    # Contiguous pieces covering the file, each starting a line, numbered correctly.
    assert spans[0].start == 0 and spans[-1].end is None
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end == b.start and data[b.start - 1 : b.start] == b"\n"
        assert b.first_line == data[: b.start].count(b"\n") + 1
    # Small, compressed or CSV files stay whole.
    assert [s.end for s in partitioned.pieces(path, part_bytes=10**9)] == [None]
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(gzip.compress(data))
    assert len(list(partitioned.pieces(gz, part_bytes=1000))) == 1


def test_pieces_of_one_file_ingested_in_parallel_equal_a_single_ingestion(tmp_path, monkeypatch):
    # Repeats across pieces, a bad line and a blank line in the middle of the file.
    archive = tmp_path / "archive.jsonl"
    archive.write_bytes(b"".join(_sample_lines()))
    part = archive.stat().st_size // 5
    single, split = _ingest_single_and_split(tmp_path, monkeypatch, archive, part)
    assert split["duplicates_across_parts"] > 0
    # One file entry, with the file's checksum and size, as a single ingestion reports.
    _same_as_single(tmp_path, single, split)


def _ingest_single_and_split(tmp_path, monkeypatch, archive, part_bytes):
    from datasaveslives.core.params import Params

    params = Params(data=(str(archive),), hashtag="#datasaveslives", start="2016-09-01",
                    end="2017-08-31")  # fmt: skip
    single = parallel.run_ingest(params, tmp_path / "one" / "tables")
    monkeypatch.setattr(parallel, "PARALLEL_INGEST_BYTES", 0)
    split = parallel.run_ingest(params, tmp_path / "many" / "tables", part_bytes=part_bytes)
    return single, split


def _same_as_single(tmp_path, single, split):
    assert tables.digests(tmp_path / "many" / "tables") == tables.digests(
        tmp_path / "one" / "tables"
    )
    for key in ("read", "kept", "quarantined", "users", "kept_by_type", "quarantined_reasons"):
        assert split[key] == single[key], key
    assert split["filtered"] + split["duplicates"] == single["filtered"] + single["duplicates"]
    assert split["balanced"]
    (whole,) = split["files"]
    (one,) = single["files"]
    for key in ("path", "sha256", "bytes", "read", "kept", "quarantined", "formats", "status"):
        assert whole[key] == one[key], key
    quarantine = (tmp_path / "many" / "tables" / ingestion.QUARANTINE_FILE).read_text()
    assert quarantine == (tmp_path / "one" / "tables" / ingestion.QUARANTINE_FILE).read_text()
    assert not (tmp_path / "many" / "tables.parts").exists()  # scratch copies gone


def _sample_lines():
    with gzip.open(paths.SYNTHETIC / "datasaveslives_synthetic.jsonl.gz", "rb") as fh:
        lines = fh.readlines()[5800:9000]
    lines[1500:1500] = [b"not json\n", b"\n", *lines[100:300]]
    return lines


def test_a_large_gzip_file_is_decompressed_piece_by_piece_and_equals_a_single_ingestion(
    tmp_path, monkeypatch
):
    lines = _sample_lines()
    lines[0] = b"\xef\xbb\xbf" + lines[0]  # a BOM, which a whole reading reads past
    data = b"".join(lines)
    archive = tmp_path / "archive.jsonl.gz"
    archive.write_bytes(gzip.compress(data))
    scratch = tmp_path / "scratch"
    spans = list(partitioned.pieces(archive, part_bytes=len(data) // 5, scratch=scratch))
    assert len(spans) >= 5 and all(s.source == archive for s in spans)
    # The pieces' copies hold the file's lines, in order, numbered as in the file.
    assert b"".join(s.path.read_bytes() for s in spans) == data
    for a, b in zip(spans, spans[1:], strict=False):
        assert b.first_line == a.first_line + a.path.read_bytes().count(b"\n")
    # Less than a piece, or no scratch folder: the file itself, read whole.
    assert list(partitioned.pieces(archive, part_bytes=len(data) + 1, scratch=scratch)) == [
        ingestion.Span(archive)
    ]
    assert list(partitioned.pieces(archive)) == [ingestion.Span(archive)]

    # Pieces are decompressed only as processes free up: scratch space stays bounded.
    copies_seen = []
    cut = partitioned.pieces

    def counted(path, part_bytes, scratch):
        for span in cut(path, part_bytes, scratch):
            copies_seen.append(len(list(scratch.iterdir())))
            yield span

    monkeypatch.setattr(partitioned, "pieces", counted)
    single, split = _ingest_single_and_split(tmp_path, monkeypatch, archive, len(data) // 8)
    assert len(copies_seen) >= 8 and max(copies_seen) <= 3  # 2 processes + the next piece
    assert split["duplicates_across_parts"] > 0
    _same_as_single(tmp_path, single, split)


def test_a_truncated_gzip_file_in_pieces_is_quarantined_where_a_whole_reading_stops(
    tmp_path, monkeypatch
):
    data = b"".join(_sample_lines())
    archive = tmp_path / "archive.jsonl.gz"
    packed = gzip.compress(data)
    archive.write_bytes(packed[: len(packed) * 3 // 4])  # cut three quarters in
    single, split = _ingest_single_and_split(tmp_path, monkeypatch, archive, len(data) // 6)
    assert any(r.startswith("compressed stream truncated") for r in single["quarantined_reasons"])
    assert "duplicates_across_parts" in split  # it was read in pieces
    _same_as_single(tmp_path, single, split)


def test_a_file_in_pieces_with_no_known_record_fails_as_a_whole_reading_does(tmp_path, monkeypatch):
    import pytest

    from datasaveslives.core.params import Params

    archive = tmp_path / "unknown.jsonl"
    archive.write_bytes(b"".join(b'{"foo": %d, "bar": "x"}\n' % i for i in range(400)))
    params = Params(data=(str(archive),))
    with pytest.raises(ingestion.IngestError) as whole:
        parallel.run_ingest(params, tmp_path / "one" / "tables")
    monkeypatch.setattr(parallel, "PARALLEL_INGEST_BYTES", 0)
    with pytest.raises(ingestion.IngestError) as split:
        parallel.run_ingest(params, tmp_path / "many" / "tables", part_bytes=2000)
    assert str(split.value) == str(whole.value) and "unknown format" in str(whole.value)
    assert not (tmp_path / "many" / "tables.parts").exists()
    # A piece holding only such records, in a file with known ones, is no error.
    lines = _sample_lines()[:600]
    lines[200:200] = [b'{"foo": %d}\n' % i for i in range(300)]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b"".join(lines))
    single, split = _ingest_single_and_split(tmp_path / "mixed", monkeypatch, mixed, 3000)
    assert split["quarantined"] == single["quarantined"] >= 300


def test_a_file_just_over_the_threshold_is_cut_so_that_both_processes_work(tmp_path, monkeypatch):
    from datasaveslives.core.params import Params

    archive = tmp_path / "archive.jsonl"
    archive.write_bytes(b"".join(_sample_lines()[:1000]))
    monkeypatch.setattr(parallel, "PARALLEL_INGEST_BYTES", archive.stat().st_size - 1)
    cut = []
    pieces = partitioned.pieces
    monkeypatch.setattr(
        partitioned, "pieces", lambda path, part, scratch: cut.append(part) or pieces(path, part)
    )
    parallel.run_ingest(Params(data=(str(archive),)), tmp_path / "run" / "tables")
    assert cut == [-(-archive.stat().st_size // 2)]  # two pieces, one per process
    assert len(list(pieces(archive, cut[0]))) == 2


def test_an_existing_dask_cluster_ingests_the_same_tables(tmp_path, monkeypatch):
    """`build --scheduler ADDRESS` (or DASK_SCHEDULER_ADDRESS): the same tasks on a cluster
    that was already running (here a two-worker LocalCluster), the same tables."""
    from distributed import LocalCluster

    from datasaveslives.core.params import Params

    archive = tmp_path / "archive.jsonl"
    archive.write_bytes(b"".join(_sample_lines()))
    params = Params(data=(str(archive),), hashtag="#datasaveslives", start="2016-09-01",
                    end="2017-08-31")  # fmt: skip
    single = parallel.run_ingest(params, tmp_path / "one" / "tables")
    monkeypatch.setattr(parallel, "PARALLEL_INGEST_BYTES", 0)
    part = archive.stat().st_size // 4
    monkeypatch.delenv(parallel.SCHEDULER_VARIABLE)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
    ) as cluster:
        given = parallel.run_ingest(
            params, tmp_path / "given" / "tables", part_bytes=part,
            scheduler=cluster.scheduler_address,
        )  # fmt: skip
        monkeypatch.setenv(parallel.SCHEDULER_VARIABLE, cluster.scheduler_address)
        from_env = parallel.run_ingest(params, tmp_path / "env" / "tables", part_bytes=part)
        ran = [name for name in cluster.scheduler.task_prefixes if name.startswith("ingest")]
    assert ran, "the pieces were not ingested on the given cluster"
    for report, name in ((given, "given"), (from_env, "env")):
        assert report["duplicates_across_parts"] >= 0 and report["read"] == single["read"]
        assert tables.digests(tmp_path / name / "tables") == tables.digests(
            tmp_path / "one" / "tables"
        )
