"""Books other than the default one, built as `make book` builds them (strict): a neutral
book, with its PDF, on an archive of another study, its chapters run in the test
process's kernel (tests/kernel.py); and a build that fails, its notebooks executed by
papermill as in every build. The default book is built once in tests/test_book.py."""

from __future__ import annotations

import re

import pytest
import rendered
from test_book import page_text

from datasaveslives.core import paths, publication
from datasaveslives.core.params import Params
from datasaveslives.privacy import leakscan
from datasaveslives.report import notebooks, pipeline, staging

pytestmark = pytest.mark.book


def test_a_mixed_bluesky_and_mastodon_archive_gives_a_whole_book_in_its_words(tmp_path, chapters):
    import gzip
    from itertools import islice

    import orjson
    from conftest import BLUESKY, MASTODON

    from datasaveslives.synth import bluesky, build

    # The real payloads, plus generated Bluesky posts and reposts (a slice of the
    # synthetic corpus as Bluesky records), so that every chapter has shares to show.
    with gzip.open(paths.SYNTHETIC / build.CORPUS_FILE, "rb") as fh:
        statuses = [orjson.loads(line) for line in islice(fh, 6000, 8000)]
    generated = tmp_path / "generated_bluesky.jsonl"
    generated.write_bytes(
        b"".join(orjson.dumps(r) + b"\n" for r in bluesky.convert(iter(statuses)))
    )
    params = Params.load(paths.PARAMS, data=[str(BLUESKY), str(MASTODON), str(generated)],
                         hashtag="", start="2016-01-01", end="2025-12-31")  # fmt: skip
    # Built as `build` builds it (strict), the chapters executed in the test kernel.
    html = pipeline.build(
        params,
        workdir=tmp_path / "run",
        quiet=True,
        pdf=not staging.tex_missing(),  # its PDF too: a table without rows once stopped it
        execute=chapters.execute_all,
    )
    if not staging.tex_missing():
        assert (tmp_path / "run" / "datasaveslives.pdf").stat().st_size > 100_000
    # With no repository to point to, pages link the PDF (when built) and the citation only.
    footer = (html / "book" / "users.html").read_text(encoding="utf-8")
    assert "compendium-citation" in footer and "compendium-binder" not in footer
    assert ("compendium-pdf" in footer) == (not staging.tex_missing())
    for chapter in ("data_methods", "frequency", "users", "network", "themes", "discussion",
                    "reproduction", "intro"):  # fmt: skip
        text = page_text(html / "book" / f"{chapter}.html")
        assert "IPython.core.display" not in text, chapter
        assert "Synthetic data." not in text, chapter
        # Read as a reader reads it: nothing a reader must never see, no synthetic label on
        # real posts. (The generated posts carry #datasaveslives, so the words of its
        # study may be in the data; the neutral title and opening are checked below.)
        article = rendered.page(html / "book" / f"{chapter}.html")
        assert not rendered.problems(article, synthetic=False, study=True), chapter
    for own in ("about_data", "teaching"):  # the synthetic corpus's calibration, its exercises
        assert not (html / "book" / f"{own}.html").exists(), own
    users = page_text(html / "book" / "users.html")
    assert "Who posted?" in users and "Who used the hashtag?" not in users  # no hashtag filter
    intro = rendered.page(html / "book" / "intro.html", citations=False)
    assert "Posts on Bluesky and Mastodon, 01 January 2016 to 31 December 2025" in intro
    assert not rendered.problems(intro, synthetic=False, study=False)
    # How to cite: the compendium that built the book and the study whose analysis it
    # re-runs, by their own titles (a citation, not a claim about these posts).
    cited = rendered.page(html / "book" / "intro.html")
    assert "To cite this book, cite the research compendium that built it:" in cited
    assert not rendered.problems(cited, synthetic=False, study=True)
    assert "declares no study" in intro
    for chapter in ("data_methods", "frequency", "users", "network", "themes"):  # named throughout
        assert "Bluesky and Mastodon" in page_text(html / "book" / f"{chapter}.html"), chapter
    methods = page_text(html / "book" / "data_methods.html")
    assert "posts from Bluesky and Mastodon" in methods
    assert "Search ( searchPosts ) does not return reposts" in methods
    assert "federated" in methods
    frequency = re.sub(r" ([;:,.)])", r"\1", page_text(html / "book" / "frequency.html"))
    assert "were shares;" in frequency and "were retweets" not in frequency
    assert re.search(r"the \d+ without posts are left out", frequency)  # a nine-year window
    assert "of shares showed a large positive correlation:" in frequency
    network = page_text(html / "book" / "network.html")
    assert "the network of shares" in network and "No post was shared" not in network
    assert "generated_bluesky.jsonl" in methods
    assert leakscan.scan_run(tmp_path / "run", html) == []


