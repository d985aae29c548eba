"""The accounting identity, read = kept + filtered + duplicates + quarantined,
on every test input: each real fixture, with and without filters, and all together."""

from __future__ import annotations

import json

import pytest
from conftest import DERIVED, REAL

from datasaveslives.core.window import Window
from datasaveslives.ingest.ingestion import IngestError, ingest

SUPPORTED = sorted(
    list(REAL.rglob("*.json*")) + list(DERIVED.glob("*.jsonl")) + list(DERIVED.glob("*.csv"))
)


def check(report, out) -> None:
    assert report.balances()
    saved = json.loads((out / "ingest_report.json").read_text())
    assert saved["balanced"] is True
    assert saved["read"] == sum(saved[k] for k in ("kept", "filtered", "duplicates", "quarantined"))
    for f in saved["files"]:
        assert f["read"] == f["kept"] + f["filtered"] + f["duplicates"] + f["quarantined"]
    quarantine = (out / "quarantine.jsonl").read_text().splitlines()
    assert len(quarantine) == saved["quarantined"]


@pytest.mark.parametrize("path", SUPPORTED, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "filters",
    [{}, {"hashtag": "#brexit", "window": Window.from_strings("2017-05-24", "2021-09-22")}],
    ids=["all", "filtered"],
)
def test_identity_on_each_fixture(tmp_path, path, filters):
    report = ingest([path], tmp_path, **filters)
    assert report.read > 0
    check(report, tmp_path)


def test_identity_on_all_fixtures_together(tmp_path):
    # The flattened and CSV copies repeat the pages' posts: they become duplicates.
    report = ingest(SUPPORTED, tmp_path)
    check(report, tmp_path)
    assert report.duplicates >= 200


def test_a_file_in_no_known_format_is_a_clear_error(tmp_path, jsonl):
    path = jsonl([{"kind": "something else", "n": 1}], "other.jsonl")
    with pytest.raises(IngestError, match="other.jsonl: unknown format"):
        ingest([path], tmp_path / "out")
