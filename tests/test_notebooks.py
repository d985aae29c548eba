"""Each section notebook, executed by papermill on small data."""

from __future__ import annotations

import json
from datetime import date

import nbformat
import pytest
from conftest import status

from datasaveslives.analysis import frequency
from datasaveslives.core import paths
from datasaveslives.core.params import Params
from datasaveslives.ingest import parallel, tables
from datasaveslives.paper import reproduction, results
from datasaveslives.report import notebooks, pipeline, provenance, runs

pytestmark = pytest.mark.notebook


def glued(notebook) -> dict[str, str]:
    """Values a notebook glued, as their plain-text form."""
    out = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if key:
                data = output["data"]
                markdown = data.get("application/papermill.record/text/markdown")
                out[key] = markdown or data["application/papermill.record/text/plain"].strip("'")
    return out


@pytest.fixture
def small_run(tmp_path, jsonl):
    posts = [
        status("1", "Hello #datasaveslives", when="Thu Sep 01 10:00:00 +0000 2016"),
        status("2", "Again #DataSavesLives", when="Fri Sep 02 10:00:00 +0000 2016"),
        status("3", "No tag", when="Fri Sep 02 11:00:00 +0000 2016"),
        status("4", "Late #datasaveslives", when="Fri Sep 01 10:00:00 +0000 2017"),
    ]
    data = jsonl([*posts, posts[0]])  # one duplicate
    with open(data, "a") as fh:
        fh.write('{"truncated": \n')  # one record to quarantine
    params = Params(
        data=(str(data),),
        data_label="four test posts",
        hashtag="#datasaveslives",
        start="2016-09-01",
        end="2017-08-31",
        supporters=None,
        codebook="data/codebook.yml",
        study=str(paths.STUDY),  # the paper's window and hashtag: compared with the paper
    )
    layout = runs.RunLayout(tmp_path / "run")
    report = parallel.run_ingest(params, layout.tables)
    layout.provenance.write_text(
        json.dumps(provenance.collect(params.notebook_parameters(), report)), encoding="utf-8"
    )
    (layout.stage / "book").mkdir(parents=True)
    return params, layout, report


def test_data_methods_notebook_glues_the_computed_counts(small_run):
    params, layout, report = small_run
    executed = notebooks.execute_section("data_methods", layout, notebooks.prepare(params, layout))
    values = glued(executed)
    assert report["read"] == 6
    assert values["n_read"] == "6"
    assert values["n_kept"] == "2"
    assert values["n_filtered"] == "2"
    assert values["n_duplicates"] == "1"
    assert values["n_quarantined"] == "1"
    assert values["n_original"] == "2" and values["n_retweet"] == "0"
    assert values["window_text"] == "2016-09-01 to 2017-08-31 (UTC)"
    assert values["hashtag_clause"] == " whose body carries #datasaveslives"
    tags = [c.metadata.get("tags", []) for c in nbformat.read(executed, as_version=4).cells]
    assert ["injected-parameters", "hide-cell"] in tags


def test_a_failing_notebook_names_the_notebook_and_cell(small_run):
    params, layout, _ = small_run
    parameters = {**notebooks.prepare(params, layout), "run_dir": "no/such/dir"}
    with pytest.raises(
        pipeline.BuildError, match=r"book/data_methods\.md failed in cell \d+"
    ) as err:
        notebooks.execute_section("data_methods", layout, parameters)
    message = str(err.value)
    # The terminal shows the innermost frames and where to find the executed notebook,
    # in plain text (no terminal colour codes).
    assert "  | " in message and "no/such/dir" in message.split("\n", 1)[1]
    assert "\x1b[" not in message
    assert "data_methods.ipynb" in message.splitlines()[-1]


