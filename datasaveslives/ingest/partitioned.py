"""Archives too large for one machine: ingest in parts, merge out of core with DuckDB.

Each part (a file or a group of files) is ingested on its own, on this machine or
another, into its own folder of canonical tables. :func:`merge` then combines the
parts' Parquet files with DuckDB, which streams them from disk rather than holding
them in memory: the first copy of a post seen in two parts is kept (in the parts'
order, then by file and line, as a single ingestion would), each user keeps their
latest profile, profiles read on their own (Bluesky profile views) are joined to the
users of every part, and the reports are summed with the cross-part copies moved from
"kept" to "duplicates", so the accounting identity still holds. The result is the
same canonical tables a single ingestion writes, so the chapters run unchanged. One
difference in the counts only: a post repeated in two parts that the hashtag or window
filter removes is counted as filtered in each part (a single ingestion counts the second
copy as a duplicate); filtered + duplicates, and every other count, are the same.

On a cluster the same SQL runs on a distributed engine (Spark SQL, or Dask reading
the parts' Parquet); only this merge step changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from datasaveslives.core.files import sha256_of
from datasaveslives.ingest import ingestion, readers, schema
from datasaveslives.ingest.readers.common import LOCAL_REF

BATCH_ROWS = 100_000
# Plain JSON-lines files larger than this are split into pieces of about this size.
PART_BYTES = 256 * 2**20


def pieces(
    path: Path, part_bytes: int = PART_BYTES, scratch: Path | None = None
) -> Iterator[ingestion.Span]:
    """``path`` as pieces of whole lines of about ``part_bytes`` each, to ingest in
    parallel: each piece's memory is bounded by its size, not the file's. One piece
    (the file itself) when it is smaller, or not a JSON-lines file.

    A plain file is cut where it lies. A gzip-compressed one can only be read from its
    start: with a ``scratch`` folder, it is decompressed as the pieces are taken, each
    piece into a plain file of its own there (the caller deletes it once ingested), so
    that neither memory nor scratch space grows with the file; without one, it stays
    whole."""
    path = Path(path)
    kind = readers.json_lines_kind(path)
    if kind == "gzip" and scratch is not None:
        yield from _gzip_pieces(path, part_bytes, scratch)
        return
    if kind != "plain" or path.stat().st_size <= part_bytes:
        yield ingestion.Span(path)
        return
    start, first_line, pos, lines = 0, 1, 0, 0
    with open(path, "rb") as fh:
        for raw in fh:
            pos += len(raw)
            lines += 1
            if pos - start >= part_bytes:
                yield ingestion.Span(path, start, pos, first_line)
                start, first_line = pos, lines + 1
    if pos > start:
        yield ingestion.Span(path, start, None, first_line)


def _gzip_pieces(path: Path, part_bytes: int, scratch: Path) -> Iterator[ingestion.Span]:
    """The pieces of a gzip-compressed JSON-lines file, decompressed into ``scratch``
    as they are read; the file itself when it holds less than one piece. A damaged
    stream ends the last piece with the reason a whole reading would quarantine."""
    scratch.mkdir(parents=True, exist_ok=True)
    lines, first_line, size, trailer = 0, 1, 0, None
    copy = scratch / f"{path.name}.{first_line}.jsonl"
    out = open(copy, "wb")  # noqa: SIM115 - closed at each cut and in finally
    try:
        with readers.open_binary(path) as fh:
            try:
                for raw in fh:  # line by line, as iter_file reads it
                    lines += 1
                    out.write(raw)
                    size += len(raw)
                    if size >= part_bytes:
                        out.close()
                        yield ingestion.Span(copy, first_line=first_line, source=path)
                        first_line, size = lines + 1, 0
                        copy = scratch / f"{path.name}.{first_line}.jsonl"
                        out = open(copy, "wb")  # noqa: SIM115
            except readers.STREAM_ERRORS as err:
                trailer = readers.truncated(lines, err)
        out.close()
        if first_line == 1:  # less than one piece: the file is read as it is
            copy.unlink()
            yield ingestion.Span(path)
        elif size or trailer:
            yield ingestion.Span(copy, first_line=first_line, source=path, trailer=trailer)
        else:
            copy.unlink()
    finally:
        out.close()


def _copy(con: Any, sql: str, table_schema: pa.Schema, path: Path) -> int:
    """Stream ``sql``'s rows into ``path`` with the canonical schema; return the count."""
    reader = con.sql(sql).to_arrow_reader(BATCH_ROWS)
    rows = 0
    with pq.ParquetWriter(path, table_schema, compression="zstd") as writer:
        for batch in reader:
            table = pa.Table.from_batches([batch]).select(table_schema.names)
            writer.write_table(table.cast(table_schema))
            rows += batch.num_rows
    if rows == 0:  # keep the file readable (a writer without rows writes only a schema)
        pq.write_table(table_schema.empty_table(), path, compression="zstd")
    return rows


