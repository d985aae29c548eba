"""Bad input quarantines the smallest bad unit, never a page or a file, and never
crashes; an ingestion's or a cache's output is whole or not used."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from conftest import BREXIT_CSV, BREXIT_PAGES, status, user

from datasaveslives import cli
from datasaveslives.core.params import Params
from datasaveslives.ingest import cache, ingestion, parallel
from datasaveslives.report import runs


def _page() -> dict:
    return json.loads(BREXIT_PAGES.read_text(encoding="utf-8").splitlines()[0])


def _quarantine(out) -> list[dict]:
    text = (out / ingestion.QUARANTINE_FILE).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("bad", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_bad_date_quarantines_its_tweet_not_the_page(tmp_path, bad):
    page = _page()
    page["data"][3]["created_at"] = bad
    (tmp_path / "page.jsonl").write_text(json.dumps(page) + "\n")
    report = ingestion.ingest([tmp_path / "page.jsonl"], tmp_path / "out")
    assert (report.read, report.kept, report.quarantined) == (100, 99, 1)
    [row] = _quarantine(tmp_path / "out")
    assert row["source_line"] == 1 and "created_at" in row["reason"]


def test_a_bad_optional_profile_date_empties_that_field_and_keeps_the_post(tmp_path):
    page = _page()
    author = page["data"][0]["author_id"]
    profile = next(u for u in page["includes"]["users"] if u["id"] == author)
    profile["created_at"] = "0001-01-01T00:00:00+01:00"
    profile["public_metrics"]["followers_count"] = 2**64  # beyond any count column
    (tmp_path / "page.jsonl").write_text(json.dumps(page) + "\n")
    report = ingestion.ingest([tmp_path / "page.jsonl"], tmp_path / "out")
    assert (report.kept, report.quarantined) == (100, 0)
    # Counted per profile read with a kept post: as author, or author of what it shares.
    includes = {t["id"]: t["author_id"] for t in page["includes"].get("tweets", [])}
    seen = sum(
        t["author_id"] == author
        or any(includes.get(r["id"]) == author for r in t.get("referenced_tweets", []))
        for t in page["data"]
    )
    assert seen >= 1 and report.emptied_fields == {"account_created_at": seen, "followers": seen}
    users = pd.read_parquet(tmp_path / "out" / ingestion.USERS_FILE).set_index("user_id")
    assert pd.isna(users.loc[author, "account_created_at"])
    assert pd.isna(users.loc[author, "followers"])
    assert "_emptied" not in users.columns


def _csv_rows() -> tuple[list[str], list[list[str]]]:
    with BREXIT_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write_csv(path, header, rows) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("rounded", ["1.44072E+18", "1.44072e18", "1440713966649417731.0"])
def test_ids_a_spreadsheet_rounded_are_quarantined_never_deduplicated(tmp_path, rounded):
    header, rows = _csv_rows()
    at = header.index("id")
    for row in rows[:50]:
        row[at] = rounded
    _write_csv(tmp_path / "rounded.csv", header, rows)
    report = ingestion.ingest([tmp_path / "rounded.csv"], tmp_path / "out")
    assert (report.duplicates, report.quarantined, report.kept) == (0, 50, len(rows) - 50)
    assert all("not an exact integer" in r["reason"] for r in _quarantine(tmp_path / "out"))


def test_a_float_id_in_json_is_quarantined(tmp_path, jsonl):
    record = status("1440713966649417731", "x")
    record["id_str"] = 1.440713966649417e18
    report = ingestion.ingest([jsonl([record, status("2", "y")])], tmp_path / "out")
    assert (report.kept, report.quarantined) == (1, 1)
    assert "not an exact integer" in _quarantine(tmp_path / "out")[0]["reason"]


def test_counts_beyond_a_64_bit_integer_are_quarantined_not_a_crash(tmp_path, jsonl, capsys):
    huge = status("1", "x", retweet_count=2**63)
    fine = status("2", "y", author=user("9", "bob", followers=2**70))
    out = tmp_path / "out"
    assert cli.main(["ingest", str(jsonl([huge, fine])), "--out", str(out)]) == 0
    report = ingestion.load_report(out)
    assert (report["kept"], report["quarantined"]) == (1, 1)
    assert "impossible retweet_count" in _quarantine(out)[0]["reason"]
    assert report["emptied_fields"] == {"followers": 1}
    assert "emptied" in capsys.readouterr().out


def test_a_csv_cut_mid_row_quarantines_its_last_row(tmp_path):
    text = BREXIT_CSV.read_text(encoding="utf-8")
    cut = text[: text.rindex("\n", 0, len(text) - 1) + 200]  # 200 characters into the last row
    (tmp_path / "cut.csv").write_text(cut, encoding="utf-8")
    report = ingestion.ingest([tmp_path / "cut.csv"], tmp_path / "out")
    rows = len(_csv_rows()[1])
    assert (report.kept, report.quarantined) == (rows - 1, 1)
    assert "fewer cells than the header" in _quarantine(tmp_path / "out")[0]["reason"]


def test_ingest_out_is_replaced_whole_or_not_at_all(tmp_path, jsonl, capsys):
    out = tmp_path / "out"
    good = jsonl([status("1", "x"), status("2", "y")], name="good.jsonl")
    assert cli.main(["ingest", str(good), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\xff\xfe\x00garbage")  # a file in no known format stops the run
    assert cli.main(["ingest", str(broken), "--out", str(out)]) != 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # all of the old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv", "good.jsonl", "out"]
    (tmp_path / "notes.txt").write_text("mine")
    assert cli.main(["ingest", str(good), "--out", str(tmp_path / "notes.txt")]) == 2
    assert "is an existing file" in capsys.readouterr().err
    assert cli.main(["ingest", str(good), "--out", str(tmp_path)]) == 2
    assert "holds other files" in capsys.readouterr().err


def test_a_damaged_cache_entry_is_ingested_again_with_a_warning(tmp_path, jsonl):
    data = jsonl([status(str(i), f"post {i} #datasaveslives") for i in range(1, 201)])
    params = Params(data=(str(data),))
    store, said = tmp_path / "store", []
    first = runs.RunLayout(tmp_path / "a")
    assert parallel.cached_ingest(params, first.tables, store, 1, said.append)[1] is False
    [entry] = [p for p in store.iterdir() if not p.name.startswith(".")]
    posts = pd.read_parquet(entry / ingestion.POSTS_FILE)
    posts.head(120).to_parquet(entry / ingestion.POSTS_FILE)  # rewritten with 120 of 200 rows
    second = runs.RunLayout(tmp_path / "b")
    report, hit = parallel.cached_ingest(params, second.tables, store, 1, said.append)
    assert hit is False and report["kept"] == 200
    assert len(pd.read_parquet(second.tables / ingestion.POSTS_FILE)) == 200
    assert len(said) == 1 and str(entry) in said[0] and "posts.parquet changed" in said[0]
    (entry / ingestion.USERS_FILE).write_bytes(b"PAR1 truncated")  # a damaged file
    assert parallel.cached_ingest(params, second.tables, store, 1, said.append)[1] is False
    assert "users.parquet changed" in said[-1]
    assert (
        parallel.cached_ingest(params, second.tables, store, 1, said.append)[1] is True
    )  # repaired
    assert cache.damage(entry) is None
