"""Privacy by default: masking, salts, labels that follow the data, the leak scan,
dehydrated sharing, and an interrupted build that publishes nothing."""

from __future__ import annotations

import json
import stat
import zipfile

import pandas as pd
import pytest
from conftest import status, user

from datasaveslives import cli
from datasaveslives.coding import collect
from datasaveslives.core import paths, publication
from datasaveslives.core.params import Params, ParamsError
from datasaveslives.ingest import parallel
from datasaveslives.privacy import dehydrate, leakscan, policy
from datasaveslives.report import pipeline, provenance, runs, staging

RULES = policy.Privacy(allowlist=frozenset({"farrinstitute"}), salt="a-test-salt-of-16+")


def test_mentions_of_accounts_not_allowlisted_and_links_are_masked():
    text = "Thanks @FarrInstitute and @jane_doe! Mail me@example.org https://t.co/x #datasaveslives"
    assert RULES.mask(text) == (
        "Thanks @FarrInstitute and @[username]! Mail me@example.org [link] #datasaveslives"
    )
    keep_links = policy.Privacy(allowlist=frozenset(), salt="a-test-salt-of-16+", mask_links=False)
    assert keep_links.mask("see www.example.org @x") == "see www.example.org @[username]"


def test_quoted_texts_are_masked_and_deleted_ones_withheld():
    rules = policy.Privacy(
        allowlist=frozenset({"farrinstitute"}),
        salt="a-test-salt-of-16+",
        deletions=policy.Deletions(posts=frozenset({"9"})),
    )
    assert rules.text("1", "u1", "FarrInstitute", "hi @bob") == "hi @[username]"
    assert rules.text("9", "u1", "FarrInstitute", "hi") == policy.DELETED_TEXT
    assert rules.text("2", "u2", "bob", "hi") is None


def test_the_published_coding_sample_masks_mentions_even_on_the_synthetic_corpus():
    sample = pd.DataFrame({"post_id": ["1", "2"], "text": ["with @bob_x", policy.DELETED_TEXT]})
    shown = collect.publishable(sample, pd.DataFrame(), pd.Series(dtype=str), RULES, True)
    assert shown["text"].tolist() == ["with @[username]", policy.DELETED_TEXT]


def test_real_data_get_a_secret_salt_made_once_or_the_environments(tmp_path, monkeypatch):
    monkeypatch.delenv(policy.SALT_VARIABLE, raising=False)
    secret = tmp_path / "secrets" / "salt"
    first = policy.salt_from_env(secret)
    assert len(first) == 64 and first != policy.SYNTHETIC_SALT
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert policy.salt_from_env(secret) == first  # stable on this machine
    assert policy.salt_from_env(tmp_path / "elsewhere") != first  # unguessable elsewhere
    monkeypatch.setenv(policy.SALT_VARIABLE, "a-shared-project-salt")
    assert policy.salt_from_env(secret) == "a-shared-project-salt"
    assert policy.pseudonym("42", "a-shared-project-salt") != policy.pseudonym("42", first)


@pytest.mark.parametrize("value", ["", "short", " " * 3])
def test_an_empty_or_short_salt_is_a_clear_error_never_an_unkeyed_pseudonym(
    tmp_path, monkeypatch, value
):
    monkeypatch.setenv(policy.SALT_VARIABLE, value)
    with pytest.raises(policy.SaltError, match=f"{policy.SALT_VARIABLE}.*at least 16"):
        policy.salt_from_env(tmp_path / "salt")
    monkeypatch.delenv(policy.SALT_VARIABLE)
    (tmp_path / "salt").write_text(value)
    # (matched after the file's path, which holds this test's name)
    state = "empty" if not value.strip() else r"only 5 character\(s\) long"
    with pytest.raises(policy.SaltError, match=f"salt is {state}; pseudonyms need"):
        policy.salt_from_env(tmp_path / "salt")
    with pytest.raises(policy.SaltError):
        policy.Privacy(allowlist=frozenset(), salt=value)


