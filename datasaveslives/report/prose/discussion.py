"""The Discussion's answers to the paper's four questions, worded from the chapters'
saved results (``book/discussion.md``): each claim by the hedged conventions of
:mod:`datasaveslives.report.wording`."""

from __future__ import annotations

from typing import Any

from datasaveslives.report import display, wording
from datasaveslives.report.platforms import Vocabulary
from datasaveslives.report.prose import themes


def _pct(x: float | None) -> str:
    return display.percent(x) if x is not None else "an unknown share"


def _weekly(f: dict[str, Any], said: Vocabulary) -> str:
    r = f["r_weekly"]
    if r is None:
        why = (
            "there are too few weeks to correlate."
            if f["weeks"] < 3
            else "one of the two weekly series does not vary."
        )
        return (
            f"Whether weeks with more original posts had more {said.shares} cannot be said: {why}"
        )
    interval = (
        f" (95% interval {display.stat(f['r_weekly_low'], 2)} to "
        f"{display.stat(f['r_weekly_high'], 2)}; weekly counts are not independent, so the "
        "interval is optimistic)"
        if f.get("r_weekly_low") is not None
        else ""
    )
    rests = wording.rests_on_few(
        r, f.get("r_weekly_loo") or {}, f["weeks"], "original posts", said.shares
    )
    return (
        f"{wording.co_movement(r, 'original posts', said.shares).capitalize()}: "
        f"{wording.correlation(r)}, r = {display.stat(r)}{interval}, "
        f"{wording.evidence(f['r_weekly_p'])}."
        f"{rests}"
    )


def _followers(f: dict[str, Any], said: Vocabulary) -> str:
    r = f["r_followers"]
    if r is None:
        return (
            f" Whether authors with more followers were {said.shared} more cannot be measured "
            "here (follower counts are missing, or too few original posts vary in both)."
        )
    return (
        f" How often a post was {said.shared} showed {wording.correlation(r)} with its "
        f"author's followers (r = {display.stat(r)}), {wording.evidence(f['r_followers_p'])}: "
        f"{wording.explains(r, 'audience size', f'how often posts were {said.shared}')}."
    )


def how_often(f: dict[str, Any], posts_of: str, said: Vocabulary) -> str:
    """How often the hashtag was used (from the frequency chapter's results)."""
    if not f.get("posts"):
        return "No post of this run falls in its window, so there is nothing to discuss."
    return (
        f"{display.counted(f['weeks'], 'week').capitalize()} held **{f['posts']:,}** "
        f"{posts_of}: {wording.weekly_variation(f['weeks'], f['week_mean'], f['week_sd'])}. "
        f"{_pct(f['pct_retweet'])} of them were {said.shares}: "
        f"{wording.travelled(f['pct_retweet'], said.shares)}. "
        f"{_weekly(f, said)}{_followers(f, said)}"
    )


def _supporters(u: dict[str, Any]) -> str:
    who = wording.supporters(u.get("supporters_declared", 0), u["supporters_active"]) + "."
    if not (u["supporters_active"] and u.get("chi2") is not None):
        return who
    d = u.get("difference") or {}
    compared = wording.compared_shares(
        "the supporters",
        "others",
        "wrote original text",
        u["share_original_supporter"],
        u["share_original_other"],
        d.get("cohens_h"),
    )
    ratio = (
        f"; {display.stat(d['ratio'], 2)} times as often, 95% interval "
        f"{display.stat(d['ratio_low'], 2)} to {display.stat(d['ratio_high'], 2)}"
        if d.get("ratio") is not None
        else ""
    )
    return (
        f"{who} They wrote {_pct(u['pct_sup_posts'])} of the posts; "
        f"{_pct(u['share_original_supporter'])} of their posts were original text against "
        f"{_pct(u['share_original_other'])} of others' (χ² = {display.stat(u['chi2'], 2)}, "
        f"{wording.evidence(u['chi_p'])}{ratio}): {compared}."
        f"{_clustered(u.get('clustered'), u.get('chi_p'))}"
    )


def _clustered(c: dict[str, Any] | None, post_p: float | None = None) -> str:
    """What counting accounts rather than posts changes (the users chapter's clustered
    test), or nothing when it was not made."""
    if not c or c.get("p") is None:
        return ""
    k = c.get("accounts_supporter")
    few = (
        f"; with only {display.counted(k, 'supporter account')}, an approximate check"
        if c.get("few") and k
        else ""
    )
    stat = f"odds ratio {display.stat(c['odds_ratio'], 2)}, {display.pvalue(c['p'])}{few}"
    return (
        f" With posts clustered by account ({stat}), {wording.clustered_reading(c['p'], post_p)}."
    )


def who(u: dict[str, Any], posts: int, posts_of: str) -> str:
    """Who posted (from the users chapter's results)."""
    if not posts:
        return "Not applicable: no posts."
    gini = (
        f"the Gini coefficient of posts per account is {display.stat(u['gini'], 2)}: "
        if u.get("gini") is not None
        else ""
    )
    return (
        f"{display.counted(u['users'], 'account').capitalize()} wrote the {posts_of}. "
        f"{_pct(u['pct_once'])} of them posted once, and "
        f"{wording.heavy_posters(u['ten_plus'], u['users'], u['pct_ten_posts'], 10)}; "
        f"{gini}{wording.gini(u.get('gini'), u['users'])}. {_supporters(u)}"
    )


