"""The whole default book, built as `make book` builds it (its chapters run in the test
process's kernel), with Sphinx warnings as errors, its PDF and its HTML in a browser."""

from __future__ import annotations

import contextlib
import html as htmllib
import json
import re
import shutil

import pandas as pd
import pytest
import rendered

from datasaveslives import __version__
from datasaveslives.analysis import users
from datasaveslives.coding import codebook
from datasaveslives.core import paths, publication
from datasaveslives.core.params import Params
from datasaveslives.ingest import tables
from datasaveslives.paper import comparison, reproduction, results
from datasaveslives.privacy import leakscan, policy
from datasaveslives.report import pipeline, runs, staging

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def built(tmp_path_factory, chapters):
    """The default book (params.yml), built once for the module, with its PDF where
    this machine has TeX. Its chapters run one after another in the test process's
    kernel (tests/kernel.py), not in a papermill kernel each: the same notebooks, the
    same parameters, a minute less of starting kernels. (Papermill's execution, and the
    build's, are tested in test_notebooks.py and test_builds.py.)"""
    work = tmp_path_factory.mktemp("book")
    html = pipeline.build(
        Params.load(paths.PARAMS),
        workdir=work / "run",
        quiet=True,
        pdf=not staging.tex_missing(),
        repository=REPOSITORY,
        execute=chapters.execute_all,
    )
    return work / "run", html


REPOSITORY = "https://github.com/example/datasaveslives"


