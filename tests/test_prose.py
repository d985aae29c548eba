"""The chapters' case-dependent sentences (report.prose): each rule's wording for the
usual case and for zero, one, none and undefined."""

from __future__ import annotations

from datasaveslives.report import provenance
from datasaveslives.report.prose import users as says

NAN = float("nan")


def _activity(
    users: int, once: int = 0, ten: int = 0, ten_posts: int = 0, hundred: int = 0, most: int = 0
) -> dict:
    return {
        "users": users,
        "once": once,
        "ten_plus": ten,
        "ten_plus_posts": ten_posts,
        "hundred_plus": hundred,
        "max": most,
    }


def test_what_the_supporters_wrote_for_every_case():
    assert says.supporters_posted(3, 2, 0, 0, None) == ""
    none = says.supporters_posted(0, 0, 10, 0, None)
    assert none.startswith("No official supporters are declared")
    assert none.endswith("so every account counts as another user below.")
    silent = says.supporters_posted(1, 0, 10, 0, None)
    assert silent.startswith("Not one of the one declared official supporter posted here")
    one = says.supporters_posted(1, 1, 10, 4, 0.5)
    assert one == (
        "The 1 official supporter who posted wrote 4 posts (40.00% of all posts) and 50.00% "
        "of the posts with original text."
    )
    assert "and none of the posts with original text" in says.supporters_posted(2, 2, 10, 4, None)


def test_the_original_text_test_says_why_it_cannot_be_made():
    untestable = {"expected": None}
    assert says.original_text_test(0, 0, untestable).endswith(
        "no official supporters are declared."
    )
    assert says.original_text_test(2, 0, untestable).endswith(
        "none of the declared official supporters posted here."
    )
    assert says.original_text_test(2, 2, untestable).endswith("has no posts.")
    tested = {
        "expected": [[1.0]],
        "share_supporter": 0.2676,
        "share_other": 0.1867,
        "p": 1e-9,
        "chi2": 57.45,
        "cramers_v": 0.064,
    }
    text = says.original_text_test(6, 6, tested)
    assert "is larger than chance would give (χ²₁=57.45, P<.001" in text
    # The size of the difference is read by its ratio and Cohen's h (difference_size),
    # never as "a negligible effect" from Cramér's V beside a ratio of 1.43.
    assert "{term}`Cramér's V`=0.064)" in text and "negligible" not in text
    tested["p"] = 0.4
    assert "is within what chance could give" in says.original_text_test(6, 6, tested)


def test_table2_is_split_only_when_supporters_are_declared():
    assert says.table2_caption(0).startswith("*Posts by type with column percentages.")
    assert says.table2_caption(3).startswith(
        "*Posts by type, official supporters against others, with column percentages."
    )


def test_the_heavy_accounts_are_named_only_if_they_may_be():
    assert says.heavy_accounts(0, []) == "No account posted 100 times or more."
    assert says.heavy_accounts(1, []) == (
        "1 account posted 100 times or more, none of them an account that may be named here."
    )
    assert "2 of them may be named here (@A, @B), the others are not." in says.heavy_accounts(
        3, ["@A", "@B"]
    )


def test_how_activity_was_spread_for_none_one_and_many():
    assert says.activity_spread(_activity(0), None, [], "#x", 0) == (
        "No account posted in this window."
    )
    one = says.activity_spread(_activity(1, once=1, most=1), 0.0, [], None, 0)
    assert "the most active posted 1 time." in one
    assert "#" not in one  # no hashtag, no sentence about bios
    many = says.activity_spread(_activity(10, 5, 2, 40, 0, 30), 0.8, [], "#x", 3)
    assert "(40 posts)" in many and many.endswith("3 posters had #x in their bio.")


def test_the_followers_test_is_shown_only_when_defined():
    assert says.followers({"h": NAN, "df": 0, "p": NAN}, 0).endswith("from profile calls).")
    assert says.followers({"h": 280.24, "df": 3, "p": 1e-20}, 100) == (
        "Followers differ between the activity groups ({term}`Kruskal–Wallis <Kruskal–Wallis "
        "test>` H=280.2, df=3, P<.001)."
    )


def test_concentration_reads_the_gini_or_says_why_not():
    assert says.concentration(0.67, 100).startswith("The {term}`Gini coefficient` is 0.67")
    assert (
        says.concentration(NAN, 1) == "With a single account, every post came from the same hands."
    )
    assert says.concentration(NAN, 0).startswith("With no accounts")


def test_the_summary_for_none_and_some():
    assert says.summary(_activity(0), None, NAN, 0, 0, None) == "No account posted in this window."
    text = says.summary(_activity(4, 2, 1, 5, 0, 5), 0.5, 0.3, 2, 1, 0.25)
    assert text.startswith("Of 4 accounts, 50.00% posted once, and 1 account")
    assert text.endswith("The official supporters wrote 25.00% of all posts.")
    assert says.summary(_activity(4, 2), 0.0, 0.3, 0, 0, None).endswith(
        "No official supporters are declared for this run."
    )


def test_a_relative_parameter_path_is_shown_as_given():
    """Relative paths in a run's parameters are relative to the project; they are not
    resolved against the folder a chapter runs in."""
    assert provenance.shown_value("data/synthetic/x.jsonl.gz") == "data/synthetic/x.jsonl.gz"
    assert provenance.shown_value("/somewhere/else/archive.jsonl") == "archive.jsonl"


