"""The users chapter's case-dependent sentences (``book/users.md``)."""

from __future__ import annotations

import math
from typing import Any

from datasaveslives.analysis.users import effect_size_label
from datasaveslives.report import display, wording


def supporters_posted(
    declared: int, active: int, posts: int, supporter_posts: int, originals_share: float | None
) -> str:
    """What the official supporters who posted wrote (empty when nobody posted)."""
    if not posts:
        return ""
    if not active:
        return wording.supporters(declared, 0) + ", so every account counts as another user below."
    share = display.percent(originals_share) if originals_share is not None else "none"
    return (
        f"The {display.counted(active, 'official supporter')} who posted wrote "
        f"{supporter_posts:,} posts ({display.percent(supporter_posts / posts)} of all posts) "
        f"and {share} of the posts with original text."
    )


def no_supporters(declared: int, active: int) -> str | None:
    """Why supporters cannot be compared with others at all (None when some posted)."""
    if not declared:
        return "no official supporters are declared"
    if not active:
        return "none of the declared official supporters posted here"
    return None


def original_text_test(declared: int, active: int, chi: dict[str, Any]) -> str:
    """Whether supporters used original text more often than others: the χ² test, or why
    it cannot be made."""
    if chi["expected"] is None:
        why = (
            no_supporters(declared, active)
            or "one of the two groups, or one kind of post, has no posts"
        )
        return (
            "Whether official supporters used original text more often than others cannot be "
            f"tested here: {why}."
        )
    return (
        f"Official supporters used original text in {display.percent(chi['share_supporter'])} "
        f"of their posts, others in {display.percent(chi['share_other'])}. The difference "
        f"{wording.significance(chi['p'])} (χ²₁={display.stat(chi['chi2'], 2)}, "
        f"{display.pvalue(chi['p'])}, with Yates' continuity correction as R's `chisq.test` "
        f"applies it; {{term}}`Cramér's V`={display.stat(chi['cramers_v'], 3)}). The counts "
        "expected if post type did not depend on user type:"
    )


def difference_size(
    d: dict[str, Any],
    v: float | None,
    supporter_share: float | None,
    declared: int = 1,
    active: int = 1,
) -> str:
    """How large the supporters' difference in original text is: in percentage points
    with Newcombe's interval, as a ratio with its interval, and as Cohen's h, with why
    Cramér's V reads smaller; or why there is no difference to size."""
    if "difference" not in d or d.get("difference") is None:
        why = no_supporters(declared, active) or d.get("why", "it is not defined")
        return f"No difference can be sized here: {why}."
    diff = d["difference"]
    if diff == 0:
        direction = "the same as others'"
    else:
        direction = "higher than" if diff > 0 else "lower than"
        direction = f"**{display.stat(abs(diff) * 100, 2)}** percentage points {direction} others'"
    interval = (
        f"95% interval {display.stat(d['difference_low'] * 100, 2)} to "
        f"{display.stat(d['difference_high'] * 100, 2)} points, Newcombe's method "
        "{cite}`newcombe1998`"
    )
    ratio = d.get("ratio")
    if ratio is None or math.isnan(ratio):
        as_ratio = "Their ratio is not defined: one group wrote no original text."
    else:
        as_ratio = (
            f"As a ratio, supporters' posts were original text **{display.stat(ratio, 2)}** "
            f"times as often as others' (95% interval {display.stat(d['ratio_low'], 2)} to "
            f"{display.stat(d['ratio_high'], 2)}, on the log scale {{cite}}`katz1978`)."
        )
    h = d.get("cohens_h")
    size = (
        f" {{term}}`Cohen's h` {{cite}}`cohen1988`, which compares the two shares whatever "
        f"the groups' sizes, is "
        f"{display.stat(abs(h), 2)}: {effect_size_label(round(h, 2))}."
        if h is not None and not math.isnan(h)
        else ""
    )
    why_v = ""
    if (
        v is not None
        and not math.isnan(v)
        and h is not None
        and not math.isnan(h)
        and v < abs(h) / 2
        and supporter_share is not None
        and supporter_share < 0.25
    ):
        why_v = (
            f" Cramér's V ({display.stat(v, 3)}) reads smaller because the supporters wrote "
            f"only {display.percent(supporter_share)} of the posts: it measures the "
            "association over all posts, not the size of the difference."
        )
    return (
        f"Supporters' share of original text was {direction} ({interval}). {as_ratio}{size}{why_v}"
    )


