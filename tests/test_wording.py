"""Every rule that turns numbers into a claim, at and around each of its thresholds,
and with the words for none, one and undefined (datasaveslives/report/wording.py)."""

from __future__ import annotations

import math

import pytest

from datasaveslives.analysis import themes
from datasaveslives.coding import assist
from datasaveslives.report import wording

NAN = math.nan


@pytest.mark.parametrize(
    ("g", "users", "words"),
    [
        (None, 0, "with no accounts"),
        (0.0, 1, "with a single account"),
        (NAN, 5, "cannot be measured"),
        (None, 5, "cannot be measured"),
        (0.0, 5, "spread fairly evenly"),
        (0.2999, 5, "spread fairly evenly"),
        (0.3, 5, "moderately concentrated"),
        (0.4999, 5, "moderately concentrated"),
        (0.5, 5, "concentrated in a minority"),
        (0.6999, 5, "concentrated in a minority"),
        (0.7, 5, "highly concentrated"),
        (1.0, 5, "highly concentrated"),
    ],
)
def test_gini_bands(g, users, words):
    assert words in wording.gini(g, users)


def test_the_gini_bands_are_ordered_and_a_higher_gini_never_reads_as_more_even():
    assert 0 < wording.GINI_EVEN < wording.GINI_CONCENTRATED < wording.GINI_HIGH < 1
    order = [
        "spread fairly evenly",
        "moderately concentrated",
        "concentrated in a minority",
        "highly concentrated",
    ]
    seen = [
        next(i for i, w in enumerate(order) if w in wording.gini(g / 100, 10)) for g in range(101)
    ]
    assert seen == sorted(seen)


@pytest.mark.parametrize(
    ("heavy", "users", "share", "words"),
    [
        (0, 0, None, "no account posted"),
        (0, 12, 0.0, "no account posted 10 times or more"),
        (1, 12, 0.5, "1 account (8.33% of them) posted 10 times or more and wrote 50.00%"),
        (3, 12, 0.75, "3 accounts (25.00% of them)"),
        (12, 12, 1.0, "every account posted 10 times or more"),
        (2, 12, None, "wrote an unknown share of the posts"),
    ],
)
def test_heavy_posters(heavy, users, share, words):
    assert words in wording.heavy_posters(heavy, users, share, 10)


@pytest.mark.parametrize(
    ("weeks", "mean", "sd", "words"),
    [
        (0, None, None, "no week"),
        (1, 333.0, None, "with a single week"),
        (1, 333.0, NAN, "with a single week"),
        (2, 10.0, NAN, "with a single week"),  # an SD that is not defined is never printed
        (2, 10.4, 2.6, "about 10 posts a week (SD 3)"),
        (2, 9.96, 2.62, "about 10.0 posts a week (SD 2.6)"),
        (52, 0.04, 0.27, "fewer than one post a week on average (mean 0.04, SD 0.27)"),
        (52, 267.21, 200.06, "about 267 posts a week (SD 200)"),
    ],
)
def test_weekly_variation(weeks, mean, sd, words):
    assert words in wording.weekly_variation(weeks, mean, sd)


@pytest.mark.parametrize(
    ("declared", "active", "words"),
    [
        (0, 0, "No official supporters are declared"),
        (1, 0, "Not one of the one declared official supporter posted"),
        (6, 0, "Not one of the 6 declared official supporters posted"),
        (6, 1, "1 of the 6 declared official supporters posted"),
        (1, 1, "1 of the 1 declared official supporter posted"),
        (6, 6, "6 of the 6 declared official supporters posted"),
    ],
)
def test_supporters(declared, active, words):
    assert wording.supporters(declared, active).startswith(words)


@pytest.mark.parametrize(
    ("declared", "placed", "groups", "words"),
    [
        (0, [], 4, "no official supporters are declared"),
        (6, [], 4, "no official supporter is in the network"),
        (6, [1], 1, "the network's only group"),
        (6, [2], 4, "all sit in group 2"),
        (6, [1, 2], 2, "spread over every group (1, 2)"),
        (6, [1, 3], 9, "sit in 2 of the 9 groups (1, 3)"),
    ],
)
def test_supporter_groups(declared, placed, groups, words):
    assert words in wording.supporter_groups(declared, placed, groups)


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (None, "there is no network"),
        (NAN, "there is no network"),
        (1.0, "every user is in one connected part"),
        (0.5001, "most users (50.01%)"),
        (0.5, "the network is fragmented"),
        (0.19, "the largest connected part holds only 19.00%"),
    ],
)
def test_largest_part(share, words):
    assert words in wording.largest_part(share)