def page_text(html_file) -> str:
    """A page's text as a reader sees it (entities decoded, Sphinx's curly quotes straight)."""
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html_file.read_text(encoding="utf-8")))
    return (
        re.sub(r"\s+", " ", text)
        .replace("\u2019", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )


def test_book_builds_strictly_with_every_chapter(built):
    _, html = built
    assert (html / "index.html").is_file()
    assert (html / "book" / "intro.html").is_file()
    assert (html / "book" / "data_methods.html").is_file()


def test_every_page_says_the_data_are_synthetic(built):
    _, html = built
    pages = sorted((html / "book").glob("*.html"))  # index.html only redirects
    assert len(pages) >= 7
    for page in pages:
        assert staging.SYNTHETIC_ANNOUNCEMENT.split(":")[0] in page.read_text(), page.name
        assert "IPython.core.display" not in page.read_text(), page.name  # no repr leaks


CHAPTERS = [
    "Data and methods",
    "How often was the hashtag used?",
    "Who used the hashtag?",
    "How were posts shared between users?",
    "What did people use the hashtag to tweet about?",
    "Discussion",
    "Reproduction report",
    "About the data: a synthetic campaign",
]


def test_the_pdf_has_every_chapter_its_figures_and_tables(built):
    if staging.tex_missing():
        pytest.skip(
            f"no TeX here ({', '.join(staging.tex_missing())}): run .ci/install-system-packages.sh"
        )
    from pypdf import PdfReader

    _, html = built
    reader = PdfReader(html.parent / "datasaveslives.pdf")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for title in CHAPTERS:
        assert title.upper() in text.upper(), title
    # One numbered figure in frequency and users, two in network and themes.
    figures = set(re.findall(r"Fig\.\s*(\d+\.\d+):", text))
    assert {"2.1", "3.1", "4.1", "4.2", "5.1", "5.2"} <= figures
    assert "Styler" not in text and "<pandas" not in text  # tables typeset, not repr'd
    images = sum(len(page.images) for page in reader.pages)
    assert images >= len(figures)


def test_data_methods_shows_the_computed_numbers(built):
    run, html = built
    report = json.loads((run / "tables" / "ingest_report.json").read_text())
    text = page_text(html / "book" / "data_methods.html")
    assert f"Of the {report['read']:,} records read, {report['kept']:,}" in text
    kinds = report["kept_by_type"]
    assert f"The kept posts are {kinds['original']:,} original text" in text
    prov = json.loads((run / "provenance.json").read_text())
    assert prov["git_commit"] in text
    assert prov["inputs"][0]["sha256"][:12] in text
    # The environment that built it: make env installs exactly the lock (tests/test_environment).
    lock = prov["environment"]
    assert lock["differences"] == []
    assert (
        f"The environment was exactly the lock requirements.lock (SHA-256 {lock['sha256'][:12]}"
        in text
    )


def test_the_reproduction_report_accounts_for_every_published_number(built):
    run, html = built
    rep = reproduction.report(
        results.load_compared(run / "results", reproduction.COMPARED_SECTIONS)
    )
    assert rep.unexplained.empty, rep.unexplained["key"].tolist()
    assert len(rep.compared) >= 200
    # The synthetic corpus is calibrated to the paper: every calibrated figure it
    # determines holds. (Table 4's codes are this run's coders' or the assistive coder's:
    # they are compared, and may miss.)
    corpus = rep.compared[
        (rep.compared["basis"] == "calibrated") & (rep.compared["section"] != "themes")
    ]
    assert (corpus["within"] == "yes").all(), corpus[corpus["within"] != "yes"]
    held = rep.compared[rep.compared["basis"] == "held-out"]
    assert len(held) >= 30
    table4 = comparison.paper()["themes"]["table4_examples"]
    assert len(rep.compared[rep.compared["section"] == "themes"]) == 4 * len(table4)
    # Every miss is in the table, with its size.
    misses = rep.outside
    assert misses["note"].str.match(r"^(misses: [\d.]+ times its tolerance|differs)$").all()
    text = page_text(html / "book" / "reproduction.html")
    assert rep.verdict() in text
    assert f"holds {rep.published} numbers; this run compared {len(rep.compared)}" in text
    assert "Published numbers not compared" in text and "stop word" in text
    assert "Calibrated and held-out figures" in text and "Where it comes from" in text
    for name in set(rep.compared["tolerance_name"].dropna()) - {""}:
        assert comparison.tolerance_source(name)[:40] in text.replace("’", "'"), name


def test_the_discussion_words_this_runs_numbers(built):
    run, html = built
    t = tables.load(run / "tables")
    text = page_text(html / "book" / "discussion.html")
    assert f"52 weeks held {len(t.posts):,} posts carrying #datasaveslives" in text
    assert f"{t.posts['author_id'].nunique():,} accounts wrote the posts" in text
    declared = Params.load(paths.PARAMS).official_supporters()
    active = users.supporter_ids(t.users, declared) & set(t.posts["author_id"])
    assert f"{len(active)} of the {len(declared)} declared official supporters posted" in text
    assert "a large positive correlation" in text  # weekly r is 0.93 on the corpus
    assert "These results come from a synthetic corpus" in text


def test_the_frequency_chapter_names_the_busiest_week_from_the_tables(built):
    from datetime import date

    from datasaveslives.analysis import frequency

    run, html = built
    t = tables.load(run / "tables")
    summary = frequency.weekly_summary(
        frequency.weekly_counts(t.posts, date(2016, 9, 1), date(2017, 8, 31))
    )
    text = rendered.page(html / "book" / "frequency.html")
    assert (
        f"The busiest was week {summary['busiest_week']}, from "
        f"{summary['busiest_week_start']:%d %B %Y}, with {summary['busiest_week_originals']:,} "
        f"original posts and {summary['busiest_week_retweets']:,} retweets"
    ) in text


def test_chapters_launch_their_myst_sources_on_binder(built):
    _, html = built
    for chapter in ("frequency", "users", "network", "themes"):
        page = (html / "book" / f"{chapter}.html").read_text()
        link = f"https://mybinder.org/v2/gh/example/datasaveslives/main?urlpath=lab/tree/book/{chapter}.md"
        assert link in page, chapter
        assert (paths.BOOK / f"{chapter}.md").is_file()
    assert f'href="{REPOSITORY}"' in (html / "book" / "frequency.html").read_text()


def test_every_page_links_the_repository_binder_the_pdf_and_the_citation(built):
    run, html = built
    # The book's pages (Sphinx's); not the standalone interactive network or downloads.
    pages = [p for p in sorted(html.rglob("*.html")) if 'class="bd-article' in p.read_text()]
    assert len(pages) > 12
    pdf = html / "datasaveslives.pdf"
    if not staging.tex_missing():  # published with the HTML, the same file as beside it
        assert pdf.read_bytes() == (run / "datasaveslives.pdf").read_bytes()
    expected = ["repository", "binder", "pdf", "citation"] if pdf.is_file() else [
        "repository", "binder", "citation"]  # fmt: skip
    for page in pages:
        text = page.read_text(encoding="utf-8")
        footer = re.search(r'<p class="compendium-links">(.*?)</p>', text)
        assert footer, page.name
        links = re.findall(r'class="compendium-(\w+)" href="([^"]+)"', footer.group(1))
        assert [key for key, _ in links] == expected, page.name
        assert "btn-compendium-citation" in text, page.name  # the header menu too
        for key, href in links:
            if key == "repository":
                assert href == REPOSITORY
            elif key == "binder":
                assert href == (
                    "https://mybinder.org/v2/gh/example/datasaveslives/main"
                    "?urlpath=lab/tree/README.md"
                )
                assert (paths.ROOT / "README.md").is_file()
            else:  # relative to the page, and there
                target, _, anchor = href.partition("#")
                file = (page.parent / target).resolve() if target else page  # "#x": this page
                assert file.is_file(), (page.name, href)
                if anchor:
                    assert f'id="{anchor}"' in file.read_text(), href
    cite = page_text(html / "book" / "intro.html")
    assert (
        f"(version {__version__}). {REPOSITORY}" in cite
        and "Hassan L, Nenadic G, Tully MP (2021)" in cite
    )


def test_a_rebuild_with_nothing_changed_executes_nothing_and_keeps_the_book(built):
    run, html = built
    manifest = (run / publication.MANIFEST).read_bytes()

    def never(*args, **kwargs):
        raise AssertionError("a chapter was executed again")

    again = pipeline.build(
        Params.load(paths.PARAMS),
        workdir=run,
        quiet=True,
        pdf=not staging.tex_missing(),
        repository=REPOSITORY,
        execute=never,
    )
    assert again == html and (run / publication.MANIFEST).read_bytes() == manifest


def test_a_sphinx_warning_fails_the_build(built, tmp_path):
    # The default build's staged book (its configuration, its strictness), cut to its
    # opening page with one broken reference planted: the strict jupyter-book step that
    # every build runs must fail and name it.
    run, _ = built
    layout = runs.RunLayout(tmp_path / "run")
    shutil.copytree(run / "stage", layout.stage)
    toc = layout.stage / "_toc.yml"
    toc.write_text("format: jb-book\nroot: book/intro\n")
    intro = layout.stage / "book" / "intro.md"
    intro.write_text("# {{ book_title }}\n\nSee {ref}`no-such-label`.\n")
    for other in (layout.stage / "book").glob("*.*"):
        if other.suffix in (".md", ".ipynb") and other != intro:
            other.unlink()
    with pytest.raises(pipeline.BuildError, match="no-such-label"):
        staging.jupyter_book(layout, "html", strict=True)


# The first words of each table wider than the page's article (JavaScript, in the page).
TABLES_TOO_WIDE = """() => {
    const article = document.querySelector("article");
    const width = article.getBoundingClientRect().width;
    return Array.from(article.querySelectorAll("table"))
        .filter(t => t.getBoundingClientRect().width > width + 1)
        .map(t => t.innerText.slice(0, 60));
}"""
# Cells holding one number (or a short value) that the layout broke over two lines.
NUMBERS_BROKEN = """() => {
    const lines = c => {
        const range = document.createRange();
        range.selectNodeContents(c);
        return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
    };
    return Array.from(document.querySelectorAll("article table td"))
        .filter(c => /^[-+±−]?[0-9][0-9,.]*%?$/.test(c.innerText.trim()) && lines(c) > 1)
        .map(c => c.innerText);
}"""


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def _browser(html):
    """A page of headless Chromium (1280 px wide) on the book ``html`` served over HTTP:
    (the server's root URL, the page, the console errors raised so far)."""
    if _chromium() is None:
        pytest.skip("no Chromium here: run .ci/install-system-packages.sh")
    sync_api = pytest.importorskip("playwright.sync_api")
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output readable
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=html))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    flags = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=_chromium(), args=flags)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield root, page, errors
            browser.close()
    finally:
        server.shutdown()