def test_chapters_run_on_small_data(small_run, chapters):
    params, layout, _ = small_run
    parameters = notebooks.prepare(params, layout)
    executed = chapters.run(layout, parameters, ("frequency", "users", "network"))
    values = glued(executed["frequency"])
    assert values["posts_para"].startswith("There were 2 posts carrying #datasaveslives.")
    assert "100.00% (2) were original posts" in values["posts_para"]
    assert "0.00% (0) were retweets" in values["posts_para"]
    saved = results.load_values(layout.results, ("frequency", "users", "network"))
    assert saved["frequency"]["weeks"] == 52
    assert saved["users"]["users"] == 1 and saved["users"]["once"] == 0
    # No retweets: an empty network, said so.
    assert saved["network"]["nodes"] == 0 and saved["network"]["groups"] == 0
    cells = nbformat.read(executed["network"], as_version=4).cells
    outputs = [o for c in cells for o in c.get("outputs", [])]
    assert any("no network of retweets" in str(o.get("data", {})) for o in outputs)


@pytest.fixture(scope="module")
def two_windows(tmp_path_factory, chapters):
    """The frequency and users chapters on the synthetic corpus, over two windows."""
    out = {}
    for start, end in (("2016-09-01", "2017-08-31"), ("2017-01-01", "2017-06-30")):
        params = Params.load(paths.PARAMS, start=start, end=end)
        layout = runs.RunLayout(tmp_path_factory.mktemp(start))
        parallel.run_ingest(params, layout.tables)
        (layout.stage / "book").mkdir(parents=True)
        parameters = notebooks.prepare(params, layout)
        values = {}
        for executed in chapters.run(layout, parameters, ("frequency", "users")).values():
            values |= glued(executed)
        for section, saved in results.load_values(layout.results, ("frequency", "users")).items():
            values |= {f"{section}.{k}": v for k, v in saved.items()}
        out[(start, end)] = (values, layout)
    return out


def test_a_new_window_rewrites_the_numbers_consistently(two_windows):
    (full, full_layout), (half, half_layout) = two_windows.values()
    for key in (
        "frequency.posts",
        "frequency.week_mean",
        "frequency.r_weekly",
        "frequency.busiest_week_start",
        "users.users",
        "users.chi2",
        "users.gini",
    ):
        assert full[key] != half[key], key
    for values, layout, (start, end) in (
        (full, full_layout, ("2016-09-01", "2017-08-31")),
        (half, half_layout, ("2017-01-01", "2017-06-30")),
    ):
        t = tables.load(layout.tables)
        weekly = frequency.weekly_counts(
            t.posts, date.fromisoformat(start), date.fromisoformat(end)
        )
        assert values["frequency.posts"] == len(t.posts)
        assert values["frequency.week_max"] == frequency.weekly_summary(weekly)["max"]
        assert values["users.users"] == t.posts["author_id"].nunique()


def test_network_chapter_runs_on_small_data_and_writes_its_downloads(tmp_path, jsonl, chapters):
    from conftest import user

    hub = user("1", "hub")
    posts = [
        status("10", "#datasaveslives post", author=hub, when="Thu Sep 01 10:00:00 +0000 2016")
    ]
    posts += [
        status(
            str(20 + i),
            "RT",
            author=user(str(2 + i), f"fan{i}"),
            when="Thu Sep 01 12:00:00 +0000 2016",
            retweeted_status=posts[0],
        )
        for i in range(4)
    ]
    params = Params(data=(str(jsonl(posts)),), hashtag="#datasaveslives", supporters=None)
    layout = runs.RunLayout(tmp_path / "run")
    parallel.run_ingest(params, layout.tables)
    (layout.stage / "book").mkdir(parents=True)
    parameters = notebooks.prepare(
        params,
        layout,
        cache_dir=str(tmp_path / "cache"),
        # Above this size the path length is estimated: exercise that branch.
        path_exact_limit=3,
        path_sources=2,
    )
    executed = chapters.run(layout, parameters, ("network",))["network"]
    values = glued(executed)
    saved = results.load_values(layout.results, ("network",))["network"]
    assert (saved["nodes"], saved["edges"], saved["groups"]) == (5, 4, 1)
    assert "estimate" in values["network_para"] and "**2** users drawn" in values["network_para"]
    assert saved["diameter"] == 2  # a star: the double sweep finds it
    gexf = layout.stage / "book" / "network.gexf"
    assert gexf.is_file() and (layout.stage / "book" / "network_edges.csv").is_file()
    assert "fan0" not in gexf.read_text()  # not allowlisted: pseudonymised
    page = layout.stage / "book" / "_static" / "network_interactive.html"
    assert "Bokeh" in page.read_text() and "fan0" not in page.read_text()


