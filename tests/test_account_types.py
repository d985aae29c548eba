"""Account types: a run's list of accounts by kind, read as the paper read profiles,
from which the chapters count organisations and the most active patient advocate."""

from __future__ import annotations

import pandas as pd
import pytest

from datasaveslives.analysis import users
from datasaveslives.core import paths
from datasaveslives.core.params import Params, ParamsError, load_account_types
from datasaveslives.synth import build


def test_the_file_reads_kinds_by_case_folded_screen_name(tmp_path):
    f = tmp_path / "types.yml"
    f.write_text("types:\n  organisation: [NHSDigital, '@AMRC']\n  individual: [Someone]\n")
    assert load_account_types(f) == {
        "nhsdigital": "organisation",
        "amrc": "organisation",
        "someone": "individual",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- NHSDigital\n", "must hold 'types:'"),
        ("types:\n  organisation: NHSDigital\n", "must hold 'types:'"),
        ("types:\n  organisation: [A]\n  individual: [a]\n", "listed as 'organisation' and"),
        ("types:\n  organisation: [3]\n", "is not a name"),
    ],
)
def test_a_file_that_cannot_be_used_is_one_clear_error(tmp_path, text, message):
    f = tmp_path / "types.yml"
    f.write_text(text)
    with pytest.raises(ParamsError, match=message):
        load_account_types(f)


def test_a_missing_file_is_a_parameter_error(tmp_path):
    params = Params.load(paths.PARAMS, account_types=str(tmp_path / "nope.yml"))
    with pytest.raises(ParamsError, match="account_types: .* does not exist"):
        params.validate()


def test_other_data_do_not_inherit_the_synthetic_corpus_account_types(tmp_path):
    data = tmp_path / "posts.jsonl"
    data.write_text("")
    assert Params.load(paths.PARAMS).account_types
    assert Params.load(paths.PARAMS, data=[str(data)]).account_types is None


def test_the_users_result_counts_kinds_among_the_most_active(tmp_path):
    posts = pd.DataFrame(
        {
            "post_id": [str(i) for i in range(330)],
            "author_id": ["o"] * 150 + ["p"] * 120 + ["x"] * 60,
            "type": ["original"] * 300 + ["retweet"] * 30,
            "created_at": pd.Timestamp("2017-01-01", tz="UTC"),
            "retweeted_post_id": [None] * 300 + ["0"] * 30,
            "retweeted_author_id": [None] * 300 + ["o"] * 30,
        }
    )
    profiles = pd.DataFrame(
        {
            "user_id": ["o", "p", "x"],
            "screen_name": ["Org", "Advo", "Who"],
            "bio": "",
            "followers": [10, 20, 30],
            "friends": 1,
            "statuses": 1,
        }
    )
    types = {"org": "organisation", "advo": "patient advocate"}
    kinds = users.kinds_of(profiles, types)
    assert kinds == {"o": "organisation", "p": "patient advocate"}
    result = users.compute(posts, profiles, [], None, types=types)
    assert result.heavy_kinds == {"organisation": 1, "patient advocate": 1}
    assert result.heavy_organisations == 1 and result.advocate_posts == 120
    listed = tmp_path / "types.yml"
    listed.write_text("types:\n  organisation: [Org]\n  patient advocate: [Advo]\n")
    assert users.kinds_from_file(profiles, str(listed)) == kinds
    assert users.kinds_from_file(profiles, None) is None
    plain = users.compute(posts, profiles, [], None)
    assert plain.heavy_organisations is None and plain.advocate_posts is None


def test_the_synthetic_corpus_lists_its_named_and_most_active_accounts():
    types = load_account_types(paths.SYNTHETIC / build.ACCOUNT_TYPES_FILE)
    ann = pd.read_csv(paths.SYNTHETIC / build.USERS_FILE)
    listed = ann[ann["kind"].isin(build.LISTED_KINDS)]
    assert len(types) == len(listed)
    for name, kind in zip(listed["screen_name"], listed["kind"], strict=True):
        assert types[name.casefold()] == build.LISTED_KINDS[kind]
    assert list(types.values()).count("patient advocate") == 1
