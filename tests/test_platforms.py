"""Bluesky and Mastodon readers: real payloads (twitwi, bigbone) and hand-made edge cases."""

from __future__ import annotations

import json

import pandas as pd
from conftest import BLUESKY, MASTODON

from datasaveslives.ingest.ingestion import ingest, load_report
from datasaveslives.ingest.tables import load

AT = "at://did:plc:{}/app.bsky.feed.post/{}"


def read(paths, out, **kw):
    report = ingest(paths, out, **kw)
    assert report.balances()
    return report, load(out, columns=None)  # every column of the table


def test_bluesky_real_posts_quotes_reposts_and_the_year_0000_date(tmp_path):
    report, t = read([BLUESKY], tmp_path)
    assert report.read == 123 and report.kept == 118
    assert report.files[0].formats == {"bluesky": 121, "bluesky_repost": 2}
    # The post dated year 0000 is quarantined with its reason, not a crash.
    quarantine = [json.loads(x) for x in (tmp_path / "quarantine.jsonl").read_text().splitlines()]
    assert [q["reason"] for q in quarantine] == [
        "invalid record.createdAt: '0000-10-14T15:06:10.730Z'"
    ]
    posts = t.posts.set_index("post_id")
    first = posts.loc[AT.format("crmrddqmbqzyqd24yjlpibz2", "3lkizm6uvhc2b")]
    # A quote (recordWithMedia embed); hashtags from facets, lower-cased.
    assert first["type"] == "quote"
    assert first["quoted_post_id"] == AT.format("crmrddqmbqzyqd24yjlpibz2", "3lkicuf37nc2v")
    assert first["quoted_author_id"] == "did:plc:crmrddqmbqzyqd24yjlpibz2"
    assert list(first["hashtags"]) == ["hceres", "esr"]
    assert first["author_id"] == "did:plc:crmrddqmbqzyqd24yjlpibz2"
    # Mentions by handle as written; a facet pointing at the wrong bytes gives the DID.
    mentioned = posts.loc[AT.format("f22sjd5bmoyykou3335tpznf", "3lkkbdz7uxs2s"), "mentions"]
    assert "fsu-nationale.bsky.social" in list(mentioned)
    wrong = posts.loc[AT.format("45uofmby4qbt44jnwbr36rsv", "3lpmqkkkgp52u"), "mentions"]
    assert "did:plc:eeoax6omxd6o6guae7tomwlp" in list(wrong)
    # A repost from a feed: the reposter's, of the post's author.
    reposts = t.posts[t.posts["type"] == "retweet"]
    post = AT.format("aru6i7k6wo43msubk6km5td3", "3lloj4ipqqh27")
    row = reposts[reposts["retweeted_post_id"] == post].iloc[0]
    assert row["author_id"] == "did:plc:5klvtukw5fucxsrkjldhrjxs"
    assert row["retweeted_author_id"] == "did:plc:aru6i7k6wo43msubk6km5td3"
    assert row["post_id"] == f"did:plc:5klvtukw5fucxsrkjldhrjxs/repost/{post}"
    assert len(t.edges) == 2
    users = t.users.set_index("user_id")
    assert users.loc["did:plc:aru6i7k6wo43msubk6km5td3", "screen_name"] == "korben.info"
    assert users["followers"].isna().all()  # post views carry no follower counts


def view(rkey, text, did="abc", **record):
    return {
        "uri": AT.format(did, rkey),
        "cid": "bafy",
        "author": {"did": f"did:plc:{did}", "handle": f"{did}.bsky.social"},
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": "2025-03-01T10:00:00.000Z",
            **record,
        },  # fmt: skip
        "repostCount": 2,
        "indexedAt": "2025-03-01T10:00:01.000Z",
    }