def test_frequency_weeks_for_many_one_and_a_single_day():
    from datetime import date

    from datasaveslives.report.prose import frequency as f

    summary = {
        "busiest_week_start": date(2017, 7, 6),
        "weeks": 52,
        "mean": 267.21,
        "sd": 200.06,
        "min": 43,
        "max": 994,
        "busiest_week": 45,
    }
    many = f.weeks(summary, [7] * 51 + [8])
    assert "over 52 weeks (the last week has 8 days). The busiest was week 45" in many
    assert many.endswith("from 06 July 2017, with")
    assert "the last week" not in f.weeks(summary, [7] * 52)
    one = f.weeks({**summary, "weeks": 1}, [5])
    assert one.startswith("The window is a single week of 5 days") and one.endswith("had")
    assert f.weeks({**summary, "weeks": 1}, [1]).startswith("The window is a single day")


def test_frequency_posts_and_shares_for_none_one_and_many():
    import pandas as pd

    from datasaveslives.analysis import frequency as compute
    from datasaveslives.report import platforms
    from datasaveslives.report.prose import frequency as f

    def shares_of(types: list[str], retweeted: tuple[str, ...] = ()) -> dict:
        posts = pd.DataFrame(
            {
                "post_id": [str(i) for i in range(len(types))],
                "author_id": "a",
                "created_at": pd.Timestamp("2017-03-01", tz="UTC"),
                "type": pd.Series(types, dtype=object),
                "retweeted_post_id": [retweeted[0] if t == "retweet" else None for t in types],
            }
        )
        return compute.shares(posts)

    twitter, bluesky = platforms.WORDS["twitter"], platforms.WORDS["bluesky"]
    none = f.posts_and_shares(shares_of([]), "#x", twitter)
    assert none == (
        "No post carrying #x falls in this window, so there are no original posts or "
        "retweets to count."
    )
    assert f.posts_and_shares(shares_of([]), None, bluesky).startswith("No post falls in")
    one = f.posts_and_shares(shares_of(["original"]), "#x", twitter)
    assert one == (
        "There was 1 post carrying #x. It was an original post, and it was not retweeted "
        "in this archive."
    )
    only_share = f.posts_and_shares(shares_of(["retweet"], ("99",)), None, bluesky)
    assert only_share.startswith("There was 1 post (the run keeps every post")
    assert only_share.endswith("It was a repost of a post that is not among the run's posts.")
    shares_only = f.posts_and_shares(shares_of(["retweet", "retweet"], ("99",)), "#x", twitter)
    assert shares_only == (
        "There were 2 posts carrying #x. Of these, 0.00% (0) were original posts and "
        "100.00% (2) were retweets: with no original post among them, each is of a post "
        "that is not among the run's posts."
    )  # nothing said of quotes or shared original posts: there are none
    one_quote = f.posts_and_shares(shares_of(["quote"]), "#x", twitter)
    assert one_quote.endswith("It was a quote, and it was not retweeted in this archive.")
    many = f.posts_and_shares(shares_of(["original", "quote", "retweet"], ("0",)), "#x", twitter)
    assert many == (
        "There were 3 posts carrying #x. Of these, 66.67% (2) were original posts and "
        "33.33% (1) were retweets; among the original posts, 50.00% (1) were quotes. "
        "50.00% (1) of the original posts were retweeted at least once in this archive."
    )


def test_frequency_sentences_for_none_and_undefined():
    from datetime import date

    from datasaveslives.report.prose import frequency as f

    assert f.window(date(2017, 1, 1), date(2017, 1, 1)) == "01 January 2017"
    assert f.supporters_busiest(0, None) == ""
    assert f.supporters_busiest(2, None).startswith("Not one of the 2 declared")
    undefined = {"r": NAN, "n": 2}
    assert f.weekly_correlation(undefined, "reposts").endswith(
        "it needs at least three weeks, and there are 2."
    )
    assert f.followers_correlation(undefined, "boosts", "boosted", False).endswith(
        "no follower count is known in these data."
    )
    assert f.months(0, 0, 0) == "There are no posts, so no month to list."
    assert f.months(1, 1, 0) == "The posts span 1 month."
    assert "the 3 without posts are left out" in f.months(14, 11, 3)
    assert f.reach_note(0, "reposter") == "; every reposter's follower count is known here"
    assert "unavailable for 2 of them" in f.reach_note(2, "reposter")
    assert f.reach_note(0, "retweeter", 2).endswith(
        "known here; deleted posts have none (N/A, as in the paper: 2 here)"
    )
    assert f.uncollected(0, "#x") == ""
    assert f.uncollected(1, None).startswith(
        " 1 of them was not collected itself (posted outside what the archive holds): it ranks"
    )
    assert f.uncollected(2, "#x").startswith(" 2 of them were not collected themselves")
    assert f.events_caption(0, 10) == "."
    assert f.events_list([], 0) == "The run declares no events to mark."
    assert f.events_list([], 2) == "No event of the study falls in this window."
    assert f.events_list([{"date": "d", "label": "l", "source": "s"}], 1) == "1. d: l (s)"
    assert f.summary(0, 0, None, None, None, NAN, "reposts", NAN).startswith("The window holds")
    assert f.summary(1, 3, "#x", 3.0, NAN, 1 / 3, "reposts", NAN).endswith(
        "weekly posting and sharing cannot be correlated here."
    )


def _stats(**over):
    stats = {
        "nodes": 100,
        "edges": 150,
        "average_degree": 3.0,
        "density": 0.03,
        "components": 2,
        "giant_share": 0.9,
        "average_path_length": 4.2,
        "diameter": 11,
        "path_method": "exact",
        "average_clustering": 0.1,
        "giant_nodes": 90,
        "path_sources": 50,
        "path_se": 0.01,
        "path_ci_low": 4.1,
        "path_ci_high": 4.3,
    }
    return {**stats, **over}