@pytest.mark.parametrize(
    ("ari", "seeds", "words"),
    [
        (None, 1, "one seed only"),
        (None, 20, "too few users"),
        (NAN, 20, "too few users"),
        (0.95, 20, "Over 20 seeds, the division hardly depends"),
        (0.8, 3, "Over 3 seeds, the large groups are stable"),
        (0.5, 20, "depends on the random seed"),
    ],
)
def test_stability_sentence(ari, seeds, words):
    sentence = wording.stability_sentence(ari, seeds)
    assert words in sentence and sentence.endswith(".") and sentence[0].isupper()


@pytest.mark.parametrize(
    ("coded", "codes", "random", "words"),
    [
        (False, 4, 0, "no post has been coded yet"),
        (True, 0, 10, "there is no codebook yet"),
        (True, 4, 0, "belongs to the coding frame"),
    ],
)
def test_why_no_theme_shares(coded, codes, random, words):
    assert words in themes.why_no_shares(coded, codes, random)
    with pytest.raises(ValueError):
        themes.why_no_shares(True, 4, 10)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "no post has been coded yet"),
        (1, "only 1 post has been coded"),
        (9, "only 9 posts have been coded (it needs 10 or more)"),
        (10, "no words"),
    ],  # fmt: skip
)
def test_why_no_assistive_coder(n, words):
    assert words in assist.too_few(n)


def test_an_assistive_coder_needs_enough_posts_with_words():
    import pandas as pd

    assert not assist.can_learn(pd.Series(["a b c"] * 9))
    assert not assist.can_learn(pd.Series(["🙂"] * 12))  # nothing the vectoriser keeps
    assert assist.can_learn(pd.Series([f"post number {i}" for i in range(12)]))
    suggested = assist.fit_predict(
        pd.Series(["x y"] * 10),
        pd.DataFrame({"A": [True, False] * 5}),
        pd.Series([], dtype=str),
        ["A"],
    )
    assert suggested.empty and list(suggested.columns) == ["A"]


@pytest.mark.parametrize(
    ("groups", "words"),
    [(0, "no groups"), (1, "the one group"), (2, "the 2 groups"), (10, "the 10 groups"),
     (11, "the 10 largest of the 11 groups"), (1234, "the 10 largest of the 1,234 groups")],
)  # fmt: skip
def test_groups_drawn(groups, words):
    assert wording.groups_drawn(groups) == words


@pytest.mark.parametrize(
    ("pairs", "above", "groups", "words", "never"),
    [
        (0, 0, 0, "With no groups, there are no links between groups.", "table"),
        (0, 0, 1, "With the one group, there are no links between groups.", "table"),
        (0, 0, 3, "every link stays inside its group", "table"),
        (1, 0, 2, "Of the 2 groups, one pair is linked; the table below counts its links.",
         "strongest"),
        (1, 1, 2, "it is above 1 for the pair:", "every pair"),
        (3, 0, 12, "Of the 10 largest of the 12 groups, 3 pairs are linked; the table below "
                   "counts their links, strongest first.", "above 1"),
        (3, 0, 12, "it is below 1 for every pair", "above 1"),
        (3, 3, 5, "it is above 1 for every pair:", "below 1"),
        (12, 1, 40, "12 pairs are linked; the table below counts their links", "most closely"),
        (13, 1, 40, "the links of the 12 most closely linked, strongest first", "every"),
        (45, 2, 40, "above 1 for 2 of the 45 pairs, linked more than chance", "every"),
    ],
)  # fmt: skip
def test_links_between_groups(pairs, above, groups, words, never):
    said = wording.links_between_groups(pairs, above, groups)
    assert words in said and never not in said


@pytest.mark.parametrize(
    ("named", "deleted", "allowlist", "words"),
    [
        (0, 0, False, "no account may be named, as the run has no allowlist of organisations and "
                      "public accounts; none has since been deleted"),
        (0, 1, True, "none was posted by an account that may be named"),
        (1, 1, True, "1 was posted by an account that may be named"),
        (2, 0, True, "2 were posted by accounts that may be named"),
        (2, 1, True, "1 has since been deleted, so is not quoted, though it stays in every count"),
        (2, 3, True, "3 have since been deleted, so are not quoted, though they stay in every"),
    ],
)  # fmt: skip
def test_named_and_deleted(named, deleted, allowlist, words):
    assert words in wording.named_and_deleted(named, deleted, allowlist)