def full_table(t: dict[str, Any]) -> str:
    """The test over the whole of Table 2 (every post type, not only original text)."""
    if t.get("chi2") is None or math.isnan(t["chi2"]):
        return ""
    verb = (
        "are associated beyond what chance would give"
        if t["p"] < 0.05
        else "are not associated beyond what chance could give"
    )
    return (
        f"Over the whole table (every kind of post, not only original text), post type and "
        f"user type {verb} (χ²{_sub(t['df'])}={display.stat(t['chi2'], 2)}, "
        f"{display.pvalue(t['p'])}, without continuity correction, which applies to 2×2 "
        f"tables only; Cramér's V={display.stat(t['cramers_v'], 3)})."
    )


def _sub(n: int) -> str:
    """``n`` as subscript digits (χ²₂)."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def clustered_test(
    c: dict[str, Any], post_p: float | None = None, declared: int = 1, active: int = 1
) -> str:
    """The test with posts clustered within accounts, read against the post-level test's
    ``post_p``, or why it cannot be made."""
    if "why" in c:
        why = no_supporters(declared, active) or c["why"]
        return f"A test with posts clustered by account cannot be made here: {why}."
    k = c["accounts_supporter"]
    holds = wording.clustered_reading(c["p"], post_p)
    few = (
        f" With only {display.counted(k, 'supporter account')}, cluster-robust errors are "
        "themselves approximate (they assume many clusters), so this checks the post-level "
        "test rather than giving a precise P value."
        if c.get("few")
        else ""
    )
    return (
        f"With accounts as the independent units (the supporters are "
        f"{display.counted(k, 'account')}; {{term}}`cluster-robust standard errors` "
        f"{{cite}}`cameron2015`), the odds of a supporter's post being original text are "
        f"**{display.stat(c['odds_ratio'], 2)}** times others' (95% interval "
        f"{display.stat(c['or_low'], 2)} to {display.stat(c['or_high'], 2)}, "
        f"{display.pvalue(c['p'])}): {holds}.{few}"
    )


def table2_caption(declared: int) -> str:
    """Table 2's caption: split by supporters only if any are declared."""
    split = ", official supporters against others," if declared else ""
    return (
        f"*Posts by type{split} with column percentages. A user who both posts and shares is "
        "counted in each row of the last column, so it does not add up to the number of users.*"
    )


def heavy_accounts(hundred_plus: int, named: list[str]) -> str:
    """The accounts that posted 100 times or more, naming only those that may be named."""
    if named:
        return (
            f"{display.counted(hundred_plus, 'account')} posted 100 times or more; "
            f"{len(named)} of them may be named here ({', '.join(named)}), the others are not."
        )
    if hundred_plus:
        return (
            f"{display.counted(hundred_plus, 'account')} posted 100 times or more, none of "
            "them an account that may be named here."
        )
    return "No account posted 100 times or more."