def test_network_sentences_for_no_network_exact_and_sampled_paths():
    from datasaveslives.report.prose import network as n

    assert n.description(_stats(edges=0), 10_000, "reposted").startswith(
        "No user reposted another's post here"
    )
    exact = n.description(_stats(), 10_000, "reposted")
    assert "in 2 separate parts" in exact and "Both are exact" in exact
    sampled = n.description(_stats(path_method="sampled"), 50, "reposted")
    assert "an estimate (standard error **0.010**" in sampled
    assert n.colours("the 10 largest groups", 12) == (
        "Colours are the 10 largest groups, other groups grey"
    )
    assert n.colours("the 3 groups", 3) == "Colours are the 3 groups"
    assert n.figure2_check(False) == "."
    assert n.no_network("boosted", "boosts").startswith(":::{note}\nNo post was boosted")


def test_network_communities_and_summary():
    from datasaveslives.report.prose import network as n

    assert n.communities(False, "networkx", 20_000, [], NAN, 0, 0, []) == (
        "With no network there are no communities to find."
    )
    one = n.communities(True, "networkx", 20_000, [3], 0.0, 3, 0, [])
    assert "into 1 group with modularity 0.000" in one and "1 group has five users" in one
    many = n.communities(True, "igraph", 20_000, [40, 30, 10, 8, 6, 4, 2], 0.6, 100, 2, [1])
    assert "igraph's implementation" in many and "The five largest hold 94 users" in many
    assert many.endswith("The official supporters all sit in group 1.")
    assert n.summary(False, 0, [], NAN, NAN, "shared").startswith("No post was shared")
    assert "the five largest holding" not in n.summary(True, 10, [6, 4], 0.3, 2.0, "shared")


def test_network_stability_with_one_seed_and_many():
    import pandas as pd

    from datasaveslives.report.prose import network as n

    one = {
        "runs": pd.DataFrame({"modularity": [0.5], "communities": [4]}),
        "ari": pd.Series([], dtype=float),
        "nmi": pd.Series([], dtype=float),
        "first_ari": pd.Series([], dtype=float),
    }
    assert n.stability(False, one, 1, None, None, None) == ""
    assert "one seed" in n.stability(True, one, 1, None, None, None).lower()
    many = {
        "runs": pd.DataFrame({"modularity": [0.5, 0.52], "communities": [4, 5]}),
        "ari": pd.Series([0.9]),
        "nmi": pd.Series([0.95]),
        "first_ari": pd.Series([0.9]),
    }
    text = n.stability(True, many, 2, 6, 0.55, 0.8)
    assert "Over 2 seeds" in text and "ranks **2** of **2**" in text
    assert "Leiden method" in text and "**6** groups" in text
    assert "Leiden" not in n.stability(True, many, 1, None, None, None)
    assert n.layout_how("DrL", 20_000).startswith("with igraph's DrL layout")
    assert "and #x are removed" in n.words_caption("#x")


def test_themes_sentences_for_no_coding_frame_only_and_coded():
    import pandas as pd

    from datasaveslives.report.prose import themes as th

    assert th.order(200, 150, 0, None).endswith("none in random order")
    assert "**stratified by month**" in th.order(200, 800, 600, "month")
    assert th.sample(800, 800) == "the coding sample holds them all"
    assert th.codebook(False, 0, "x.yml").startswith("This run has no codebook yet")
    assert th.codebook(False, 1, "x.yml").startswith("This run's codebook (`x.yml`) has 1 code,")
    assert th.exercise_start(200, 150, 0).startswith("This run's sample is all coding frame")
    assert th.coders_note(False, True) == ""
    assert th.coders_note(True, True).startswith(":::{important}")
    assert th.coders_note(False, False).startswith(":::{note}\nNo coding yet")
    assert th.saturation(None, 0, 50, None, 3, 0).startswith("No post has been coded yet")
    assert "Saturation was not reached" in th.saturation("ann", 100, 50, None, 3, 5)
    assert th.prevalence(0, None, {}, "no post has been coded yet").endswith(
        "no post has been coded yet."
    )
    top = pd.Series({"code": "A", "share": 0.7})
    assert "**A** (information, **70.00%**)" in th.prevalence(300, top, {"A": "Information"}, "")
    assert th.overlap(0.0, None, "").endswith("none: no post carries two themes.")
    assert th.summary([], 0, False, 0, None, {}, None, "", "why").startswith(
        "This run says nothing yet about what the posts were about: why."
    )


def test_themes_agreement_and_assist_for_every_case():
    import pandas as pd

    from datasaveslives.report.prose import themes as th

    assert th.agreement_text([], True, None).startswith("No one has coded yet")
    assert th.agreement_text(["ann"], True, None).startswith("Only ann coded")
    assert "without a codebook" in th.agreement_text(["ann", "bob"], False, None)
    assert th.agreement_text(["ann", "bob"], True, None).startswith("No post was coded by two")
    table = pd.DataFrame(
        {"code": ["A", "B"], "posts": [40, 40], "kappa": [0.7, NAN], "alpha": [0.7, NAN]}
    )
    text = th.agreement_text(["ann", "bob"], True, table)
    assert "A κ **0.70** (substantial), α **0.70**" in text
    assert "B: no κ or α" in text
    assert th.assist("ann", None, None, "no post has been coded yet").endswith(
        "and no post has been coded yet."
    )
    assert th.suggestions(0, {}).startswith("Every original post has been coded")
    assert th.suggestions(10, {"A": 0.5}).startswith("For the **10** posts no one coded")
    assert th.no_paper_themes(False).endswith("this run declares no study with published themes.")
    assert th.paper_themes(3, 4, 0.25, None, True).endswith(
        "saturation came not at all (with simulated coders, whose error rates are set, not found)."
    )