def test_pseudonyms_have_64_bits_and_every_byte_of_the_salt_counts():
    base = "x" * 64
    name = policy.pseudonym("700014565", base + "a")
    assert name.startswith("user-") and len(name) == len("user-") + 16
    assert name != policy.pseudonym("700014565", base + "b")  # differs after byte 64
    # The ids that collided under 32-bit pseudonyms with the synthetic salt do not now.
    salt = policy.SYNTHETIC_SALT
    assert policy.pseudonym("700014565", salt) != policy.pseudonym("700039828", salt)
    ref = policy.reference("700014565", salt)
    assert ref.startswith("post-") and ref[5:] != policy.pseudonym("700014565", salt)[5:]


def test_a_pseudonym_collision_is_an_error_not_a_merge(monkeypatch):
    policy.check_unique([str(i) for i in range(2000)], policy.SYNTHETIC_SALT)
    monkeypatch.setattr(policy, "DIGEST_BYTES", 1)  # 256 names: 2,000 ids must collide
    with pytest.raises(policy.PseudonymCollision, match="share the pseudonym"):
        policy.check_unique([str(i) for i in range(2000)], policy.SYNTHETIC_SALT)


def test_other_data_are_never_labelled_synthetic(jsonl):
    data = jsonl([status("1", "Hello #datasaveslives")])
    params = Params.load(paths.PARAMS, data=[str(data)])
    assert params.synthetic is False
    assert (params.deletions, params.quotable, params.data_label) == (None, None, "")
    params.validate()
    with pytest.raises(ParamsError, match="not the synthetic corpus"):
        Params.load(paths.PARAMS, data=[str(data)], synthetic=True).validate()
    assert Params.load(paths.PARAMS).synthetic is True  # the corpus itself


def test_leak_patterns_catch_mentions_bare_handles_and_masked_deleted_texts():
    names = ["bob", "jane_doe", "privateperson"]
    fragments = [("7", "a secret announcement about our new data project")]
    docs = [
        ("a.html", "nothing here, bob is a word; user-1a2b3c4d is a pseudonym"),
        ("b.html", "thanks @Bob"),
        ("c.csv", "jane_doe,3\nPrivatePerson"),
        ("d.txt", "RT @[username]: A secret  announcement about our new data project [link]"),
    ]
    found = {(leak.where, leak.kind, leak.value) for leak in leakscan.scan(docs, names, fragments)}
    assert found == {
        ("b.html", "screen name", "@Bob"),
        ("c.csv", "screen name", "jane_doe"),
        ("c.csv", "screen name", "PrivatePerson"),
        ("d.txt", "deleted post", "7"),
    }


def test_the_leak_scan_searches_the_data_a_page_embeds_but_not_its_code():
    # A name in a page's embedded JSON (the interactive charts' aggregates, Bokeh's
    # document) is found bare, and an id anywhere; the same word in executable code or
    # in a structural key or a base64 blob is not a leak.
    data = json.dumps(
        {
            "labels": ["user-1a2b3c4d", "jane_doe"],
            "type": "privateperson",
            "array": {"type": "bytes", "data": "H4sI/privateperson/AAA="},
            "code": "const privateperson = 1;",
        }
    )
    page = (
        f'<script type="application/json" id="d">{data}</script>'
        "<script>var privateperson = 2;</script><p>nothing</p>"
    )
    found = {(leak.kind, leak.value) for leak in leakscan.scan([("x.html", page)], NAMES)}
    assert found == {("screen name", "jane_doe")}
    assert leakscan.searchable("<script>privateperson()</script>") == " "
    broken = '<script type="application/json">{not json privateperson</script>'
    assert "privateperson" in leakscan.searchable(broken)  # searched whole: not JSON


NAMES = ["bob", "jane_doe", "privateperson"]


