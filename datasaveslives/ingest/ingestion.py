"""Ingestion: raw archives in, canonical tables and an accounting report out.

Every record read ends in exactly one place, so that

    read = kept + filtered + duplicates + quarantined

holds for every run (checked before anything is written). Duplicates are
records whose post id was already read (historical exports repeat posts);
the first copy read is the one kept or filtered.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm  # a console bar: ingestion runs in a terminal, never in a chapter

from datasaveslives.core import paths
from datasaveslives.core.files import replace, sha256_of
from datasaveslives.core.window import HashtagMatcher, Window
from datasaveslives.ingest import schema
from datasaveslives.ingest.readers import (
    DATA_SUFFIXES,
    CsvMapping,
    Item,
    ReadError,
    bluesky,
    iter_file,
    iter_span,
)
from datasaveslives.ingest.readers.common import (
    EMPTIED,
    LOCAL_REF,
    Parsed,
    Profile,
    RecordError,
    Skipped,
    UnknownRecord,
)

POSTS_FILE = "posts.parquet"
USERS_FILE = "users.parquet"
EDGES_FILE = "retweet_edges.parquet"
# Profiles supplied on their own (Bluesky profile views), in read order: written when
# there are any, so that a merge of parts can join them to users of every part.
PROFILES_FILE = "profiles.parquet"
# A part's instance-local ids (see Parsed.local_ids), for the merge to resolve references
# across parts; never in a whole ingestion's tables.
LOCAL_IDS_FILE = "local_ids.parquet"
LOCAL_IDS = pa.schema(
    [("local_id", pa.string()), ("post_id", pa.string()), ("author_id", pa.string())]
)
REPORT_FILE = "ingest_report.json"
REPORT_TABLE = "ingest_report.csv"
QUARANTINE_FILE = "quarantine.jsonl"

OUTSIDE_WINDOW = "outside the date window"
# What a repost shows of the post it shares (filled in for Bluesky repost records).
SHOWN = ("text", "full_text", "hashtags", "mentions", "urls", "lang")
NO_HASHTAG = "hashtag not in the post's body"


class IngestError(Exception):
    """Ingestion cannot run: a missing or unreadable input, or an unknown format."""


def file_status(read: int, quarantined: int) -> str:
    """A file's status in the report: empty, partly quarantined or ok."""
    if read == 0:
        return "empty"
    return "partly quarantined" if quarantined else "ok"


@dataclass
class FileReport:
    """What became of the records of one input file."""

    path: str
    sha256: str
    bytes: int
    formats: dict[str, int] = field(default_factory=dict)
    read: int = 0
    kept: int = 0
    filtered: int = 0
    duplicates: int = 0
    quarantined: int = 0
    encoding_repaired: int = 0
    unknown: int = 0  # of the quarantined: records in no supported format

    @property
    def status(self) -> str:
        return file_status(self.read, self.quarantined)


@dataclass
class IngestReport:
    """Counts for the whole run; see the module docstring for the identity."""

    hashtag: str | None
    window: dict[str, str | None]
    read: int = 0
    kept: int = 0
    filtered: int = 0
    duplicates: int = 0
    quarantined: int = 0
    encoding_repaired: int = 0
    filtered_reasons: dict[str, int] = field(default_factory=dict)
    quarantined_reasons: dict[str, int] = field(default_factory=dict)
    # Profile fields that held a bad value, now empty (the post is kept), counted per
    # profile read with a kept post (as its author or the author it shares or quotes):
    # e.g. {"account_created_at": 1}.
    emptied_fields: dict[str, int] = field(default_factory=dict)
    kept_by_type: dict[str, int] = field(default_factory=dict)
    users: int = 0
    retweet_edges: int = 0
    files: list[FileReport] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)

    def balances(self) -> bool:
        """The accounting identity, for the run and for each file."""
        total = self.kept + self.filtered + self.duplicates + self.quarantined
        per_file = all(
            f.read == f.kept + f.filtered + f.duplicates + f.quarantined for f in self.files
        )
        return self.read == total and per_file

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for f, fr in zip(out["files"], self.files, strict=True):
            f["status"] = fr.status
        out["balanced"] = self.balances()
        return out

    def attrition(self) -> pd.DataFrame:
        """The attrition table of this run (see :func:`attrition_table`)."""
        return attrition_table(self.to_dict())

    def files_table(self) -> pd.DataFrame:
        """One row per input file (see :func:`files_table`)."""
        return files_table(self.to_dict())


