"""`collect bluesky` and `collect mastodon`, offline: the services' responses replayed by
vcrpy from cassettes made of real payloads (tests/cassettes.py): paging, a rate limit,
an interruption and its resumption, errors, credentials, and the collected folders
ingested with no options."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import cassettes as cs
import pytest
import vcr
import yaml

from datasaveslives import cli
from datasaveslives.collect import archive, bluesky, mastodon, pacing
from datasaveslives.collect.pacing import Pacing
from datasaveslives.ingest import ingestion, tables

REPLAY = vcr.VCR(record_mode="none")  # a request no cassette holds fails the test
TOP = 3
RESET_IN = 30  # seconds until a rate limit's window resets
B_SEES = slice(5, 15)  # the statuses the second Mastodon instance also saw


def stop_on_wait(seconds: float) -> None:
    raise KeyboardInterrupt(f"stopped during a {seconds:.0f} s wait")


def sky(out: Path, **kw) -> bluesky.Options:
    return bluesky.Options(
        "#bluesky",
        date.fromisoformat(cs.SINCE),
        date.fromisoformat(cs.UNTIL),
        out,
        top_reposted=TOP,
        **kw,
    )


def masto(out: Path) -> mastodon.Options:
    return mastodon.Options(
        ("https://a.example", "https://b.example"),
        "#mastodon",
        date.fromisoformat(cs.M_SINCE),
        date.fromisoformat(cs.M_UNTIL),
        out,
    )


def replay(tmp: Path, name: str, exchanges: list) -> str:
    return str(cs.write(tmp / f"{name}.yaml", exchanges))


def pages_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.gz"))}


def bluesky_exchanges() -> list:
    pages = cs.search_pages()
    return [
        cs.search_exchange(c, r, indent=2 if i == 0 else None) for i, (c, r) in enumerate(pages)
    ] + cs.bluesky_after_search(TOP)


# --- Bluesky ------------------------------------------------------------------------------


def collect_bluesky_resumed(tmp_path: Path) -> tuple[Path, archive.Collection, list[float]]:
    """A Bluesky collection stopped (Ctrl-C) while it waits out a rate limit on the second
    search page, then run again: the folder, the collection and the waits of the rerun."""
    out = tmp_path / "sky"
    every = bluesky_exchanges()
    (_, first), (second_cursor, _) = cs.search_pages()[:2]
    limited = cs.search_exchange(
        second_cursor, {"error": "RateLimitExceeded"}, status=429, headers=cs.rate_limited(RESET_IN)
    )
    with (
        REPLAY.use_cassette(replay(tmp_path, "one", [every[0], limited])),
        pytest.raises(KeyboardInterrupt),
    ):
        bluesky.collect(sky(out), pacing=Pacing(sleep=stop_on_wait), env={})
    manifest = archive.read_manifest(out)
    assert manifest["status"] == "interrupted" and manifest["finished"] is None
    assert manifest["stages"][bluesky.SEARCH] == {
        "pages": 1,
        "records": len(first["posts"]),
        "done": False,
        "cursor": second_cursor,
    }
    # Run again: it asks for the second page (the cassette holds no first page) and on.
    waits: list[float] = []
    with REPLAY.use_cassette(replay(tmp_path, "two", [limited, *every[1:]])) as played:
        found = bluesky.collect(sky(out), pacing=Pacing(sleep=waits.append), env={})
        assert played.all_played
    return out, found, waits


def test_a_bluesky_search_is_collected_interrupted_resumed_and_ingested(tmp_path):
    out, found, waits = collect_bluesky_resumed(tmp_path)
    every = bluesky_exchanges()
    first = cs.search_pages()[0][1]
    assert RESET_IN - 10 <= waits[0] <= RESET_IN + 1  # until the reset, then the page
    manifest = found.manifest
    assert manifest["status"] == "complete" and len(manifest["resumed"]) == 1
    stages = manifest["stages"]
    assert stages[bluesky.SEARCH]["records"] == len(cs.bluesky_window_posts())
    assert stages[bluesky.REPOSTED_BY] == {
        "pages": TOP,
        "records": TOP,
        "done": True,
        "item": TOP,
        "cursor": None,
    }
    assert stages[bluesky.FEEDS]["pages"] == 2 and stages[bluesky.FEEDS]["unreached"] == 0
    assert manifest["versions"]["atproto"] and manifest["logged_in"] is False
    assert manifest["query"] == "#bluesky" and manifest["until"] == cs.UNTIL
    assert found.check() == []  # every file as its checksum says
    # Every page is one line of JSON, the response as returned (the indented first too).
    with gzip.open(out / "bluesky/search/000001.jsonl.gz", "rb") as fh:
        lines = fh.read().splitlines()
    assert len(lines) == 1 and json.loads(lines[0]) == first
    # Uninterrupted, the same responses give the same bytes in every file.
    again = tmp_path / "again"
    with REPLAY.use_cassette(replay(tmp_path, "whole", every)):
        bluesky.collect(sky(again), pacing=Pacing(sleep=waits.append), env={})
    assert pages_of(again) == pages_of(out)

    # Ingested with no options: the search's posts, the reposts found, profiles joined.
    report = ingestion.ingest([out], tmp_path / "tables")
    assert report.balances() and report.quarantined == 0
    assert report.skipped_files == [str(out / archive.MANIFEST)]
    t = tables.load(tmp_path / "tables", columns=None)
    posts = set(t.posts["post_id"])
    assert {p["uri"] for p in cs.bluesky_window_posts()} <= posts
    reposter = cs.reposter()["did"]
    shared = t.posts[(t.posts["type"] == "retweet") & (t.posts["author_id"] == reposter)]
    targets = {p["uri"] for p in cs.most_reposted(TOP)}
    assert targets <= set(shared["retweeted_post_id"])
    assert all(
        i.startswith(f"at://{reposter}/app.bsky.feed.repost/")
        for i in shared[shared["retweeted_post_id"].isin(targets)]["post_id"]
    )
    assert len(t.edges[t.edges["retweeter_id"] == reposter]) >= TOP
    followers = t.users.set_index("user_id")["followers"]
    authors = {p["author"]["did"] for p in cs.bluesky_window_posts()}
    assert followers.loc[sorted(authors)].notna().all()  # from the profiles stage


def test_a_failing_service_stops_resumably_and_a_refusal_at_once(tmp_path, capsys, monkeypatch):
    every = bluesky_exchanges()
    cursor, _ = cs.search_pages()[0]
    failing = cs.search_exchange(cursor, cs.ERROR, status=500)
    out = tmp_path / "sky"
    # A server error is tried four times, then the command stops with one clear line.
    with REPLAY.use_cassette(replay(tmp_path, "failing", [failing] * 4)):
        argv = [
            "collect",
            "bluesky",
            "--query",
            "#bluesky",
            "--since",
            cs.SINCE,
            "--until",
            cs.UNTIL,
            "--out",
            str(out),
            "--top-reposted",
            str(TOP),
        ]
        waits: list[float] = []
        monkeypatch.setattr("datasaveslives.collect.pacing.time.sleep", waits.append)
        assert cli.main(argv) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "tried 4 times" in err and "again to resume" in err
    assert waits == [pacing.BACKOFF * 2**i for i in range(pacing.RETRIES)]  # backing off
    assert archive.read_manifest(out)["status"] == "interrupted"
    # A request the service refuses (400) stops at once, naming what was refused.
    refused = cs.search_exchange(cursor, {"error": "InvalidRequest", "message": "bad"}, status=400)
    with (
        REPLAY.use_cassette(replay(tmp_path, "refused", [refused])),
        pytest.raises(archive.CollectError, match="searchPosts: the service answered 400"),
    ):
        bluesky.collect(sky(tmp_path / "other"), pacing=Pacing(sleep=waits.append), env={})
    # Resumed with the same options, the collection completes from where it stopped.
    with REPLAY.use_cassette(replay(tmp_path, "rest", every)):
        done = bluesky.collect(sky(out), pacing=Pacing(sleep=waits.append), env={})
    assert done.manifest["status"] == "complete"
    # Other options into the same folder: refused, the collection untouched.
    with pytest.raises(archive.CollectError, match="holds another collection"):
        bluesky.collect(
            bluesky.Options("#other", date(2025, 1, 1), date(2025, 12, 31), out),
            pacing=Pacing(sleep=waits.append),
            env={},
        )


def _jwt(payload: dict) -> str:
    import base64

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part(payload)}.c2lnbmF0dXJl"


def test_credentials_come_from_the_environment_and_are_never_written(tmp_path, capsys):
    password, did = "abcd-efgh-ijkl-mnop", "did:plc:collector0000000000000000"
    access = _jwt({"scope": "com.atproto.appPass", "sub": did, "exp": 4102444800})
    refresh = _jwt({"scope": "com.atproto.refresh", "sub": did, "exp": 4102444800})
    session = {
        "did": did,
        "handle": "collector.bsky.social",
        "accessJwt": access,
        "refreshJwt": refresh,
        "active": True,
    }
    login = cs.exchange(
        "https://bsky.social/xrpc/com.atproto.server.createSession", session, method="POST"
    )
    moved = [
        {
            **e,
            "request": {
                **e["request"],
                "uri": e["request"]["uri"].replace(cs.BSKY, "https://bsky.social/xrpc"),
            },
        }
        for e in bluesky_exchanges()
    ]
    out = tmp_path / "sky"
    env = {bluesky.HANDLE_ENV: "collector.bsky.social", bluesky.PASSWORD_ENV: password}
    sent: set[tuple[str, str | None]] = set()
    watching = vcr.VCR(record_mode="none")
    # A matcher that matches everything, to see each request's headers as it was sent.
    watching.register_matcher(
        "sent", lambda r1, r2: sent.add((r1.path, r1.headers.get("Authorization")))
    )
    with watching.use_cassette(
        replay(tmp_path, "login", [login, *moved]), match_on=[*REPLAY.match_on, "sent"]
    ):
        bluesky.collect(sky(out), pacing=Pacing(sleep=lambda s: None), env=env)
    calls = {path.rsplit("/", 1)[1]: auth for path, auth in sent}
    assert calls.pop("com.atproto.server.createSession") is None and len(calls) == 4
    assert set(calls.values()) == {f"Bearer {access}"}  # every other call as the account
    said = capsys.readouterr()
    for secret in (password, access, refresh, "collector.bsky.social"):
        for path in out.rglob("*"):
            if path.is_file():
                raw = path.read_bytes()
                text = gzip.decompress(raw) if path.suffix == ".gz" else raw
                assert secret.encode() not in text, (secret, path)
        assert secret not in said.out + said.err
    assert archive.read_manifest(out)["logged_in"] is True


# --- Mastodon -----------------------------------------------------------------------------


def mastodon_exchanges() -> tuple[list, list, dict]:
    items = cs.statuses()
    a = cs.timeline_pages("https://a.example", items, 10)
    b_items = cs.seen_from(items[B_SEES], offset=7)
    b = cs.timeline_pages("https://b.example", b_items, 10)
    limited = {
        **b[0],
        "response": {
            **b[0]["response"],
            "status": {"code": 429, "message": "x"},
            "body": {"string": json.dumps({"error": "Too many requests"})},
        },
    }
    limited["response"]["headers"] = {
        **b[0]["response"]["headers"],
        **{k: [v] for k, v in cs.mastodon_rate_limit().items()},
    }
    return a, b, limited


def collect_mastodon_resumed(tmp_path: Path) -> tuple[Path, archive.Collection]:
    """A Mastodon collection of two instances, stopped (Ctrl-C) while it waits out the
    second's rate limit, then run again: the folder and the collection."""
    a, b, limited = mastodon_exchanges()
    out = tmp_path / "masto"
    # The first instance whole, then Ctrl-C while the second's rate limit is waited out.
    with (
        REPLAY.use_cassette(replay(tmp_path, "one", [*a, limited])),
        pytest.raises(KeyboardInterrupt),
    ):
        mastodon.collect(masto(out), pacing=Pacing(sleep=stop_on_wait), env={})
    manifest = archive.read_manifest(out)
    assert manifest["status"] == "interrupted"
    assert manifest["stages"]["mastodon/a.example"]["done"]
    assert manifest["stages"]["mastodon/a.example"]["records"] == len(cs.statuses())
    # Resumed: only the second instance is asked (the cassette holds nothing of the first).
    with REPLAY.use_cassette(replay(tmp_path, "two", [limited, *b])) as played:
        found = mastodon.collect(masto(out), pacing=Pacing(sleep=lambda s: None), env={})
        assert played.all_played
    return out, found