def test_deleted_fragments_skip_stretches_that_visible_posts_also_say():
    posts = pd.DataFrame(
        {
            "post_id": ["1", "2", "3", "4"],
            "author_id": ["a", "b", "c", "d"],
            "type": ["original", "original", "original", "retweet"],
            "text": [
                "our unique announcement of a brand new data project @x https://t.co/1",
                "a common template text shared by many posts here",
                "a common template text shared by many posts here",
                "RT our unique announcement of a brand new data project",
            ],
        }
    )
    deletions = policy.Deletions(posts=frozenset({"1", "2"}))
    assert leakscan.deleted_fragments(posts, deletions) == [
        ("1", "our unique announcement of a brand new data project")
    ]


@pytest.fixture
def tiny_run(tmp_path, jsonl):
    """A run folder with tables and provenance, and a book folder to scan."""
    alice, bob = user("1", "FarrInstitute"), user("2", "bob_private")
    posts = [
        status("10", "Our news #datasaveslives", author=alice),
        status("11", "a deleted post that nobody may quote again #datasaveslives", author=bob),
    ]
    deletions = tmp_path / "deletions.csv"
    deletions.write_text("id,kind\n11,post\n")
    allow = tmp_path / "allow.yml"
    allow.write_text("- FarrInstitute\n")
    params = Params(data=(str(jsonl(posts)),), allowlist=str(allow), deletions=str(deletions))
    layout = runs.RunLayout(tmp_path / "run")
    report = parallel.run_ingest(params, layout.tables)
    layout.provenance.write_text(
        json.dumps(provenance.collect(params.notebook_parameters(), report))
    )
    html = tmp_path / "run" / "html"
    (html / "book").mkdir(parents=True)
    (html / "book" / "page.html").write_text("<p>@FarrInstitute and user-0a1b2c3d</p>")
    publication.write_manifest(layout.root, html)
    return layout.root, html


def test_the_leak_command_passes_a_clean_book_and_fails_a_planted_leak(tiny_run, capsys):
    run, html = tiny_run
    assert cli.main(["leakscan", "--out", str(run)]) == 0
    assert "no leak found" in capsys.readouterr().out
    with zipfile.ZipFile(html / "book" / "coded.xlsx", "w") as book:
        book.writestr("xl/sheet1.xml", "<t>thanks &#64;bob_private</t>")
    (html / "table.csv").write_text("text\nA deleted post that nobody may quote again\n")
    assert cli.main(["leakscan", "--out", str(run)]) == cli.EXIT_USAGE  # not what was built
    assert "differ from the manifest" in capsys.readouterr().err
    publication.write_manifest(run, html)  # as if a build had published them
    assert cli.main(["leakscan", "--out", str(run)]) == 1
    out = capsys.readouterr()
    assert "coded.xlsx!xl/sheet1.xml:1: screen name '@bob_private'" in out.out
    assert "table.csv: deleted post '11'" in out.out
    assert "2 leak(s) found" in out.err


def test_leakscan_without_a_built_book_is_one_clear_line(tmp_path, capsys):
    assert cli.main(["leakscan", "--out", str(tmp_path / "nothing")]) == cli.EXIT_USAGE
    assert "build the book first" in capsys.readouterr().err


def test_dehydrate_writes_ids_parameters_and_instructions(tmp_path, jsonl, capsys):
    posts = [
        status("20", "b #datasaveslives", when="Fri Sep 02 10:00:00 +0000 2016"),
        status("3", "a #datasaveslives", when="Thu Sep 01 10:00:00 +0000 2016"),
        status("4", "no tag", when="Thu Sep 01 10:00:00 +0000 2016"),
    ]
    paper = tmp_path / "paper_ids.txt"
    paper.write_text("1\n2\n")
    out = tmp_path / "shared"
    code = cli.main(
        ["dehydrate", "--data", str(jsonl(posts)), "--out", str(out), "--paper-ids", str(paper),
         "--hashtag", "#datasaveslives", "--start", "2016-09-01", "--end", "2017-08-31"]
    )  # fmt: skip
    assert code == 0 and "ids of 2 posts" in capsys.readouterr().out
    assert (out / dehydrate.IDS_FILE).read_text() == "3\n20\n"
    assert (out / dehydrate.PAPER_IDS_FILE).read_text() == "1\n2\n"
    shared = Params.load(out / dehydrate.PARAMS_FILE, data=["rehydrated.jsonl"])
    assert shared.hashtag == "#datasaveslives" and shared.start == "2016-09-01"
    readme = (out / dehydrate.README_FILE).read_text()
    assert "twarc2 hydrate" in readme and "the 2 posts" in readme