def attrition_table(report: dict[str, Any]) -> pd.DataFrame:
    """One row per outcome of an ingest report, with counts and shares of records read."""

    def by_reason(outcome: str, reasons: dict[str, int]) -> list[tuple[str, str, int]]:
        return [(outcome, r, n) for r, n in sorted(reasons.items())] or [(outcome, "none", 0)]

    rows: list[tuple[str, str, int]] = [("read", "all records read", report["read"])]
    rows += by_reason("quarantined", report["quarantined_reasons"])
    rows.append(("duplicates", "post id already read", report["duplicates"]))
    rows += by_reason("filtered", report["filtered_reasons"])
    rows.append(("kept", "posts analysed", report["kept"]))
    table = pd.DataFrame(rows, columns=["outcome", "reason", "records"])
    table["share_of_read"] = table["records"] / report["read"] if report["read"] else float("nan")
    return table


def files_table(report: dict[str, Any]) -> pd.DataFrame:
    """One row per input file of an ingest report: hash, formats and outcomes."""
    columns = ["file", "sha256", "formats", "read", "kept", "filtered", "duplicates"]
    columns += ["quarantined", "status"]
    rows = [
        {
            **{k: f[k] for k in ("read", "kept", "filtered", "duplicates", "quarantined")},
            "file": paths.rel(Path(f["path"])),
            "sha256": f["sha256"],
            "formats": ", ".join(f"{k} ({v})" for k, v in sorted(f["formats"].items())),
            "status": f["status"],
        }
        for f in report["files"]
    ]
    return pd.DataFrame(rows, columns=columns)


def expand_inputs(inputs: Sequence[str | Path]) -> tuple[list[Path], list[str]]:
    """Files named, plus the data files inside folders named (sorted), and files skipped."""
    files: list[Path] = []
    skipped: list[str] = []
    if not inputs:
        raise IngestError("no input given: name one or more files or folders")
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if child.suffix.lower() in DATA_SUFFIXES:
                    files.append(child)
                else:
                    skipped.append(str(child))
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise IngestError(f"{path}: not a regular file or folder")
        else:
            raise IngestError(f"{path}: no such file or folder")
    return files, skipped


def _reason_key(reason: str) -> str:
    """Group quarantine reasons by their kind (the text before any detail)."""
    return reason.split(":", 1)[0].split(" (", 1)[0]


@dataclass(frozen=True)
class Span:
    """One piece of a large JSON-lines file, ingested on its own (see
    :mod:`datasaveslives.ingest.partitioned`): the lines of ``path`` from byte ``start`` to
    byte ``end`` (None: the end), the first numbered ``first_line``. A piece of a
    compressed file is a decompressed copy: ``source`` names the file its lines come
    from (reported as theirs), ``trailer`` why that file's stream stopped early."""

    path: Path
    start: int = 0
    end: int | None = None
    first_line: int = 1
    source: Path | None = None
    trailer: str | None = None

    @property
    def whole(self) -> bool:
        """The span is its file, read as it is (not a piece)."""
        return self.source is None and self.start == 0 and self.end is None


