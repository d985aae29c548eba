"""The scenario matrix: every chapter executed on data that is not the default.

Each scenario is small data made from the real fixtures or the synthetic corpus (an empty
window, a short window, no hashtag filter, one author, no shares, only shares, no
follower counts, a mixed-platform archive, coding files of every size). The chapters are
executed as a build executes them (the parameters papermill injects; one kernel per test
process runs them in turn, tests/kernel.py) and their text is read as a reader would
(tests/rendered.py): it must hold no None, NaN, traceback, unresolved value, absolute
path, "synthetic" on real data or the #datasaveslives study in another study, and the
chapters must agree on the numbers they share. One full book build (tests/test_book.py)
covers Sphinx; here the notebooks run on small tables.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
import rendered
from conftest import (
    BLUESKY,
    BREXIT_CSV,
    BREXIT_PAGES,
    KPOP_PAGES,
    MASTODON,
    SFM_V1,
    TWEET_PARSER_AS,
)

from datasaveslives.analysis import network
from datasaveslives.core import paths, study
from datasaveslives.core.params import Params
from datasaveslives.ingest import ingestion, parallel
from datasaveslives.paper import results
from datasaveslives.report import notebooks, platforms, provenance, runs, staging

pytestmark = pytest.mark.notebook

CODEBOOK = str(Path(__file__).parent / "fixtures" / "codebook_generic.yml")
# The chapters a scenario reads (about_data is the synthetic corpus's own chapter, the
# performance appendix reads the benchmark, not the data).
CHAPTERS = ("data_methods", "frequency", "users", "network", "themes")
SUMMARIES = ("multiverse", "discussion", "reproduction")
# Small enough to be quick, large enough to exercise every step.
FAST = {"stability_seeds": 3, "layout_iterations": 10, "simulated_read": 300, "double_coded": 60}
# The multiverse on a smaller sample of the network's combinations (every other result's
# grid whole): the same code and readings, a third of the time.
FAST_MULTIVERSE = 40


@dataclass(frozen=True)
class Scenario:
    name: str
    data: tuple[str, ...] = ()  # none: params.yml's (the synthetic corpus, its study)
    overrides: dict[str, Any] = field(default_factory=dict)
    coding: tuple[int, ...] = ()  # coders, and how many posts each codes (0: every post)
    says: dict[str, tuple[str, ...]] = field(default_factory=dict)  # phrases, by chapter


def only_retweets(tmp: Path) -> str:
    """The real v1.1 timeline's retweets alone: an archive of shares only."""
    out = tmp / "retweets_only.jsonl"
    lines = [line for line in SFM_V1.read_text().splitlines() if '"retweeted_status"' in line]
    out.write_text("\n".join(lines) + "\n")
    return str(out)


SCENARIOS = [
    Scenario(
        "empty-window",
        overrides={"start": "2010-01-01", "end": "2010-01-31"},
        says={
            "frequency": (
                "No post carrying #datasaveslives falls in this window",
                "cannot be measured",
            ),
            **{c: ("carries its hashtag within its window",) for c in ("users", "network")},
            "themes": ("carries its hashtag within its window",),
            "discussion": ("nothing to discuss",),
            "reproduction": ("No comparison with the paper is made",),
        },
    ),
    Scenario("one-day", overrides={"start": "2017-03-01", "end": "2017-03-01"}),
    Scenario("seven-days", overrides={"start": "2017-03-01", "end": "2017-03-07"}),
    Scenario("thirteen-days", overrides={"start": "2017-03-01", "end": "2017-03-13"}),
    Scenario("a-month", overrides={"start": "2017-04-01", "end": "2017-04-30"}),
    Scenario(
        "v2-no-hashtag",
        data=(str(BREXIT_PAGES),),
        overrides={"hashtag": ""},
        says={"data_methods": ("with or without a hashtag (no hashtag filter)",)},
    ),
    Scenario("v2-absent-hashtag", data=(str(KPOP_PAGES),), overrides={"hashtag": "#nosuchtag"}),
    Scenario("one-author-years", data=(str(SFM_V1),), overrides={"hashtag": ""}),
    Scenario("only-shares", data=("retweets_only",), overrides={"hashtag": ""}),
    Scenario("mastodon-no-shares", data=(str(MASTODON),), overrides={"hashtag": ""}),
    Scenario("bluesky-no-followers", data=(str(BLUESKY),), overrides={"hashtag": ""}),
    Scenario("gnip-activity-streams", data=(str(TWEET_PARSER_AS),), overrides={"hashtag": ""}),
    Scenario("twarc-csv-export", data=(str(BREXIT_CSV),), overrides={"hashtag": "#brexit"}),
    Scenario("mixed-platforms", data=(str(BLUESKY), str(MASTODON)), overrides={"hashtag": ""}),
    Scenario(
        "every-post-coded",
        data=(str(BREXIT_PAGES),),
        overrides={"hashtag": "", "codebook": CODEBOOK},
        coding=(0,),
    ),
    Scenario(
        "a-handful-coded-two-coders",
        data=(str(KPOP_PAGES),),
        overrides={"hashtag": "", "codebook": CODEBOOK},
        coding=(5, 5),
    ),
    Scenario(
        "one-coder-twelve-posts",
        data=(str(BREXIT_PAGES),),
        overrides={"hashtag": "", "frame_size": 5, "codebook": CODEBOOK},
        coding=(12,),
    ),
    Scenario(
        "open-coding-two-coders-no-codebook",
        data=(str(BREXIT_PAGES),),
        overrides={"hashtag": ""},
        coding=(20, 10),
    ),
]


