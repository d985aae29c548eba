"""Parameters: loaded from one file, overridable, validated before anything runs."""

from __future__ import annotations

import pytest

from datasaveslives import paths
from datasaveslives.params import Params, ParamsError


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
        ("data: params.yml\nseed: abc\n", "seed must be an integer"),
        ("data: params.yml\nresolution: 0\n", "resolution must be a positive number"),
        ("data: params.yml\nstability_seeds: 0\n", "must be at least 1"),
        ("data: params.yml\nactivity_groups: [2, 10]\n", "activity_groups must be increasing"),
        ("data: params.yml\nallowlist: sup.yml\n", "allowlist: .* must hold a list"),
        ("data: params.yml\ncolour: blue\n", "unknown parameter"),
        ("data: params.yml\ncoding_files: [nope.xlsx]\n", "coding_files: .* does not exist"),
        ("data: params.yml\ncoding_files: params.yml\n", "is not a .xlsx, .csv or .qdpx file"),
        ("data: params.yml\nstratify: weekday\n", "stratify must be month, type, group or null"),
        ("data: params.yml\ncoding_batch: 0\n", "coding_batch must be at least 1"),
        ("data: params.yml\ncodebook: nowhere.yml\n", "codebook: .* does not exist"),
        ("data: params.yml\npath_sources: 0\n", "path_sources must be at least 1"),
        ("- just\n- a list\n", "must be a mapping"),
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