@dataclass
class _Reading:
    """What ingestion gathers while it reads: the posts and users kept, every record
    filtered or quarantined with its reason, and the profiles read on their own."""

    matcher: HashtagMatcher
    window: Window
    seen: set[str] = field(default_factory=set)
    posts: list[dict[str, Any]] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    filtered: Counter[str] = field(default_factory=Counter)
    quarantined: Counter[str] = field(default_factory=Counter)
    profiles: list[dict[str, Any]] = field(default_factory=list)
    emptied: Counter[str] = field(default_factory=Counter)
    shown: dict[str, dict[str, Any]] = field(default_factory=dict)  # Bluesky posts' text
    # Instance-local ids (Mastodon) -> (post id, author); None where two posts share one.
    local_ids: dict[str, tuple[str, str | None] | None] = field(default_factory=dict)
    # Reposts without text, kept or filtered once every post they may share is read.
    textless: list[tuple[FileReport, dict[str, Any], list[dict[str, Any]]]] = field(
        default_factory=list
    )

    def take(self, fr: FileReport, name: str, item: Item) -> None:
        """Account for one record of file ``name``: quarantine, filter or keep it."""
        fr.read += 1
        if item.fmt:
            fr.formats[item.fmt] = fr.formats.get(item.fmt, 0) + 1
        fr.encoding_repaired += item.repaired_encoding
        result = item.result
        if isinstance(result, RecordError):
            fr.quarantined += 1
            fr.unknown += isinstance(result, UnknownRecord)
            self.quarantined[_reason_key(str(result))] += 1
            self.quarantine.append(
                {
                    "source_file": name,
                    "source_line": item.line,
                    "reason": str(result),
                    "excerpt": item.excerpt or "",
                }
            )
            return
        if isinstance(result, Skipped | Profile):
            fr.filtered += 1
            self.filtered[result.reason] += 1
            if isinstance(result, Profile):
                result.user.pop(EMPTIED, None)
                self.profiles.append(result.user)
            return
        assert isinstance(result, Parsed)
        for local, known in result.local_ids.items():
            if self.local_ids.setdefault(local, known) not in (known, None):
                self.local_ids[local] = None  # two instances' posts with one local id
        post = result.post
        if post["post_id"] in self.seen:
            fr.duplicates += 1
            return
        self.seen.add(post["post_id"])
        if item.fmt == bluesky.FORMAT:  # a post a textless repost may share
            self.shown[post["post_id"]] = {k: post[k] for k in SHOWN}
        if not self.window.contains(post["created_at"]):
            fr.filtered += 1
            self.filtered[OUTSIDE_WINDOW] += 1
            return
        post["source_file"] = name
        post["source_line"] = item.line
        post["source_format"] = item.fmt
        if self.matcher.tag and not post["text"] and post["retweeted_post_id"]:
            # A repost record carries no text: it takes its post's, once read.
            self.textless.append((fr, post, result.users))
            return
        self.keep(fr, post, result.users)

    def keep(self, fr: FileReport, post: dict[str, Any], seen_users: list[dict[str, Any]]) -> None:
        """Keep ``post`` if its body carries the hashtag (else filter it)."""
        if not self.matcher(post["full_text"], post["hashtags"]):
            fr.filtered += 1
            self.filtered[NO_HASHTAG] += 1
            return
        fr.kept += 1
        self.posts.append(post)
        for user in seen_users:
            self.emptied.update(user.pop(EMPTIED, ()))
            old = self.users.get(user["user_id"])
            if old is None or user["observed_at"] >= old["observed_at"]:
                self.users[user["user_id"]] = user

    def resolve_local_ids(self) -> None:
        """Replies and quotes naming a post by its instance-local id get the post's
        global id where the archive holds it, else none (see :func:`resolve_local`)."""
        for post in self.posts:
            resolve_local(post, self.local_ids)

    def settle_textless(self) -> None:
        """Reposts without text take their post's text (when read), then are judged."""
        for fr, post, seen_users in self.textless:
            post.update(self.shown.get(post["retweeted_post_id"], {}))
            self.keep(fr, post, seen_users)