def test_bluesky_edge_cases(tmp_path, jsonl):
    feature = {"$type": "app.bsky.richtext.facet#tag", "tag": "DataSavesLives"}
    tag = {"index": {"byteStart": 6, "byteEnd": 21}, "features": [feature]}
    records = [
        view("1", "Data! #DataSavesLives", facets=[tag], langs=["en"]),
        # a reply, and a hashtag only in the text
        view(
            "2",
            "yes #datasaveslives",
            did="def",
            reply={
                "parent": {"uri": AT.format("abc", "1")},
                "root": {"uri": AT.format("abc", "1")},
            },
        ),  # fmt: skip
        # a repost record from a repository listing: no text
        {
            "uri": "at://did:plc:ghi/app.bsky.feed.repost/r1",
            "cid": "x",
            "value": {
                "$type": "app.bsky.feed.repost",
                "createdAt": "2025-03-02T10:00:00Z",
                "subject": {"uri": AT.format("abc", "1"), "cid": "bafy"},
            },
        },  # fmt: skip
        # a profile, observed later: its follower counts join the users table
        {
            "did": "did:plc:abc",
            "handle": "abc.bsky.social",
            "followersCount": 120,
            "followsCount": 3,
            "description": "bio",
            "indexedAt": "2025-04-01T00:00:00Z",
        },  # fmt: skip
        # not a post record; no author DID; the same post twice
        view("3", "x", **{"$type": "app.bsky.feed.like"}),
        {**view("4", "y"), "author": {"handle": "nobody"}},
        view("1", "Data! #DataSavesLives", facets=[tag]),
    ]
    report, t = read([jsonl(records)], tmp_path)
    assert (report.kept, report.duplicates, report.quarantined) == (3, 1, 2)
    assert report.filtered_reasons == {"not a post: profile (joins the users table)": 1}
    posts = t.posts.set_index("post_id")
    assert list(posts.loc[AT.format("abc", "1"), "hashtags"]) == ["datasaveslives"]
    assert posts.loc[AT.format("abc", "1"), "lang"] == "en"
    reply = posts.loc[AT.format("def", "2")]
    assert reply["is_reply"] and list(reply["hashtags"]) == ["datasaveslives"]
    repost = posts.loc["at://did:plc:ghi/app.bsky.feed.repost/r1"]
    assert (repost["type"], repost["author_id"], repost["retweeted_author_id"]) == (
        "retweet", "did:plc:ghi", "did:plc:abc")  # fmt: skip
    assert repost["text"] == ""
    abc = t.users.set_index("user_id").loc["did:plc:abc"]
    assert (abc["followers"], abc["friends"], abc["bio"]) == (120, 3, "bio")
    reasons = load_report(tmp_path)["quarantined_reasons"]
    assert reasons == {"missing required field": 1, "not a post record": 1}


def test_mastodon_real_statuses(tmp_path):
    report, t = read([MASTODON], tmp_path)
    assert (report.read, report.kept) == (20, 20)
    posts = t.posts.set_index("post_id")
    first = posts.loc["tag:mastodon.social,2017-04-21:objectId=3610569:objectType=Status"]
    assert first["author_id"] == "jeroenpraat@mastodon.social"
    assert "<" not in first["text"] and "Yes, but not only #Mastodon" in first["text"]
    assert set(first["hashtags"]) >= {"diaspora", "mastodon"}
    assert list(first["mentions"]) == ["alexl@mstdn.io", "deadsuperhero@social.nasqueron.org"]
    assert first["is_reply"]
    # Every account is keyed acct@instance; counts come with each status.
    assert t.users["user_id"].str.contains("@").all()
    assert t.users["followers"].notna().all()
    assert not any("<p>" in b for b in t.users["bio"].dropna())


def status(uri, acct, html, url="https://a.example/@x", **kw):
    return {"id": "1", "uri": uri, "created_at": "2024-02-01T12:00:00.000Z",
            "account": {"acct": acct, "url": url, "display_name": acct, "followers_count": 5,
                        "following_count": 1, "statuses_count": 9, "note": "<p>hi</p>"},
            "content": html, "visibility": "public", "reblogs_count": 1, "tags": [],
            "mentions": [], "language": "en", **kw}  # fmt: skip