def test_the_html_works_in_a_browser(built):
    """Every chapter loads without console errors and with its figures; internal links
    lead to files of the book; at 1280 px every table fits its page (none needs sideways
    scrolling) with no number broken across lines; the search finds a chapter."""
    from urllib.parse import urljoin, urlparse

    _, html = built
    with _browser(html) as (root, page, errors):
        chapters = sorted((html / "book").glob("*.html"))
        figures = 0
        for chapter in chapters:
            url = urljoin(root, f"book/{chapter.name}")
            page.goto(url, wait_until="load")
            assert errors == [], (chapter.name, errors)
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])"
            )
            assert all(ok for _, ok in images), (chapter.name, images)
            assert page.evaluate(TABLES_TOO_WIDE) == [], chapter.name
            assert page.evaluate(NUMBERS_BROKEN) == [], chapter.name
            figures += sum("/_images/" in src for src, _ in images)
            for href in page.evaluate("Array.from(document.links).map(a => a.href)"):
                target = urlparse(href)
                if href.startswith(root) and not target.path.endswith("/"):
                    assert (html / target.path.lstrip("/")).is_file(), (chapter.name, href)
        assert figures >= 6
        page.goto(urljoin(root, "search.html?q=modularity"), wait_until="load")
        page.wait_for_selector("ul.search li", timeout=20_000)
        found = page.evaluate(
            "Array.from(document.querySelectorAll('ul.search li a')).map(a => a.href)"
        )
        assert any("network.html" in f for f in found), found
        assert errors == [], errors