def test_collected_bluesky_and_mastodon_windows_build_into_a_book(tmp_path, chapters):
    """The README's three commands: collect (here replayed, interrupted and resumed),
    init, build; the Mastodon window through init's parameters file, both together."""
    from test_collect import collect_bluesky_resumed, collect_mastodon_resumed

    from datasaveslives import cli

    for kind in ("bluesky", "mastodon"):
        (tmp_path / kind).mkdir()
    sky, _, _ = collect_bluesky_resumed(tmp_path / "bluesky")
    masto, _ = collect_mastodon_resumed(tmp_path / "mastodon")
    written = tmp_path / "params-new.yml"
    assert cli.main(["init", str(masto), "--out", str(written)]) == 0
    params = Params.load(written)
    assert (params.hashtag, params.start, params.end) == ("#mastodon", "2017-04-01", "2017-04-30")
    # Both windows in one book, every post kept (the Bluesky search was not by hashtag).
    both = params.with_overrides(data=(str(sky), str(masto)), hashtag="", end="2025-12-31")
    html = pipeline.build(both, workdir=tmp_path / "run", quiet=True,
                          execute=chapters.execute_all)  # fmt: skip
    for chapter in ("data_methods", "frequency", "users", "network", "themes"):
        article = rendered.page(html / "book" / f"{chapter}.html")
        assert not rendered.problems(article, synthetic=False, study=False), chapter
        assert "Bluesky and Mastodon" in page_text(html / "book" / f"{chapter}.html"), chapter
    network = page_text(html / "book" / "network.html")
    assert "No post was shared" not in network  # the reposts collected make a network
    assert leakscan.scan_run(tmp_path / "run", html) == []


def test_a_mastodon_tag_timeline_without_boosts_reads_true_as_html(tmp_path, chapters):
    """The real bigbone tag timeline (20 statuses, no boost): a book with no network,
    whose notes render as notes (a directive glued inline once showed as ":::{note}")."""
    from conftest import MASTODON

    params = Params.load(paths.PARAMS, data=[str(MASTODON)], hashtag="#mastodon", start=None,
                         end=None)  # fmt: skip
    html = pipeline.build(params, workdir=tmp_path / "run", quiet=True,
                          execute=chapters.execute_all)  # fmt: skip
    for chapter in ("data_methods", "frequency", "users", "network", "themes", "discussion"):
        article = rendered.page(html / "book" / f"{chapter}.html", citations=False)
        assert not rendered.problems(article, synthetic=False, study=False), chapter
    network = (html / "book" / "network.html").read_text(encoding="utf-8")
    assert 'class="admonition note"' in network and "no network of boosts" in network
    themes = page_text(html / "book" / "themes.html")
    assert "What did people use the hashtag to post about?" in themes