def _outputs_text(notebook) -> str:
    cells = nbformat.read(notebook, as_version=4).cells
    return " ".join(str(o.get("data", {})) for c in cells for o in c.get("outputs", []))


def test_themes_chapter_without_coding_says_so_and_writes_the_sample(small_run):
    params, layout, _ = small_run
    executed = notebooks.execute_section("themes", layout, notebooks.prepare(params, layout))
    values = glued(executed)
    assert values["n_originals"] == "2"
    assert results.load_values(layout.results, ("themes",))["themes"]["coders"] == 0
    assert "No coding yet" in _outputs_text(executed)
    # The published notebook does not carry this machine's paths.
    injected = [
        c.source
        for c in nbformat.read(executed, as_version=4).cells
        if "injected-parameters" in c.metadata.get("tags", [])
    ]
    # Papermill injects the run's folder only, relative; the chapter reads the rest.
    assert injected and injected[0].strip().splitlines()[-1] == 'run_dir = "../.."'
    assert str(layout.root) not in injected[0] and str(paths.ROOT) not in injected[0]
    for name in ("coding_sample.xlsx", "coding_sample.csv", "coding_sample.qdpx"):
        assert (layout.root / "coding" / name).is_file()
        assert (layout.stage / "book" / name).is_file()


def test_themes_chapter_analyses_a_coders_workbook_and_the_exercise_runs(small_run, chapters):
    import openpyxl
    import pandas as pd

    from datasaveslives.coding import agreement, codebook, workbook

    params, layout, _ = small_run
    parameters = notebooks.prepare(params, layout)
    chapters.run(layout, parameters, ("themes",))
    # A student fills in the published workbook (posts by keyed reference, not by id):
    # both posts read, A on the first, B on both.
    wb = openpyxl.load_workbook(layout.stage / "book" / "coding_sample.xlsx")
    ws = wb["Coding"]
    header = [c.value for c in ws[1]]
    for row in (2, 3):
        ws.cell(row, header.index("read") + 1, 1)
        ws.cell(row, header.index("B") + 1, 1)
    ws.cell(2, header.index("A") + 1, 1)
    ws.cell(3, header.index("new_code") + 1, "greeting")
    mine = layout.root / "coding_alex.xlsx"
    wb.save(mine)
    coded_params = params.with_overrides(coding_files=(str(mine),))
    executed = chapters.run(layout, notebooks.prepare(coded_params, layout), ("themes",))
    executed = executed["themes"]
    values = glued(executed)
    saved = results.load_values(layout.results, ("themes",))["themes"]
    assert values["primary"] == "alex" and saved["read"] == 2 and saved["coders"] == 1
    assert saved["distinct_codes"] == 3  # A, B and the new code
    assert "Simulated coders" not in _outputs_text(executed)
    # The exercise's code, on the published reference workbook.
    book = codebook.load()
    theirs = workbook.read(layout.stage / "book" / "coding_reference.xlsx", book, coder="reference")
    table = agreement.table(pd.concat([workbook.read(mine, book), theirs]), book.ids)
    assert table["posts"].tolist() == [2] * 4 and (table["agreement"] == 1.0).all()