def resolve_local(post: dict[str, Any], known: dict[str, tuple[str, str | None] | None]) -> None:
    """Put the global id (and a quote's author) in place of ``post``'s references by
    instance-local id, where ``known`` holds that id unambiguously; else leave it empty
    (``is_reply`` stays true: the post is a reply to a post the archive does not hold)."""
    for column in ("in_reply_to_post_id", "quoted_post_id"):
        ref = post.get(column)
        if isinstance(ref, str) and ref.startswith(LOCAL_REF):
            found = known.get(ref[len(LOCAL_REF) :])
            post[column] = found[0] if found else None
            if column == "quoted_post_id" and found and not post.get("quoted_author_id"):
                post["quoted_author_id"] = found[1]


def _file_report(path: Path, span: Span | None) -> tuple[str, FileReport]:
    """The name a file is reported by, and its report (no checksum for a piece: the
    whole file's comes with the merge)."""
    try:
        size = path.stat().st_size
        name = str(span.source or path) if span else str(path)
        if span:
            return name, FileReport(name, "", (span.end or size) - span.start)
        return name, FileReport(name, sha256_of(path), size)
    except OSError as err:
        raise IngestError(f"{path}: cannot read file ({err.strerror or err})") from None


def _totals(report: IngestReport, reading: _Reading) -> None:
    """The report's totals and reasons, from its files; the accounting must balance."""
    for fr in report.files:
        report.read += fr.read
        report.kept += fr.kept
        report.filtered += fr.filtered
        report.duplicates += fr.duplicates
        report.quarantined += fr.quarantined
        report.encoding_repaired += fr.encoding_repaired
    report.filtered_reasons = dict(sorted(reading.filtered.items()))
    report.quarantined_reasons = dict(sorted(reading.quarantined.items()))
    report.emptied_fields = dict(sorted(reading.emptied.items()))
    if not report.balances():  # pragma: no cover - a bug, never an input problem
        raise AssertionError(f"ingestion accounting does not balance: {report.to_dict()}")