def test_a_mastodon_tag_timeline_on_two_instances_is_collected_resumed_and_ingested(tmp_path):
    out, found = collect_mastodon_resumed(tmp_path)
    manifest = found.manifest
    assert manifest["status"] == "complete" and manifest["query"] == "#mastodon"
    assert manifest["instances"] == ["https://a.example", "https://b.example"]
    seen_twice = len(cs.statuses()[B_SEES])
    assert manifest["stages"]["mastodon/b.example"]["records"] == seen_twice
    assert manifest["versions"]["Mastodon.py"] and found.check() == []
    # Ingested with no options: one post per status, whichever instances saw it.
    report = ingestion.ingest([out], tmp_path / "tables")
    every = len(cs.statuses())
    assert (report.read, report.kept, report.duplicates) == (every + seen_twice, every, seen_twice)
    assert set(tables.load(tmp_path / "tables", columns=None).posts["source_format"]) == {
        "mastodon"
    }
    # init takes the collection's window and hashtag.
    params = tmp_path / "params.yml"
    assert cli.main(["init", str(out), "--out", str(params)]) == 0
    written = yaml.safe_load(params.read_text(encoding="utf-8"))
    assert (str(written["start"]), str(written["end"]), written["hashtag"]) == (
        cs.M_SINCE,
        cs.M_UNTIL,
        "#mastodon",
    )


