"""Parameters: loaded from one file, overridable, validated before anything runs."""

from __future__ import annotations

import pytest

from datasaveslives.core import paths
from datasaveslives.core.params import Params, ParamsError
from datasaveslives.ingest import parallel


def write(tmp_path, text):
    path = tmp_path / "params.yml"
    path.write_text(text)
    return path


def test_default_params_file_is_valid():
    params = Params.load(paths.PARAMS)
    params.validate()
    assert params.data
    assert params.official_supporters() == [
        "FarrInstitute",
        "CHCNorth",
        "HeRC_Farr",
        "FarrScotland",
        "FarrCIPHER",
        "FarrLondon",
    ]


def test_overrides_replace_single_values(tmp_path):
    path = write(tmp_path, "data: a.jsonl\nstart: 2016-09-01\nend: 2017-08-31\n")
    params = Params.load(path, start="2017-01-01", end=None)
    assert params.start == "2017-01-01" and params.end == "2017-08-31"
    assert params.data == ("a.jsonl",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("data: nowhere.jsonl\n", "does not exist"),
        ("data: params.yml\nstart: 2017-02-01\nend: 2017-01-01\n", "is before its start"),
        ("data: params.yml\nstart: yesterday\n", "is not a date"),
        ("data: params.yml\nsupporters: sup.yml\n", "must hold a list of screen names"),
        ("data: params.yml\nseed: abc\n", "seed is 'abc', expected a whole number$"),
        ("data: params.yml\nresolution: 0\n", "resolution is 0, expected a positive number"),
        (
            "data: params.yml\nstability_seeds: 0\n",
            "stability_seeds is 0, expected a whole number, at least 1",
        ),
        ("data: params.yml\nactivity_groups: [2, 10]\n", "activity_groups must be increasing"),
        ("data: params.yml\nallowlist: sup.yml\n", "allowlist: .* must hold a list"),
        ("data: params.yml\ncolour: blue\n", "unknown parameter"),
        ("data: params.yml\ncoding_files: [nope.xlsx]\n", "coding_files: .* does not exist"),
        ("data: params.yml\ncoding_files: params.yml\n", "is not a .xlsx, .csv or .qdpx file"),
        (
            "data: params.yml\nstratify: weekday\n",
            "stratify is 'weekday', expected month, type, group or null",
        ),
        (
            "data: params.yml\ncoding_batch: 0\n",
            "coding_batch is 0, expected a whole number, at least 1",
        ),
        ("data: params.yml\ncodebook: nowhere.yml\n", "codebook: .* does not exist"),
        (
            "data: params.yml\npath_sources: 0\n",
            "path_sources is 0, expected a whole number, at least 1",
        ),
        ("data: params.yml\nactivity_groups: 5\n", "activity_groups is 5, expected increasing"),
        ("data: params.yml\nhashtag: 123\n", "hashtag is 123, expected one hashtag"),
        ("data: params.yml\nhashtag: [a, b]\n", r"hashtag is \['a', 'b'\], expected one hashtag"),
        ("data: params.yml\ntimezone: 5\n", "timezone is 5, expected a time zone name"),
        ('data: params.yml\nsynthetic: "yes"\n', "synthetic is 'yes', expected true or false"),
        ("data: params.yml\nseed: true\n", "seed is True, expected a whole number"),
        ("- just\n- a list\n", "must be a mapping"),
        ("\x00\xff binary", "is not valid YAML|is not UTF-8 text"),
        ("data: [unclosed\n", "not valid YAML"),
    ],
)
def test_invalid_parameters_are_reported(tmp_path, text, message):
    (tmp_path / "sup.yml").write_text("accounts: 12\n")
    text = text.replace("params.yml", str(tmp_path / "params.yml")).replace(
        "sup.yml", str(tmp_path / "sup.yml")
    )
    with pytest.raises(ParamsError, match=message):
        Params.load(write(tmp_path, text)).validate()


def test_the_default_run_declares_the_datasaveslives_study_and_takes_its_files():
    params = Params.load(paths.PARAMS)
    study = params.study_file()
    assert study.name == "datasaveslives" and study.title.startswith("#datasaveslives")
    for key in ("supporters", "allowlist", "codebook", "events"):
        assert getattr(params, key) == getattr(study, key), key
    assert params.notebook_parameters()["paper"].endswith("published_figures.yml")


def test_other_data_declare_no_study_unless_told():
    from conftest import BREXIT_PAGES

    other = Params.load(paths.PARAMS, data=[str(BREXIT_PAGES)])
    assert other.study is None and not other.study_file().declared
    for key in ("supporters", "allowlist", "codebook", "events", "deletions", "quotable"):
        assert getattr(other, key) is None, key
    assert other.official_supporters() == [] and other.notebook_parameters()["paper"] is None
    assert not other.synthetic and other.data_label == ""
    assert other.hashtag is None and other.start is None and other.end is None  # every post
    # Named on the command line, the study comes back with its files.
    told = Params.load(paths.PARAMS, data=[str(BREXIT_PAGES)], study=str(paths.STUDY))
    assert told.study_file().name == "datasaveslives" and told.supporters