def merge(
    parts: Sequence[str | Path],
    out_dir: str | Path,
    memory_limit: str = "2GB",
    skipped_files: Sequence[str] = (),
    checksums: dict[str, str] | None = None,
) -> dict:
    """Merge ingested ``parts`` (folders of canonical tables, in order) into ``out_dir``;
    return the merged ingest report (also written there). ``skipped_files``: files of
    the archive that were not read as data (listed in the report). Pieces of one file
    (see :func:`pieces`) become one file entry again, with the file's checksum (from
    ``checksums``, by path, when the caller computed it while the pieces were read)."""
    import duckdb

    folders = [Path(p) for p in parts]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reports = [ingestion.load_report(p) for p in folders]
    _check_formats([f for r in reports for f in r["files"]])
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")

    def union(name: str) -> str:
        return " UNION ALL ".join(
            f"SELECT *, {i} AS part FROM read_parquet('{(p / name).as_posix()}')"
            for i, p in enumerate(folders)
        )

    first_copy = (
        "QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY part, source_file, "
        "source_line) = 1"
    )
    kept = _copy(
        con,
        f"SELECT * FROM ({_resolved(con, folders, union(ingestion.POSTS_FILE))}) {first_copy} "
        "ORDER BY created_at, post_id",
        schema.POSTS,
        out / ingestion.POSTS_FILE,
    )
    _copy(
        con,
        f"SELECT * FROM ({union(ingestion.USERS_FILE)}) QUALIFY row_number() OVER "
        "(PARTITION BY user_id ORDER BY observed_at DESC, part DESC) = 1 ORDER BY user_id",
        schema.USERS,
        out / ingestion.USERS_FILE,
    )
    _join_profiles(con, [p / ingestion.PROFILES_FILE for p in folders], out)
    edges = _copy(
        con,
        f"SELECT * FROM ({union(ingestion.EDGES_FILE)}) QUALIFY row_number() OVER "
        "(PARTITION BY post_id ORDER BY part) = 1 ORDER BY created_at, post_id",
        schema.RETWEET_EDGES,
        out / ingestion.EDGES_FILE,
    )
    by_type = dict(
        con.execute(
            f"SELECT type, count(*) FROM read_parquet('{(out / ingestion.POSTS_FILE).as_posix()}') "
            "GROUP BY type"
        ).fetchall()
    )
    (users,) = con.execute(
        f"SELECT count(*) FROM read_parquet('{(out / ingestion.USERS_FILE).as_posix()}')"
    ).fetchall()[0]
    dropped = dict(
        con.execute(
            f"SELECT source_file, count(*) FROM (SELECT source_file FROM "
            f"({union(ingestion.POSTS_FILE)}) QUALIFY row_number() OVER (PARTITION BY post_id "
            "ORDER BY part, source_file, source_line) > 1) GROUP BY source_file"
        ).fetchall()
    )
    report = _sum_reports(reports, kept, dropped, skipped_files, checksums or {})
    report["kept_by_type"] = {t: int(by_type.get(t, 0)) for t in schema.POST_TYPES}
    report["users"], report["retweet_edges"] = int(users), edges
    with open(out / ingestion.QUARANTINE_FILE, "w", encoding="utf-8") as fh:
        for p in folders:
            fh.write((p / ingestion.QUARANTINE_FILE).read_text(encoding="utf-8"))
    (out / ingestion.REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    ingestion.attrition_table(report).to_csv(out / ingestion.REPORT_TABLE, index=False)
    return report


def _resolved(con: Any, folders: list[Path], posts: str) -> str:
    """``posts`` (a query) with references by instance-local id resolved across every
    part, as :func:`ingestion.resolve_local` does in one: a local id known once (one post
    id in every part that saw it) gives that post's id and author, else none."""
    files = [(p / ingestion.LOCAL_IDS_FILE).as_posix() for p in folders]
    files = [f for f in files if Path(f).is_file()]
    if not files:
        return posts
    listed = ", ".join(f"'{f}'" for f in files)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE local_ids AS SELECT local_id, "
        "CASE WHEN count(DISTINCT post_id) = 1 AND count(*) = count(post_id) "
        "THEN any_value(post_id) END AS post_id, "
        "CASE WHEN count(DISTINCT post_id) = 1 AND count(*) = count(post_id) "
        "THEN any_value(author_id) END AS author_id "
        f"FROM read_parquet([{listed}]) GROUP BY local_id"
    )
    n = len(LOCAL_REF)
    return (
        "SELECT p.* REPLACE ("
        f"CASE WHEN p.in_reply_to_post_id LIKE '{LOCAL_REF}%' THEN r.post_id "
        "ELSE p.in_reply_to_post_id END AS in_reply_to_post_id, "
        f"CASE WHEN p.quoted_post_id LIKE '{LOCAL_REF}%' THEN q.post_id "
        "ELSE p.quoted_post_id END AS quoted_post_id, "
        f"CASE WHEN p.quoted_post_id LIKE '{LOCAL_REF}%' AND p.quoted_author_id IS NULL "
        "THEN q.author_id ELSE p.quoted_author_id END AS quoted_author_id) "
        f"FROM ({posts}) p "
        f"LEFT JOIN local_ids r ON p.in_reply_to_post_id LIKE '{LOCAL_REF}%' "
        f"AND r.local_id = substr(p.in_reply_to_post_id, {n + 1}) "
        f"LEFT JOIN local_ids q ON p.quoted_post_id LIKE '{LOCAL_REF}%' "
        f"AND q.local_id = substr(p.quoted_post_id, {n + 1})"
    )


