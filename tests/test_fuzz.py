"""Fuzzing the readers: mutated, truncated and type-confused records of every format,
random bytes, huge fields, deep nesting, impossible dates, BOMs and mixed encodings.

Whatever the input, ingestion either accounts for every record (kept, filtered, a
duplicate or quarantined with a reason: read = kept + filtered + duplicates +
quarantined) or stops with an IngestError naming the file; it never crashes or
hangs. Cases found by fuzzing are kept in tests/fixtures/fuzz/ and replayed below.

``make test`` runs a fixed budget (``EXAMPLES`` a reader); ``make fuzz`` runs them at
scale (``FUZZ_EXAMPLES``: at least 10,000 mutated records a reader, checked).
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    BLUESKY,
    BREXIT_CSV,
    BREXIT_FLAT,
    BREXIT_PAGES,
    MASTODON,
    TWEET_PARSER_AS,
    TWEET_PARSER_V1,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasaveslives.core.window import Window
from datasaveslives.ingest import ingestion
from datasaveslives.ingest.readers.csv_export import load_mapping

FUZZ = Path(__file__).parent / "fixtures" / "fuzz"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))  # per reader: the suite's fixed budget
AT_SCALE = "FUZZ_EXAMPLES" in os.environ  # make fuzz: each reader must read RECORDS_AT_SCALE
RECORDS_AT_SCALE = 10_000
READ = Counter[str]()  # records read, by reader
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _records(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _first_tweets(page: dict[str, Any], n: int) -> dict[str, Any]:
    """A v2 page cut to its first ``n`` tweets, with the first ``n`` of each kind of
    include: every kind of structure to damage, a tenth of the text to read per example."""
    includes = {kind: items[:n] for kind, items in page["includes"].items()}
    return {**page, "data": page["data"][:n], "includes": includes}


SEEDS = {
    "twitter_v1": _records(TWEET_PARSER_V1),
    "gnip": _records(TWEET_PARSER_AS),
    "v2_page": [_first_tweets(_records(BREXIT_PAGES)[0], 10)],
    "v2_flat": _records(BREXIT_FLAT)[:5],
    # Bluesky: post views, feed items (reposts, replies), a quote; Mastodon statuses.
    "bluesky": [r for r in _records(BLUESKY) if "post" in r][:4] + _records(BLUESKY)[:6],
    "mastodon": _records(MASTODON)[:8],
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["0000-00-00T00:00:00Z", "Sat Jan 01 00:00:00 +0000 0000", "", "\ufeff"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:5]):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, fmt: str) -> Any:
    """A real record of ``fmt`` with a few keys removed or replaced by random JSON."""
    record = copy.deepcopy(draw(st.sampled_from(SEEDS[fmt])))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(record) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = record
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return record


def _line(record: Any) -> bytes:
    # The standard library writes what orjson refuses (integers beyond 64 bits, NaN):
    # the readers must cope with both.
    return json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"


@st.composite
def damaged_file(draw: st.DrawFn, fmt: str) -> bytes:
    """JSON lines: a valid record, then mutated, truncated, BOM'd or re-encoded ones."""
    lines = [_line(SEEDS[fmt][0])]
    for _ in range(draw(st.integers(1, 5))):
        line = _line(draw(mutated(fmt)))
        how = draw(st.sampled_from(["as is", "truncated", "bom", "latin-1", "garbage"]))
        if how == "truncated":
            line = line[: draw(st.integers(0, max(0, len(line) - 2)))] + b"\n"
        elif how == "bom":
            line = b"\xef\xbb\xbf" + line
        elif how == "latin-1":
            line = line.decode("utf-8").encode("latin-1", errors="replace")
        elif how == "garbage":
            line = draw(st.binary(max_size=60)).replace(b"\n", b" ") + b"\n"
        lines.append(line)
    return b"".join(lines)