def test_the_discussions_answers_for_an_empty_run():
    from datasaveslives.report import platforms
    from datasaveslives.report.prose import discussion as d

    said = platforms.vocabulary(["mastodon"])
    assert d.how_often({"posts": 0}, "posts", said).startswith("No post of this run")
    assert d.who({}, 0, "posts") == "Not applicable: no posts."
    assert d.how_shared({"nodes": 0}).startswith("No post was shared between users")
    assert d.what_about({"coded": False}).startswith("The posts have not been coded yet")
    open_coding = {"coded": True, "prevalence": {}, "why_no_shares": "there is no codebook yet"}
    assert d.what_about(open_coding) == (
        "The themes' shares cannot be estimated yet: there is no codebook yet."
    )
    assert d.limitations(False, "boosts").startswith("- Boosts are the only form of sharing")
    assert d.limitations(True, "boosts").startswith("- **These results come from a synthetic")


def test_the_discussions_answers_for_undefined_correlations():
    from datasaveslives.report import platforms
    from datasaveslives.report.prose import discussion as d

    said = platforms.vocabulary(["twitter"])
    f = {
        "posts": 5,
        "weeks": 1,
        "week_mean": 5.0,
        "week_sd": None,
        "pct_retweet": 0.2,
        "r_weekly": None,
        "r_followers": None,
    }
    text = d.how_often(f, "posts", said)
    assert "cannot be said: there are too few weeks to correlate." in text
    assert "rests on" not in text
    assert "cannot be measured here (follower counts are missing" in text
    u = {
        "users": 1,
        "pct_once": 1.0,
        "ten_plus": 0,
        "pct_ten_posts": 0.0,
        "gini": None,
        "supporters_declared": 0,
        "supporters_active": 0,
    }
    assert d.who(u, 5, "posts").endswith("No official supporters are declared for this run.")


def test_reproduction_and_data_methods_sentences():
    from datasaveslives.report import platforms
    from datasaveslives.report.prose import data_methods as dm
    from datasaveslives.report.prose import reproduction as r

    assert r.caveat(False, True) == ""
    assert "synthetic corpus" in r.caveat(True, True) and "real posts" in r.caveat(True, False)
    assert r.record(False, 0, 0, 0).startswith("This run declares no study")
    assert "compared 101 of them, and 99 are within" in r.record(True, 298, 101, 99)
    assert r.not_compared(False, 0) == "There are no published numbers to list."
    said = platforms.vocabulary(["bluesky"])
    assert dm.naming(said, 1).startswith("On Bluesky a share is a *repost*")
    assert dm.naming(said, 2).startswith("Each platform names them its own way")
    assert dm.semantics("") == "No post was read, so no platform applies."


def test_the_small_pages_phrases():
    from datasaveslives.report.prose import about_data as a
    from datasaveslives.report.prose import data_methods as dm
    from datasaveslives.report.prose import discussion as d
    from datasaveslives.report.prose import performance as p

    assert a.this_run(True) == "this run analyses it"
    assert a.this_run(False).endswith("describes the corpus, not this run")
    assert a.verdict(3, 3) == "every figure is within its tolerance"
    assert a.verdict(2, 3) == "1 figure falls outside its tolerance"
    assert a.verdict(1, 3) == "2 figures fall outside their tolerance"
    assert dm.tag_example("#DataSavesLives") == (
        "(so `#DATASAVESLIVES` counts) and only as a whole tag (`#DataSavesLivesX` does not)"
    )
    assert dm.tag_example(None).startswith("(so `#EXAMPLE` counts)")
    assert dm.hashtag_clause(None) == ", with or without a hashtag (no hashtag filter)"
    assert dm.corpus(None, None) == "real posts"
    assert dm.corpus(7, "3").startswith("the synthetic corpus, generated with seed 7")
    assert d.data(None) == "the data named in its parameters"
    assert d.report_pointer(False) == ""
    assert p.measured("today", True) == "today (quick run: one repeat, no book builds)"


def test_who_coded_and_where_benchmarks_ran():
    from datasaveslives.report.prose import performance as p
    from datasaveslives.report.prose import themes as th

    assert th.primary(None) == "no one yet (this run has no coding)"
    assert th.primary("ann") == "ann"
    machine = {"cpu": "x86", "cores": 2, "memory_gib": 24, "python": "3.11", "platform": "linux"}
    assert p.machine(machine) == "x86, 2 cores, 24 GiB of memory, Python 3.11 (linux)"


def test_how_posts_were_shared_with_few_groups_and_many():
    from datasaveslives.report.prose import discussion as d

    n = {
        "nodes": 12,
        "groups": 2,
        "modularity": 0.4,
        "pct_top5": 1.0,
        "giant_share": 0.5,
        "ari_median": None,
        "stability_seeds": 1,
        "supporters_declared": 0,
        "supporter_groups": [],
    }
    few = d.how_shared(n)
    assert "(modularity above the usual 0.3 rule of thumb). " in few  # a sentence ends
    assert "five largest" not in few
    many = d.how_shared({**n, "groups": 8, "pct_top5": 0.9})
    assert "; the five largest hold 90.00% of the users. " in many