def _check_formats(entries: list[dict[str, Any]]) -> None:
    """Raise :class:`ingestion.IngestError` for a file read in pieces none of which found a
    record in a supported format, but some found records in none: the error a single
    reading of the file raises (one piece of a file may hold only such records)."""
    recognised: dict[str, int] = {}
    unknown: dict[str, int] = {}
    for f in entries:
        recognised[f["path"]] = recognised.get(f["path"], 0) + sum(f["formats"].values())
        unknown[f["path"]] = unknown.get(f["path"], 0) + f.get("unknown", 0)
    for path, n in unknown.items():
        if n and not recognised[path]:
            raise ingestion.IngestError(f"{path}: {readers.NO_KNOWN_RECORD}")


def _join_profiles(con: Any, files: list[Path], out: Path) -> None:
    """Join the parts' profiles (``ingestion.PROFILES_FILE``, in the parts' order) to the
    merged users in ``out`` by the rule a single ingestion applies
    (:func:`ingestion.join_profiles_to`), so that a profile read in one part completes the
    users of every part; the profiles are kept in ``out`` too. Only the users with a
    profile are read into memory."""
    found = [f for f in files if f.is_file()]
    if not found:
        return
    profiles = pa.concat_tables([pq.read_table(f, schema=schema.USERS) for f in found])
    pq.write_table(profiles, out / ingestion.PROFILES_FILE, compression="zstd")
    con.register("profiled", pa.table({"user_id": profiles["user_id"]}))
    users_file = (out / ingestion.USERS_FILE).as_posix()
    chosen = con.sql(
        f"SELECT * FROM read_parquet('{users_file}') WHERE user_id IN "
        "(SELECT user_id FROM profiled)"
    ).to_arrow_table()
    users = {row["user_id"]: row for row in chosen.to_pylist()}
    ingestion.join_profiles_to(users, profiles.to_pylist())
    con.register("joined", pa.Table.from_pylist(list(users.values()), schema=schema.USERS))
    joined = out / (ingestion.USERS_FILE + ".joined")
    _copy(
        con,
        f"SELECT * FROM read_parquet('{users_file}') WHERE user_id NOT IN "
        "(SELECT user_id FROM joined) UNION ALL SELECT * FROM joined ORDER BY user_id",
        schema.USERS,
        joined,
    )
    joined.replace(out / ingestion.USERS_FILE)


