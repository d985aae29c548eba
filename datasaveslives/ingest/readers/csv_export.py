"""CSV exports read through a declared column mapping (``data/csv_mappings/*.yml``).

A mapping names, for each canonical field, the CSV column that holds it, and the
platform the export comes from. The post type follows from which reference columns
are filled: a retweeted id makes a share, a quoted id a quote, neither an original;
for exports without a retweeted id (DMI-TCAT), ``retweet_prefix`` reads a share from
the ``RT @name:`` its text starts with (the shared post's author, by name).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from datasaveslives.core import paths, yamlfile
from datasaveslives.ingest.readers.common import (
    Parsed,
    RecordError,
    hashtags_in,
    lower_tags,
    optional_count,
    optional_id,
    parse_time,
    post_row,
    require_id,
    user_row,
)

csv.field_size_limit(sys.maxsize)

REQUIRED_DEFAULT = ("post_id", "created_at", "author_id", "text")
PLATFORMS = ("twitter", "bluesky", "mastodon")
RT_PREFIX = re.compile(r"RT @(\w+):")


class MappingError(ValueError):
    """A CSV mapping file that cannot be used, or a CSV that fits no mapping."""


@dataclass(frozen=True)
class CsvMapping:
    """A declared mapping from CSV columns to canonical fields."""

    name: str
    columns: dict[str, str]
    user_columns: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = REQUIRED_DEFAULT
    unescape_newlines: bool = False
    list_format: str = "json"  # "json" or "space" (space/comma separated)
    delimiter: str | None = None  # None: tab for .tsv files, comma otherwise
    source: str = ""
    platform: str = "twitter"
    retweet_prefix: bool = False  # "RT @name: ..." texts are shares of name's posts

    @property
    def format_name(self) -> str:
        """``csv:NAME`` (Twitter exports) or ``PLATFORM_csv:NAME``."""
        prefix = "csv" if self.platform == "twitter" else f"{self.platform}_csv"
        return f"{prefix}:{self.name}"

    def missing_columns(self, header: list[str]) -> list[str]:
        """Required columns of this mapping that ``header`` lacks."""
        return [self.columns[f] for f in self.required if self.columns.get(f) not in header]


def load_mapping(path: Path) -> CsvMapping:
    """Read and validate a mapping file; raise :class:`MappingError` if unusable."""
    spec = yamlfile.load(path, "CSV mapping", MappingError)
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise MappingError(f"CSV mapping {path}: needs a 'columns' table")
    required = tuple(spec.get("required") or REQUIRED_DEFAULT)
    missing = [f for f in required if f not in spec["columns"]]
    if missing:
        raise MappingError(f"CSV mapping {path}: required fields not mapped: {missing}")
    if spec.get("list_format", "json") not in ("json", "space"):
        raise MappingError(f"CSV mapping {path}: list_format must be 'json' or 'space'")
    if spec.get("platform", "twitter") not in PLATFORMS:
        raise MappingError(f"CSV mapping {path}: platform must be one of {', '.join(PLATFORMS)}")
    return CsvMapping(
        name=str(spec.get("name") or Path(path).stem),
        columns={str(k): str(v) for k, v in spec["columns"].items()},
        user_columns={str(k): str(v) for k, v in (spec.get("user_columns") or {}).items()},
        required=required,
        unescape_newlines=bool(spec.get("unescape_newlines", False)),
        list_format=spec.get("list_format", "json"),
        delimiter=spec.get("delimiter"),
        source=str(path),
        platform=spec.get("platform", "twitter"),
        retweet_prefix=bool(spec.get("retweet_prefix", False)),
    )


def builtin_mappings() -> list[CsvMapping]:
    """The mappings shipped in ``data/csv_mappings``."""
    return [load_mapping(p) for p in sorted(paths.CSV_MAPPINGS.glob("*.yml"))]


def choose_mapping(header: list[str], mapping: CsvMapping | None, where: str) -> CsvMapping:
    """The given mapping if it fits ``header``, else the first built-in one that does."""
    candidates = [mapping] if mapping else builtin_mappings()
    for cand in candidates:
        if not cand.missing_columns(header):
            return cand
    detail = "; ".join(f"{c.name} lacks {c.missing_columns(header)}" for c in candidates)
    raise MappingError(
        f"{where}: CSV columns fit no mapping ({detail}). "
        "Declare one with --csv-mapping FILE (see data/csv_mappings/)."
    )


def _list(value: str, mapping: CsvMapping) -> list[str]:
    value = (value or "").strip()
    if not value:
        return []
    if mapping.list_format == "json":
        try:
            items = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise RecordError(f"invalid list value: {value[:40]!r}") from None
        if not isinstance(items, list):
            raise RecordError(f"invalid list value: {value[:40]!r}")
        return [str(i) for i in items if isinstance(i, str | int)]
    return [v for v in value.replace(",", " ").split() if v]


def _row(row: dict[str, str], mapping: CsvMapping) -> Parsed:
    def get(name: str) -> str | None:
        col = mapping.columns.get(name)
        val = row.get(col) if col else None
        return val if val not in (None, "") else None

    text = get("text")
    if text is None:
        raise RecordError("missing required field: text")
    if mapping.unescape_newlines:
        text = text.replace("\\n", "\n")
    created = parse_time(get("created_at"))
    fields: dict[str, Any] = {
        "retweeted_post_id": optional_id(get("retweeted_post_id")),
        "retweeted_author_id": optional_id(get("retweeted_author_id")),
        "quoted_post_id": optional_id(get("quoted_post_id")),
        "quoted_author_id": optional_id(get("quoted_author_id")),
    }
    shared = RT_PREFIX.match(text) if mapping.retweet_prefix else None
    if shared and not fields["retweeted_author_id"]:
        fields["retweeted_author_id"] = shared.group(1)
    if fields["retweeted_post_id"] or shared:
        kind = "retweet"
    elif fields["quoted_post_id"]:
        kind = "quote"
    else:
        kind = "original"
    hashtags = (
        _list(get("hashtags") or "", mapping)
        if "hashtags" in mapping.columns
        else hashtags_in(text)
    )
    post = post_row(
        post_id=require_id(get("post_id"), "post_id"),
        created_at=created,
        author_id=require_id(get("author_id"), "author_id"),
        type=kind,
        in_reply_to_post_id=optional_id(get("in_reply_to_post_id")),
        text=text,
        full_text=text,
        hashtags=lower_tags(hashtags),
        mentions=[m.lstrip("@") for m in _list(get("mentions") or "", mapping)],
        urls=_list(get("urls") or "", mapping),
        retweet_count=optional_count(get("retweet_count"), "retweet_count"),
        lang=get("lang"),
        **fields,
    )
    users = []
    if mapping.user_columns:
        u = {k: row.get(v) or None for k, v in mapping.user_columns.items()}
        uid = optional_id(u.get("user_id")) or post["author_id"]
        users.append(
            user_row(
                user_id=uid,
                screen_name=u.get("screen_name"),
                name=u.get("name"),
                bio=u.get("bio"),
                followers=u.get("followers"),
                friends=u.get("friends"),
                statuses=u.get("statuses"),
                account_created_at=u.get("account_created_at"),
                observed_at=created,
            )
        )
    return Parsed(post, users)


def iter_csv(
    stream: io.TextIOBase, mapping: CsvMapping | None, where: str, tab: bool = False
) -> Iterator[tuple[int, str, Parsed | RecordError]]:
    """Yield ``(line, format, result)`` for each data row of a CSV/TSV stream."""
    first = stream.readline()
    stream.seek(0)
    default = "\t" if tab else ","
    header = next(csv.reader([first], delimiter=default), [])
    if not header:
        return
    chosen = choose_mapping(header, mapping, where)
    reader = csv.DictReader(stream, delimiter=chosen.delimiter or default)
    for row in reader:
        line = reader.line_num
        if None in row:  # more cells than header columns
            yield line, chosen.format_name, RecordError("row has more cells than the header")
            continue
        if all(v in (None, "") for v in row.values()):
            continue
        if None in row.values():  # fewer cells: a row cut short (a truncated file's last)
            yield (
                line,
                chosen.format_name,
                RecordError("row has fewer cells than the header (cut short?)"),
            )
            continue
        try:
            yield line, chosen.format_name, _row(row, chosen)
        except RecordError as err:
            yield line, chosen.format_name, err
