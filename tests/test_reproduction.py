"""Saved results, the reproduction report, the Discussion's wording and launch links."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from datasaveslives.paper import comparison, registry, reproduction, results
from datasaveslives.report import runs, staging, wording


def test_results_round_trip_with_numpy_values_and_nan(tmp_path):
    compared = comparison.table([comparison.row("frequency.retweets", "Retweets", 9720)])
    results.save(
        tmp_path,
        "frequency",
        {"n": np.int64(3), "r": np.float64("nan"), "xs": [np.float32(0.5)]},
        compared,
    )
    assert results.load_values(tmp_path, ("frequency", "users")) == {
        "frequency": {"n": 3, "r": None, "xs": [0.5]},
        "users": {},
    }
    back = results.load_compared(tmp_path, ("frequency", "users"))
    assert back["key"].tolist() == ["frequency.retweets"]
    assert back["section"].tolist() == ["frequency"]
    assert back["within"].tolist() == ["yes"]


def test_saving_without_a_comparison_removes_an_older_one(tmp_path):
    compared = comparison.table([comparison.row("frequency.retweets", "Retweets", 1)])
    results.save(tmp_path, "frequency", {}, compared)
    results.save(tmp_path, "frequency", {}, None)
    assert results.load_compared(tmp_path, ("frequency",)).empty


def test_published_numbers_are_addressed_by_dotted_keys():
    numbers = comparison.published_numbers()
    assert numbers["frequency.tweets_total"] == 13895
    assert numbers["network.table3.0.users"] == 533
    assert numbers["users.official_vs_other_original_text_pct.1"] == 18.67
    assert not any(k.startswith("window") for k in numbers)
    assert comparison.published("top_shared_tweets.8.retweets") == 33


def test_every_published_number_not_compared_has_a_recorded_reason_or_is_listed():
    compared = comparison.table([comparison.row("frequency.tweets_total", "Posts", 13895)])
    rep = reproduction.report(compared.assign(section="frequency"))
    assert rep.published == len(comparison.published_numbers())
    assert len(rep.not_compared) == rep.published - 1
    # Without the chapters' rows, the figures they compare have no reason: the
    # report lists them as unexplained rather than hiding them.
    assert "frequency.retweets" in set(rep.unexplained["key"])
    assert reproduction.reason_for("network.table3.2.bio_words.views")
    assert reproduction.reason_for("network.table3.4.bio_words.health") is None
    assert reproduction.reason_for("frequency.retweets") is None


def test_verdict_names_the_figures_outside_their_tolerance():
    rows = [
        comparison.row("frequency.tweets_total", "Posts", 13895),
        comparison.row("frequency.retweets", "Retweets", 9000),
    ]
    rep = reproduction.report(comparison.table(rows))
    n = len(comparison.published_numbers())
    assert rep.verdict() == (
        f"1 of the 2 compared figures of the paper's {n} numbers are within their tolerance "
        "of the paper's. 1 misses (Retweets): each is in the tables below with the size of "
        "its miss."
    )
    rep = reproduction.report(comparison.table(rows[:1]))
    assert rep.verdict() == (
        f"The one compared figure of the paper's {n} numbers is within its tolerance of the "
        "paper's."
    )
    assert reproduction.report(comparison.table([])).verdict().startswith("No published")


@pytest.mark.parametrize(
    ("r", "words"),
    [
        (0.93, "a large positive correlation"),
        (-0.35, "a moderate negative correlation"),
        (0.21, "a small positive correlation"),
        (0.05, "a negligible correlation"),
        (float("nan"), "no measurable correlation"),
        (None, "no measurable correlation"),
    ],
)
def test_correlations_are_worded_by_cohens_convention(r, words):
    assert wording.correlation(r).startswith(words)


def test_other_wordings_follow_their_thresholds():
    assert "very rarely" in wording.evidence(1e-6)
    assert "could well" in wording.evidence(0.2)
    assert "cannot be tested" in wording.evidence(None)
    assert wording.modularity(0.68).startswith("a clear")
    assert wording.modularity(0.1).startswith("at most a weak")
    assert "hardly depends" in wording.stability(0.95)
    assert "read with care" in wording.stability(0.4)
    assert wording.concentration(0.05, 0.54) == "posting was concentrated in a few hands"
    assert wording.concentration(0.3, 0.4) == "posting was spread fairly evenly"


def test_the_discussions_claims_follow_the_sign_and_size_of_the_numbers():
    # How posts travelled, by the share of shares.
    assert wording.travelled(0.68) == "the posts travelled mostly by sharing"
    assert "most posts were written" in wording.travelled(0.05, "reposts")
    assert "reposts were a minority" in wording.travelled(0.05, "reposts")
    assert "cannot be said" in wording.travelled(float("nan"))
    # Co-movement follows the sign; a negligible r is no relation.
    assert wording.co_movement(0.77, "posts", "boosts") == "weeks with more posts had more boosts"
    assert wording.co_movement(-0.4, "posts", "boosts") == "weeks with more posts had fewer boosts"
    assert wording.co_movement(0.05, "posts", "boosts").endswith("did not have more boosts")
    # What a correlation explains, by r squared.
    shared = "how often posts were shared"
    assert wording.explains(0.2, "audience size", shared) == (
        "audience size alone explains little of how often posts were shared"
    )
    assert wording.explains(-0.4, "audience size").startswith("audience size explains some")
    assert wording.explains(0.8, "audience size", shared).endswith(
        "a long way to explain " + shared
    )
    assert "cannot be measured" in wording.explains(None, "audience size")


@pytest.mark.parametrize(
    ("url", "https"),
    [
        ("git@github.com:org/datasaveslives.git", "https://github.com/org/datasaveslives"),
        ("https://gitlab.com/org/repo.git/", "https://gitlab.com/org/repo"),
        ("https://github.com/org/repo", "https://github.com/org/repo"),
        ("/srv/git/repo", None),
        ("", None),
    ],
)
def test_repository_addresses_become_https(url, https):
    assert staging.https_repository(url) == https


def test_the_repository_variable_wins_over_the_git_remote(monkeypatch):
    monkeypatch.setenv(staging.REPOSITORY_VARIABLE, "git@github.com:a/b.git")
    assert staging.repository_url() == "https://github.com/a/b"


def test_the_repository_is_configured_once_in_the_book_config(monkeypatch, tmp_path):
    monkeypatch.delenv(staging.REPOSITORY_VARIABLE, raising=False)
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://gitlab.com/x/y.git\n")
    monkeypatch.setattr(staging.paths, "CONFIG", config)
    assert staging.repository_url() == "https://gitlab.com/x/y"
    monkeypatch.setenv(staging.REPOSITORY_VARIABLE, "https://github.com/a/b")
    assert staging.repository_url() == "https://github.com/a/b"


def test_staging_with_a_repository_configures_binder(tmp_path):
    layout = runs.RunLayout(tmp_path)
    staging.stage_book(layout, repository="https://github.com/a/b")
    config = yaml.safe_load((layout.stage / "_config.yml").read_text())
    assert config["repository"]["url"] == "https://github.com/a/b"
    assert config["launch_buttons"]["binderhub_url"] == staging.BINDER_URL
    staging.stage_book(layout, repository=None)
    assert "launch_buttons" not in yaml.safe_load((layout.stage / "_config.yml").read_text())


def test_every_page_links_what_the_build_can_honestly_link(tmp_path):
    layout = runs.RunLayout(tmp_path)
    staging.stage_book(layout, repository="https://github.com/a/b", pdf=True)
    links = yaml.safe_load((layout.stage / "_config.yml").read_text())["sphinx"]["config"][
        "compendium_links"
    ]
    assert links == {
        "repository": "https://github.com/a/b",
        "binder": "https://mybinder.org/v2/gh/a/b/main?urlpath=lab/tree/README.md",
        "pdf": "datasaveslives.pdf",
        "citation": "book/intro#how-to-cite",
    }
    # No repository, no PDF: no link to either, rather than a wrong one; the citation stays.
    staging.stage_book(layout, repository=None)
    links = yaml.safe_load((layout.stage / "_config.yml").read_text())["sphinx"]["config"][
        "compendium_links"
    ]
    assert links == {
        "repository": None,
        "binder": None,
        "pdf": None,
        "citation": "book/intro#how-to-cite",
    }
    assert "(how-to-cite)=" in (layout.stage / "book" / "intro.md").read_text()


@pytest.mark.parametrize(
    ("repository", "binder"),
    [
        (
            "https://github.com/o/r",
            "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/README.md",
        ),
        (
            "https://gitlab.com/o/r",
            "https://mybinder.org/v2/gl/o%2Fr/main?urlpath=lab/tree/README.md",
        ),
        ("https://codeberg.org/o/r", None),  # a host Binder does not launch from
        ("https://github.com/o", None),
        (None, None),
    ],
)
def test_binder_launches_the_repository_only_from_hosts_it_knows(repository, binder):
    assert staging.binder_url(repository) == binder


def test_links_are_relative_to_each_page():
    from datasaveslives.report import home_links

    def pathto(target: str, resource: int = 0) -> str:  # Sphinx's, for a page in book/
        return "../" + target if resource else "../" + target + ".html"

    config = {"repository": None, "binder": None, "pdf": "x.pdf", "citation": "book/intro#cite"}
    assert home_links.page_links(config, pathto) == [
        ("pdf", "PDF of the book", "../x.pdf", "fas fa-file-pdf"),
        ("citation", "How to cite", "../book/intro.html#cite", "fas fa-quote-right"),
    ]
    # On the cited page itself, Sphinx's pathto gives "#": the link is the anchor alone.
    links = home_links.page_links(config, lambda target, resource=0: "#")
    assert links[1][2] == "#cite"


def test_the_citation_comes_from_citation_cff():
    from datasaveslives import __version__
    from datasaveslives.report import citation

    cff = citation.load()
    assert citation.compendium(cff, "https://github.com/a/b") == (
        f"The datasaveslives compendium contributors ({cff['date-released'][:4]}). "
        f"*#datasaveslives: a reproducible research compendium* (version {__version__})."
        " <https://github.com/a/b>"
    )
    study = citation.preferred(cff)
    assert study is not None
    assert study.startswith("Hassan L, Nenadic G, Tully MP (2021). A Social Media Campaign")
    assert study.endswith(
        "*Journal of Medical Internet Research* 23(2):e16348. <https://doi.org/10.2196/16348>"
    )
    assert citation.preferred({k: v for k, v in cff.items() if k != "preferred-citation"}) is None
    person = {"family-names": "Smith-Jones", "given-names": "Anna-Marie Jo"}
    assert citation.authors([person, {"name": "A Lab"}]) == "Smith-Jones AMJ, A Lab"


def test_results_files_are_plain_json(tmp_path):
    results.save(tmp_path, "users", {"share": pd.Series([0.25]).iloc[0]})
    assert json.loads((tmp_path / "users.json").read_text()) == {"share": 0.25}


def test_compared_shares_are_hedged_by_effect_size():
    say = wording.compared_shares
    assert say("supporters", "others", "wrote", 0.27, 0.19, 0.19) == (
        "supporters wrote more often than others, though the difference is small in size"
    )
    assert (
        say("supporters", "others", "wrote", 0.6, 0.2, 0.82)
        == "supporters wrote more often than others"
    )
    assert say("supporters", "others", "wrote", 0.1, 0.2, 0.1) == (
        "others wrote at least as often as supporters"
    )
    assert "cannot be measured" in say("a", "b", "wrote", None, 0.2, None)


def test_numbers_not_compared_are_grouped_by_reason():
    rep = reproduction.report(comparison.table([]))
    grouped = rep.not_compared_by_reason(shown=2)
    assert grouped["numbers"].sum() == rep.published  # every published number, once
    words = grouped.set_index("reason").loc["no reason recorded"]
    assert words["keys"].startswith("frequency.tweets_total, frequency.original_posts and ")
    views = grouped[grouped["reason"].str.contains("stop word")]
    table3 = comparison.paper()["network"]["table3"]
    said = sum("views" in g["bio_words"] for g in table3)
    said += sum("views" in g["tweet_words"] for g in table3)
    assert views["numbers"].sum() == said


def test_overlap_and_follower_comparisons_follow_their_data():
    assert wording.overlap(0.42) == "so the themes overlap, as the paper found"
    assert "seldom overlap" in wording.overlap(0.02)
    assert "cannot be measured" in wording.overlap(None)
    assert wording.followers_compared(0.001, 50) == "differ between the activity groups"
    assert wording.followers_compared(0.4, 50).startswith("do not differ detectably")
    assert "too few" in wording.followers_compared(float("nan"), 50)
    assert "no follower count is known" in wording.followers_compared(0.001, 0)


def test_every_registered_figure_is_published_and_computed_by_a_package_function():
    """The registry declares each compared figure once, with a target in the paper's
    record, a function that computes it and a tolerance that exists."""
    import importlib

    from datasaveslives.paper import comparison, registry

    keys = [f.key for f in registry.FIGURES]
    assert len(keys) == len(set(keys))
    for figure in registry.FIGURES:
        module, name = figure.computed_by.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(f"datasaveslives.{module}"), name))
        if "{" not in figure.key:
            assert comparison.published(figure.key) is not None
        figure.tol()  # a named tolerance is in calibration.yml


def test_a_registered_figures_row_takes_its_label_and_tolerance_from_the_registry():
    from datasaveslives.paper import registry

    figure, rank = registry.row("top_shared_tweets.2.reach", 1000, rank=3), None
    assert figure[0] == "Table 1 rank 3: potential reach" and figure[3] == {"rel": 0.10}
    assert registry.find("users.table2.quote.official")[1] == {
        "type": "quote",
        "column": "official",
    }
    with pytest.raises(registry.UnknownFigure, match="no published figure"):
        registry.row("users.no_such_figure", 1)
    assert rank is None


def test_tolerances_say_their_kind_and_near_misses_are_flagged():
    ok, label = comparison.within(10.0, 10.015, {"abs": 0.02})
    assert ok and label == "± 0.02 absolute"
    assert comparison.within(64.87, 64.9, {"abs": 0.5}, points=True)[1] == (
        "± 0.5 percentage points"
    )
    assert comparison.within(100.0, 109.0, {"rel": 0.1})[1] == "± 10% relative"
    assert comparison.used(10.0, 10.017, {"abs": 0.02}) == pytest.approx(0.85)
    assert comparison.used(10.0, 10.0, None) is None
    t = comparison.table(
        [
            ("near", 10.0, 10.017, {"abs": 0.02}, "frequency.weekly_posts_vs_retweets_r"),
            ("far inside", 10.0, 10.001, {"abs": 0.02}, "x"),
            ("outside", 10.0, 10.5, {"abs": 0.02}, "y"),
        ]
    )
    assert t["note"].tolist() == [
        "uses 85% of its tolerance",
        "",
        "misses: 25.0 times its tolerance",
    ]
    rep = reproduction.Report(compared=t, not_compared=pd.DataFrame(columns=["key"]), published=3)
    assert rep.near_limit == 1
    assert "1 of the figures within tolerance uses more than 80% of it" in rep.verdict()


def test_the_verdict_counts_calibrated_and_held_out_figures_apart():
    rows = registry_rows = [
        registry.row("frequency.tweets_total", 13895),
        registry.row("network.diameter", 30),
    ]
    table = comparison.table(registry_rows).assign(
        basis=[registry.find(r[4])[0].basis for r in rows]
    )
    rep = reproduction.report(table)
    assert rep.by_basis() == {"calibrated": (1, 1), "held-out": (0, 1)}
    assert "(calibrated 1 of 1; held-out 0 of 1)" in rep.verdict()
    assert "1 misses (Diameter)" in rep.verdict()


def test_a_miss_says_its_size_in_tolerances():
    t = comparison.table([registry.row("network.diameter", 15)])
    assert t.loc[0, "within"] == "no"
    assert t.loc[0, "note"] == "misses: 3.0 times its tolerance"
    assert comparison.table([registry.row("frequency.retweets", 1)]).loc[0, "note"] == "differs"


def test_every_tolerance_says_where_it_comes_from_and_what_kind_it_is():
    spec = comparison.calibration_spec()["tolerances"]
    for name, tol in spec.items():
        assert len(set(tol) & {"abs", "rel"}) == 1, name
        assert len(str(tol.get("source", ""))) > 40, name
    used = {f.tolerance for f in registry.FIGURES if f.tolerance}
    assert used <= set(spec)
    sources = registry.tolerances_used()
    assert set(sources["tolerance"]) == used | {"equal"}
    assert sources["source"].str.len().min() > 40


def test_at_least_thirty_published_figures_are_held_out_and_the_generator_cannot_read_them():
    from datasaveslives.synth import spec

    held = registry.held_out_keys()
    assert len(held) >= 30
    record = spec.targets()
    for key in held:
        value = record
        for part in key.split("."):
            value = value[int(part)] if isinstance(value, list) else value[part]
        assert value is None, key
    # ...while every calibrated number is still there to calibrate to.
    assert record["network"]["nodes"] == comparison.paper()["network"]["nodes"]
    assert record["network"]["diameter"] is None


def test_at_least_two_hundred_published_numbers_are_declared_for_comparison():
    declared = [
        k
        for k in comparison.published_numbers()
        if any(p.match(k) for p, _ in registry._patterns())
    ]
    assert len(declared) >= 200