def _sum_reports(
    reports: list[dict[str, Any]],
    kept: int,
    dropped: dict[str, int],
    skipped: Sequence[str],
    checksums: dict[str, str],
) -> dict[str, Any]:
    """The parts' reports as one: counts summed, copies across parts moved to duplicates
    (``dropped``: how many of each file's kept posts were such copies)."""
    total = dict(reports[0])
    for key in ("read", "kept", "filtered", "duplicates", "quarantined", "encoding_repaired"):
        total[key] = sum(r[key] for r in reports)
    for key in ("filtered_reasons", "quarantined_reasons", "emptied_fields"):
        merged: dict[str, int] = {}
        for r in reports:
            for reason, n in r.get(key, {}).items():
                merged[reason] = merged.get(reason, 0) + n
        total[key] = dict(sorted(merged.items()))
    total["files"] = _whole_files([f for r in reports for f in r["files"]], checksums)
    for f in total["files"]:
        copies = dropped.get(f["path"], 0)
        f["kept"], f["duplicates"] = f["kept"] - copies, f["duplicates"] + copies
    total["skipped_files"] = [f for r in reports for f in r["skipped_files"]] + list(skipped)
    across = total["kept"] - kept
    total["kept"], total["duplicates"] = kept, total["duplicates"] + across
    total["duplicates_across_parts"] = across
    total["balanced"] = all(
        f["read"] == f["kept"] + f["filtered"] + f["duplicates"] + f["quarantined"]
        for f in [total, *total["files"]]
    )
    return total


def _whole_files(entries: list[dict[str, Any]], checksums: dict[str, str]) -> list[dict[str, Any]]:
    """File entries with the pieces of one file summed into one (in first-seen order);
    a piece's entry has no checksum, so the whole file's is computed here."""
    files: dict[Any, dict[str, Any]] = {}
    for i, entry in enumerate(entries):
        where = entry["path"] if not entry["sha256"] else i  # only pieces are summed
        f = files.get(where)
        if f is None:
            files[where] = dict(entry, formats=dict(entry["formats"]))
            continue
        for count in ("read", "kept", "filtered", "duplicates", "quarantined"):
            f[count] += entry[count]
        f["encoding_repaired"] += entry["encoding_repaired"]
        f["unknown"] = f.get("unknown", 0) + entry.get("unknown", 0)
        for fmt, n in entry["formats"].items():
            f["formats"][fmt] = f["formats"].get(fmt, 0) + n
    for f in files.values():
        if not f["sha256"]:
            f["sha256"] = checksums.get(f["path"]) or sha256_of(Path(f["path"]))
            f["bytes"] = Path(f["path"]).stat().st_size
        f["status"] = ingestion.file_status(f["read"], f["quarantined"])
    return list(files.values())
