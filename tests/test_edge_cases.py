"""Hand-written edge cases of the Twitter formats, and bad input."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import BREXIT_CSV, BREXIT_PAGES, TWEET_PARSER_AS, status, user

from datasaveslives.core.window import Window
from datasaveslives.ingest.ingestion import IngestError, files_table, ingest
from datasaveslives.ingest.readers.csv_export import load_mapping
from datasaveslives.ingest.tables import load

TAG = "#datasaveslives"
ALICE = user("1", "alice", 100)
BOB = user("2", "bob", 200)
CAROL = user("3", "carol", 300)


def run(tmp_path, files, **kw):
    report = ingest(files, tmp_path / "out", **kw)
    assert report.balances(), report.to_dict()
    return report, load(tmp_path / "out", columns=None)  # every column of the table


def test_retweet_of_a_quote_matches_on_the_quoted_text(tmp_path, jsonl):
    original = status("10", "Data saves lives #DataSavesLives", author=ALICE)
    quote = status("11", "Look at this", author=BOB, quoted_status=original, is_quote_status=True)
    retweet = status(
        "12", "RT @bob: Look at this", author=CAROL, retweeted_status=quote, quoted_status=original
    )
    report, t = run(tmp_path, [jsonl([retweet])], hashtag=TAG)
    assert report.kept == 1
    row = t.posts.iloc[0]
    assert row["type"] == "retweet"
    assert row["retweeted_post_id"] == "11" and row["retweeted_author_id"] == "2"
    assert row["text"] == "Look at this"
    assert "#DataSavesLives" in row["full_text"]
    assert t.edges.iloc[0][["retweeter_id", "author_id"]].tolist() == ["3", "2"]
    assert set(t.users["user_id"]) == {"1", "2", "3"}


def test_quote_of_a_retweet_is_a_quote_of_the_original(tmp_path, jsonl):
    original = status("20", "Health data #datasaveslives", author=ALICE)
    # v1.1 resolves a quoted retweet to the original post.
    quote = status("21", "So true", author=BOB, quoted_status=original, is_quote_status=True)
    _, t = run(tmp_path, [jsonl([quote])], hashtag=TAG)
    row = t.posts.iloc[0]
    assert row["type"] == "quote"
    assert row["quoted_post_id"] == "20" and row["quoted_author_id"] == "1"
    assert row["text"] == "So true"
    assert t.edges.empty


def test_hashtag_only_in_quoted_text_counts(tmp_path, jsonl):
    original = status("30", "We love #DATASAVESLIVES", author=ALICE)
    quote = status("31", "Agreed!", author=BOB, quoted_status=original, is_quote_status=True)
    plain = status("32", "Nothing here", author=BOB)
    report, t = run(tmp_path, [jsonl([quote, plain])], hashtag=TAG)
    assert t.posts["post_id"].tolist() == ["31"]
    assert report.filtered_reasons == {"hashtag not in the post's body": 1}


def test_quote_flag_without_the_quoted_object(tmp_path, jsonl):
    quote = status("33", "Quoting #datasaveslives", is_quote_status=True, quoted_status_id_str="9")
    _, t = run(tmp_path, [jsonl([quote])], hashtag=TAG)
    assert t.posts.iloc[0]["type"] == "quote"
    assert t.posts.iloc[0]["quoted_post_id"] == "9"


def test_truncated_retweet_text_uses_the_full_original(tmp_path, jsonl):
    long_text = "A long post about health records " + "x" * 100 + " #datasaveslives"
    original = status(
        "40",
        long_text[:139] + "…",
        author=ALICE,
        truncated=True,
        extended_tweet={
            "full_text": long_text,
            "entities": {"hashtags": [{"text": "datasaveslives"}]},
        },
    )
    retweet = status(
        "41", ("RT @alice: " + long_text)[:139] + "…", author=BOB, retweeted_status=original
    )
    _, t = run(tmp_path, [jsonl([retweet])], hashtag=TAG)
    row = t.posts.iloc[0]
    assert row["text"] == long_text
    assert list(row["hashtags"]) == ["datasaveslives"]


def test_duplicate_ids_are_counted_once(tmp_path, jsonl):
    post = status("50", "Once #datasaveslives")
    first = jsonl([post, post], "a.jsonl")
    second = jsonl([post], "b.jsonl")
    report, t = run(tmp_path, [first, second], hashtag=TAG)
    assert (report.read, report.kept, report.duplicates) == (3, 1, 2)
    assert len(t.posts) == 1 and t.posts.iloc[0]["source_file"].endswith("a.jsonl")


def test_out_of_window_retweet_of_in_window_original(tmp_path, jsonl):
    original = status("60", "In window #datasaveslives", when="Wed Aug 30 10:00:00 +0000 2017")
    late_rt = status(
        "61",
        "RT @alice: In window #datasaveslives",
        author=BOB,
        when="Fri Sep 01 00:00:00 +0000 2017",
        retweeted_status=original,
    )
    window = Window.from_strings("2016-09-01", "2017-08-31")
    report, t = run(tmp_path, [jsonl([original, late_rt])], hashtag=TAG, window=window)
    assert t.posts["post_id"].tolist() == ["60"]
    assert report.filtered_reasons == {"outside the date window": 1}
    assert t.edges.empty


def test_window_includes_both_end_days_and_honours_time_zone(tmp_path, jsonl):
    posts = [
        status("70", "#datasaveslives", when="Thu Sep 01 00:00:00 +0000 2016"),
        status("71", "#datasaveslives", when="Thu Aug 31 23:59:59 +0000 2017"),
        status("72", "#datasaveslives", when="Wed Aug 31 23:59:59 +0000 2016"),
        status("73", "#datasaveslives", when="Fri Sep 01 00:00:00 +0000 2017"),
    ]
    path = jsonl(posts)
    _, t = run(tmp_path, [path], window=Window.from_strings("2016-09-01", "2017-08-31"))
    assert sorted(t.posts["post_id"]) == ["70", "71"]
    # In London (BST, UTC+1) the window starts an hour earlier, at 23:00 UTC.
    report = ingest(
        [path],
        tmp_path / "bst",
        window=Window.from_strings("2016-09-01", "2017-08-31", "Europe/London"),
    )
    assert report.kept == 2 and report.balances()
    kept = load(tmp_path / "bst", columns=None).posts["post_id"].tolist()
    assert sorted(kept) == ["70", "72"]


def test_hashtag_matching_is_case_insensitive_and_whole_tag(tmp_path, jsonl):
    posts = [
        status("80", "Yes #DataSavesLives!"),
        status("81", "No #datasaveslivesX"),
        status("82", "No datasaveslives without hash"),
        status("83", "Full width ＃datasaveslives"),
    ]
    _, t = run(tmp_path, [jsonl(posts)], hashtag="DataSavesLives")
    assert sorted(t.posts["post_id"]) == ["80", "83"]


def test_no_hashtag_and_no_window_keep_everything(tmp_path, jsonl):
    posts = [
        status("90", "anything"),
        status("91", "at all", when="Sat Jan 01 00:00:00 +0000 2022"),
    ]
    report, _ = run(tmp_path, [jsonl(posts)])
    assert report.kept == 2 and report.filtered == 0


def test_non_utf8_bytes_are_repaired_not_dropped(tmp_path):
    good = json.dumps(status("100", "caf\u00e9 #datasaveslives")).encode()
    bad = good.replace(b"caf\\u00e9", b"caf\xe9")  # a Latin-1 byte inside UTF-8 JSON
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(bad + b"\n")
    report, t = run(tmp_path, [path], hashtag=TAG)
    assert report.kept == 1 and report.encoding_repaired == 1
    assert t.posts.iloc[0]["text"] == "caf\ufffd #datasaveslives"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    report, t = run(tmp_path, [path])
    assert report.read == 0 and t.posts.empty
    assert report.files[0].status == "empty"


def test_truncated_last_line_is_quarantined_with_its_line(tmp_path):
    lines = [json.dumps(status(str(110 + i), "#datasaveslives")) for i in range(3)]
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join(lines[:2] + [lines[2][:57]]), encoding="utf-8")
    report, t = run(tmp_path, [path])
    assert (report.read, report.kept, report.quarantined) == (3, 2, 1)
    entry = json.loads((tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()[0])
    assert entry["source_line"] == 3 and entry["reason"].startswith("malformed JSON")


def test_gzip_json_array_and_bom(tmp_path):
    records = [status("120", "#datasaveslives"), status("121", "#datasaveslives")]
    gz = tmp_path / "a.json.gz"
    gz.write_bytes(gzip.compress(b"\xef\xbb\xbf" + json.dumps(records).encode()))
    report, t = run(tmp_path, [gz])
    assert report.kept == 2 and report.files[0].formats == {"twitter_v1": 2}


def test_gzip_truncated_mid_stream(tmp_path):
    lines = "".join(json.dumps(status(str(130 + i), "#datasaveslives")) + "\n" for i in range(200))
    blob = gzip.compress(lines.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(blob[: len(blob) // 2])
    report, _ = run(tmp_path, [path])
    assert 0 < report.kept < 200
    assert report.quarantined == 1
    assert "truncated or corrupt" in next(iter(report.quarantined_reasons))


def test_missing_fields_and_impossible_values_are_quarantined(tmp_path, jsonl):
    no_id = status("140", "x")
    del no_id["id_str"], no_id["id"]
    no_user = status("141", "x")
    del no_user["user"]
    year_zero = status("142", "x", when="0000-01-01T00:00:00.000Z")
    future = status("143", "x", when="Sat Jan 01 00:00:00 +0000 2999")
    negative = status("144", "x", retweet_count=-3)
    confused = status("145", "x", user="alice")
    report, t = run(
        tmp_path, [jsonl([no_id, no_user, year_zero, future, negative, confused, [1, 2], "str"])]
    )
    assert report.read == 8 and report.kept == 0 and report.quarantined == 8
    reasons = [
        json.loads(x)["reason"]
        for x in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()
    ]
    assert reasons[0] == "missing required field: id"
    assert reasons[1] == "missing required field: user"
    assert reasons[2].startswith("invalid created_at") or reasons[2].startswith(
        "impossible created_at"
    )
    assert reasons[3].startswith("impossible created_at")
    assert reasons[4] == "impossible retweet_count: -3"
    assert reasons[5] == "missing required field: user"
    assert reasons[6].startswith("record is a JSON list")


def test_stream_notices_are_filtered_as_non_posts(tmp_path, jsonl):
    records = [
        status("150", "#datasaveslives"),
        {"delete": {"status": {"id_str": "1", "user_id_str": "2"}}},
        {"info": {"message": "Replay Request Completed", "activity_count": 1}},
    ]
    report, _ = run(tmp_path, [jsonl(records)])
    assert report.kept == 1 and report.filtered == 2
    assert set(report.filtered_reasons) == {
        "not a post: 'delete' message",
        "not a post: 'info' message",
    }


def test_unknown_record_among_known_ones_is_quarantined(tmp_path, jsonl):
    report, _ = run(tmp_path, [jsonl([status("160", "#x"), {"foo": 1, "bar": 2}])])
    assert report.kept == 1 and report.quarantined == 1
    assert "unrecognised record format" in next(iter(report.quarantined_reasons))


def test_file_of_unknown_format_is_a_clear_error(tmp_path, jsonl):
    with pytest.raises(IngestError, match=r"other\.jsonl: unknown format"):
        ingest([jsonl([{"foo": 1}], "other.jsonl")], tmp_path / "out")
    png = tmp_path / "picture.json"
    png.write_bytes(b"\x89PNG\r\n\x1a\n....")
    with pytest.raises(IngestError, match=r"picture\.json: unknown format"):
        ingest([png], tmp_path / "out")


def test_missing_and_unreadable_files_are_clear_errors(tmp_path):
    with pytest.raises(IngestError, match="nope.jsonl: no such file or folder"):
        ingest([tmp_path / "nope.jsonl"], tmp_path / "out")
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b" + b"\x00" * 30)  # gzip magic, corrupt header
    with pytest.raises(IngestError, match=r"broken\.jsonl\.gz: cannot read file"):
        ingest([broken], tmp_path / "out")


def test_folders_are_searched_and_other_files_listed(tmp_path, jsonl):
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.jsonl").write_text(json.dumps(status("170", "#datasaveslives")) + "\n")
    (folder / "notes.md").write_text("not data")
    (folder / ".hidden.jsonl").write_text("garbage")
    report, _ = run(tmp_path, [folder])
    assert report.kept == 1
    assert [p.endswith("notes.md") for p in report.skipped_files] == [True]


def test_csv_that_fits_no_mapping_is_a_clear_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("tweet,when\nhello,2017-01-01\n")
    with pytest.raises(IngestError, match="export.csv: CSV columns fit no mapping"):
        ingest([path], tmp_path / "out")


def test_csv_rows_with_problems_are_quarantined_with_line(tmp_path):
    header = "id,created_at,author_id,text\n"
    rows = (
        "1,2017-01-01T10:00:00.000Z,9,ok #datasaveslives\n"
        "2,,9,no date\n"
        "3,2017-01-01T10:00:00.000Z,9\n"
    )
    path = tmp_path / "export.csv"
    path.write_text(header + rows)
    report, t = run(tmp_path, [path])
    assert (report.read, report.kept, report.quarantined) == (3, 1, 2)
    lines = [
        json.loads(x)["source_line"]
        for x in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()
    ]
    assert lines == [3, 4]


def test_a_messy_archive_folder_gets_a_clear_outcome_per_file(tmp_path):
    """Mixed formats, an empty file, a cut gzip and the same post in two files: each
    file's line in the report says what became of its records."""
    folder = tmp_path / "archive"
    folder.mkdir()
    one = json.dumps(status("180", "#datasaveslives")) + "\n"
    (folder / "a_v1.jsonl").write_text(one)
    (folder / "b_again.jsonl").write_text(one)  # the same post in a second file
    (folder / "c_empty.jsonl").write_text("")
    blob = gzip.compress((one.replace("180", "181") * 50).encode())
    (folder / "d_cut.jsonl.gz").write_bytes(blob[: len(blob) // 2])
    shutil.copy(TWEET_PARSER_AS, folder / "e_gnip.json")
    shutil.copy(BREXIT_PAGES, folder / "f_v2.jsonl")
    shutil.copy(BREXIT_CSV, folder / "g_twarc.csv")
    report, _ = run(tmp_path, [folder])
    assert report.balances()
    files = {Path(f.path).name: f for f in report.files}
    assert files["a_v1.jsonl"].kept == 1 and files["a_v1.jsonl"].status == "ok"
    assert files["b_again.jsonl"].duplicates == 1
    assert files["c_empty.jsonl"].status == "empty"
    assert files["d_cut.jsonl.gz"].status == "partly quarantined"
    assert set(files["e_gnip.json"].formats) == {"gnip"}
    assert set(files["f_v2.jsonl"].formats) == {"twitter_v2"}
    assert set(files["g_twarc.csv"].formats) == {"csv:twarc-csv"}
    saved = json.loads((tmp_path / "out" / "ingest_report.json").read_text())
    table = files_table(saved).assign(name=lambda t: t["file"].map(lambda f: Path(f).name))
    assert table.set_index("name")["status"].to_dict() == {n: f.status for n, f in files.items()}


def test_a_csv_with_a_renamed_column_names_the_file_and_the_column(tmp_path):
    header, rest = BREXIT_CSV.read_text().split("\n", 1)
    path = tmp_path / "renamed.csv"
    path.write_text(header.replace("created_at", "date_created", 1) + "\n" + rest)
    mapping = load_mapping(Path(__file__).parents[1] / "data" / "csv_mappings" / "twarc-csv.yml")
    with pytest.raises(IngestError, match=r"renamed\.csv.*created_at"):
        ingest([path], tmp_path / "out", csv_mapping=mapping)