def write_coding(layout: runs.RunLayout, coders: tuple[int, ...], out: Path) -> list[str]:
    """Coding files as coders return them: the exported sample, the first ``n`` posts
    of it read (all for 0) and coded by a fixed rule, one file per coder."""
    sample = pd.read_csv(layout.root / "coding" / "coding_sample.csv", dtype=str).fillna("")
    files = []
    for i, n in enumerate(coders):
        rows = sample if n == 0 else sample.head(n)
        path = out / f"coding_coder{i + 1}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(sample.columns)
            for k, row in enumerate(rows.itertuples(index=False)):
                values = row._asdict()
                text = values["text"].lower()
                marks = {
                    "A": (k + i) % 2 == 0,
                    "B": "http" in text or "[link]" in text,
                    "C": k % 5 == 0,
                    "D": "!" in text,
                }
                for code, mark in marks.items():
                    if code in values:
                        values[code] = "1" if mark else ""
                if "A" not in values:  # open coding: the codes go in new_code
                    values["new_code"] = "; ".join(c for c, m in marks.items() if m)
                values["read"] = "1"
                writer.writerow(values.values())
        files.append(str(path))
    return files


def run_scenario(scenario: Scenario, tmp: Path, chapters):
    """Execute every chapter on ``scenario`` in the kernel ``chapters``: the executed
    notebooks by name, the parameters and the run's folders."""
    data = [only_retweets(tmp) if d == "retweets_only" else d for d in scenario.data]
    params = Params.load(paths.PARAMS, data=data or None, **scenario.overrides)
    params = params.with_overrides(**FAST)
    params = params.with_overrides(multiverse={**params.multiverse, "sample": FAST_MULTIVERSE})
    params.validate()
    layout = runs.RunLayout(tmp / "run")
    report = parallel.run_ingest(params, layout.tables)
    layout.provenance.write_text(
        json.dumps(provenance.collect(params.notebook_parameters(), report)), encoding="utf-8"
    )
    staging.stage_book(layout, params.synthetic, front=staging.front_matter(params, report))
    parameters = notebooks.prepare(params, layout, cache_dir=str(tmp / "c"))
    if scenario.coding:
        chapters.run(layout, parameters, ("themes",))
        files = write_coding(layout, scenario.coding, tmp)
        params = params.with_overrides(coding_files=tuple(files))
        parameters = notebooks.prepare(params, layout, cache_dir=str(tmp / "c"))
    executed = chapters.run(layout, parameters, CHAPTERS + SUMMARIES)
    return executed, params, layout


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_chapter_reads_true_on_the_scenario(scenario, tmp_path, chapters):
    executed, params, layout = run_scenario(scenario, tmp_path, chapters)
    texts = {name: rendered.text(path) for name, path in executed.items()}
    # The chapters are titled by the run's selection: "the hashtag" only with a filter.
    posted_on = platforms.report_platforms(ingestion.load_report(layout.tables))
    for chapter, title in study.chapter_titles(params.hashtag, posted_on).items():
        assert f"# {title}\n" in texts[chapter], (chapter, title)
    for chapter, phrases in scenario.says.items():
        for phrase in phrases:
            assert phrase in texts[chapter], (chapter, phrase)
    declared = params.study_file().declared
    found = {
        name: rendered.problems(text, synthetic=params.synthetic, study=declared, source=True)
        for name, text in texts.items()
    }
    assert not {k: v for k, v in found.items() if v}, json.dumps(found, indent=1)
    # The chapters agree on the numbers they share.
    saved = results.load_values(layout.results, ("frequency", "users", "network"))
    f, u, n = saved["frequency"], saved["users"], saved["network"]
    posts = pd.read_parquet(layout.tables / "posts.parquet")
    assert f.get("posts", 0) == len(posts)
    assert u.get("users", 0) == posts["author_id"].nunique()
    assert f.get("retweets", 0) == int((posts["type"] == "retweet").sum())
    values = {
        name: rendered.glued(nbformat.read(path, as_version=4)) for name, path in executed.items()
    }

    def number(chapter: str, key: str) -> int:
        return int(values[chapter][key].replace(",", ""))

    for chapter, key in (("data_methods", "n_kept"), ("discussion", "n_posts")):
        assert number(chapter, key) == len(posts), (chapter, key)
    n_said = f"There {'was' if len(posts) == 1 else 'were'} {len(posts):,} post"
    assert values["frequency"]["posts_para"].startswith(n_said if len(posts) else "No post")
    edges = pd.read_parquet(layout.tables / "retweet_edges.parquet")
    assert n.get("nodes", 0) == network.retweet_graph(edges).graph.number_of_nodes()