# The shown summary of the brushed weeks (report/js/week_ranges.js), as values.
SHOWN_RANGE = """() => {
    const s = document.getElementById("range-summary");
    const head = s.querySelector(".range-heading");
    const r = s.querySelector(".range-r");
    return {
        first: Number(head.dataset.first), last: Number(head.dataset.last),
        totals: Object.fromEntries(Array.from(s.querySelectorAll("tr[data-key]"))
            .map(t => [t.dataset.key, Number(t.dataset.value)])),
        top: Array.from(s.querySelectorAll(".range-top li"))
            .map(li => [li.dataset.label, Number(li.dataset.posts)]),
        n: Number(r.dataset.n), r: r.dataset.r === "" ? null : Number(r.dataset.r),
    };
}"""
WEEKS_MODEL = "Bokeh.documents[0].get_model_by_name('weeks')"
NODES_MODEL = "Bokeh.documents[0].get_model_by_name('nodes')"
# Where the last-drawn (largest) user of the network is on the screen.
LARGEST_NODE = """() => {
    const view = Object.values(Bokeh.index).find(v => v.frame !== undefined);
    const nodes = Bokeh.documents[0].get_model_by_name("nodes");
    const i = nodes.data.x.length - 1;
    const box = view.canvas_view.el.getBoundingClientRect();
    return [i, box.left + view.frame.x_scale.compute(nodes.data.x[i]),
            box.top + view.frame.y_scale.compute(nodes.data.y[i])];
}"""


def _week_aggregates(run):
    """The run's weekly aggregates as the frequency chapter makes them (its labels)."""
    from datetime import date

    from datasaveslives.analysis import frequency, week_ranges

    layout = runs.RunLayout(run)
    start, end, tz, allowlist, deletions, quotable, synthetic = layout.values(
        "start", "end", "timezone", "allowlist", "deletions", "quotable", "synthetic"
    )
    t = tables.load(layout.tables, columns=tables.FREQUENCY_COLUMNS)
    rules = policy.from_parameters(allowlist, deletions, quotable, synthetic, users=t.users)
    names = t.users.set_index("user_id")["screen_name"].to_dict()
    first, last = frequency.window_days(
        t.posts, date.fromisoformat(start), date.fromisoformat(end), tz
    )
    label = lambda u: rules.account(u, names.get(u))  # noqa: E731
    return week_ranges.aggregates(t.posts, first, last, tz, label), t.posts, (first, last, tz)