def test_the_collectors_refuse_what_they_cannot_collect(tmp_path):
    day = date(2025, 1, 2)
    with pytest.raises(archive.CollectError, match="before --since"):
        bluesky.collect(bluesky.Options("#x", day, date(2025, 1, 1), tmp_path / "a"), env={})
    for tag in ("", "#", "two words"):
        with pytest.raises(archive.CollectError, match="not a hashtag"):
            mastodon.collect(mastodon.Options(("a.example",), tag, day, day, tmp_path / "b"))
    with pytest.raises(archive.CollectError, match="named twice"):
        mastodon.collect(
            mastodon.Options(("a.example", "https://a.example"), "x", day, day, tmp_path / "c")
        )
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(archive.CollectError, match="not empty"):
        mastodon.collect(mastodon.Options(("a.example",), "x", day, day, tmp_path / "full"))
    assert mastodon.token_for("mastodon.social", {"MASTODON_ACCESS_TOKEN_MASTODON_SOCIAL": "t"})
    assert mastodon.token_for("a.example", {}) is None


def test_a_page_keeps_the_response_on_one_line_and_a_changed_file_is_found(tmp_path):
    body = b'{\n  "posts": [\n    {"text": "two\\nlines"}\n  ],\r\n  "cursor": "x"\n}'
    assert json.loads(archive.one_line(body)) == json.loads(body)
    assert b"\n" not in archive.one_line(body)
    collection = archive.Collection.open(tmp_path / "c", {"service": "test"}, ())
    page = collection.save("test/stage", body, 1, cursor="x")
    assert gzip.decompress(page.read_bytes()) == archive.one_line(body) + b"\n"
    assert collection.check() == []
    page.write_bytes(gzip.compress(b"{}\n"))
    assert collection.check() == ["test/stage/000001.jsonl.gz"]
    # A page written but not yet listed (stopped between the two) is written again.
    stray = tmp_path / "c" / "test/stage/000002.jsonl.gz"
    stray.write_bytes(b"half")
    again = archive.Collection.open(tmp_path / "c", {"service": "test"}, ())
    assert again.save("test/stage", b"[]", 0) == stray and gzip.decompress(stray.read_bytes())


