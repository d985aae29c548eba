"""The platform of a run and the words the book uses for it."""

from __future__ import annotations

from datasaveslives.report import platforms


def test_platforms_come_from_the_formats_read():
    assert platforms.platforms_of(["twitter_v1", "gnip"]) == ["twitter"]
    assert platforms.platforms_of(["mastodon", "bluesky_repost"]) == ["bluesky", "mastodon"]
    assert platforms.platforms_of(["csv:twarc-csv"]) == ["twitter"]
    report = {"files": [{"formats": {"bluesky": 3}}, {"formats": {}}]}
    assert platforms.report_platforms(report) == ["bluesky"]


def test_each_platform_has_its_words_and_several_have_neutral_ones():
    assert platforms.vocabulary(["twitter"]).shares == "retweets"
    assert platforms.vocabulary(["bluesky"]).shared == "reposted"
    assert platforms.vocabulary(["mastodon"]).sharer == "booster"
    mixed = platforms.vocabulary(["bluesky", "mastodon"])
    assert (mixed.platform, mixed.shares) == ("Bluesky and Mastodon", "shares")
    assert platforms.vocabulary(["twitter", "bluesky", "mastodon"]).platform == (
        "Twitter, Bluesky and Mastodon"
    )


def test_the_semantics_name_what_each_platforms_data_cannot_show():
    text = platforms.semantics(["bluesky", "mastodon"])
    assert "does not return reposts" in text and "unavailable, not zero" in text
    assert "federated" in text and "acct@instance" in text
    assert platforms.semantics([]) == ""


def test_counts_take_the_singular_for_one():
    from datasaveslives.report import display

    assert display.counted(1, "group") == "1 group"
    assert display.counted(42, "group") == "42 groups"
    assert display.counted(0, "separate part") == "0 separate parts"
    assert display.counted(1_200, "person", "people") == "1,200 people"