def test_the_themes_in_words_name_only_who_may_be_named():
    from datasaveslives.report.prose import themes as th

    text = th.in_words(
        "A",
        "To share",
        "Posts that share.",
        [("A post #x", "@Org", 2), ("Another [link]", None, None)],
    )
    assert text.startswith("**A: To share.** Posts that share.")
    assert "> A post #x\n>\n> — @Org (the paper's group 2)" in text
    assert "> — an account the paper quoted, not named here" in text
    assert th.in_words_intro(0, 0).startswith("Without a codebook")
    assert th.in_words_intro(0, 3).endswith("by their definitions only (above).")
    assert th.in_words_intro(4, 4).startswith("The codebook describes each of its themes")
    assert th.in_words_intro(2, 5).startswith("The codebook describes 2 of its 5 codes")


def test_a_codebooks_quotations_are_read_and_checked(tmp_path):
    import pytest

    from datasaveslives.coding import codebook

    path = tmp_path / "codebook.yml"
    path.write_text(
        "codes:\n  - id: A\n    name: Share\n    definition: Shares.\n"
        "    description: Posts that share.\n"
        "    quotations:\n      - text: A post\n        account: '@Org'\n        group: 2\n"
    )
    [code] = codebook.load(path).codes
    assert code.description == "Posts that share."
    assert code.quotations == (codebook.Quotation("A post", "Org", 2),)
    path.write_text(
        "codes:\n  - id: A\n    name: Share\n    definition: Shares.\n"
        "    quotations:\n      - account: Org\n"
    )
    with pytest.raises(codebook.CodebookError, match="quotation 1 needs a `text`"):
        codebook.load(path)


def test_what_the_themes_leave_out():
    from datasaveslives.report.prose import themes as th

    assert th.beyond_the_themes(0, 0, [], 0) == ""
    assert th.beyond_the_themes(0, 10, [], 12).startswith(
        "Every one of the 10 posts carries at least one theme. Coders added no code"
    )
    one = th.beyond_the_themes(1, 10, [("job advert", 3)], 12)
    assert one.startswith("1 post of the 10 (10.00%) carries none of the themes.")
    assert one.endswith(
        "Coders added 1 code of their own in the 12 posts read (posts carrying each): "
        "job advert (3)."
    )


def test_agreement_is_read_against_krippendorffs_standard():
    from datasaveslives.report.prose import themes as th

    text = th.reliability({"A": 0.66, "B": 0.81, "C": 0.82, "D": 0.69})
    assert text.startswith("By Krippendorff's standard, B and C can be relied on (α ≥ 0.8);")
    assert "D supports tentative conclusions only (0.667 ≤ α < 0.8)" in text
    assert "A falls below that standard (α < 0.667): its share above" in text
    assert th.reliability({"A": 0.667}).startswith("By Krippendorff's standard, A supports")
    assert "cannot be judged" in th.reliability({"A": NAN})
    assert th.reliability({}) == ""


def test_the_discussion_reads_agreement_by_theme_name():
    from datasaveslives.report.prose import discussion as d

    t = {
        "coded": True,
        "prevalence": {"A": [0.6, 0.5, 0.7]},
        "names": {"A": "To share"},
        "pct_multi": 0.1,
        "simulated": False,
        "coders": 2,
        "alpha": {"A": 0.5},
    }
    assert "“to share” falls below that standard" in d.what_about(t)
    assert "Krippendorff" not in d.what_about({**t, "alpha": {}})


def test_the_worked_example_says_each_decision_and_when_there_is_none():
    from datasaveslives.report.prose import themes as th

    assert th.worked_intro(0, 0).startswith("Without a codebook")
    assert "has no worked example" in th.worked_intro(0, 4)
    assert "works through 1 post with" in th.worked_intro(1, 4)
    assert "works through 5 posts with" in th.worked_intro(5, 4)
    md = th.worked_post(
        2, "We believe!", None, ["C"], [("A", "Share", "no link"), ("C", "Support", "belief")]
    )
    assert md.startswith("**Post 2.**")
    assert "— an account not named here" in md
    assert "Coded: **C**." in md
    assert "- ✗ **A** (share): no link" in md
    assert "- ✓ **C** (support): belief" in md
    assert "Coded: **none of the codes**." in th.worked_post(1, "t", "@X", [], [])


def test_alpha_intervals_that_cross_a_boundary_are_called_provisional():
    from datasaveslives.report.prose import themes as th

    assert th.open_band({}, None) == ""
    assert th.open_band({"A": (0.81, 0.9), "B": (0.7, 0.75)}, None) == ""
    assert th.open_band({"A": (NAN, NAN)}, None) == ""
    one = th.open_band({"A": (0.6, 0.7), "B": (0.81, 0.9)}, None)
    assert "interval of α for A crosses" in one and "its band is provisional" in one
    every = th.open_band({"A": (0.6, 0.7), "B": (0.75, 0.85)}, None)
    assert "every code's 95% interval" in every
    some = th.open_band({"A": (0.6, 0.7), "B": (0.75, 0.85), "C": (0.9, 0.95)}, {"A": "Info"})
    assert "for “info” and B cross" in some and "their bands" in some
    text = th.reliability({"A": 0.66}, intervals={"A": (0.55, 0.75)})
    assert text.endswith("so its band is provisional until more posts are coded twice.")