def test_discussion_and_report_read_what_the_chapters_saved(small_run, chapters):
    params, layout, _ = small_run
    parameters = notebooks.prepare(params, layout)
    names = ("frequency", "users", "network", "themes", "discussion", "reproduction")
    executed = chapters.run(layout, parameters, names)
    saved = results.load_values(layout.results, ("frequency", "users", "network"))
    assert saved["frequency"]["posts"] == 2 and saved["users"]["users"] == 1
    discussion = glued(executed["discussion"])
    assert "52 weeks held **2** posts carrying #datasaveslives" in discussion["q1_text"]
    assert "fewer than one post a week on average" in discussion["q1_text"]
    assert "no network to discuss" in discussion["q3_text"]
    report = glued(executed["reproduction"])
    compared = reproduction.from_results(layout.results).compared
    assert len(compared) > 20
    # Two posts are not the paper's campaign: the verdict says how many figures differ.
    within = (compared["within"] == "yes").sum()
    assert f"{within} of the {len(compared)} compared figures" in report["verdict"]


def test_the_chapters_that_wait_for_the_shared_data_are_those_that_read_it():
    """notebooks.READS_DERIVED names exactly the chapters whose code reads the derived
    data (report/derived.py): one left out would start before its data is written."""
    import re

    reads = {
        name
        for name in (*notebooks.SECTIONS, *notebooks.SUMMARIES)
        if re.search(r"\bderived\.\w+\(", (paths.BOOK / f"{name}.md").read_text())
    }
    assert reads == notebooks.READS_DERIVED
    waiting = ["network", "themes", "users", "frequency", "about_data"]
    needs = {
        name: notebooks.prerequisites(name, (tuple(waiting),), derive=True) for name in waiting
    }
    assert notebooks.startable(waiting, set(), needs) == ["users", "about_data"]
    assert notebooks.startable(waiting, {notebooks.DERIVING}, needs) == waiting
    # Without a derivation among the chapters (the data derived before), none waits.
    assert not any(notebooks.prerequisites(name, (tuple(waiting),)) for name in waiting)


def test_a_build_derives_the_shared_data_beside_the_chapters(small_run):
    params, layout, _ = small_run
    parameters = notebooks.prepare(params, layout, derive=False)
    assert not (layout.derived / "partition.json").exists()
    said: list[str] = []
    executed = notebooks.execute_all(
        layout, parameters, (("data_methods", "frequency"), ()), 2, said.append, derive=True
    )
    assert set(executed) == {"data_methods", "frequency"}
    assert (layout.derived / "partition.json").is_file()
    assert (layout.coding / "coding_sample.xlsx").is_file()
    derived_at = said.index("derived the network's groups and the coding order")
    assert derived_at < said.index("executed frequency")  # frequency reads the groups


def test_the_summaries_wait_for_the_sections_whose_results_they_read():
    """notebooks.READS_RESULTS names, for each summary, every section whose saved results
    its code reads (results.load_values's sections, and the reproduction report's): a
    section left out could still be running when the summary reads its results."""
    import ast
    import re

    for name in notebooks.SUMMARIES:
        code = (paths.BOOK / f"{name}.md").read_text()
        read: set[str] = set()
        found = re.findall(r"results\.load_\w+\(\s*results_dir,\s*(\([^)]*\)|\"\w+\")", code)
        for listed in found:
            value = ast.literal_eval(listed)
            read |= {value} if isinstance(value, str) else set(value)
        if "reproduction.from_results(" in code:
            read |= set(reproduction.COMPARED_SECTIONS)
        assert read, f"{name} reads no section's results: the test no longer finds them"
        assert read <= notebooks.READS_RESULTS[name]
        # Only through those two: another way of reading the results would escape this test.
        uses = re.findall(r"\b(results\.\w+|reproduction\.from_results|results_dir)\b", code)
        assert set(uses) <= {
            "results.load_values",
            "results.load_table",
            "results.save",  # a summary's own results (the multiverse's, for the Discussion)
            "reproduction.from_results",
            "results_dir",
        }, set(uses)
    sections = (notebooks.SECTIONS, notebooks.SUMMARIES)
    assert notebooks.prerequisites("discussion", sections) == {
        *reproduction.COMPARED_SECTIONS,
        "multiverse",  # a page of the same phase: the Discussion reads its readings
    }
    assert notebooks.prerequisites("multiverse", sections) == {"themes"}
    assert notebooks.prerequisites("network", sections) == frozenset()
    # A page of a later phase that is not listed waits for every chapter before it.
    assert notebooks.prerequisites("later", (("a", "b"), ("later",))) == {"a", "b"}
    needs = {"summary": frozenset({"a"})}
    assert notebooks.startable(["b", "summary"], {"b"}, needs) == ["b"]
    assert notebooks.startable(["b", "summary"], {"a"}, needs) == ["b", "summary"]