def test_a_failed_build_leaves_the_previous_book_in_place(tmp_path, monkeypatch):
    target = tmp_path / "html"
    (target / "book").mkdir(parents=True)
    (target / "book" / "data_methods.html").write_text("the previous book")
    real = notebooks.prepare
    monkeypatch.setattr(
        notebooks,
        "prepare",
        lambda params, layout, **kw: {**real(params, layout, **kw), "run_dir": "no/such/dir"},
    )
    params = Params.load(paths.PARAMS, start="2017-03-01", end="2017-03-01")
    # One at a time, the longer chapter first (notebooks.TYPICAL_SECONDS): it fails.
    first, waiting = sorted(("data_methods", "frequency"), key=notebooks.TYPICAL_SECONDS.get)[::-1]
    with pytest.raises(pipeline.BuildError, match=rf"{first}\.md failed in cell") as failure:
        pipeline.build(
            params, workdir=tmp_path / "run", html_out=target, quiet=True, jobs=1,
            sections=("data_methods", "frequency"), summaries=("discussion",),
        )  # fmt: skip
    assert "FileNotFoundError" in str(failure.value)  # the exception, not only the cell
    assert (target / "book" / "data_methods.html").read_text() == "the previous book"
    assert not (tmp_path / "html.incoming").exists()
    # The first failure stopped the run: the chapter waiting behind it (one at a time) and
    # the summary after them never started.
    staged = tmp_path / "run" / "incoming" / "stage" / "book"  # kept to read the failure
    assert (staged / f"{first}.ipynb").is_file()
    for never in (waiting, "discussion"):
        assert not (staged / f"{never}.ipynb").exists(), never
    assert not (tmp_path / "run" / "tables").exists()  # nothing of the failed build published


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_a_stopped_build_leaves_no_process_behind(tmp_path, signal_name):
    """Stopped while its notebooks run (SIGTERM, as a scheduler stops a job, or SIGKILL,
    with no chance to clean up), a build's workers and their kernels all end."""
    import signal
    import subprocess
    import sys
    import time

    import psutil

    build = subprocess.Popen(
        [sys.executable, "-m", "datasaveslives", "build", "--start", "2017-03-01",
         "--end", "2017-03-01", "--out", str(tmp_path / "run"), "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    started = time.monotonic()
    for line in build.stdout:
        if "executing" in line:
            break
    me = psutil.Process(build.pid)
    while time.monotonic() - started < 120:  # until a worker's kernel runs
        family = me.children(recursive=True)
        if any("ipykernel" in " ".join(p.cmdline()) for p in family if p.is_running()):
            break
        time.sleep(0.2)
    family = me.children(recursive=True)
    assert len(family) >= 2, "the build had started workers and kernels"
    build.send_signal(getattr(signal, signal_name))
    rest = build.stdout.read()
    build.wait(timeout=60)
    assert "executed" not in rest  # stopped: no notebook ran on to its end
    if signal_name == "SIGTERM":
        assert "interrupted: nothing was published" in rest
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert alive == [], [p.cmdline() for p in alive]
    assert not (tmp_path / "run" / "tables").exists()  # nothing published


PLANTED = (  # the forms a name takes in a post or a bio, each hiding one account's name
    "＠{}",  # full-width @
    "@\u200b{}",  # a zero-width space after @
    "{}",  # bare
    "{}'s",  # possessive
    "twitter.com/{}",  # a profile link without a scheme
    "instagram.com/{}",
    "{}@mastodon.social",  # a Mastodon account
    "bsky.app/profile/{}.bsky.social",
    "x.com/{}/status/1",
)


def planted_archive(tmp_path):
    """The real #brexit v2 page, with an allowlisted account's post and bio holding
    other accounts' names in every planted form, and a second allowlisted account
    deleted; returns (archive, allowlist, deletions, planted names)."""
    import json

    from conftest import BREXIT_PAGES

    page = json.loads(BREXIT_PAGES.read_text(encoding="utf-8").splitlines()[0])
    users = page["includes"]["users"]
    named, gone = "BrexitFails", "calin_a"
    others = sorted(
        (u["username"] for u in users if u["username"] not in (named, gone)
         and len(u["username"]) >= 6 and u["username"].casefold() not in leakscan.ordinary_words()),
        key=str.casefold,
    )  # fmt: skip
    hidden = others[: len(PLANTED) + 1]
    own = next(
        t
        for t in page["data"]
        if t["author_id"] == next(u["id"] for u in users if u["username"] == named)
    )
    own["text"] = (
        " ".join(form.format(n) for form, n in zip(PLANTED, hidden, strict=False))
        + " "
        + own["text"]
    )
    profile = next(u for u in users if u["username"] == named)
    profile["description"] = f"Run with ＠{hidden[-1].upper()} and friends"  # a bio, full-width
    archive = tmp_path / "planted.jsonl"
    archive.write_text(json.dumps(page) + "\n", encoding="utf-8")
    allowlist = tmp_path / "allowlist.yml"
    allowlist.write_text(f"- {named}\n- {gone}\n", encoding="utf-8")
    gone_id = next(u["id"] for u in users if u["username"] == gone)
    deletions = tmp_path / "deletions.csv"
    deletions.write_text(f"id,kind\n{gone_id},user\n", encoding="utf-8")
    return archive, allowlist, deletions, hidden, page


def published(html):
    """(name, normalised text) of every published file, archive members opened."""
    import unicodedata

    for where, text in leakscan.documents(html):
        yield where, unicodedata.normalize("NFKC", text).replace("\u200b", "").casefold()


def test_a_real_archive_book_has_no_re_identification_path(tmp_path, chapters, monkeypatch):
    """Every published byte (pages, search index, every download and the members of
    its archives) checked against the raw archive's ids and names: no id of a post or
    account that is not allowlisted, no name of such an account in any planted form,
    no name of an allowlisted account marked deleted."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the build time, for the rebuild
    archive, allowlist, deletions, hidden, page = planted_archive(tmp_path)
    params = Params.load(paths.PARAMS, data=[str(archive)], hashtag="", start="2021-09-01",
                         end="2021-09-30", allowlist=str(allowlist),
                         deletions=str(deletions))  # fmt: skip
    run = tmp_path / "run"
    html = pipeline.build(params, workdir=run, quiet=True, execute=chapters.execute_all)
    assert leakscan.scan_run(tmp_path / "run", html) == []
    named_id = next(u["id"] for u in page["includes"]["users"] if u["username"] == "BrexitFails")
    tweets = page["data"] + page["includes"].get("tweets", [])
    ids = {t["id"] for t in tweets if t["author_id"] != named_id}
    ids |= {u["id"] for u in page["includes"]["users"] if u["id"] != named_id}
    names = {n.casefold() for n in [*hidden, "calin_a"]}
    word = re.compile(r"(?<![a-z0-9_])(" + "|".join(map(re.escape, names)) + r")(?![a-z0-9_])")
    found = []
    for where, text in published(html):
        # No page shows where this machine keeps the project or the run.
        found += [(where, p) for p in (str(paths.ROOT), str(tmp_path)) if p.casefold() in text]
        found += [(where, i) for i in ids if i in text]
        found += [(where, m.group(1)) for m in word.finditer(text)]
    assert found == []
    # The allowlisted account is still named, with its post quoted: masking is not blanking.
    assert any("@brexitfails" in text for _, text in published(html))
    sample = next(text for where, text in published(html) if where.endswith("coding_sample.csv"))
    assert (
        "@[username] @[username] [username] [username]'s [link] [link]" in sample
    )  # quoted, masked
    assert re.search(r'^\d+,"post-[0-9a-f]{16}",', sample, re.M)  # a keyed reference, not an id
    # Built again in another process (its own hash seed, no chapter run before): the same
    # bytes in every published file, downloads and archives included.
    from kernel import Kernel

    (tmp_path / "kernel").mkdir()
    fresh = Kernel(tmp_path / "kernel")
    try:
        again = pipeline.build(
            params, workdir=tmp_path / "again", quiet=True, execute=fresh.execute_all, cache=False
        )
    finally:
        fresh.close()
    first = publication.listing(run, html, None)
    second = publication.listing(tmp_path / "again", again, None)
    assert {k for k in first if first[k] != second.get(k)} == set()
    assert first.keys() == second.keys()
