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


def original_text_test(declared: int, active: int, chi: dict[str, Any]) -> str:
    """Whether supporters used original text more often than others: the χ² test, or why
    it cannot be made."""
    if chi["expected"] is None:
        why = (
            "no official supporters are declared."
            if not declared
            else "none of them posted here."
            if not active
            else "one of the two groups, or one kind of post, has no posts."
        )
        return (
            "Whether official supporters used original text more often than others cannot be "
            f"tested here: {why}"
        )
    return (
        f"Official supporters used original text in {display.percent(chi['share_supporter'])} "
        f"of their posts, others in {display.percent(chi['share_other'])}. The difference "
        f"{wording.significance(chi['p'])} (χ²₁={display.stat(chi['chi2'], 2)}, "
        f"{display.pvalue(chi['p'])}, with Yates' continuity correction as R's `chisq.test` "
        f"applies it; {{term}}`Cramér's V`={display.stat(chi['cramers_v'], 3)}, "
        f"{effect_size_label(chi['cramers_v'])}). The counts expected if post type did not "
        "depend on user type:"
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