def test_a_summary_starts_while_the_sections_it_does_not_read_still_run(monkeypatch, tmp_path):
    """The scheduling itself: with two workers, a summary that reads only the section
    "result" starts while the longer section "appendix" is still running (the appendix
    waits for the summary to have started; were the summary held until every section
    was done, the appendix would time out and the run fail)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    summary_started = threading.Event()
    started: list[str] = []

    def execute(name, layout, parameters):
        started.append(name)
        if name == "appendix":
            assert summary_started.wait(20), "the summary waited for a section it does not read"
        if name == "summary":
            summary_started.set()
        return tmp_path / f"{name}.ipynb"

    monkeypatch.setattr(notebooks, "execute_section", execute)
    monkeypatch.setattr(
        notebooks.processes, "fresh_pool", lambda workers, preload=(): ThreadPoolExecutor(workers)
    )
    monkeypatch.setitem(notebooks.READS_RESULTS, "summary", frozenset({"result"}))
    monkeypatch.setitem(notebooks.TYPICAL_SECONDS, "appendix", 100.0)  # started first
    said: list[str] = []
    executed = notebooks.execute_all(
        None, {}, (("result", "appendix"), ("summary",)), 2, said.append
    )
    assert started == ["appendix", "result", "summary"]
    assert list(executed) == ["result", "appendix", "summary"]  # in phase order
    assert said.index("executed result") < said.index("executed summary")


def _chapter(folder, name: str, code: str) -> None:
    """A one-cell chapter ``name`` in ``folder`` (jupytext's Markdown)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(
        "---\njupyter:\n  kernelspec:\n    display_name: Python 3\n    language: python\n"
        f"    name: python3\n---\n\n# {name}\n\n```python\n{code}\n```\n"
    )


def test_a_kernel_writes_its_own_messages_to_the_run_not_the_terminal(tmp_path, monkeypatch, capfd):
    """What a chapter's kernel process writes itself (IPKernelApp's messages at start and
    shutdown) goes to the run's log of that kernel; the build's terminal stays clean."""
    monkeypatch.setattr(paths, "BOOK", tmp_path / "book")
    _chapter(tmp_path / "book", "quiet", "import os\nos.write(2, b'from the kernel process\\n')")
    layout = runs.RunLayout(tmp_path / "run")
    (layout.stage / "book").mkdir(parents=True)
    notebooks.execute_section("quiet", layout, {})
    assert "from the kernel process" not in capfd.readouterr().err
    assert "from the kernel process" in notebooks.kernel_log_file(layout, "quiet").read_text()


def test_a_kernel_that_dies_stops_the_build_with_the_end_of_its_log(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BOOK", tmp_path / "book")
    code = "import os\nos.write(2, b'the last words\\n')\nos._exit(3)"
    _chapter(tmp_path / "book", "dies", code)
    layout = runs.RunLayout(tmp_path / "run")
    (layout.stage / "book").mkdir(parents=True)
    with pytest.raises(runs.BuildError, match=r"book/dies\.md died") as failure:
        notebooks.execute_section("dies", layout, {})
    assert "| the last words" in str(failure.value)