def test_mastodon_edge_cases(tmp_path, jsonl):
    html = (
        "<p>Data <a href='https://a.example/tags/DataSavesLives' class='mention hashtag'>"
        "#<span>DataSavesLives</span></a><br>line two</p>"
    )
    original = status("https://a.example/s/1", "ann", html, url="https://a.example/@ann")
    boost = status("https://b.example/s/9/activity", "bob@b.example", "", reblog=original)
    boost["content"] = ""
    records = [
        original,
        boost,
        # the same post as seen from another instance: one post
        {**original, "id": "77"},
        status("https://a.example/s/2", "cat", "<p>secret</p>", visibility="direct"),
        {**status("https://a.example/s/3", "dan", "x"), "content": None},
    ]
    report, t = read([jsonl(records)], tmp_path)
    assert (report.kept, report.duplicates, report.filtered, report.quarantined) == (2, 1, 1, 1)
    assert report.filtered_reasons == {"not public: visibility 'direct'": 1}
    posts = t.posts.set_index("post_id")
    first = posts.loc["https://a.example/s/1"]
    assert first["author_id"] == "ann@a.example"  # a local account, qualified by its URL
    assert first["text"] == "Data #DataSavesLives\nline two"
    assert list(first["hashtags"]) == ["datasaveslives"]
    shared = posts.loc["https://b.example/s/9/activity"]
    assert (shared["type"], shared["retweeted_post_id"], shared["retweeted_author_id"]) == (
        "retweet", "https://a.example/s/1", "ann@a.example")  # fmt: skip
    assert shared["text"] == first["text"]
    assert len(t.edges) == 1


def test_a_mixed_bluesky_and_mastodon_archive(tmp_path):
    report, t = read([BLUESKY, MASTODON], tmp_path)
    assert set(t.posts["source_format"]) == {"bluesky", "bluesky_repost", "mastodon"}
    assert report.kept == 138


TCAT_HEADER = (
    "id,time,created_at,from_user_name,text,filter_level,possibly_sensitive,withheld_copyright,"
    "withheld_scope,truncated,retweet_count,favorite_count,lang,to_user_name,"
    "in_reply_to_status_id,source,location,lat,lng,from_user_id,from_user_realname,"
    "from_user_verified,from_user_description,from_user_url,from_user_profile_image_url,"
    "from_user_utcoffset,from_user_timezone,from_user_lang,from_user_tweetcount,"
    "from_user_followercount,from_user_friendcount,from_user_favourites_count,from_user_listed,"
    "from_user_withheld_scope,from_user_created_at"
)


def tcat_row(tid, when, name, text, reply="", followers=10):
    cells = {"id": tid, "time": "0", "created_at": when, "from_user_name": name, "text": text,
             "in_reply_to_status_id": reply, "from_user_id": str(abs(hash(name)) % 10**9),
             "from_user_realname": name.title(), "from_user_followercount": str(followers),
             "from_user_friendcount": "3", "from_user_tweetcount": "50",
             "from_user_created_at": "2012-01-01 00:00:00", "lang": "en",
             "retweet_count": "0"}  # fmt: skip
    return ",".join(f'"{cells.get(c, "")}"' for c in TCAT_HEADER.split(","))


