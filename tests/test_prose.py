"""The chapters' case-dependent sentences (report.prose): each rule's wording for the
usual case and for zero, one, none and undefined."""

from __future__ import annotations

from datasaveslives.report import provenance
from datasaveslives.report.prose import users as says

NAN = float("nan")


def _activity(
    users: int, once: int = 0, ten: int = 0, ten_posts: int = 0, hundred: int = 0, most: int = 0
) -> dict:
    return {
        "users": users,
        "once": once,
        "ten_plus": ten,
        "ten_plus_posts": ten_posts,
        "hundred_plus": hundred,
        "max": most,
    }


def test_what_the_supporters_wrote_for_every_case():
    assert says.supporters_posted(3, 2, 0, 0, None) == ""
    none = says.supporters_posted(0, 0, 10, 0, None)
    assert none.startswith("No official supporters are declared")
    assert none.endswith("so every account counts as another user below.")
    silent = says.supporters_posted(1, 0, 10, 0, None)
    assert silent.startswith("Not one of the one declared official supporter posted here")
    one = says.supporters_posted(1, 1, 10, 4, 0.5)
    assert one == (
        "The 1 official supporter who posted wrote 4 posts (40.00% of all posts) and 50.00% "
        "of the posts with original text."
    )
    assert "and none of the posts with original text" in says.supporters_posted(2, 2, 10, 4, None)


def test_the_original_text_test_says_why_it_cannot_be_made():
    untestable = {"expected": None}
    assert says.original_text_test(0, 0, untestable).endswith(
        "no official supporters are declared."
    )
    assert says.original_text_test(2, 0, untestable).endswith("none of them posted here.")
    assert says.original_text_test(2, 2, untestable).endswith("has no posts.")
    tested = {
        "expected": [[1.0]],
        "share_supporter": 0.2676,
        "share_other": 0.1867,
        "p": 1e-9,
        "chi2": 57.45,
        "cramers_v": 0.064,
    }
    text = says.original_text_test(6, 6, tested)
    assert "is larger than chance would give (χ²₁=57.45, P<.001" in text
    assert "a negligible effect" in text
    tested["p"] = 0.4
    assert "is within what chance could give" in says.original_text_test(6, 6, tested)


def test_table2_is_split_only_when_supporters_are_declared():
    assert says.table2_split(0) == ""
    assert says.table2_split(3) == ", official supporters against others,"


def test_the_heavy_accounts_are_named_only_if_they_may_be():
    assert says.heavy_accounts(0, []) == "No account posted 100 times or more."
    assert says.heavy_accounts(1, []) == (
        "1 account posted 100 times or more, none of them an account that may be named here."
    )
    assert "2 of them may be named here (@A, @B), the others are not." in says.heavy_accounts(
        3, ["@A", "@B"]
    )


def test_how_activity_was_spread_for_none_one_and_many():
    assert says.activity_spread(_activity(0), None, [], "#x", 0) == (
        "No account posted in this window."
    )
    one = says.activity_spread(_activity(1, once=1, most=1), 0.0, [], None, 0)
    assert "the most active posted 1 time." in one
    assert "#" not in one  # no hashtag, no sentence about bios
    many = says.activity_spread(_activity(10, 5, 2, 40, 0, 30), 0.8, [], "#x", 3)
    assert "(40 posts)" in many and many.endswith("3 posters had #x in their bio.")


def test_the_followers_test_is_shown_only_when_defined():
    assert says.followers_test({"h": NAN, "df": 0, "p": NAN}) == ""
    assert says.followers_test({"h": 280.24, "df": 3, "p": 1e-20}) == (
        " (Kruskal–Wallis H=280.2, df=3, P<.001)"
    )


def test_concentration_reads_the_gini_or_says_why_not():
    assert says.concentration(0.67, 100).startswith("The Gini coefficient is 0.67")
    assert (
        says.concentration(NAN, 1) == "With a single account, every post came from the same hands."
    )
    assert says.concentration(NAN, 0).startswith("With no accounts")


def test_the_summary_for_none_and_some():
    assert says.summary(_activity(0), None, NAN, 0, 0, None) == "No account posted in this window."
    text = says.summary(_activity(4, 2, 1, 5, 0, 5), 0.5, 0.3, 2, 1, 0.25)
    assert text.startswith("Of 4 accounts, 50.00% posted once, and 1 account")
    assert text.endswith("The official supporters wrote 25.00% of all posts.")
    assert says.summary(_activity(4, 2), 0.0, 0.3, 0, 0, None).endswith(
        "No official supporters are declared for this run."
    )


def test_a_relative_parameter_path_is_shown_as_given():
    """Relative paths in a run's parameters are relative to the project; they are not
    resolved against the folder a chapter runs in."""
    assert provenance.shown_value("data/synthetic/x.jsonl.gz") == "data/synthetic/x.jsonl.gz"
    assert provenance.shown_value("/somewhere/else/archive.jsonl") == "archive.jsonl"


def test_frequency_weeks_for_many_one_and_a_single_day():
    from datetime import date

    from datasaveslives.report.prose import frequency as f

    summary = {
        "busiest_week_start": date(2017, 7, 6),
        "weeks": 52,
        "mean": 267.21,
        "sd": 200.06,
        "min": 43,
        "max": 994,
        "busiest_week": 45,
    }
    many = f.weeks(summary, [7] * 51 + [8])
    assert "over 52 weeks (the last week has 8 days). The busiest was week 45" in many
    assert many.endswith("from 06 July 2017, with")
    assert "the last week" not in f.weeks(summary, [7] * 52)
    one = f.weeks({**summary, "weeks": 1}, [5])
    assert one.startswith("The window is a single week of 5 days") and one.endswith("had")
    assert f.weeks({**summary, "weeks": 1}, [1]).startswith("The window is a single day")


def test_frequency_sentences_for_none_and_undefined():
    from datetime import date

    from datasaveslives.report.prose import frequency as f

    assert f.window(date(2017, 1, 1), date(2017, 1, 1)) == "01 January 2017"
    assert f.posts_of(None).startswith("posts (the run keeps every post")
    assert f.supporters_busiest(0, None) == ""
    assert f.supporters_busiest(2, None).startswith("Not one of the 2 declared")
    undefined = {"r": NAN, "n": 2}
    assert f.weekly_correlation(undefined, "reposts").endswith(
        "it needs at least three weeks, and there are 2."
    )
    assert f.followers_correlation(undefined, "boosts", "boosted", False).endswith(
        "no follower count is known in these data."
    )
    assert f.months(0, 0, 0) == "There are no posts, so no month to list."
    assert f.months(1, 1, 0) == "The posts span 1 month."
    assert "the 3 without posts are left out" in f.months(14, 11, 3)
    assert f.reach_note(0, "reposter") == "; every reposter's follower count is known here"
    assert "unavailable for 2 of them" in f.reach_note(2, "reposter")
    assert f.uncollected(0, "#x") == ""
    assert f.uncollected(1, None).startswith(
        " 1 of them was not collected themselves (posted outside what the archive holds)"
    )
    assert f.events_caption(0, 10) == "."
    assert f.events_list([], 0) == "The run declares no events to mark."
    assert f.events_list([], 2) == "No event of the study falls in this window."
    assert f.events_list([{"date": "d", "label": "l", "source": "s"}], 1) == "1. d: l (s)"
    assert f.summary(0, 0, None, None, None, NAN, "reposts", NAN).startswith("The window holds")
    assert f.summary(1, 3, "#x", 3.0, NAN, 1 / 3, "reposts", NAN).endswith(
        "weekly posting and sharing cannot be correlated here."
    )
