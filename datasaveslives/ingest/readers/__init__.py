"""Readers: raw archive files in, canonical post rows out.

:func:`iter_file` opens one file (plain or gzip; JSON lines, one JSON document, an
object or an array, in any layout, or CSV/TSV), takes the records out of saved API
responses (:mod:`~datasaveslives.ingest.readers.responses`), detects the format of
every record and yields one
:class:`Item` per record read, so that every record can be accounted for:
a :class:`~datasaveslives.ingest.readers.common.Parsed` post, a
:class:`~datasaveslives.ingest.readers.common.Skipped` non-post (delete notices,
stream footers), or a :class:`~datasaveslives.ingest.readers.common.RecordError`
to quarantine.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from datasaveslives.ingest.readers import (
    bluesky,
    gnip,
    mastodon,
    responses,
    twitter_v1,
    twitter_v2,
)
from datasaveslives.ingest.readers.common import (
    MalformedJSON,
    Parsed,
    Profile,
    RecordError,
    Skipped,
    UnknownRecord,
)
from datasaveslives.ingest.readers.csv_export import CsvMapping, MappingError, iter_csv

CSV_SUFFIXES = {".csv", ".tsv"}
DATA_SUFFIXES = {".json", ".jsonl", ".ndjson", ".jsonlines", ".txt", ".csv", ".tsv", ".gz"}
GZIP_MAGIC = b"\x1f\x8b"
# Why a file whose records are all in no supported format cannot be read.
NO_KNOWN_RECORD = "unknown format (no record in a supported format)"
BOM = b"\xef\xbb\xbf"
EXCERPT = 300

# Keys of stream messages that are valid but are not posts.
NOTICE_KEYS = (
    "delete",
    "limit",
    "scrub_geo",
    "status_withheld",
    "user_withheld",
    "disconnect",
    "warning",
    "info",
    "errors",
)

__all__ = [
    "Item",
    "ReadError",
    "iter_file",
    "iter_span",
    "is_gzip",
    "json_lines_kind",
    "open_binary",
    "line_items",
    "MappingError",
    "CsvMapping",
    "DATA_SUFFIXES",
]


class ReadError(Exception):
    """A file that cannot be read at all (unreadable, or of an unknown format)."""


@dataclass(slots=True)
class Item:
    """One record read: where it was, its format, and what became of it."""

    line: int
    fmt: str | None
    result: Parsed | Profile | Skipped | RecordError
    excerpt: str | None = None
    repaired_encoding: bool = False


def _excerpt(raw: bytes | str) -> str:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return text[:EXCERPT]


def parse_object(
    obj: Any,
) -> tuple[str | None, list[Parsed | Profile | Skipped | RecordError]]:
    """Detect the format of one decoded JSON value and parse it."""
    if not isinstance(obj, dict):
        return None, [UnknownRecord(f"record is a JSON {type(obj).__name__}, not an object")]
    try:
        if bluesky.matches(obj):
            fmt, results = bluesky.read(obj)
            return fmt, list(results)
        if mastodon.matches(obj):
            return mastodon.FORMAT, list(mastodon.parse(obj))
        if twitter_v2.matches_page(obj):
            return twitter_v2.PAGE_FORMAT, list(twitter_v2.parse_page(obj))
        if gnip.matches(obj):
            return gnip.FORMAT, list(gnip.parse(obj))
        if twitter_v1.matches(obj):
            return twitter_v1.FORMAT, list(twitter_v1.parse(obj))
        if twitter_v2.matches_flat(obj):
            return twitter_v2.FLAT_FORMAT, list(twitter_v2.parse_flat(obj))
    except RecordError as err:
        return _guess_format(obj), [err]
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as err:
        # Type-confused input that slipped past the readers' checks.
        return _guess_format(obj), [RecordError(f"malformed record: {type(err).__name__}")]
    for key in NOTICE_KEYS:
        if key in obj and len(obj) <= 3:
            return "notice", [Skipped(f"not a post: '{key}' message")]
    keys = ", ".join(sorted(map(str, obj))[:6])
    return None, [UnknownRecord(f"unrecognised record format (keys: {keys})")]


def _guess_format(obj: dict[str, Any]) -> str | None:
    for fmt, test in (
        (bluesky.FORMAT, bluesky.matches),
        (mastodon.FORMAT, mastodon.matches),
        (twitter_v2.PAGE_FORMAT, twitter_v2.matches_page),
        (gnip.FORMAT, gnip.matches),
        (twitter_v1.FORMAT, twitter_v1.matches),
        (twitter_v2.FLAT_FORMAT, twitter_v2.matches_flat),
    ):
        if test(obj):
            return fmt
    return None


def _decode(raw: bytes) -> tuple[Any, bool]:
    """Decode one JSON text; invalid UTF-8 is repaired (U+FFFD) and flagged."""
    try:
        return orjson.loads(raw), False
    except orjson.JSONDecodeError:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return orjson.loads(raw.decode("utf-8", errors="replace")), True
        raise


def _items_from_json(raw: bytes, line: int) -> Iterator[Item]:
    try:
        obj, repaired = _decode(raw)
    except orjson.JSONDecodeError as err:
        msg = str(err).split(":")[0]
        yield Item(line, None, MalformedJSON(f"malformed JSON: {msg}"), _excerpt(raw))
        return
    wrapped = responses.wrapper_key(obj) is not None
    # One line is one record, or one response wrapping its records (a line holding an
    # array is one bad record, as it always was).
    for record in responses.records(obj) if wrapped else [obj]:
        fmt, results = parse_object(record)
        for result in results:
            if isinstance(result, Parsed):
                excerpt = None
            else:
                excerpt = _excerpt(orjson.dumps(record) if wrapped else raw)
            yield Item(line, fmt, result, excerpt, repaired)


def line_items(raw: bytes, line: int) -> Iterator[Item]:
    """The items of one line of a JSON-lines file (none for a blank line)."""
    if raw.startswith(BOM):  # also mid-file, where concatenated files meet
        raw = raw[len(BOM) :]
    if raw.strip():
        yield from _items_from_json(raw, line)


def iter_span(
    path: Path, start: int, end: int | None, first_line: int, trailer: str | None = None
) -> Iterator[Item]:
    """The items of the lines of a plain JSON-lines file from byte ``start`` (a line's
    first byte, numbered ``first_line``) to byte ``end`` (a line's first byte, or None
    for the end of the file): one piece of a file split for parallel ingestion.
    ``trailer``: the reason the piece's source stopped early (a truncated compressed
    stream), quarantined after its last line as reading the whole file would."""
    line = first_line - 1
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            pos = start
            while end is None or pos < end:
                raw = fh.readline()
                if not raw:
                    break
                pos += len(raw)
                line += 1
                yield from line_items(raw, line)
    except OSError as err:
        raise ReadError(f"{path}: read failed after line {line} ({err})") from None
    if trailer:
        yield Item(line + 1, None, RecordError(trailer), "")


def truncated(line: int, err: BaseException) -> str:
    """The quarantine reason for a compressed stream that stops after ``line``."""
    return f"compressed stream truncated or corrupt after line {line}: {err}"


# What reading a damaged compressed stream raises.
STREAM_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


def is_gzip(path: Path) -> bool:
    """``path`` starts as a gzip stream does (raises OSError when it cannot be read)."""
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def open_binary(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes, decompressed when it is gzip-compressed."""
    try:
        compressed = is_gzip(path)
        fh: BinaryIO = open(path, "rb")  # noqa: SIM115 - returned to the caller
    except OSError as err:
        raise ReadError(f"{path}: cannot read file ({err.strerror or err})") from None
    if compressed:
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    return fh