def test_a_dmi_tcat_export_through_its_mapping(tmp_path):
    rows = [
        tcat_row("1", "2017-03-01 10:00:00", "HDRUK", "Data saves #DataSavesLives", followers=900),
        tcat_row("2", "2017-03-01 11:00:00", "ann", "RT @HDRUK: Data saves #DataSavesLives"),
        tcat_row("3", "2017-03-02 09:00:00", "bob", "@HDRUK yes! #datasaveslives", reply="1"),
    ]  # fmt: skip
    path = tmp_path / "tcat_export.csv"
    path.write_text(TCAT_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report, t = read([path], tmp_path / "out", hashtag="#datasaveslives")
    assert report.files[0].formats == {"csv:dmi-tcat": 3} and report.kept == 3
    posts = t.posts.set_index("post_id")
    assert list(posts["type"]) == ["original", "retweet", "original"]
    assert posts.loc["2", "retweeted_author_id"] == "HDRUK" and posts.loc["3", "is_reply"]
    assert t.edges[["retweeter_id", "author_id"]].values.tolist() == [["ann", "HDRUK"]]
    assert t.users.set_index("user_id").loc["HDRUK", "followers"] == 900


FOURCAT_HEADER = (
    "collected_at,query,rank,id,thread_id,created_at,author,author_id,body,link,tags,"
    "like_count,quote_count,reply_count,repost_count,quoted_post,quoted_user,replied_to_post,"
    "replied_to_user,replies_allowed,mentions,links,images,labels,has_poll,languages,"
    "author_display_name,author_profile,author_avatar,author_created_at,timestamp"
)


def test_a_4cat_bluesky_csv_through_its_mapping(tmp_path):
    def row(**cells):
        return ",".join(f'"{cells.get(c, "")}"' for c in FOURCAT_HEADER.split(","))

    uri = AT.format("abc", "3kq")
    rows = [
        row(id=uri, created_at="2025-02-01T10:00:00+00:00", author="ann.bsky.social",
            author_id="did:plc:abc", body="Data saves lives #DataSavesLives",
            tags="DataSavesLives", repost_count="4", languages="en",
            author_display_name="Ann", author_created_at="2023-05-01T00:00:00+00:00"),
        row(id=AT.format("def", "3kr"), created_at="2025-02-02T10:00:00+00:00",
            author="bob.bsky.social", author_id="did:plc:def", body="So true",
            quoted_post="https://bsky.app/profile/ann.bsky.social/post/3kq",
            quoted_user="ann.bsky.social", mentions="ann.bsky.social,cat.bsky.social"),
    ]  # fmt: skip
    path = tmp_path / "4cat-bsky.csv"
    path.write_text(FOURCAT_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report, t = read([path], tmp_path / "out")
    assert report.files[0].formats == {"bluesky_csv:4cat-bluesky": 2}
    from datasaveslives.report import platforms

    assert platforms.report_platforms(report.to_dict()) == ["bluesky"]
    posts = t.posts.set_index("post_id")
    assert list(posts.loc[uri, "hashtags"]) == ["datasaveslives"]
    quote = posts.loc[AT.format("def", "3kr")]
    assert quote["type"] == "quote"
    assert list(quote["mentions"]) == ["ann.bsky.social", "cat.bsky.social"]
    assert t.users.set_index("user_id").loc["did:plc:abc", "screen_name"] == "ann.bsky.social"


def snake(value):
    """A record as the atproto Python SDK dumps it (4CAT's NDJSON): snake_case keys."""
    import re

    if isinstance(value, list):
        return [snake(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        key = "py_type" if key == "$type" else re.sub(r"(?<=[a-z])([A-Z])", r"_\1", key).lower()
        out[key] = snake(item)
    return out


def test_4cat_ndjson_of_bluesky_posts_reads_as_the_api_shape(tmp_path, jsonl):
    views = json.loads(BLUESKY.read_text())[:40]
    items = [{**snake(v), "4CAT_metadata": {"collected_at": 1, "query": "x"}} for v in views]
    _, api = read([jsonl(views, "api.jsonl")], tmp_path / "api")
    _, fourcat = read([jsonl(items, "4cat.ndjson")], tmp_path / "4cat")
    columns = [c for c in api.posts.columns if not c.startswith("source_")]
    assert len(api.posts) > 30
    assert api.posts[columns].equals(fourcat.posts[columns])
    assert api.users.equals(fourcat.users)


def test_a_repost_record_takes_the_text_of_the_post_it_shares(tmp_path, jsonl):
    def repost(rkey, subject):
        return {"uri": f"at://did:plc:ghi/app.bsky.feed.repost/{rkey}", "cid": "x",
                "value": {"$type": "app.bsky.feed.repost", "createdAt": "2025-03-02T10:00:00Z",
                          "subject": {"uri": subject, "cid": "bafy"}}}  # fmt: skip

    records = [
        repost("r1", AT.format("abc", "1")),  # before the post it shares: resolved later
        view("1", "Data! #DataSavesLives"),
        repost("r2", AT.format("abc", "404")),  # a post not in the archive
        view("2", "no tag here"),
        repost("r3", AT.format("abc", "2")),
    ]
    report, t = read([jsonl(records)], tmp_path, hashtag="#datasaveslives")
    assert report.kept == 2 and report.filtered_reasons == {"hashtag not in the post's body": 3}
    shared = t.posts.set_index("post_id").loc["at://did:plc:ghi/app.bsky.feed.repost/r1"]
    assert shared["text"] == "Data! #DataSavesLives" and list(shared["hashtags"]) == [
        "datasaveslives"
    ]
    assert shared["source_line"] == 1 and len(t.edges) == 1


# --- Mastodon quotes (4.5+) and replies by local id, on the real bigbone statuses --------


def _real_statuses():
    return json.loads(MASTODON.read_text(encoding="utf-8"))


def _quoting(quoter, quoted, state, *, shallow=False):
    """``quoter`` (a real status) made a quote of ``quoted`` in ``state``, as a Mastodon
    4.5 server writes it (a Quote, or with ``shallow`` a ShallowQuote)."""
    if shallow:
        quote = {"state": state, "quoted_status_id": quoted["id"] if state == "accepted" else None}
    else:
        quote = {"state": state, "quoted_status": quoted if state == "accepted" else None}
    return {**quoter, "quote": quote}


def test_mastodon_quotes_are_quotes_by_the_states_the_specification_gives(tmp_path, jsonl):
    real = _real_statuses()
    a, b = real[14], real[2]  # a: tagged #youtube, #facebook, #foss; b: only #mastodon
    assert "foss" not in {t["name"] for t in b["tags"]}
    states = ["accepted", "pending", "rejected", "revoked", "deleted", "unauthorized",
              "blocked_account", "blocked_domain", "muted_account", "a_state_to_come"]  # fmt: skip
    records = [
        {**_quoting(b, a, state), "uri": f"{b['uri']}/{state}", "id": f"9{i}"}
        for i, state in enumerate(states)
    ]
    report, t = read([jsonl(records)], tmp_path, hashtag="#foss")
    # Only the accepted quote carries a's text, so only it holds #foss in its body.
    others = len(states) - 1
    assert report.kept == 1 and report.filtered_reasons == {
        "hashtag not in the post's body": others
    }
    (quote,) = t.posts.itertuples()
    assert (quote.type, quote.quoted_post_id) == ("quote", a["uri"])
    assert quote.quoted_author_id == "Blort@social.tchncs.de"
    assert "#foss" in quote.full_text.lower() and "#foss" not in quote.text.lower()
    assert "Blort@social.tchncs.de" in set(t.users["user_id"])  # the quoted account is seen
    # Every state, without a hashtag filter: quotes unless not agreed (then originals).
    _, every = read([jsonl(records, "every.jsonl")], tmp_path / "every")
    kinds = dict(zip(every.posts["post_id"], every.posts["type"], strict=True))
    for state in states:
        expected = "original" if state in ("pending", "rejected", "revoked") else "quote"
        assert kinds[f"{b['uri']}/{state}"] == expected, state
    hidden = every.posts[every.posts["post_id"] == f"{b['uri']}/deleted"].iloc[0]
    assert pd.isna(hidden["quoted_post_id"]) and hidden["full_text"] == hidden["text"]


def test_a_boosted_quote_and_a_forks_whole_status_quote(tmp_path, jsonl):
    real = _real_statuses()
    a, b, c = real[14], real[2], real[6]
    quote = _quoting(b, a, "accepted")
    boost = {**c, "uri": f"{c['uri']}/boost", "id": "500", "content": "", "reblog": quote}
    fork = {**c, "quote": a}  # Fedibird and other pre-4.5 forks: the status itself
    _, t = read([jsonl([boost, fork])], tmp_path, hashtag="#foss")
    posts = t.posts.set_index("post_id")
    shared = posts.loc[f"{c['uri']}/boost"]
    assert (shared["type"], shared["retweeted_post_id"]) == ("retweet", b["uri"])
    assert "#foss" in shared["full_text"].lower()  # the boosted quote's quoted text counts
    assert (posts.loc[c["uri"], "type"], posts.loc[c["uri"], "quoted_post_id"]) == (
        "quote", a["uri"])  # fmt: skip


def test_mastodon_replies_and_shallow_quotes_get_the_global_id_of_a_post_in_the_archive(
    tmp_path, jsonl
):
    real = _real_statuses()
    parent, other = real[2], real[3]
    reply = {**real[6], "in_reply_to_id": parent["id"]}
    orphan = {**real[7], "in_reply_to_id": "123"}  # its parent is not in the archive
    shallow = _quoting(real[10], parent, "accepted", shallow=True)
    # Two instances' statuses with one local id: a reply to that id is not guessed.
    clash = {**other, "id": "424242"}
    twin = {**real[11], "id": "424242"}
    ambiguous = {**real[12], "in_reply_to_id": "424242"}
    records = [reply, orphan, shallow, clash, twin, ambiguous, parent]
    _, t = read([jsonl(records)], tmp_path)
    posts = t.posts.set_index("post_id")
    assert posts.loc[reply["uri"], "in_reply_to_post_id"] == parent["uri"]
    assert posts.loc[shallow["uri"], "quoted_post_id"] == parent["uri"]
    assert posts.loc[shallow["uri"], "quoted_author_id"] == "armavi@framapiaf.org"
    for unresolved in (orphan, ambiguous):
        row = posts.loc[unresolved["uri"]]
        assert pd.isna(row["in_reply_to_post_id"]) and row["is_reply"]
    # No placeholder is left anywhere, and the original real replies are still replies.
    assert not t.posts.astype(str).apply(lambda c: c.str.contains("local-id:")).any().any()
    _, whole = read([MASTODON], tmp_path / "whole")
    assert whole.posts["is_reply"].sum() == sum(s["in_reply_to_id"] is not None for s in real) > 0
    assert whole.posts["in_reply_to_post_id"].isna().all()  # no parent in that archive


def test_local_ids_resolve_across_the_parts_of_a_parallel_ingestion(tmp_path, monkeypatch):
    from datasaveslives.core.params import Params
    from datasaveslives.ingest import parallel, tables

    real = _real_statuses()
    parent = real[2]
    lines = [parent, *real[3:14], {**real[14], "in_reply_to_id": parent["id"]}]
    lines.append(_quoting(real[15], parent, "accepted", shallow=True))
    archive = tmp_path / "statuses.jsonl"
    archive.write_text("".join(json.dumps(s) + "\n" for s in lines), encoding="utf-8")
    params = Params(data=(str(archive),), hashtag="")
    single = parallel.run_ingest(params, tmp_path / "one" / "tables")
    monkeypatch.setattr(parallel, "PARALLEL_INGEST_BYTES", 0)
    split = parallel.run_ingest(
        params, tmp_path / "many" / "tables", part_bytes=archive.stat().st_size // 4
    )
    assert len(split["files"]) == 1 and single["kept"] == split["kept"] == len(lines)
    one, many = (tables.load(tmp_path / d / "tables", columns=None) for d in ("one", "many"))
    replies = many.posts.set_index("post_id")
    assert replies.loc[real[14]["uri"], "in_reply_to_post_id"] == parent["uri"]
    assert replies.loc[real[15]["uri"], "quoted_post_id"] == parent["uri"]
    assert tables.digests(tmp_path / "many" / "tables") == tables.digests(
        tmp_path / "one" / "tables"
    )
    assert not (tmp_path / "one" / "tables" / "local_ids.parquet").exists()


def test_a_feed_repost_with_its_own_uri_is_the_same_post_as_its_repository_record(tmp_path, jsonl):
    shown = view("1", "Data! #DataSavesLives")
    by = {"did": "did:plc:ghi", "handle": "ghi.bsky.social"}
    repost_uri = "at://did:plc:ghi/app.bsky.feed.repost/3kabc"
    reason = {"$type": "app.bsky.feed.defs#reasonRepost", "by": by,
              "indexedAt": "2025-03-02T10:00:00.000Z"}  # fmt: skip
    record = {"uri": repost_uri, "cid": "x", "value": {
        "$type": "app.bsky.feed.repost", "createdAt": "2025-03-02T10:00:00Z",
        "subject": {"uri": shown["uri"], "cid": "bafy"}}}  # fmt: skip
    older = {"post": view("2", "Also #DataSavesLives"), "reason": reason}  # no uri: named
    records = [shown, {"post": shown, "reason": {**reason, "uri": repost_uri}}, record, older]
    report, t = read([jsonl(records)], tmp_path)
    assert (report.kept, report.duplicates) == (3, 1)
    posts = t.posts.set_index("post_id")
    assert posts.loc[repost_uri, "retweeted_post_id"] == shown["uri"]
    assert posts.loc[repost_uri, "source_format"] == "bluesky_repost"
    assert f"did:plc:ghi/repost/{AT.format('abc', '2')}" in posts.index