def test_range_over_seeds():
    assert wording.range_over_seeds("modularity", "0.41", "0.44") == (
        "modularity ranged from 0.41 to 0.44"
    )
    assert wording.range_over_seeds("the number of groups", "37", "37") == (
        "the number of groups was 37 with every seed"
    )


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "a user's reposts of their own posts would be left out; there are none here"),
     (1, "the one repost of a user's own post is left out"),
     (1234, "1,234 reposts of users' own posts are left out")],
)  # fmt: skip
def test_self_shares(n, words):
    assert wording.self_shares(n, "repost", "reposts") == words


@pytest.mark.parametrize(
    ("counts", "says"),
    [
        (None, ""),
        ({}, ""),
        ({"followers": 0}, ""),
        ({"account_created_at": 1}, " One profile read with a kept post held an impossible "
         "account creation date: it was left empty and the post kept."),
        ({"followers": 3, "account_created_at": 2}, " Impossible values in profiles read with "
         "kept posts were left empty and the posts kept (times per field: account creation "
         "date 2, follower count 3)."),
    ],
)  # fmt: skip
def test_emptied_profile_fields_are_said_only_when_there_are_some(counts, says):
    assert wording.emptied_fields(counts) == says


@pytest.mark.parametrize(
    ("p", "clause", "verb"),
    [
        (None, "which cannot be tested here", "cannot be tested here"),
        (NAN, "which cannot be tested here", "cannot be tested here"),
        (0.0, "very rarely give (p < .001)", "is larger than chance would give"),
        (0.000999, "very rarely give (p < .001)", "is larger than chance would give"),
        (0.001, "rarely give (p = 0.001)", "is larger than chance would give"),
        (0.0499, "rarely give (p = 0.050)", "is larger than chance would give"),
        (0.05, "could well give (p = 0.05)", "is within what chance could give"),
        (1.0, "could well give (p = 1.00)", "is within what chance could give"),
    ],
)
def test_p_values_are_worded_in_one_place(p, clause, verb):
    """The relative clause with the P value (evidence) and the verb phrase without it
    (significance) agree at the same threshold, and say so when there is no test."""
    assert wording.evidence(p).endswith(clause)
    assert wording.significance(p) == verb


def test_a_correlation_resting_on_few_weeks_says_so():
    """rests_on_few: nothing for an undefined r or a reading that holds without any one
    week; a sentence for series that are non-zero in fewer than three weeks, for a week
    without which r is undefined, and for the week whose absence changes the reading."""
    steady = {
        "low": 0.91,
        "low_at": 28,
        "high": 0.95,
        "high_at": 45,
        "undefined_at": None,
        "nonzero_x": 52,
        "nonzero_y": 52,
    }
    assert wording.rests_on_few(0.926, steady, 52, "original posts", "retweets") == ""
    assert wording.rests_on_few(None, steady, 52, "original posts", "retweets") == ""
    assert wording.rests_on_few(NAN, steady, 52, "original posts", "retweets") == ""
    two = dict(steady, nonzero_y=2, low=0.346, low_at=83, high=0.69, high_at=81)
    said = wording.rests_on_few(0.508, two, 123, "original posts", "reposts")
    assert said == (
        " Only 2 of the 123 weeks had any reposts, so the correlation rests on those weeks."
    )
    one = dict(steady, nonzero_x=1, undefined_at=7)
    assert wording.rests_on_few(0.3, one, 52, "original posts", "boosts") == (
        " Only 1 of the 52 weeks had any original posts, so the correlation rests on that week."
    )
    # Three weeks: any one left out leaves too few, so no week is singled out.
    three = dict(steady, undefined_at=1, low=NAN, low_at=None, high=NAN, high_at=None)
    assert wording.rests_on_few(0.9, three, 3, "original posts", "retweets") == (
        " With only 3 weeks, leaving out any one would leave too few to correlate, so it "
        "rests on every week."
    )
    undefined = dict(steady, undefined_at=7, low=NAN, low_at=None)
    assert wording.rests_on_few(0.6, undefined, 4, "original posts", "retweets") == (
        " Without week 7 it would not be defined, so it rests on that week."
    )
    # The reading changes without one week: the week that moves r most is named.
    moved = dict(steady, low=0.346, low_at=83, high=0.69, high_at=81)
    assert wording.rests_on_few(0.508, moved, 123, "original posts", "reposts") == (
        " Without week 83 alone it would read as a moderate positive correlation "
        "(r = 0.346), so this reading rests on that week."
    )
    flips = dict(steady, low=-0.2, low_at=3, high=0.35, high_at=9)
    assert (
        "without week 3 alone it would read as a small negative"
        in wording.rests_on_few(0.31, flips, 12, "original posts", "retweets").lower()
    )