def test_brushing_the_weekly_chart_shows_the_weeks_totals_accounts_and_r(built):
    """Dragging across the interactive weekly chart shows, for the weeks it selects,
    the totals by type, the most active accounts and the correlation that Python
    computes for the same weeks (and the whole window's before and after)."""
    from datasaveslives.analysis import frequency, week_ranges

    run, html = built
    agg, posts, (first, last, tz) = _week_aggregates(run)
    saved = json.loads((run / "results" / "frequency.json").read_text())

    def expected(lo, hi):
        want = week_ranges.summary(agg, lo, hi)
        weekly = frequency.weekly_counts(posts, first, last, tz)  # from the posts, again
        weekly = weekly[(weekly["week"] >= lo) & (weekly["week"] <= hi)]
        for t in ("original", "quote", "retweet", "originals", "total"):
            assert want[t] == int(weekly[t].sum())
        return want

    def check(shown, lo, hi):
        want = expected(lo, hi)
        assert (shown["first"], shown["last"]) == (lo, hi)
        for t in ("original", "quote", "retweet", "originals", "total"):
            assert shown["totals"][t] == want[t], t
        assert [tuple(x) for x in shown["top"]] == want["top"]
        assert shown["n"] == want["correlation"]["n"] == hi - lo + 1
        r = want["correlation"]["r"]
        assert (shown["r"] is None) if r != r else shown["r"] == pytest.approx(r, abs=1e-12)

    with _browser(html) as (root, page, errors):
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(root + "_static/weekly_interactive.html", wait_until="load")
        page.wait_for_selector("#range-summary .range-totals")
        # Offline: the page asks for nothing but itself.
        assert fetched == [root + "_static/weekly_interactive.html"], fetched
        whole = page.evaluate(SHOWN_RANGE)
        n = len(agg.weeks)
        assert page.get_by_role("link", name="Back to the chapter").is_visible()
        check(whole, 1, n)
        assert whole["totals"]["total"] == saved["posts"]
        assert whole["r"] == pytest.approx(saved["r_weekly"], abs=1e-12)
        box = page.locator("canvas").first.bounding_box()
        y = box["y"] + box["height"] * 0.6
        page.mouse.move(box["x"] + box["width"] * 0.3, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=10)
        page.mouse.up()
        chosen = page.evaluate(f"{WEEKS_MODEL}.selected.indices")
        assert 3 <= len(chosen) < n and sorted(chosen) == list(range(min(chosen), max(chosen) + 1))
        shown = page.evaluate(SHOWN_RANGE)
        check(shown, min(chosen) + 1, max(chosen) + 1)
        assert shown["totals"] != whole["totals"]
        # The two week lists show the brushed range, and choose a range without a mouse
        # (in either order; the whole window chosen there is the whole window).
        first_week, last_week = page.locator("select").nth(0), page.locator("select").nth(1)
        listed = (
            "['first_week', 'last_week'].map(l => Bokeh.documents[0].get_model_by_name(l).value)"
        )
        assert page.evaluate(listed) == [str(min(chosen)), str(max(chosen))]
        last_week.select_option(index=n - 3)
        first_week.select_option(index=n - 1)
        check(page.evaluate(SHOWN_RANGE), n - 2, n)
        assert page.evaluate(listed) == [str(n - 3), str(n - 1)]
        first_week.focus()
        page.keyboard.press("ArrowUp")
        check(page.evaluate(SHOWN_RANGE), n - 3, n)
        first_week.select_option(index=0)
        assert page.evaluate(SHOWN_RANGE) == whole
        assert page.evaluate(f"{WEEKS_MODEL}.selected.indices") == []
        # Two weeks: r is undefined, and said so.
        page.evaluate(f"{WEEKS_MODEL}.selected.indices = [4, 5]")
        two = page.evaluate(SHOWN_RANGE)
        check(two, 5, 6)
        assert two["r"] is None and "undefined" in page.inner_text(".range-r")
        page.get_by_role("button", name="Whole window").click()
        assert page.evaluate(SHOWN_RANGE) == whole
        assert errors == [], errors
    # The chapter embeds it; its PDF does not (the static figure stands alone there).
    chapter = (html / "book" / "frequency.html").read_text()
    assert 'src="../_static/weekly_interactive.html"' in chapter
    pdf = html / "datasaveslives.pdf"
    if pdf.is_file():
        from pypdf import PdfReader

        text = " ".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
        assert "Explore the weeks" not in text and "Drag across" not in text
    # No post text or user id in what it embeds.
    page = (html / "_static" / "weekly_interactive.html").read_text()
    data = re.search(r'<script type="application/json" id="compendium-weeks">(.*?)</script>', page)
    ids = set(posts["author_id"].astype(str)) | set(posts["post_id"].astype(str))
    assert data and not [i for i in ids if len(i) >= 6 and i in data.group(1)]