def test_the_themes_summary_qualifies_a_headline_coders_do_not_agree_on():
    import pandas as pd

    from datasaveslives.report.prose import themes as th

    top = pd.Series({"code": "A", "share": 0.7})
    args = (["ann", "bob"], 4, True, 4, top, {"A": "Information"}, 0.5, "after 100 posts", "")
    assert "(information, **70.00%**). **50.00%**" in th.summary(*args)
    assert "(information, **70.00%**). **50.00%**" in th.summary(*args, alpha=0.85)
    assert "**70.00%**), though not yet a finding (coders' α 0.65, below Krippendorff's 0.667)" in (
        th.summary(*args, alpha=0.65)
    )
    assert "a tentative finding only (coders' α 0.70, between 0.667 and 0.8)" in th.summary(
        *args, alpha=0.7
    )
    assert th.standing(NAN) == "" and th.standing(None) == ""


def test_the_supporters_difference_is_sized_by_ratio_and_h_not_by_v():
    from datasaveslives.report.prose import users as says

    d = {
        "difference": 0.0809,
        "difference_low": 0.0585,
        "difference_high": 0.1043,
        "ratio": 1.433,
        "ratio_low": 1.310,
        "ratio_high": 1.568,
        "cohens_h": 0.194,
    }
    text = says.difference_size(d, 0.064, 0.113)
    assert "**8.09** percentage points higher than others' (95% interval 5.85 to 10.43" in text
    assert "**1.43** times as often as others' (95% interval 1.31 to 1.57" in text
    assert "is 0.19: smaller than Cohen's 'small' (0.2)." in text
    assert "Cramér's V (0.064) reads smaller because the supporters wrote only 11.30%" in text
    lower = says.difference_size({**d, "difference": -0.05, "cohens_h": -0.6}, 0.2, 0.4)
    assert "percentage points lower than others'" in lower and "Cramér" not in lower
    no_ratio = says.difference_size({**d, "ratio": NAN}, 0.1, 0.1)
    assert "Their ratio is not defined" in no_ratio
    assert says.difference_size({"why": "one of the two groups wrote no posts"}, NAN, None) == (
        "No difference can be sized here: one of the two groups wrote no posts."
    )
    assert "the same as others'" in says.difference_size({**d, "difference": 0.0}, 0.0, 0.1)
    undefined = {"why": "one of the two groups wrote no posts"}
    assert says.difference_size(undefined, NAN, None, declared=0, active=0) == (
        "No difference can be sized here: no official supporters are declared."
    )
    assert says.difference_size(undefined, NAN, None, declared=6, active=0).endswith(
        "none of the declared official supporters posted here."
    )


def test_the_whole_table_and_the_clustered_test_have_words_for_every_case():
    from datasaveslives.report.prose import users as says

    assert says.full_table({"chi2": NAN, "df": 0, "p": NAN}) == ""
    text = says.full_table({"chi2": 126.39, "df": 2, "p": 1e-28, "cramers_v": 0.095})
    assert "are associated beyond what chance would give (χ²₂=126.39, P<.001" in text
    assert "are not associated beyond" in says.full_table(
        {"chi2": 1.0, "df": 2, "p": 0.6, "cramers_v": 0.01}
    )
    assert says.clustered_test({"accounts_supporter": 0, "why": "no supporter posted"}) == (
        "A test with posts clustered by account cannot be made here: no supporter posted."
    )
    assert says.clustered_test({"why": "no supporter posted"}, None, 0, 0).endswith(
        "cannot be made here: no official supporters are declared."
    )
    assert says.clustered_test(
        {"accounts_supporter": 1, "why": "one group is a single account"}
    ) == (
        "A test with posts clustered by account cannot be made here: one group is a single account."
    )
    c = {"accounts_supporter": 6, "odds_ratio": 1.59, "or_low": 1.34, "or_high": 1.88, "p": 1e-7}
    held = says.clustered_test({**c, "few": True}, post_p=1e-9)
    assert (
        "are **1.59** times others' (95% interval 1.34 to 1.88, P<.001): the difference holds"
        in (held)
    )
    assert (
        "With only 6 supporter accounts, cluster-robust errors are themselves approximate" in held
    )
    gone = says.clustered_test({**c, "p": 0.3, "few": False}, post_p=0.001)
    assert gone.endswith("the post-level test overstated it.") and "approximate" not in gone
    both = says.clustered_test({**c, "p": 0.3, "few": False}, post_p=0.6)
    assert both.endswith("as with posts, the difference is within what chance could give.")
    assert "overstated" not in both


def test_a_clustered_test_is_read_beside_the_post_level_one():
    from datasaveslives.report import wording as w

    assert w.clustered_reading(0.01, 0.001) == "the difference holds"
    assert w.clustered_reading(0.3, 0.001).endswith("the post-level test overstated it")
    assert w.clustered_reading(0.3, 0.4).startswith("as with posts")
    assert w.clustered_reading(0.01, 0.4).endswith("though not post by post")
    assert w.clustered_reading(0.01, None) == "the difference is larger than chance would give"
    assert w.clustered_reading(0.2, NAN) == "the difference is within what chance could give"


def test_the_discussion_says_what_clustering_changes():
    from datasaveslives.report.prose import discussion as d

    assert d._clustered(None) == "" and d._clustered({"p": None}) == ""
    held = d._clustered({"p": 1e-7, "odds_ratio": 1.59, "few": True, "accounts_supporter": 6})
    assert held == (
        " With posts clustered by account (odds ratio 1.59, P<.001; with only 6 supporter "
        "accounts, an approximate check), the difference is larger than chance would give."
    )
    gone = d._clustered({"p": 0.4, "odds_ratio": 1.1, "few": False}, post_p=0.001)
    assert gone.endswith("the post-level test overstated it.")
    assert "holds" in d._clustered({"p": 0.01, "odds_ratio": 1.5}, post_p=0.001)