def _ingest(content: bytes, name: str = "fuzz.jsonl", mapping: Any = None) -> int:
    """Ingest ``content``: the accounting must balance, or a clear IngestError; the
    records read."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            report = ingestion.ingest(
                [path],
                Path(tmp) / "out",
                hashtag="#datasaveslives",
                window=Window.from_strings("2010-01-01", "2030-12-31"),
                csv_mapping=mapping,
            )
        except ingestion.IngestError as err:
            assert name in str(err)
            return 0
        assert report.balances()
        n = report.read
        assert n == report.kept + report.filtered + report.duplicates + report.quarantined
        quarantine = (Path(tmp) / "out" / ingestion.QUARANTINE_FILE).read_text().splitlines()
        assert len(quarantine) == report.quarantined
        for entry in map(json.loads, quarantine):
            assert entry["reason"] and entry["source_line"] >= 1
        return report.read


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_mutated_records_of_every_format_are_accounted_for(fmt):
    @SETTINGS
    @given(damaged_file(fmt))
    def check(content):
        READ[fmt] += _ingest(content)

    check()
    if AT_SCALE:
        assert READ[fmt] >= RECORDS_AT_SCALE, f"{fmt}: {READ[fmt]} records (FUZZ_EXAMPLES higher)"


@SETTINGS
@given(st.binary(max_size=2000), st.booleans())
def test_random_bytes_never_crash(content, gzipped):
    _ingest(
        gzip.compress(content) if gzipped else content, "random.jsonl" + (".gz" if gzipped else "")
    )


@SETTINGS
@given(st.data())
def test_gzip_cut_anywhere_is_accounted_for(data):
    lines = b"".join(_line(r) for r in SEEDS["twitter_v1"])
    blob = gzip.compress(lines)
    cut = data.draw(st.integers(0, len(blob)))
    _ingest(blob[:cut], "cut.jsonl.gz")


CSV_MAPPING = load_mapping(Path(__file__).parents[1] / "data" / "csv_mappings" / "twarc-csv.yml")
CSV_LINES = BREXIT_CSV.read_bytes().splitlines(keepends=True)


def test_edited_csv_exports_are_accounted_for():
    @SETTINGS
    @given(st.data())
    def check(data):
        header, rows = CSV_LINES[0], CSV_LINES[1:]
        chosen = data.draw(st.lists(st.sampled_from(rows), min_size=1, max_size=5))
        edited = []
        for row in chosen:
            how = data.draw(st.sampled_from(["as is", "cut", "cells", "garbage"]))
            if how == "cut":
                row = row[: data.draw(st.integers(0, len(row)))] + b"\n"
            elif how == "cells":
                cells = row.split(b",")
                i = data.draw(st.integers(0, len(cells) - 1))
                cells[i] = data.draw(
                    st.sampled_from([b"", b"0000-00-00", b"NaN", b'"', b"x" * 5000, b"1.44E+18"])
                )
                row = b",".join(cells)
            elif how == "garbage":
                row = data.draw(st.binary(max_size=80)) + b"\n"
            edited.append(row)
        READ["csv"] += _ingest(header + b"".join(edited), "export.csv", CSV_MAPPING)

    check()
    if AT_SCALE:
        assert READ["csv"] >= RECORDS_AT_SCALE, f"csv: {READ['csv']} rows (FUZZ_EXAMPLES higher)"


def test_huge_fields_and_deep_nesting():
    record = copy.deepcopy(SEEDS["twitter_v1"][0])
    record["text"] = "#datasaveslives " + "x" * 2_000_000
    deep = b"[" * 100_000 + b"]" * 100_000
    nested = b'{"a":' * 5000 + b"1" + b"}" * 5000
    _ingest(_line(record) + deep + b"\n" + nested + b"\n")


@pytest.mark.parametrize(
    "case", sorted(p for p in FUZZ.iterdir() if p.name != "README.md"), ids=lambda p: p.name
)
def test_regression_cases_found_by_fuzzing(case):
    mapping = CSV_MAPPING if case.suffix == ".csv" else None
    _ingest(case.read_bytes(), case.name, mapping)


# (read, kept, quarantined) of each regression case, without hashtag or window filters.
OUTCOMES = {
    "bigint_nan_infinity.jsonl": (3, 1, 2),
    "bom_encoding_types.jsonl": (5, 2, 3),  # a BOM mid-file is stripped, not quarantined
    "cut_mid_stream.jsonl.gz": (14, 13, 1),
    "deep_nesting.jsonl": (3, 1, 2),
    "impossible_dates.jsonl": (7, 1, 6),
    # Found by hypothesis: U+0085 in a quarantined excerpt split quarantine.jsonl's lines.
    "unicode_line_separators.jsonl": (2, 1, 1),
}


@pytest.mark.parametrize(("name", "outcome"), sorted(OUTCOMES.items()))
def test_regression_cases_end_as_expected(tmp_path, name, outcome):
    report = ingestion.ingest([FUZZ / name], tmp_path)
    assert (report.read, report.kept, report.quarantined) == outcome
    assert report.filtered == report.duplicates == 0