def test_an_interrupted_build_publishes_nothing(tmp_path, monkeypatch, jsonl, capsys):
    """A finished build's tables, provenance, manifest and HTML stay exactly as they were
    when a later build into the same folder is interrupted, and the leak scan still
    vouches for them; a folder left mid-publication is refused."""
    target, run = tmp_path / "html", tmp_path / "run"
    built = tmp_path / "built"
    (built / "book").mkdir(parents=True)
    (built / "book" / "page.html").write_text("the previous book")
    monkeypatch.setattr(staging, "jupyter_book", lambda *a, **k: built)
    first = Params(data=(str(jsonl([status("1", "x #datasaveslives")], name="a.jsonl")),))
    pipeline.build(first, workdir=run, html_out=target, sections=(), summaries=(), quiet=True)
    before = publication.listing(run, target, None)
    assert set(before) >= {"tables/posts.parquet", "provenance.json", "html/book/page.html"}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(staging, "jupyter_book", interrupted)
    second = Params(data=(str(jsonl([status("2", "y #datasaveslives")], name="b.jsonl")),))
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(second, workdir=run, html_out=target, sections=(), summaries=(), quiet=True)
    assert publication.listing(run, target, None) == before  # tables and provenance too
    publication.verify(run, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.jsonl",
        "b.jsonl",
        "built",
        "html",
        "run",
    ]
    monkeypatch.setattr(pipeline, "build", lambda *a, **k: interrupted())
    assert cli.main(["build"]) == cli.EXIT_INTERRUPTED
    assert "nothing was published" in capsys.readouterr().err
    (run / publication.MANIFEST).unlink()  # as a build interrupted mid-publication leaves it
    with pytest.raises(publication.PublicationError, match="no manifest of a finished build"):
        publication.verify(run, target)


def test_one_build_at_a_time_writes_to_a_run_folder(tmp_path):
    busy = pytest.raises(publication.PublicationError, match="another build .* is writing")
    with publication.lock(tmp_path / "run"), busy, publication.lock(tmp_path / "run"):
        pass
    with publication.lock(tmp_path / "run"):  # free again once the first is done
        pass


def test_bluesky_and_mastodon_handles_are_masked_whole():
    rules = policy.from_parameters(paths.ROOT / "data" / "allowlist.yml", None, None, False)
    text = "thanks @fsu-nationale.bsky.social and @ann@mastodon.social, @HeRC_Farr. info@x.org"
    assert rules.mask(text) == "thanks @[username] and @[username], @HeRC_Farr. info@x.org"


PLANTED_FORMS = {
    "full-width @": "thanks ＠dornerk",
    "zero-width space": "thanks @\u200bMFIJake",
    "bare": "with Zigmint today",
    "possessive": "seusssl's talk",
    "Twitter profile link": "see twitter.com/ceesav",
    "X profile link": "see https://x.com/ceesav/status/1",
    "Instagram link": "see instagram.com/rienpha",
    "Mastodon account": "ask jimrmet@mastodon.social",
    "Bluesky handle": "ask @neato.bsky.social or neato.bsky.social",
    "full-width letters": "ＨｔｓＳｌｔ said",
}
PLANTED_NAMES = ["dornerk", "MFIJake", "Zigmint", "seusssl", "ceesav", "rienpha",
                 "jimrmet@mastodon.social", "neato.bsky.social", "HtsSlt"]  # fmt: skip