def _edges(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The retweet edges: one per retweet whose author is known."""
    return [
        {
            "retweeter_id": p["author_id"],
            "author_id": p["retweeted_author_id"],
            "post_id": p["post_id"],
            "retweeted_post_id": p["retweeted_post_id"],
            "created_at": p["created_at"],
        }
        for p in posts
        if p["type"] == "retweet" and p["retweeted_author_id"]
    ]


def _write_tables(
    out: Path, reading: _Reading, edges: list[dict[str, Any]], report: IngestReport
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    _write(reading.posts, schema.POSTS, out / POSTS_FILE)
    _write([reading.users[k] for k in sorted(reading.users)], schema.USERS, out / USERS_FILE)
    _write(edges, schema.RETWEET_EDGES, out / EDGES_FILE)
    if reading.profiles:
        _write(reading.profiles, schema.USERS, out / PROFILES_FILE)
    with open(out / QUARANTINE_FILE, "w", encoding="utf-8") as fh:
        for row in reading.quarantine:
            # ASCII-escaped: an excerpt may hold U+0085, U+2028 or U+2029, which many
            # line readers (Python's str.splitlines among them) take for line ends.
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    (out / REPORT_FILE).write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    report.attrition().to_csv(out / REPORT_TABLE, index=False)


def ingest(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    hashtag: str | None = None,
    window: Window | None = None,
    csv_mapping: CsvMapping | None = None,
    progress: bool = False,
    span: Span | None = None,
    join_profiles: bool = True,
) -> IngestReport:
    """Read ``inputs``, write the canonical tables and the report to ``out_dir``.

    With ``span``, read only that piece of a file (``inputs`` is ignored); its
    report's file entry names the span's source, without a checksum (the whole
    file's is added when the pieces are merged). Profiles read on their own are
    joined to the users table unless ``join_profiles`` is False (a part of a larger
    archive, whose merge joins every part's profiles); either way they are written to
    ``PROFILES_FILE``. Likewise references by instance-local id (Mastodon replies) are
    resolved here, or, in a part, left for the merge with the part's ``LOCAL_IDS_FILE``."""
    window = window or Window()
    matcher = HashtagMatcher(hashtag)
    files, skipped = ([span.path], []) if span else expand_inputs(inputs)
    report = IngestReport(
        hashtag=f"#{matcher.tag}" if matcher.tag else None,
        window={
            "start": str(window.start) if window.start else None,
            "end": str(window.end) if window.end else None,
            "tz": window.tz,
        },
        skipped_files=skipped,
    )
    reading = _Reading(matcher, window)
    for path in tqdm(files, desc="ingest", unit="file", disable=not progress):
        name, fr = _file_report(path, span)
        report.files.append(fr)
        try:
            items: Iterable[Item] = (
                iter_span(path, span.start, span.end, span.first_line, span.trailer)
                if span
                else iter_file(path, csv_mapping)
            )
            for item in items:
                reading.take(fr, name, item)
        except ReadError as err:
            raise IngestError(str(err)) from None
    reading.settle_textless()
    _totals(report, reading)
    if join_profiles:
        join_profiles_to(reading.users, reading.profiles)
        reading.resolve_local_ids()

    reading.posts.sort(key=lambda p: (p["created_at"], p["post_id"]))
    edges = _edges(reading.posts)
    report.kept_by_type = {t: sum(p["type"] == t for p in reading.posts) for t in schema.POST_TYPES}
    report.users = len(reading.users)
    report.retweet_edges = len(edges)
    _write_tables(Path(out_dir), reading, edges, report)
    if not join_profiles and reading.local_ids:  # a part's, for the merge to resolve
        rows = [
            {"local_id": k, "post_id": v[0] if v else None, "author_id": v[1] if v else None}
            for k, v in sorted(reading.local_ids.items())
        ]
        _write(rows, LOCAL_IDS, Path(out_dir) / LOCAL_IDS_FILE)
    return report


def ingest_into(inputs: Sequence[str | Path], out_dir: str | Path, **options: Any) -> IngestReport:
    """:func:`ingest` into a new folder beside ``out_dir``, renamed into place when it
    is whole: an earlier ingestion there stays as it was until then, never half
    replaced. ``out_dir`` must be new or hold an earlier ingestion's tables only."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise IngestError(f"--out {out} is an existing file: name a folder for the tables")
    ours = {POSTS_FILE, USERS_FILE, EDGES_FILE, PROFILES_FILE, QUARANTINE_FILE, REPORT_FILE,
            REPORT_TABLE}  # fmt: skip
    others = sorted(p.name for p in out.iterdir() if p.name not in ours) if out.is_dir() else []
    if others:
        raise IngestError(
            f"--out {out} holds other files ({', '.join(others[:3])}"
            f"{', …' if len(others) > 3 else ''}): name a new folder, or one an earlier "
            f"ingestion wrote"
        )
    incoming = out.with_name(f"{out.name}.incoming-{os.getpid()}")
    if incoming.exists():
        shutil.rmtree(incoming)

    try:
        report = ingest(inputs, incoming, **options)
        replace(incoming, out)
    finally:
        if incoming.exists():
            shutil.rmtree(incoming)
    return report


def join_profiles_to(users: dict[str, dict[str, Any]], profiles: list[dict[str, Any]]) -> None:
    """Profiles supplied on their own (Bluesky's profile views) complete the users of
    kept posts: a newer profile replaces what the posts showed, an older one only fills
    what they lacked (a post view carries no follower counts)."""
    for profile in sorted(profiles, key=lambda p: p["observed_at"]):
        user = users.get(profile["user_id"])
        if user is None:
            continue
        if profile["observed_at"] >= user["observed_at"]:
            users[profile["user_id"]] = {
                k: v if v is not None else user[k] for k, v in profile.items()
            }
        else:
            for key, value in profile.items():
                if user.get(key) is None:
                    user[key] = value


def _write(rows: list[dict[str, Any]], table_schema: pa.Schema, path: Path) -> None:
    table = pa.Table.from_pylist(rows, schema=table_schema)
    pq.write_table(table, path, compression="zstd")


def load_report(tables: str | Path) -> dict[str, Any]:
    """The ``ingest_report.json`` of an ingested folder."""
    return json.loads((Path(tables) / REPORT_FILE).read_text(encoding="utf-8"))