def _first_byte(fh: BinaryIO) -> bytes:
    head = fh.peek(4096) if hasattr(fh, "peek") else b""
    head = head[len(BOM) :] if head.startswith(BOM) else head
    stripped = head.lstrip()
    return stripped[:1]


def is_csv(path: Path) -> bool:
    """CSV/TSV by name (``x.csv``, ``x.tsv``, ``x.csv.gz``)."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    return any(s in CSV_SUFFIXES for s in suffixes)


def json_lines_kind(path: Path) -> str | None:
    """``"plain"`` for an uncompressed JSON-lines file (not CSV; first non-blank byte
    ``{``, after any BOM), which can be read from any line's first byte (see
    :func:`iter_span`); ``"gzip"`` for a gzip-compressed one, which can only be read
    from its start; None for anything else (or a file that cannot be read)."""
    if is_csv(path):
        return None
    try:
        fh = open_binary(path)
    except ReadError:
        return None
    with fh:
        try:
            if _first_byte(fh) != b"{" or not _first_line_is_json(fh):
                return None
        except (OSError, *STREAM_ERRORS):
            return None
        return "gzip" if isinstance(fh, gzip.GzipFile) else "plain"


def _first_line_is_json(lines: Iterable[bytes]) -> bool:
    """The first non-blank of ``lines`` is one whole JSON value: JSON lines, not an
    indented document (whose first line, ``{`` or ``{"feed": [``, is not JSON)."""
    for raw in lines:
        raw = raw[len(BOM) :] if raw.startswith(BOM) else raw
        if raw.strip():
            try:
                _decode(raw)
            except (orjson.JSONDecodeError, UnicodeDecodeError):
                return False
            return True
    return False


class _Peeked:
    """A binary file whose lines read by :func:`_first_line_is_json` are read again:
    iterating it gives every line from the start; :meth:`rest` all its bytes."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.seen: list[bytes] = []

    def __iter__(self) -> Iterator[bytes]:
        while self.seen:
            yield self.seen.pop(0)
        yield from self.fh

    def reading(self) -> Iterator[bytes]:
        """The file's lines from where it is, each kept to be read again."""
        for raw in self.fh:
            self.seen.append(raw)
            yield raw

    def rest(self) -> bytes:
        return b"".join(self.seen) + self.fh.read()


def iter_file(path: Path, csv_mapping: CsvMapping | None = None) -> Iterator[Item]:
    """Yield an :class:`Item` for every record in ``path``.

    Raises :class:`ReadError` for a file that cannot be opened or whose
    content is in no known format; problems inside a file (a bad line, a
    truncated gzip stream) become quarantined items and reading goes on.
    """
    path = Path(path)
    fh = open_binary(path)
    line = 0
    recognised = unknown = 0
    try:
        if is_csv(path):
            text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
            try:
                for line, fmt, result in iter_csv(
                    text, csv_mapping, str(path), tab=".tsv" in path.suffixes
                ):
                    yield Item(line, fmt, result, None if isinstance(result, Parsed) else "")
            except MappingError as err:
                raise ReadError(str(err)) from None
            return
        try:
            first = _first_byte(fh)
        except (OSError, *STREAM_ERRORS) as err:
            raise ReadError(f"{path}: cannot read file ({err})") from None
        if first == b"":
            return  # empty file: nothing to account for
        document: Any = None
        lines: Iterable[bytes] = fh
        if first == b"[":
            raw = fh.read()
            raw = raw[len(BOM) :] if raw.startswith(BOM) else raw
            try:
                document, _ = _decode(raw)
            except orjson.JSONDecodeError as err:
                yield Item(1, None, RecordError(f"malformed JSON array: {err}"), _excerpt(raw))
                return
            if not isinstance(document, list):
                raise ReadError(f"{path}: unknown format (JSON value is not an array)")
        elif first == b"{":
            peeking = _Peeked(fh)
            if _first_line_is_json(peeking.reading()):
                lines = peeking
            else:
                # Not JSON lines: one JSON document over many lines (a saved response,
                # indented), or JSON lines whose first line is damaged.
                raw = peeking.rest()
                try:
                    document, _ = _decode(raw[len(BOM) :] if raw.startswith(BOM) else raw)
                except orjson.JSONDecodeError:
                    lines = io.BytesIO(raw)
        if document is not None:
            for line, obj in enumerate(responses.records(document), 1):
                kind, found = parse_object(obj)
                for each in found:
                    recognised += kind is not None
                    unknown += isinstance(each, UnknownRecord)
                    excerpt = None if isinstance(each, Parsed) else _excerpt(orjson.dumps(obj))
                    yield Item(line, kind, each, excerpt)
        elif first == b"{":
            decoded = malformed = 0
            for line, raw in enumerate(lines, 1):
                for item in line_items(raw, line):
                    recognised += item.fmt is not None
                    unknown += isinstance(item.result, UnknownRecord)
                    bad = isinstance(item.result, MalformedJSON)
                    malformed += bad
                    decoded += not bad
                    yield item
            if malformed and not decoded:
                raise ReadError(
                    f"{path}: unknown format (not JSON lines: no line is JSON, and not one "
                    "JSON document either)"
                )
        else:
            raise ReadError(
                f"{path}: unknown format (not JSON lines, a JSON array or a .csv/.tsv file; "
                f"first byte {first!r})"
            )
    except STREAM_ERRORS as err:
        yield Item(line + 1, None, RecordError(truncated(line, err)), "")
    except OSError as err:
        raise ReadError(f"{path}: read failed after line {line} ({err})") from None
    finally:
        fh.close()
    if recognised == 0 and unknown > 0:
        raise ReadError(f"{path}: {NO_KNOWN_RECORD}")