def test_prevalence_says_which_intervals_carry_the_coders():
    import pandas as pd

    from datasaveslives.report.prose import themes as th

    top = pd.Series({"code": "A", "share": 0.7})
    plain = th.prevalence(800, top, {"A": "Information"}, "")
    assert "which count the sampling of posts only. The commonest" in plain
    both = th.prevalence(800, top, {"A": "Information"}, "", with_coders=True)
    assert "The last column's intervals also carry the coders' disagreement" in both
    assert "999 resamples" in both


def test_the_calibrations_totals_add_up_to_the_reports():
    from datasaveslives.report.prose import about_data as a

    text = a.totals(101, {"Table 3": 30, "themes": 42})
    assert text.startswith("101 of the table's rows are the published figures the chapters compare")
    assert text.endswith(
        "the other 72 are checks only the corpus can make (Table 3: 30, themes: 42)."
    )
    assert a.totals(1, {"corpus": 1}).startswith("1 of the table's rows is a published figure")
    assert "the other is a check only the corpus can make (corpus: 1)" in a.totals(1, {"corpus": 1})
    assert a.totals(0, {"x": 5}).startswith(
        "None of the table's rows is a figure the chapters compare;"
    )
    assert a.totals(3, {}) == (
        "3 of the table's rows are the published figures the chapters compare (one registry, "
        "`datasaveslives/paper/registry.py`: the reproduction report's rows)."
    )


def test_held_out_figures_are_worded_for_none_one_some_and_all():
    from datasaveslives.report.prose import about_data as a

    assert a.held_out(0, 0) == ""
    assert "1 held-out figure," in a.held_out(1, 1) and "it is within its tolerance" in a.held_out(
        1, 1
    )
    assert "it misses its tolerance" in a.held_out(0, 1)
    assert "none is within tolerance" in a.held_out(0, 4)
    assert "all are within tolerance" in a.held_out(4, 4)
    assert "20 are within tolerance and 14 miss" in a.held_out(20, 34)


def test_the_report_says_what_calibrated_and_held_out_mean():
    from datasaveslives.paper import registry
    from datasaveslives.report.prose import reproduction as r

    text = r.bases((5, 6), (2, 3), registry.BASES)
    assert "**Calibrated** (5 of 6 within tolerance)" in text
    assert "**Held-out** (2 of 3 within tolerance)" in text
    assert "No compared figure is held out" in r.bases((1, 1), (0, 0), registry.BASES)
    assert r.bases((0, 0), (0, 0), registry.BASES).startswith("No figure is compared")


def test_the_kinds_of_the_most_active_accounts_are_worded_for_every_case():
    from datasaveslives.report.prose import users as u

    assert "declares no account types" in u.heavy_kinds(16, None, None)
    text = u.heavy_kinds(16, {"organisation": 13, "individual": 2, "patient advocate": 1}, 102)
    assert "of the 16 accounts that posted 100 times or more, 13 are organisations, 2 are " in text
    assert "individuals and 1 is a patient advocate." in text
    assert text.endswith("The most active account listed as a patient advocate posted 102 times.")
    one = u.heavy_kinds(1, {"not classified": 1}, None)
    assert "of the 1 account that posted 100 times or more, 1 is not classified." in one
    assert one.endswith("No account listed as a patient advocate posted.")
    assert u.heavy_kinds(0, {}, 1) == (
        "The most active account listed as a patient advocate posted 1 time."
    )
    assert u.heavy_kinds(0, {}, None) == "No account listed as a patient advocate posted."
    assert u.heavy_kinds(0, None, None) == ""
    assert "1 is an organisation" in u.heavy_kinds(1, {"organisation": 1}, None)


def test_table1s_organisations_are_worded_for_none_one_and_many():
    from datasaveslives.report.prose import frequency as f

    assert f.top_organisations(10, None) == ""
    assert f.top_organisations(0, 0) == ""
    assert (
        f.top_organisations(10, 6)
        == " By the run's account types, 6 of the 10 are by organisations."
    )
    assert f.top_organisations(10, 1).endswith("1 of the 10 is by an organisation.")
    assert (
        f.top_organisations(10, 0)
        == " By the run's account types, none of the 10 is by an organisation."
    )
    assert f.top_organisations(1, 1) == " By the run's account types, it is by an organisation."
    assert f.top_organisations(1, 0) == " By the run's account types, it is not by an organisation."


def test_table3s_caption_says_where_its_organisations_come_from():
    from datasaveslives.report.prose import network as n

    assert "account types" not in n.words_caption("#x")
    assert "call organisations; every account's centrality is in the download.*" in (
        n.words_caption("#x", True)
    )


def test_the_calibrations_totals_name_the_figures_only_the_coding_gives():
    from datasaveslives.paper import comparison, registry
    from datasaveslives.report.prose import about_data as a

    codes = comparison.paper()["themes"]["table4_examples"]
    assert registry.declared("themes") == sum(len(set(e) & set("ABCD")) for e in codes)
    text = a.totals(226, {"Table 3": 30}, 36)
    assert "the reproduction report's rows, which also compares 36 that need this run's" in text