@pytest.mark.parametrize("form", sorted(PLANTED_FORMS))
def test_every_form_a_name_takes_is_masked_and_found_by_the_leak_scan(form):
    users = pd.DataFrame({"user_id": [str(i) for i in range(len(PLANTED_NAMES) + 1)],
                          "screen_name": [*PLANTED_NAMES, "FarrInstitute"]})  # fmt: skip
    rules = RULES.knowing(users)
    text = PLANTED_FORMS[form]
    masked = rules.mask(text)
    assert not leakscan.scan([("page.html", masked)], PLANTED_NAMES), masked
    for name in PLANTED_NAMES:
        assert name.split("@")[0].split(".")[0].casefold() not in masked.casefold(), masked
    leaks = leakscan.scan([("page.html", f"<p>{text}</p>")], PLANTED_NAMES)
    assert leaks and all(leak.where == "page.html" and leak.line == 1 for leak in leaks), form


def test_a_deleted_allowlisted_account_is_no_longer_named():
    users = pd.DataFrame({"user_id": ["1", "2"], "screen_name": ["FarrInstitute", "HeRC_Farr"]})
    rules = policy.Privacy(
        allowlist=frozenset({"farrinstitute", "herc_farr"}),
        salt=policy.SYNTHETIC_SALT,
        deletions=policy.Deletions(users=frozenset({"2"})),
    ).knowing(users)
    assert rules.account("2", "HeRC_Farr").startswith("user-")
    assert rules.mask("with @HeRC_Farr and @FarrInstitute") == "with @[username] and @FarrInstitute"
    assert rules.mask("HeRC_Farr's report") == "[username]'s report"


def test_the_leak_scan_finds_ids_of_posts_and_accounts_not_allowlisted():
    posts = pd.DataFrame({
        "post_id": ["1440713966649417731", "1440713966649417999"],
        "author_id": ["4203239195", "77777777"],
        "type": ["original", "original"], "text": ["a", "b"],
        "retweeted_post_id": [None, None], "retweeted_author_id": [None, None],
        "quoted_post_id": [None, None], "quoted_author_id": [None, None],
        "in_reply_to_post_id": [None, None],
    })  # fmt: skip
    users = pd.DataFrame(
        {"user_id": ["4203239195", "77777777"], "screen_name": ["someone_x", "FarrInstitute"],
         "name": ["Jane Q. Zabriskie", "Farr Institute"]}
    )  # fmt: skip
    rules = leakscan.forbidden(posts, users, frozenset({"farrinstitute"}))
    docs = [("coded.xlsx!sheet1.xml", '<t>1440713966649417731</t>\n<t>1440713966649417999</t>'),
            ("page.html", "x.com/i/status/1440713966649417731 and user 4203239195."),
            ("bio.txt", "Jane  Q. ZABRISKIE wrote; the Farr Institute said")]  # fmt: skip
    found = {(leak.where, leak.value, leak.line) for leak in leakscan.scan(docs, rules)}
    assert found == {
        ("coded.xlsx!sheet1.xml", "1440713966649417731", 1),
        ("page.html", "1440713966649417731", 1),
        ("page.html", "4203239195", 1),
        ("bio.txt", "jane q. zabriskie", 0),
    }


def test_word_counts_leave_out_the_names_of_accounts_that_may_not_be_named():
    from datasaveslives.core import tokens

    users = pd.DataFrame({"user_id": ["1", "2"], "screen_name": ["zigmint", "FarrInstitute"]})
    rules = RULES.knowing(users)
    texts = ["zigmint data zigmint", "zigmint's farrinstitute data"]
    counted = dict(tokens.top_words(texts, 10, sorted(rules.bare)))
    assert not [w for w in counted if "zigmint" in w], counted  # nor its possessive
    assert counted["data"] == 2 and counted["farrinstitute"] == 1
