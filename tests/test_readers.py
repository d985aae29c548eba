"""Each reader against real payloads written by other projects' tools."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    BREXIT_CSV,
    BREXIT_FLAT,
    BREXIT_PAGES,
    KPOP_PAGES,
    SFM_V1,
    TWEET_PARSER_AS,
    TWEET_PARSER_V1,
)

from datasaveslives.ingest.ingestion import ingest
from datasaveslives.ingest.tables import load

SOURCE_COLUMNS = ["source_file", "source_line", "source_format"]


def tables(path: Path, out: Path):
    report = ingest([path], out)
    assert report.balances()
    return load(out, columns=None)  # every column of the table


def test_tweet_parser_pair_gives_identical_tables(tmp_path):
    v1 = tables(TWEET_PARSER_V1, tmp_path / "v1")
    gnip = tables(TWEET_PARSER_AS, tmp_path / "as")
    assert len(v1.posts) == 25
    pd.testing.assert_frame_equal(
        v1.posts.drop(columns=SOURCE_COLUMNS), gnip.posts.drop(columns=SOURCE_COLUMNS)
    )
    pd.testing.assert_frame_equal(v1.users, gnip.users)
    pd.testing.assert_frame_equal(v1.edges, gnip.edges)
    assert set(v1.posts["source_format"]) == {"twitter_v1"}
    assert set(gnip.posts["source_format"]) == {"gnip"}


def test_tweet_parser_types_and_extended_text(tmp_path):
    t = tables(TWEET_PARSER_V1, tmp_path)
    assert t.posts["type"].value_counts().to_dict() == {"original": 14, "quote": 8, "retweet": 3}
    posts = t.posts.set_index("post_id")
    # An extended quote tweet: the full text, not the 140-character truncation.
    assert posts.loc["867479301360205824", "text"].endswith("Magic! https://t.co/5PU0FLFRYz")
    assert "…" not in posts.loc["867479301360205824", "text"]
    # A retweet shows the retweeted post's full text, not "RT @...: ...".
    rt = posts.loc["867475059358683136"]
    assert rt["type"] == "retweet"
    assert not rt["text"].startswith("RT @")
    assert rt["text"].endswith("consectetur adipi https://t.co/x2MZliBLyk")
    assert rt["retweeted_post_id"] == "867471562613575680"
    # A reply is flagged and points at the post it answers.
    assert posts.loc["867473446648676352", "is_reply"]
    assert posts.loc["867473446648676352", "in_reply_to_post_id"] == "863566329168711681"
    # The quoted text is part of the searched body.
    quote = posts.loc["867479301360205824"]
    assert quote["quoted_post_id"] == "861652051016663040"
    assert "xxd -b" in quote["full_text"]


def test_sfm_user_timeline(tmp_path):
    t = tables(SFM_V1, tmp_path)
    assert len(t.posts) == 244
    assert t.report["quarantined"] == 0
    assert t.posts["post_id"].is_unique
    assert (t.posts["created_at"].dt.tz is not None) and str(t.posts["created_at"].dt.tz) == "UTC"
    retweets = t.posts[t.posts["type"] == "retweet"]
    assert len(t.edges) == len(retweets) == 34
    assert (
        t.edges["retweeter_id"]
        == retweets.set_index("post_id").loc[t.edges["post_id"], "author_id"].to_numpy()
    ).all()
    # Users are as of the latest record in which they were seen.
    assert t.users["user_id"].is_unique
    assert t.users["followers"].notna().all()


def test_twarc2_pages_flat_and_csv_agree(tmp_path):
    pages = tables(BREXIT_PAGES, tmp_path / "pages").posts.drop(columns=SOURCE_COLUMNS)
    flat = tables(BREXIT_FLAT, tmp_path / "flat").posts.drop(columns=SOURCE_COLUMNS)
    csv = tables(BREXIT_CSV, tmp_path / "csv").posts.drop(columns=SOURCE_COLUMNS)
    assert len(pages) == 100
    assert pages["type"].value_counts().to_dict() == {"retweet": 67, "original": 22, "quote": 11}
    pd.testing.assert_frame_equal(pages, flat)
    # CSV exports carry no quoted text, so only the searched body may differ.
    pd.testing.assert_frame_equal(pages.drop(columns="full_text"), csv.drop(columns="full_text"))
    plain = pages["quoted_post_id"].isna()
    quoting = pages["full_text"] != pages["text"]
    assert (pages.loc[~quoting, "full_text"] == csv.loc[~quoting, "full_text"]).all()
    assert not (plain & quoting & (pages["type"] == "original")).any()


def test_twarc2_retweets_take_full_text_from_includes(tmp_path):
    t = tables(BREXIT_PAGES, tmp_path)
    rts = t.posts[t.posts["type"] == "retweet"]
    assert not rts["text"].str.startswith("RT @").any()
    assert rts["retweeted_author_id"].notna().all()
    assert len(t.edges) == 67
    # Profiles come from the page's includes: followers as observed.
    assert t.users["followers"].notna().all()


def test_twarc2_kpop(tmp_path):
    t = tables(KPOP_PAGES, tmp_path)
    assert t.report["read"] == len(t.posts) + t.report["duplicates"] + t.report["filtered"]
    assert t.report["quarantined"] == 0


@pytest.mark.parametrize("path", [TWEET_PARSER_V1, BREXIT_PAGES])
def test_hashtags_stored_lower_case_without_hash(tmp_path, path):
    t = tables(path, tmp_path)
    tags = [tag for tags in t.posts["hashtags"] for tag in tags]
    assert all(tag == tag.casefold() and not tag.startswith("#") for tag in tags)


def test_the_fast_v1_date_parser_agrees_with_strptime():
    import random
    from datetime import UTC, datetime, timedelta, timezone

    from datasaveslives.ingest.readers import common

    rng = random.Random(7)
    for _ in range(5000):
        moment = datetime(2006, 3, 21, tzinfo=UTC) + timedelta(seconds=rng.randrange(6 * 10**8))
        zone = timezone(timedelta(minutes=rng.choice([0, 60, -300, 330, -570, 765])))
        text = moment.astimezone(zone).strftime(common.V1_TIME_FORMAT)
        assert common._v1_time(text) == datetime.strptime(text, common.V1_TIME_FORMAT), text
    for odd in ("thu sep 01 10:00:00 +0000 2016", "Thu Sep 1 10:00:00 +0000 2016"):
        assert common._v1_time(odd) == datetime.strptime(odd, common.V1_TIME_FORMAT)
    for impossible in ("Thu Feb 30 10:00:00 +0000 2017", "Sat Jan 01 00:00:00 +0000 0000"):
        with pytest.raises(ValueError):
            common._v1_time(impossible)


def test_v2_user_rows_shared_within_a_page_equal_rows_made_one_by_one():
    import json as _json

    from datasaveslives.ingest.readers import twitter_v2

    page = _json.loads(BREXIT_PAGES.read_text().splitlines()[0])
    memoised = list(twitter_v2.parse_page(page))
    includes = page["includes"]
    tweets = {str(t["id"]): t for t in includes.get("tweets", [])}
    users = {str(u["id"]): u for u in includes.get("users", [])}
    one_by_one = [twitter_v2._tweet(t, tweets, users) for t in page["data"]]
    assert [p.users for p in memoised] == [p.users for p in one_by_one]
    assert [p.post for p in memoised] == [p.post for p in one_by_one]
    assert len({u["user_id"] for p in memoised for u in p.users}) < sum(
        len(p.users) for p in memoised
    )  # authors repeat within the page, so the memo is used