def test_table4s_comparison_says_whose_codes_and_whose_misses():
    from datasaveslives.report.prose import themes as t

    text = t.table4_compared(4, 5, True, True)
    assert "simulated coders' codes for the 4 posts they coded; the assistive coder's" in text
    assert "for the 5 posts no one coded." in text
    assert "so a miss is a simulated coder's (at set error rates) or the assistive" in text
    only = t.table4_compared(0, 9, False, True)
    assert "a miss is the assistive coder's (learnt from this run's coding), not" in only
    assert "coders' codes" not in only
    real = t.table4_compared(9, 0, False, False)
    assert "this run's coders' codes for the 9 posts they coded." in real
    assert "synthetic" not in real and real.endswith("differently from the paper's coders.")


def test_the_performance_page_is_true_with_and_without_a_measurement():
    from datasaveslives.report.prose import performance as p

    assert "`make bench` measures this machine" in p.not_measured()
    assert (
        p.summary(False, 0, 0) == "This build has no measurement to show; `make bench` makes one."
    )
    assert "it meets all 5 targets;" in p.summary(True, 5, 5)
    assert "it meets 2 of the 5 targets;" in p.summary(True, 2, 5)
    assert "it meets the one target;" in p.summary(True, 1, 1)
    assert "no target of the project applies" in p.summary(True, 0, 0)
    assert p.targets_met(2, 5) == "**Targets.** 2 of the 5 targets are met in this measurement:"
    assert p.targets_met(5, 5) == "**Targets.** In this measurement all 5 targets are met:"
    assert p.run("today", "x86") == "Measured today on x86."
    for text in (p.not_measured(), p.summary(False, 0, 0)):
        assert "not measured" not in text and "above" not in text


def test_the_weekly_figures_caption_follows_its_weeks():
    from datasaveslives.report.prose import frequency as f

    year = f.weekly_caption(52, 8, 2)
    assert year.startswith("Posts per week by type. Weeks run for 7 days")
    assert "the last week, which takes the window's remaining days, has 8;" in year
    assert year.endswith("the 2 busiest weeks are labelled on their bars")
    assert "remaining" not in f.weekly_caption(4, 7, 2)
    assert f.weekly_caption(1, 7, 1) == (
        "Posts by type in the window's one week (7 days, week 1 along the top), its total on "
        "its bar"
    )
    assert "(1 day," in f.weekly_caption(1, 1, 1)
    assert f.weekly_caption(3, 7, 1).endswith("the busiest week is labelled on its bar")
    assert "labelled" not in f.weekly_caption(3, 7, 0)


def test_the_most_shared_posts_paragraph_opens_with_how_many_are_listed():
    from datasaveslives.report.prose import frequency as f

    assert f.most_shared_lead(0, "boosted") == (
        "No original post was boosted in this window, so none is listed below"
    )
    assert f.most_shared_lead(1, "reposted") == "The one reposted original post is listed below"
    assert f.most_shared_lead(10, "retweeted") == (
        "The 10 most retweeted original posts are listed below"
    )
    # The paper's group numbers are promised only where the run's groups were matched.
    assert f.paper_groups_note(False) == ""
    assert "the paper's number follows in brackets" in f.paper_groups_note(True)


def test_the_explorer_paragraph_for_no_network_one_group_and_many():
    """The HTML edition's paragraph on the interactive network: none to explore without
    shares, its size as written, and links that open it on the groups drawn."""
    import re

    from datasaveslives.report.prose import network as n

    href = "../_static/network_interactive.html"
    none = n.explorer(href, 1_754_646, 0, [])
    assert "no interactive network" in none and "<a" not in none
    one = n.explorer(href, 1_754_646, 2, [1])
    assert "(1.8 MB;" in one and f'<a href="{href}#group=1">1</a>' in one
    assert "group <a" in one and "one of" not in one
    many = n.explorer(href, 12_345_678, 900, [1, 2, 3])
    assert "(12.3 MB;" in many and "open with a group highlighted: groups <a" in many
    assert re.findall(r"#group=(\d+)", many) == ["1", "2", "3"]
    assert many.endswith(">2</a> and <a " + f'href="{href}#group=3">3</a>.')
    # Users drawn but none in the largest groups: no links promised.
    assert "#group" not in n.explorer(href, 900, 3, [])


def test_the_weekly_correlation_says_when_it_rests_on_few_weeks(tmp_path):
    """In the frequency chapter and in the Discussion (which reads the saved results)."""
    from datasaveslives.analysis import frequency
    from datasaveslives.paper import results
    from datasaveslives.report import platforms
    from datasaveslives.report.prose import discussion as d
    from datasaveslives.report.prose import frequency as fq

    originals = [1, 0, 2, 16, 3, 0, 5, 1, 0, 2]
    reposts = [0, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    r = frequency.correlation(originals, reposts)
    loo = frequency.leave_one_out(originals, reposts, range(1, 11))
    chapter = fq.weekly_correlation(r, "reposts", loo)
    assert chapter.endswith(
        "Only 2 of the 10 weeks had any reposts, so the correlation rests on those weeks."
    )
    saved = {
        "posts": 33,
        "weeks": 10,
        "week_mean": 3.3,
        "week_sd": 4.9,
        "pct_retweet": 0.06,
        "r_weekly": r["r"],
        "r_weekly_low": r["ci_low"],
        "r_weekly_high": r["ci_high"],
        "r_weekly_p": r["p"],
        "r_followers": None,
        "r_weekly_loo": loo,
    }
    said = platforms.vocabulary(["bluesky"])
    results.save(tmp_path, "frequency", saved)  # as the chapter saves them: JSON
    saved = results.load_values(tmp_path, ("frequency",))["frequency"]
    assert "Only 2 of the 10 weeks had any reposts" in d.how_often(saved, "posts", said)