def heavy_kinds(hundred_plus: int, kinds: dict[str, int] | None, advocate_posts: int | None) -> str:
    """What kinds of account posted 100 times or more, by the run's account types
    (``kinds``: kind -> accounts, "not classified" for the unlisted; None: the run
    declares no account types), and the most active patient advocate's posts."""
    if kinds is None:
        if not hundred_plus:
            return ""  # no account to classify; the paragraph has said there is none
        return (
            "Which of the most active accounts are organisations is not counted: this run "
            "declares no account types (the `account_types` parameter)."
        )
    advocate = (
        f" The most active account listed as a patient advocate posted {advocate_posts:,} "
        f"{'time' if advocate_posts == 1 else 'times'}."
        if advocate_posts is not None
        else " No account listed as a patient advocate posted."
    )
    if not hundred_plus:  # the paragraph has said no account posted 100 times or more
        return advocate.strip()
    parts = [
        f"{n:,} {'is' if n == 1 else 'are'} "
        + ("not classified" if kind == "not classified" else _kind(kind, n))
        for kind, n in kinds.items()
    ]
    of = "the 1 account" if hundred_plus == 1 else f"the {hundred_plus:,} accounts"
    return (
        f"By the run's account types (read from profiles, as the paper read them), of "
        f"{of} that posted 100 times or more, {display.listed(parts)}.{advocate}"
    )


def _kind(kind: str, n: int) -> str:
    """``organisation`` -> ``an organisation`` / ``organisations``."""
    if n == 1:
        return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"
    return kind if kind.endswith("s") else f"{kind}s"


def activity_spread(
    activity: dict[str, Any],
    ten_plus_share: float | None,
    named: list[str],
    hashtag: str | None,
    in_bio: int,
) -> str:
    """How activity was spread over the accounts (one paragraph)."""
    users = activity["users"]
    if not users:
        return "No account posted in this window."
    times = "time" if activity["max"] == 1 else "times"
    heavy = wording.heavy_posters(activity["ten_plus"], users, ten_plus_share, 10).capitalize()
    ten_posts = (
        f" ({activity['ten_plus_posts']:,} posts)" if 0 < activity["ten_plus"] < users else ""
    )
    bio = f" {display.counted(in_bio, 'poster')} had {hashtag} in their bio." if hashtag else ""
    return (
        f"{display.percent(activity['once'] / users)} of the accounts ({activity['once']:,}) "
        f"posted only once; the most active posted {activity['max']:,} {times}. "
        f"{heavy}{ten_posts}. {heavy_accounts(activity['hundred_plus'], named)}{bio}"
    )


def followers(kruskal: dict[str, Any], known: int) -> str:
    """Whether followers differ between the activity groups, with the Kruskal–Wallis
    statistic when it is defined (``known``: accounts with a known follower count)."""
    test = (
        ""
        if math.isnan(kruskal["p"])
        else " ({term}`Kruskal–Wallis <Kruskal–Wallis test>` "
        f"H={display.stat(kruskal['h'], 1)}, df={kruskal['df']}, "
        f"{display.pvalue(kruskal['p'])})"
    )
    return f"Followers {wording.followers_compared(kruskal['p'], known)}{test}."


def concentration(gini: float, users: int) -> str:
    """How concentrated posting was: the Gini coefficient read in words."""
    spread = wording.gini(gini, users)
    if users > 1 and not math.isnan(gini):
        return (
            "The {term}`Gini coefficient` is "
            f"{display.stat(gini, 2)} (0 if everyone posted equally, near 1 if one account "
            f"posted everything), so {spread}."
        )
    return f"{spread[0].upper()}{spread[1:]}."


def summary(
    activity: dict[str, Any],
    ten_plus_share: float | None,
    gini: float,
    declared: int,
    active: int,
    supporter_share: float | None,
) -> str:
    """The chapter's summary paragraph."""
    users = activity["users"]
    if not users:
        return "No account posted in this window."
    supporters = (
        f"The official supporters wrote {display.percent(supporter_share)} of all posts."
        if active and supporter_share is not None
        else wording.supporters(declared, 0) + "."
    )
    return (
        f"Of {display.counted(users, 'account')}, "
        f"{display.percent(activity['once'] / users)} posted once, and "
        f"{wording.heavy_posters(activity['ten_plus'], users, ten_plus_share, 10)}; "
        f"{wording.gini(gini, users)}. {supporters}"
    )