def how_shared(n: dict[str, Any]) -> str:
    """How posts were shared (from the network chapter's results)."""
    if not n.get("nodes"):
        return "No post was shared between users in this run, so there is no network to discuss."
    top5 = f"; the five largest hold {_pct(n['pct_top5'])} of the users" if n["groups"] > 5 else ""
    where = wording.supporter_groups(
        n.get("supporters_declared", 0), n["supporter_groups"], n["groups"]
    )
    return (
        f"The {n['nodes']:,} users who shared or were shared form "
        f"{display.counted(n['groups'], 'group')}, with {wording.modularity(n['modularity'])}"
        f"{top5}. {wording.largest_part(n.get('giant_share')).capitalize()}. "
        f"{wording.stability_sentence(n['ari_median'], n['stability_seeds'])} "
        f"{where.capitalize()}."
    )


def what_about(t: dict[str, Any]) -> str:
    """What the posts were about (from the themes chapter's results)."""
    if not t.get("coded"):
        return "The posts have not been coded yet, so the themes cannot be discussed."
    if not t.get("prevalence"):
        why = t.get("why_no_shares") or "no post of the random part of the order is coded"
        return f"The themes' shares cannot be estimated yet: {why}."
    ranked = sorted(t["prevalence"].items(), key=lambda kv: -kv[1][0])
    shares = "; ".join(
        f"{t['names'].get(c, c).lower()} {_pct(s)} ({display.percent(lo)} to {display.percent(hi)})"
        for c, (s, lo, hi) in ranked
    )
    coding = (
        "This coding was done by simulated coders whose error rates are set, not measured: the "
        "shares show the workflow, not a finding about the posts."
        if t["simulated"]
        else f"The coding is this run's ({display.counted(t['coders'], 'coder')}); the shares "
        "are estimates from the coded sample, with the intervals shown."
    )
    alphas = {c: float("nan") if a is None else float(a) for c, a in (t.get("alpha") or {}).items()}
    intervals = {
        c: (float(v["alpha"][0]), float(v["alpha"][1]))
        for c, v in (t.get("intervals") or {}).items()
    }
    judged = f" {themes.reliability(alphas, t.get('names'), intervals)}" if alphas else ""
    return (
        f"Read in random order, the original posts were coded as: {shares}, and "
        f"{_pct(t['pct_multi'])} carried two themes or more, "
        f"{wording.overlap(t.get('pct_multi'))}. {coding}{judged}"
    )


def limitations(synthetic: bool, shares: str) -> str:
    """The run's limitations (a Markdown list)."""
    limits = [
        f"{shares.capitalize()} are the only form of sharing observed; replies, likes and "
        "views are not in the data.",
        "Follower counts are those at collection time, not when each post was made.",
        "Deleted posts are counted but never quoted, as the paper did.",
        "Louvain groups depend on the algorithm and its seed; the network chapter measures "
        "how much.",
    ]
    if synthetic:
        limits.insert(
            0,
            "**These results come from a synthetic corpus** calibrated to the paper's "
            "published figures: they show what the analysis does, and that it reproduces the "
            "paper on data built to match it, not anything new about the campaign.",
        )
    return "\n".join(f"- {x}" for x in limits)


def data(label: str | None) -> str:
    """What the run analysed, by its label."""
    return label or "the data named in its parameters"


def report_pointer(declared: bool) -> str:
    """Where every compared figure is listed (nothing when no study is declared)."""
    if not declared:
        return ""
    return (
        "The reproduction report lists every published figure with this run's value, its "
        "tolerance and its status."
    )


def robustness(saved: dict[str, Any]) -> str:
    """Which headline results depend on the analyst's choices (the multiverse
    appendix's saved readings: ``robust`` per result), in the results' order."""
    from datasaveslives.analysis.multiverse import HEADLINES, ROBUST_SHARE

    if not saved:
        return (
            "The multiverse appendix was not computed for this run, so whether the findings "
            "depend on the analyst's choices is not judged here."
        )
    read = [(h, saved.get(h.key) or {}) for h in HEADLINES]
    judged = [(h, v) for h, v in read if v.get("robust") is not None]
    if not judged:
        return (
            "Whether the findings depend on the analyst's choices could not be judged on "
            "this run: no headline result is defined under its own choices."
        )
    fragile = [f"the {h.label}" for h, v in judged if not v["robust"]]
    share = f"{ROBUST_SHARE:.0%}"
    if not fragile:
        return (
            f"Each of the {len(judged)} headline results that could be judged holds across "
            f"the reasonable alternative choices tried: at least {share} of the combinations "
            "agree with this run's own."
        )
    holding = len(judged) - len(fragile)
    return (
        f"{holding or 'None'} of the {len(judged)} headline results that could be judged "
        f"{'holds' if holding <= 1 else 'hold'} across the reasonable alternative choices "
        f"tried (at least {share} of the combinations agree with this run's own); "
        f"{display.listed(fragile)} "
        f"{'depends' if len(fragile) == 1 else 'depend'} on them, so "
        f"{'it is' if len(fragile) == 1 else 'they are'} the least certain of this run's findings."
    )
