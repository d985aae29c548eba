"""The command line: the stable output names, and clear errors instead of tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import TWEET_PARSER_AS, status

from datasaveslives.cli import main

REPORT_KEYS = {"read", "kept", "filtered", "duplicates", "quarantined"}


def test_ingest_writes_the_stable_interface(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", str(TWEET_PARSER_AS), "--out", str(out)]) == 0
    for name in ("posts.parquet", "users.parquet", "retweet_edges.parquet", "ingest_report.json"):
        assert (out / name).is_file(), name
    report = json.loads((out / "ingest_report.json").read_text())
    assert set(report) >= REPORT_KEYS
    assert all(isinstance(report[k], int) for k in REPORT_KEYS)
    assert report["read"] == 25 and report["balanced"] is True
    assert "read 25: kept 25" in capsys.readouterr().out
    table = pd.read_csv(out / "ingest_report.csv")
    assert table.loc[table["outcome"] == "kept", "records"].item() == 25


def test_ingest_with_hashtag_and_window(tmp_path, jsonl):
    path = jsonl(
        [
            status("1", "#DataSavesLives", when="Thu Sep 01 00:00:00 +0000 2016"),
            status("2", "#datasaveslives", when="Thu Aug 31 12:00:00 +0000 2017"),
            status("3", "no tag", when="Thu Sep 01 00:00:00 +0000 2016"),
            status("4", "#datasaveslives", when="Fri Sep 01 00:00:00 +0000 2017"),
        ]
    )
    out = tmp_path / "out"
    args = ["ingest", str(path), "--out", str(out), "--hashtag", "#datasaveslives"]
    assert main([*args, "--start", "2016-09-01", "--end", "2017-08-31"]) == 0
    report = json.loads((out / "ingest_report.json").read_text())
    assert (report["read"], report["kept"], report["filtered"]) == (4, 2, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "missing.jsonl", "--out", "o"], "missing.jsonl: no such file or folder"),
        (["ingest", str(TWEET_PARSER_AS), "--out", "o", "--start", "2017-13-01"], "is not a date"),
        (
            [
                "ingest",
                str(TWEET_PARSER_AS),
                "--out",
                "o",
                "--start",
                "2017-02-01",
                "--end",
                "2017-01-01",
            ],
            "is before its start",
        ),
        (
            ["ingest", str(TWEET_PARSER_AS), "--out", "o", "--tz", "Mars/Olympus"],
            "unknown time zone",
        ),
        (["ingest", str(TWEET_PARSER_AS), "--out", "o", "--hashtag", "#a b"], "must be letters"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "datasaveslives", *args], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_format_names_the_file(tmp_path):
    bad = tmp_path / "mystery.json"
    bad.write_text('{"something": "else"}\n')
    proc = subprocess.run(
        [sys.executable, "-m", "datasaveslives", "ingest", str(bad), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "mystery.json: unknown format" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_build_options_reach_the_pipeline(tmp_path, monkeypatch):
    from datasaveslives.report import pipeline

    seen = {}
    monkeypatch.setattr(pipeline, "build", lambda params, **kw: seen.update(kw, params=params))
    out = tmp_path / "first-half"
    code = main(
        ["build", "--start", "2017-01-01", "--end", "2017-06-30", "--out", str(out), "--pdf"]
    )
    assert code == 0
    assert seen["workdir"] == out and seen["pdf"] is True and seen["strict"] is True
    assert seen["cache"] is True and seen["scheduler"] is None
    assert (seen["params"].start, seen["params"].end) == ("2017-01-01", "2017-06-30")
    main(["build", "--no-cache", "--scheduler", "tcp://10.0.0.1:8786"])
    assert seen["cache"] is False and seen["scheduler"] == "tcp://10.0.0.1:8786"


def test_build_options_for_a_new_archive(tmp_path, monkeypatch):
    from conftest import BREXIT_PAGES

    from datasaveslives.report import pipeline

    seen = {}
    monkeypatch.setattr(pipeline, "build", lambda params, **kw: seen.update(params=params))
    args = ["build", "--data", str(BREXIT_PAGES), "--no-hashtag", "--tz", "Europe/London"]
    assert main([*args, "--label", "a #brexit sample"]) == 0
    params = seen["params"]
    assert params.hashtag == "" and params.timezone == "Europe/London"
    assert params.study is None and params.supporters is None
    assert params.data_label == "a #brexit sample"
    assert main(["build", "--supporters", "none"]) == 0
    assert seen["params"].supporters is None and seen["params"].study  # the study stays
    assert main(["build", "--study", "none"]) == 0
    assert seen["params"].study is None and seen["params"].codebook is None


def test_init_writes_a_params_file_from_the_archive(tmp_path, capsys):
    from conftest import BREXIT_PAGES, MASTODON

    from datasaveslives.core.params import Params

    out = tmp_path / "params-brexit.yml"
    assert main(["init", str(BREXIT_PAGES), str(MASTODON), "--out", str(out)]) == 0
    assert "from Twitter and Mastodon" in capsys.readouterr().out
    params = Params.load(out)
    params.validate()
    assert params.study is None and params.supporters is None and params.codebook is None
    assert params.hashtag == "#brexit"  # the commonest hashtag of the two files
    assert (params.start, params.end) == ("2017-04-08", "2021-09-22")
    text = out.read_text()
    assert "#brexit: " in text and "#mastodon: " in text  # the alternatives are listed
    assert main(["init", str(BREXIT_PAGES), "--out", str(out)]) == 2  # never overwritten silently