def test_ctrl_c_says_the_collection_resumes(tmp_path, capsys, monkeypatch):
    def stopped(options, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(mastodon, "collect", stopped)
    argv = ["collect", "mastodon", "--instance", "a.example", "--tag", "x", "--since",
            "2025-01-01", "--until", "2025-01-02", "--out", str(tmp_path / "m")]  # fmt: skip
    assert cli.main(argv) == cli.EXIT_INTERRUPTED
    assert "resumes when the same command is run again" in capsys.readouterr().err


def test_a_reposter_the_service_refuses_is_skipped_and_counted(tmp_path):
    pages = [cs.search_exchange(c, r) for c, r in cs.search_pages()]
    after = cs.bluesky_after_search(TOP)
    feeds = [e for e in after if "getAuthorFeed" in e["request"]["uri"]]
    gone = {**feeds[0], "response": {**feeds[0]["response"], "status": {"code": 400, "message":
            "x"}, "body": {"string": json.dumps({"error": "InvalidRequest",
                                                 "message": "Profile not found"})}}}  # fmt: skip
    rest = [e for e in after if e not in feeds]
    reposted, profiles = rest[:TOP], rest[TOP:]
    with REPLAY.use_cassette(replay(tmp_path, "gone", [*pages, *reposted, gone, *profiles])):
        done = bluesky.collect(sky(tmp_path / "sky"), pacing=Pacing(sleep=lambda s: None), env={})
    feeds_state = done.manifest["stages"][bluesky.FEEDS]
    assert done.manifest["status"] == "complete" and feeds_state["unreached"] == TOP
    assert feeds_state["pages"] == 0 and "Profile not found" in feeds_state["refused"][0]
