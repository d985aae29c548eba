"""The multiverse analysis: the declared choices, the combinations, the data each keeps,
the results under each, their readings and the sentences that say them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from datasaveslives.analysis import multiverse as mv
from datasaveslives.core import choices
from datasaveslives.core.params import Params, ParamsError
from datasaveslives.report.prose import discussion
from datasaveslives.report.prose import multiverse as says

UTC = "UTC"


def every_option(**extra) -> choices.Declaration:
    spec = {
        "choices": {k: {"options": {o: f"why {o}" for o in v}} for k, v in choices.OPTIONS.items()}
    }
    return choices.declared({**spec, **extra})


# -- The declaration -------------------------------------------------------------------


def test_the_declaration_keeps_the_runs_own_option_first_in_any_order_given():
    decl = choices.declared(
        {"choices": {"resolution": {"options": {"2": "finer", "as_set": "own"}},
                     "weeks": {"question": "Where?", "options": {"iso": "Monday"}}}}
    )  # fmt: skip
    assert [c.name for c in decl.choices] == ["weeks", "resolution"]  # OPTIONS' order
    assert decl.options("weeks") == ("window", "iso")  # the run's own always in, first
    assert decl.options("resolution") == ("as_set", "2")
    assert decl.options("algorithm") == ("louvain",)  # not declared: only the run's own
    assert decl.choice("weeks").question == "Where?"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"choices": {"colour": {}}}, "unknown choice 'colour'"),
        ({"choices": {"weeks": {"options": {"fortnight": "x"}}}}, "no option 'fortnight'"),
        ({"sample": 0}, "sample must be at least 1"),
        ({"samples": 10}, "unknown key 'samples'"),
    ],
)
def test_a_declaration_that_cannot_be_used_is_one_clear_error(spec, message):
    with pytest.raises(choices.MultiverseError, match=message):
        choices.declared(spec)


def test_params_validate_the_multiverse_key(tmp_path):
    from datasaveslives.core import paths

    params = Params.load(paths.PARAMS)
    params.validate()  # the project's own declaration is valid
    assert len(choices.declared(params.multiverse).choices) == len(choices.OPTIONS)
    bad = params.with_overrides(multiverse={"choices": {"weeks": {"options": {"daily": ""}}}})
    with pytest.raises(ParamsError, match="weeks has no option 'daily'"):
        bad.validate()


# -- The combinations ------------------------------------------------------------------


def test_the_plan_crosses_the_options_each_result_depends_on():
    decl = every_option(sample=10_000)
    plan = mv.plan(decl, date(2016, 9, 1), date(2017, 8, 31), seed=1, resolution=1.0)
    assert len(plan.per_result["correlation"]) == 2 * 2 * 2 * 3 * 3
    assert len(plan.per_result["top10_share"]) == 2 * 2 * 3 * 3
    # resolution "1" repeats the run's own (1.0), so it is not a combination of its own.
    assert plan.full_size["modularity"] == 36 * 2 * 2 * 2 * 2 * 4
    assert all(c["resolution"] != "1" for c in plan.per_result["modularity"])
    assert plan.dropped["modularity"] == 0
    assert plan.per_result["correlation"][0] == {
        "weeks": "window", "hashtag_rule": "body", "deleted_posts": "in",
        "window_start": "as_set", "window_end": "as_set",
    }  # fmt: skip


def test_a_sample_keeps_the_runs_own_and_is_the_same_for_the_same_seed():
    decl = every_option(sample=50)
    a = mv.plan(decl, date(2016, 9, 1), date(2017, 8, 31), seed=7)
    b = mv.plan(decl, date(2016, 9, 1), date(2017, 8, 31), seed=7)
    c = mv.plan(decl, date(2016, 9, 1), date(2017, 8, 31), seed=8)
    assert len(a.per_result["modularity"]) == 50 and a.sampled["modularity"]
    assert a.per_result == b.per_result and a.per_result != c.per_result
    own = a.per_result["modularity"][0]
    assert {own[k] for k in own} <= {choices.OPTIONS[k][0] for k in own}
    assert a.sampled["correlation"]  # 72 > 50: sampled too
    assert len(a.per_result["top10_share"]) == 36 and not a.sampled["top10_share"]


def test_on_a_one_day_window_the_options_that_leave_no_day_are_left_out():
    decl = every_option(sample=10_000)
    day = date(2017, 3, 1)
    plan = mv.plan(decl, day, day, seed=1)
    kept = plan.per_result["top10_share"]
    # Starting a month later (unless it also ends a month later) or ending a month
    # earlier (unless it also starts a month earlier) leaves no day: 6 of 9 windows stay.
    assert plan.dropped["top10_share"] == 2 * 2 * 3
    assert len(kept) == 2 * 2 * 6
    assert all(mv.valid(c, day, day) for c in kept)
    # An open window has nothing to move: every window option is defined.
    assert mv.plan(decl, None, None, seed=1).dropped["top10_share"] == 0


# -- The data each combination keeps ---------------------------------------------------


def posts_and_edges() -> tuple[pd.DataFrame, pd.DataFrame]:
    t = pd.Timestamp
    posts = pd.DataFrame(
        {
            "post_id": ["1", "2", "3", "4", "5"],
            "created_at": [t("2017-03-01", tz=UTC), t("2017-03-02", tz=UTC),
                           t("2017-03-03", tz=UTC), t("2017-04-10", tz=UTC),
                           t("2017-03-04", tz=UTC)],
            "author_id": ["a", "b", "c", "a", "d"],
            "type": ["original", "quote", "retweet", "original", "retweet"],
            "text": ["#tag one", "my comment", "#tag one", "#tag later", "#tag one"],
            "hashtags": [["tag"], [], ["tag"], ["tag"], ["tag"]],
            "retweeted_post_id": [None, None, "1", None, "1"],
            "quoted_post_id": [None, "1", None, None, None],
            "quoted_author_id": [None, "a", None, None, None],
        }
    )  # fmt: skip
    edges = pd.DataFrame(
        {"retweeter_id": ["c", "d"], "author_id": ["a", "a"], "post_id": ["3", "5"],
         "retweeted_post_id": ["1", "1"], "created_at": posts["created_at"].iloc[[2, 4]]}
    )  # fmt: skip
    return posts, edges


def kept(combination, **kw) -> list[str]:
    posts, edges = posts_and_edges()
    args = {"start": date(2017, 3, 1), "end": date(2017, 4, 30), "tz": UTC, "hashtag": "#tag"}
    u = mv.universe(posts, edges, combination, **{**args, **kw})
    assert set(u.edges["post_id"]) <= set(u.posts["post_id"])
    return sorted(u.posts["post_id"])


def test_a_universe_keeps_the_posts_its_data_choices_keep():
    assert kept({}) == ["1", "2", "3", "4", "5"]
    # The quote carries the hashtag only in the post it quotes.
    assert kept({"hashtag_rule": "own_text"}) == ["1", "3", "4", "5"]
    # The window's end a month earlier: 30 March.
    assert kept({"window_end": "month_earlier"}) == ["1", "2", "3", "5"]
    assert kept({"window_start": "month_later"}) == ["4"]
    # A deleted post goes with its shares; a deleted account with its posts.
    assert kept({"deleted_posts": "out"}, deleted_posts=frozenset({"1"})) == ["2", "4"]
    assert kept({"deleted_posts": "out"}, deleted_users=frozenset({"d"})) == ["1", "2", "3", "4"]
    assert kept({"deleted_posts": "in"}, deleted_users=frozenset({"d"})) == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]


def test_the_own_text_rule_is_matched_once_and_the_same():
    posts, _ = posts_and_edges()
    flags = mv.in_own_text(posts, "#tag")
    assert flags.tolist() == [True, False, True, True, True]


# -- The results -----------------------------------------------------------------------


def test_the_share_graph_follows_the_edge_direction_and_weight_choices():
    posts, edges = posts_and_edges()
    u = mv.Universe(posts, edges, None, None)
    plain = mv.share_graph(u, {})
    assert not plain.is_directed() and sorted(plain.edges) == [("a", "c"), ("a", "d")]
    quoted = mv.share_graph(u, {"share_edges": "retweets_and_quotes", "direction": "directed"})
    assert quoted.is_directed() and sorted(quoted.edges) == [("b", "a"), ("c", "a"), ("d", "a")]


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("algorithm", ["louvain", "leiden"])
def test_modularity_by_igraph_agrees_with_networkx(directed, algorithm):
    g = nx.karate_club_graph()
    graph = nx.DiGraph() if directed else nx.Graph()
    rng = np.random.default_rng(3)
    graph.add_weighted_edges_from(
        ((str(a), str(b), int(rng.integers(1, 4))) for a, b in g.edges), weight=mv.WEIGHT
    )
    combination = {"algorithm": algorithm, "weights": "weighted", "resolution": "1.5"}
    groups, q = mv.communities(graph, combination, resolution=1.0, seed=2)
    assert sorted(n for grp in groups for n in grp) == sorted(graph.nodes)
    expected = nx.community.modularity(graph, groups, weight=mv.WEIGHT, resolution=1.5)
    assert q == pytest.approx(expected, abs=1e-9)
    assert len(groups) >= 2 and q > 0.2


def test_the_runs_own_louvain_is_the_network_chapters():
    from datasaveslives.analysis import network

    graph = nx.relabel_nodes(nx.karate_club_graph(), str)
    groups, q = mv.communities(graph, {}, resolution=1.0, seed=5)
    part = network.louvain(graph, seed=5)
    assert groups == list(part.groups) and q == part.modularity


def test_top_share_counts_the_most_active_tenth_at_least_one_account():
    assert mv.top_share(np.array([5, 1, 1, 1])) == pytest.approx(5 / 8)  # 1 of 4 accounts
    assert mv.top_share(np.array([1] * 20)) == pytest.approx(2 / 20)
    assert np.isnan(mv.top_share(np.array([])))


def small_inputs(**kw) -> mv.Inputs:
    posts, edges = posts_and_edges()
    posts = posts.assign(**{mv.OWN_TEXT: mv.in_own_text(posts, "#tag")})
    coded = pd.DataFrame({"post_id": ["1", "2", "4"], "A": [1, 1, 0], "B": [0, 1, 1]})
    base = dict(
        posts=posts, edges=edges, start=date(2017, 3, 1), end=date(2017, 4, 30), tz=UTC,
        hashtag="#tag", supporter_ids=frozenset({"a"}), coded=coded, codes=("A", "B"),
    )  # fmt: skip
    return mv.Inputs(**{**base, **kw})


def test_the_results_table_is_the_same_in_one_process_or_two(monkeypatch):
    monkeypatch.setattr(mv, "PARALLEL_FROM", 0)  # processes even for these five posts
    decl = every_option(sample=12)
    inputs = small_inputs()
    plan = mv.plan(decl, inputs.start, inputs.end, seed=3)
    one = mv.compute(inputs, plan, workers=1)
    two = mv.compute(inputs, plan, workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert one.groupby("result").size().to_dict() == {k: len(v) for k, v in plan.per_result.items()}
    assert one["own"].groupby(one["result"]).sum().eq(1).all()  # one own row per result
    own = one[one["own"]].set_index("result")
    # The leading theme of the coded posts 1, 2 and 4: A and B twice each, A first.
    assert own.loc["leading_theme_share", "category"] == "A"
    assert own.loc["leading_theme_share", "estimate"] == pytest.approx(2 / 3)
    assert mv.digest(inputs, plan, "k") != mv.digest(inputs, plan, "other")
    assert mv.digest(inputs, plan, "k") != mv.digest(replace(inputs, seed=4), plan, "k")


def test_the_results_are_kept_and_read_back_for_the_same_inputs(tmp_path, monkeypatch):
    inputs = small_inputs()
    plan = mv.plan(every_option(sample=8), inputs.start, inputs.end, seed=3)
    first = mv.computed(inputs, plan, "k", tmp_path)
    assert len(list(tmp_path.glob("*.parquet"))) == 1

    def fails(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(mv, "compute", fails)
    pd.testing.assert_frame_equal(mv.computed(inputs, plan, "k", tmp_path), first)
    with pytest.raises(AssertionError, match="computed again"):  # other inputs: computed
        mv.computed(inputs, plan, "another ingestion", tmp_path)


# -- Readings and sentences ------------------------------------------------------------


def table(key: str, estimates, ps=None, own_at: int = 0, **choice) -> pd.DataFrame:
    n = len(estimates)
    frame = pd.DataFrame(
        {"result": key, "estimate": estimates, "low": np.nan, "high": np.nan,
         "p": ps if ps is not None else [np.nan] * n, "own": [i == own_at for i in range(n)],
         "category": None, **{k: v for k, v in choice.items()}}
    )  # fmt: skip
    return frame


def test_a_reading_counts_agreement_in_sign_and_significance():
    t = table("correlation", [0.5, 0.4, -0.1, 0.3], ps=[0.01, 0.2, 0.5, 0.03],
              weeks=["window", "iso", "iso", "window"])  # fmt: skip
    r = mv.read(t, "correlation")
    assert (r.combinations, r.defined, r.agree, r.significant) == (4, 4, 3, 2)
    assert r.robust is False and r.own_significant is True
    assert r.movers[0][:3] == ("weeks", "iso", "window")
    text = says.reading(r)
    assert "in 3 of the 4 combinations where it is defined, it is positive" in text
    assert "In 2 of the 4 combinations it also agrees in significance" in text


def test_a_reading_against_a_threshold_and_with_undefined_combinations():
    t = table("top10_share", [0.6, 0.55, np.nan, 0.7])
    r = mv.read(t, "top10_share")
    assert (r.defined, r.agree, r.robust) == (3, 3, True)
    text = says.reading(r)
    assert "in all 3 combinations where it is defined (it is undefined in 1 of them" in text
    assert "at least 50.0%" in text and "from 55.0% to 70.0%" in text


def test_a_reading_when_the_runs_own_is_undefined_or_nothing_is():
    r = mv.read(table("supporter_difference", [np.nan, 0.1, 0.2]), "supporter_difference")
    assert r.own is None and r.robust is None
    assert "cannot be computed under this run's own choices" in says.reading(r)
    r = mv.read(table("supporter_difference", [np.nan, np.nan]), "supporter_difference")
    assert "under any of the 2 combinations" in says.reading(r)
    one = mv.read(table("modularity", [0.5]), "modularity")
    assert "in the one combination where it is defined" in says.reading(one)
    groups = mv.read(table("groups", [10.0, 12.0]), "groups")
    assert groups.robust is None  # a count has no reading to agree on
    assert says.movers(groups, every_option()).startswith("No choice it depends on has two")
    same = mv.read(table("top10_share", [0.3, 0.3], weeks=["window", "iso"]), "top10_share")
    assert same.movers == [] and says.movers(same, every_option()) == "No choice moves it."
    assert "it is 30.0% in every one of them" in says.reading(same)
    r = mv.read(table("correlation", [np.nan, 0.2, 0.4]), "correlation")
    assert (r.low, r.high) == (0.2, 0.4) and "from 0.200 to 0.400" in says.reading(r)


def test_the_discussion_names_the_findings_that_depend_on_the_choices():
    saved = {"correlation": {"robust": True}, "top5_share": {"robust": False},
             "groups": {"robust": None}}  # fmt: skip
    text = discussion.robustness(saved)
    assert text.startswith("1 of the 2 headline results that could be judged holds across")
    assert "the share of the network's users in its five largest groups depends on them" in text
    assert "holds across" in discussion.robustness({"correlation": {"robust": True}})
    assert "could not be judged" in discussion.robustness({"correlation": {"robust": None}})
    assert "was not computed for this run" in discussion.robustness({})


def test_the_parameters_table_names_the_choices_not_their_texts():
    from datasaveslives.report import provenance

    shown = provenance.shown_value({"sample": 5, "choices": {"weeks": {}, "algorithm": {}}})
    assert shown == "2 choices (weeks, algorithm; see the multiverse appendix)"


def test_a_choice_that_cannot_change_anything_here_stays_at_the_runs_own():
    decl, idle = mv.applying(every_option(), hashtag=None, deletions=False)
    assert idle == ["hashtag_rule", "deleted_posts"]
    assert decl.options("hashtag_rule") == ("body",) and decl.options("deleted_posts") == ("in",)
    assert decl.options("weeks") == ("window", "iso")
    assert "no hashtag to look for" in says.idle(idle) and says.idle([]) == ""
    same, none = mv.applying(every_option(), hashtag="#tag", deletions=True)
    assert none == [] and same.options("hashtag_rule") == ("body", "own_text")