def test_the_weekly_chart_frame_holds_the_whole_chart_at_any_width(built):
    """The chapter's frame takes the chart's height (the page tells it), so the chart and
    its summary are read without a second scroll bar, on a phone as on a desktop."""
    _, html = built
    with _browser(html) as (root, page, errors):
        for width in (420, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(root + "book/frequency.html", wait_until="load")
            page.wait_for_function(
                "document.querySelector('iframe.compendium-explorer').style.height !== ''"
            )
            chart = next(f for f in page.frames if f.url.endswith("weekly_interactive.html"))
            chart.wait_for_selector("#range-summary .range-totals")
            page.wait_for_timeout(200)  # a last resize, told after the summary is drawn
            inner, seen = chart.evaluate(
                "[document.documentElement.scrollHeight, window.innerHeight]"
            )
            assert inner <= seen, (width, inner, seen)
            # Inside the chapter, its link back to the chapter is not shown.
            assert chart.get_by_role("link", name="Back to the chapter").is_hidden()
        assert errors == [], errors


def test_the_network_explorer_highlights_a_groups_members_and_shows_a_clicked_user(built):
    run, html = built
    with _browser(html) as (root, page, errors):
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(root + "_static/network_interactive.html", wait_until="load")
        page.wait_for_function(f"{NODES_MODEL} !== null")
        assert fetched == [root + "_static/network_interactive.html"], fetched
        groups = page.evaluate(f"{NODES_MODEL}.data.group")
        rows = page.locator("#group-table tbody tr")
        assert rows.count() == len(set(groups))
        for k in (0, 1, rows.count() - 1):
            g = int(rows.nth(k).get_attribute("data-group"))
            rows.nth(k).click()
            alpha = page.evaluate(f"{NODES_MODEL}.data.alpha")
            lit = {i for i, a in enumerate(alpha) if a == 1}
            assert lit == {i for i, x in enumerate(groups) if x == g}, g
            drawn = rows.nth(k).locator("td.number").inner_text().replace(",", "")
            assert len(lit) == int(drawn)
            assert rows.nth(k).get_attribute("aria-selected") == "true"
        rows.nth(rows.count() - 1).click()  # chosen again: everyone
        assert set(page.evaluate(f"{NODES_MODEL}.data.alpha")) == {1}
        i, x, y = page.evaluate(LARGEST_NODE)
        page.mouse.click(x, y)
        assert page.evaluate(f"{NODES_MODEL}.selected.indices") == [i]
        data = page.evaluate(
            f"(() => {{ const d = {NODES_MODEL}.data; "
            f"return [d.label[{i}], d.group[{i}], d.centrality[{i}]]; }})()"
        )
        info = page.locator("#node-info")
        assert info.locator(".node-label").get_attribute("data-label") == data[0]
        assert int(info.locator(".node-group").get_attribute("data-group")) == data[1]
        assert float(info.locator(".node-centrality").get_attribute("data-value")) == data[2]
        # Opened on a group from the chapter's link to it: its members are highlighted.
        page.goto(root + "book/network.html", wait_until="load")
        page.locator('a[href$="network_interactive.html#group=2"]').click()
        page.wait_for_function("document.body.dataset.group === '2'")
        alpha = page.evaluate(f"{NODES_MODEL}.data.alpha")
        groups = page.evaluate(f"{NODES_MODEL}.data.group")
        assert {i for i, a in enumerate(alpha) if a == 1} == {
            i for i, x in enumerate(groups) if x == 2
        }
        assert errors == [], errors
    # The labels shown are the book's: allowlisted names or pseudonyms, never an id.
    t = tables.load(run / "tables")
    assert not set(map(str, t.users["user_id"])) & set(data[:1])


def test_each_chapter_links_its_tables_as_downloads(built):
    _, html = built
    expected = {
        "frequency": ["weekly_counts.csv", "monthly_counts.csv", "most_shared_posts.csv"],
        "users": ["table2_posts_by_user_type.csv", "activity_groups.csv"],
        "network": ["network.gexf", "network_edges.csv", "table3_groups.csv", "group_links.csv"],
        "themes": ["coding_sample.xlsx", "coding_sample.csv", "coding_sample.qdpx"],
        "reproduction": ["reproduction_compared.csv", "reproduction_not_compared.csv"],
        "teaching": ["coding_sample.xlsx", "coding_reference.xlsx", "coding_sample.qdpx"],
    }
    for chapter, files in expected.items():
        page = (html / "book" / f"{chapter}.html").read_text()
        for name in files:
            link = re.search(rf'href="(\.\./_downloads/[0-9a-f]+/{re.escape(name)})"', page)
            assert link, (chapter, name)
            assert (html / "book" / link.group(1)).resolve().is_file(), (chapter, name)
    weekly = (html / "_downloads").rglob("weekly_counts.csv")
    assert "originals" in next(weekly).read_text().splitlines()[0]


def test_the_book_leaks_no_name_and_no_deleted_post(built):
    run, html = built
    pdf = html.parent / "datasaveslives.pdf"
    leaks = leakscan.scan_run(run, html, pdf if pdf.is_file() else None)
    assert leaks == [], "\n".join(map(str, leaks[:20]))


def test_the_leak_scan_finds_a_leak_planted_in_the_book(built, tmp_path):
    run, html = built
    planted = tmp_path / "html"
    shutil.copytree(html, planted)
    t = tables.load(run / "tables")
    params = json.loads((run / "provenance.json").read_text())["parameters"]
    allowed = policy.load_allowlist(params["allowlist"])
    private = next(n for n in t.users["screen_name"] if n.casefold() not in allowed)
    post_id, fragment = leakscan.deleted_fragments(
        t.posts, policy.Deletions.load(params["deletions"])
    )[0]
    page = planted / "book" / "users.html"
    page.write_text(page.read_text() + f"<p>Thanks @{private}</p>")
    csv = next((planted / "_downloads").rglob("weekly_counts.csv"))
    csv.write_text(csv.read_text() + fragment.upper() + "\n")
    # The interactive chart's embedded aggregates are searched too.
    chart = planted / "_static" / "weekly_interactive.html"
    chart.write_text(chart.read_text().replace('"labels":[', f'"labels":["{private}",', 1))
    with pytest.raises(publication.PublicationError, match="differ from the manifest"):
        leakscan.scan_run(run, planted)  # not the book the build published: refused
    found = {(leak.kind, leak.value) for leak in leakscan.scan_run(run, planted, verify=False)}
    assert found == {
        ("screen name", f"@{private}"),
        ("screen name", private),
        ("deleted post", post_id),
    }


def test_the_default_books_numbers_are_those_of_the_snapshot(built):
    """Every table, saved result and number on a page is the snapshot's (tests/golden.py):
    a restructuring changes none of them, and a change meant to change them updates the
    snapshot in the same commit, where the diff shows what changed."""
    import golden

    run, _ = built
    want = json.loads(golden.GOLDEN.read_text(encoding="utf-8"))
    assert golden.differences(golden.snapshot(run), want) == [], golden.__doc__


def test_the_calibration_and_the_chapters_compute_the_same_figures(built):
    """The synthetic corpus's calibration and the default book's chapters compare the
    same published figures (paper/registry.py): each value the calibration checks is the
    value the chapter computed, so the calibration cannot pass while a chapter computes
    something else. (The chapters round some figures to the paper's precision.)"""
    from datasaveslives.paper import registry
    from datasaveslives.synth import calibration

    run, _ = built
    chapters = results.load_compared(run / "results", reproduction.COMPARED_SECTIONS)
    here = chapters.set_index("key")["this run"]
    table = pd.read_csv(run / "results" / calibration.TABLE_FILE, dtype={"key": str})
    keyed = table[table["key"].notna()]
    assert len(keyed) >= 30
    for key, achieved in zip(keyed["key"], keyed["achieved"], strict=True):
        registry.find(key)  # every key the calibration checks is declared once
        assert key in here.index, key
        assert float(here[key]) == pytest.approx(float(achieved), abs=0.006), key


def test_no_page_shows_an_unrendered_role(built):
    """Roles in glued Markdown ({term}, {cite}, {ref}...) render only when the chapter
    pastes it as MyST (``{glue:md}`key:myst```): a reader must never see one raw."""
    import golden

    _, html = built
    raw = re.compile(r"\{(term|cite|ref|doc|numref|download|glue(:\w+)?)\}")
    for page in sorted((html / "book").glob("*.html")):
        assert not raw.search(golden.page_text(page)), page.name


def test_the_themes_chapter_shows_its_method_with_the_packages_numbers(built):
    """The visible cells (κ, α and α's bootstrap interval, computed with the packages)
    print what the chapter's paragraph and table say, and the worked example is there."""
    run, html = built
    text = page_text(html / "book" / "themes.html")
    saved = json.loads((run / "results" / "themes.json").read_text(encoding="utf-8"))
    code = next(iter(saved["alpha"]))
    low, high = saved["intervals"][code]["alpha"]
    shown = f"{code}: α = {saved['alpha'][code]:.2f}, 95% interval {low:.2f} to {high:.2f}"
    assert shown in text
    assert f"α {saved['alpha'][code]:.2f} (95% interval {low:.2f} to {high:.2f})" in text
    assert "A worked example: coding with reasons" in text
    assert text.count("Coded: ") == len(codebook.load().worked)


def test_the_users_chapter_sizes_the_difference_and_counts_accounts(built):
    """The 3×2 test, the difference with its interval and the clustered analysis are
    reported, their visible cells print what the paragraphs say, and the Discussion
    says what clustering changes."""
    run, html = built
    text = page_text(html / "book" / "users.html")
    saved = json.loads((run / "results" / "users.json").read_text(encoding="utf-8"))
    assert f"χ²₂={saved['types_chi2']:.2f}" in text
    d, c = saved["difference"], saved["clustered"]
    printed = (
        f"difference {d['difference']:.4f}, 95% interval {d['difference_low']:.4f} to "
        f"{d['difference_high']:.4f}"
    )
    assert printed in text
    points = f"{d['difference'] * 100:.2f} percentage points higher than others'"
    assert f"{points} (95% interval {d['difference_low'] * 100:.2f} to" in text
    assert f"{d['ratio']:.2f} times as often" in text
    assert f"odds ratio {c['odds_ratio']:.2f}" in text  # the visible cell
    assert f"are {c['odds_ratio']:.2f} times others' (95% interval {c['or_low']:.2f}" in text
    discussion = page_text(html / "book" / "discussion.html")
    assert "With posts clustered by account (odds ratio" in discussion
    assert "the difference holds" in discussion
    assert "negligible effect" not in text + discussion


def test_groups_carry_the_papers_numbers_where_they_match(built):
    """The default run's groups are matched to all ten of the paper's; where a number
    differs, Table 1, Table 3 and the joint display show both."""
    run, html = built
    network_page = page_text(html / "book" / "network.html")
    assert "The matching pairs all 10 of the paper's groups with a group of this run" in (
        network_page
    )
    assert "3 (paper's 4)" in network_page  # Table 3
    assert "3 (paper's 4)" in page_text(html / "book" / "frequency.html")  # Table 1
    themes_page = page_text(html / "book" / "themes.html")
    assert "Group 3 (paper's 4)" in themes_page
    assert "its groups 1, 2 and 3 are this run's groups 1, 2 and 4" in themes_page


def test_the_performance_page_is_true_with_or_without_a_benchmark(built):
    """A fresh clone's first build has no benchmark: the appendix says how to make one
    and shows no placeholder; with one, the table and the targets."""
    run, html = built
    text = page_text(html / "book" / "performance.html")
    for placeholder in ("Measured not measured", "not measured of the", "not measured on"):
        assert placeholder not in text
    measured = "Ratio to its baseline" in text
    assert measured or "No benchmark has been run for this build: make bench" in text
    assert measured or "the table above" not in text.casefold()


def test_the_references_are_in_alphabetical_order(built):
    """Sorted by author (the REFI-QDA standard, cited without one, once sorted first)."""
    _, html = built
    text = page_text(html / "book" / "references.html")
    order = ["Blondel", "Efron", "Evers", "Hassan", "Newman", "Traag", "Wilson"]
    at = [text.index(name) for name in order]
    assert at == sorted(at)


def test_every_page_names_the_version_and_commit_that_built_it(built):
    _, html = built
    for page in (html / "book" / "frequency.html", html / "book" / "network.html"):
        text = page.read_text(encoding="utf-8")
        assert f"Built with datasaveslives {__version__}, " in text
        assert "commit " in text or "outside a git checkout" in text


def test_the_multiverse_under_the_runs_own_choices_gives_the_chapters_numbers(built):
    """The appendix's own combination recomputes each headline result with the chapters'
    functions on the run's posts: the same numbers as the chapters saved; every result
    gets a reading, a figure (or why not), and the Discussion points to the appendix."""
    from datasaveslives.analysis import multiverse
    from datasaveslives.paper import results

    run, html = built
    saved = results.load_values(run / "results", ("multiverse", "frequency", "users", "network"))
    own = {k: v["own"] for k, v in saved["multiverse"].items()}
    assert own["correlation"] == pytest.approx(saved["frequency"]["r_weekly"], abs=1e-12)
    assert own["supporter_difference"] == pytest.approx(
        saved["users"]["difference"]["difference"], abs=1e-12
    )
    network = saved["network"]
    assert own["modularity"] == pytest.approx(network["modularity"], abs=1e-12)
    assert own["groups"] == network["groups"]
    assert own["top5_share"] == pytest.approx(network["pct_top5"], abs=1e-12)
    assert set(own) == {h.key for h in multiverse.HEADLINES}
    text = page_text(html / "book" / "multiverse.html")
    assert text.count("this run's own choices (") >= len(multiverse.HEADLINES) - 1
    assert len(re.findall(r"Fig\.\s*[\d.]+ ", text)) == len(multiverse.HEADLINES)
    assert "NaN" not in text and "nan" not in text.split()
    discussion = page_text(html / "book" / "discussion.html")
    assert "headline results that could be judged" in discussion