def test_none_switches_a_studys_file_off():
    params = Params.load(paths.PARAMS, supporters="none", study=None)
    assert params.supporters is None and params.official_supporters() == []
    assert params.codebook == "data/codebook.yml"  # the study's other files stay
    neutral = Params.load(paths.PARAMS, study="none")
    assert neutral.study is None and neutral.supporters is None and neutral.codebook is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ncolour: blue\n", "unknown key"),
        ("title: no name\n", "'name' must name the study"),
        ("name: x\nsupporters: nowhere.yml\n", "supporters .* does not exist"),
        ("name: x\nquestions: one\n", "'questions' must be a list"),
    ],
)
def test_a_bad_study_file_is_reported(tmp_path, text, message):
    study = tmp_path / "study.yml"
    study.write_text(text)
    path = write(tmp_path, f"data: params.yml\nstudy: {study}\n")
    with pytest.raises(ParamsError, match=message):
        Params.load(path)


@pytest.mark.parametrize(
    ("first", "last", "title_when", "intro_when"),
    [
        ("2017-03-01", "2017-03-01", ", 01 March 2017:", " on 01 March 2017 with"),
        ("2017-03-01", "2017-03-07", ", 01 March 2017 to 07 March 2017:",
         " from 01 March 2017 to 07 March 2017 with"),
        (None, None, " on Bluesky:", " on Bluesky with"),
    ],
)  # fmt: skip
def test_a_book_without_a_study_is_titled_and_opened_from_its_data(
    first, last, title_when, intro_when
):
    from datetime import date

    from datasaveslives.core import study

    days = [date.fromisoformat(d) if d else None for d in (first, last)]
    title = study.neutral_title("#brexit", "Bluesky", *days)
    assert title.startswith("#brexit on Bluesky") and title_when in title
    intro = study.neutral_description(None, "Bluesky", *days)
    assert intro.startswith("This book analyses every post of its archive on Bluesky")
    assert intro_when in intro
    assert "names no official supporters" in intro and "prepares the coding sample" in intro
    told = study.neutral_description("#brexit", "no platform", *days, supporters=True, coded=True)
    assert told.startswith("This book analyses the posts carrying #brexit")
    assert " on no platform" not in told and "official supporters" not in told
    assert "read from the coding files" in told and "prepares" not in told
    assert study.neutral_title(None, "no platform", None, None) == "Posts: a mixed-methods analysis"


def test_chapters_are_titled_by_the_runs_selection():
    from datasaveslives.core import study

    tagged, every = study.chapter_titles("#brexit"), study.chapter_titles("")
    assert tagged["users"] == "Who used the hashtag?" and every["users"] == "Who posted?"
    assert all("hashtag" in tagged[c] for c in ("frequency", "users", "themes"))
    assert not any("hashtag" in title for title in every.values())
    assert study.chapter_titles(None) == every and tagged.keys() == every.keys()
    # The paper's "tweet" only on a run whose posts all come from Twitter.
    assert tagged["themes"] == "What did people use the hashtag to tweet about?"
    for found in (["mastodon"], ["bluesky"], ["twitter", "mastodon"], []):
        said = study.chapter_titles("#tag", found)
        assert said["themes"] == "What did people use the hashtag to post about?", found
        assert not any("tweet" in title for title in said.values())


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\xff\xfe", b"data: a.jsonl\nactivity_groups: 5\n",
     b"data: a.jsonl\nhashtag: [a, b]\n", b"data: a.jsonl\ntimezone: 5\n"],
)  # fmt: skip
def test_a_bad_parameters_file_is_one_line_from_the_command_line(tmp_path, capsys, content):
    from datasaveslives import cli

    (tmp_path / "params.yml").write_bytes(content)
    assert cli.main(["build", "--params", str(tmp_path / "params.yml")]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_a_read_only_cache_falls_back_to_ingesting_without_it(tmp_path, monkeypatch):
    import os

    from conftest import status, write_jsonl

    if os.geteuid() == 0:  # root writes anywhere: make the cache unwritable another way
        monkeypatch.setattr(
            parallel.cache.tempfile,
            "TemporaryDirectory",
            lambda **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")),
        )
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    data = write_jsonl(tmp_path / "a.jsonl", [status("1", "x #datasaveslives")])
    said = []
    out = tmp_path / "run" / "tables"
    report, hit = parallel.cached_ingest(Params(data=(str(data),)), out, cache, 1, said.append)
    assert (report["kept"], hit) == (1, False)
    assert "cannot write the ingestion cache" in said[0] and str(cache) in said[0]
