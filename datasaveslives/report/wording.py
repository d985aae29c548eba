"""Hedged words for computed results, so that the Discussion's sentences follow the data.

Each function turns a statistic into the phrase a careful author would use, by a
stated convention; none of them states a finding the numbers do not carry.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from datasaveslives.analysis.frequency import MIN_POINTS
from datasaveslives.report import display

if TYPE_CHECKING:
    from typing_extensions import TypeIs


def _missing(x: float | None) -> TypeIs[None]:
    """No value: None or NaN (for the type checker, a float is known once this is False)."""
    return x is None or (isinstance(x, float) and math.isnan(x))


def correlation(r: float | None) -> str:
    """Cohen's reading of a correlation: "a large positive correlation" etc."""
    if _missing(r):
        return "no measurable correlation (it is not defined on these data)"
    size = abs(r)
    label = (
        "a negligible"
        if size < 0.1
        else "a small"
        if size < 0.3
        else "a moderate"
        if size < 0.5
        else "a large"
    )
    if label == "a negligible":
        return "a negligible correlation"
    return f"{label} {'positive' if r > 0 else 'negative'} correlation"


def evidence(p: float | None, alpha: float = 0.05) -> str:
    """How strongly a test result speaks against chance, without overstating it (a
    relative clause with the P value)."""
    if _missing(p):
        return "which cannot be tested here"
    if p < 0.001:
        return "which chance alone would very rarely give (p < .001)"
    if p < alpha:
        return f"which chance alone would rarely give (p = {p:.3f})"
    return f"which chance alone could well give (p = {p:.2f})"


def significance(p: float | None, alpha: float = 0.05) -> str:
    """How a difference reads at level ``alpha`` (a verb phrase, without the P value,
    which the sentence gives with :func:`evidence`'s thresholds)."""
    if _missing(p):
        return "cannot be tested here"
    return "is larger than chance would give" if p < alpha else "is within what chance could give"


def modularity(q: float | None) -> str:
    """A reading of Louvain modularity by the usual rule of thumb (0.3)."""
    if _missing(q):
        return "no community structure can be measured"
    if q >= 0.3:
        return "a clear community structure (modularity above the usual 0.3 rule of thumb)"
    return "at most a weak community structure (modularity below the usual 0.3 rule of thumb)"


def stability(ari: float | None) -> str:
    """A reading of the median adjusted Rand index between seeds' partitions."""
    if _missing(ari):
        return "its stability across seeds was not measured"
    if ari >= 0.9:
        return "the division hardly depends on the random seed"
    if ari >= 0.7:
        return "the large groups are stable across seeds, though the details vary"
    return "the division depends on the random seed, so individual groups should be read with care"


def concentration(users_share: float | None, posts_share: float | None) -> str:
    """Whether a small share of users wrote a large share of the posts."""
    if _missing(users_share) or _missing(posts_share):
        return "how concentrated posting was cannot be measured"
    if posts_share >= 2 * users_share:
        return "posting was concentrated in a few hands"
    return "posting was spread fairly evenly"


def compared_shares(
    who: str, others: str, did: str, share: float | None, other_share: float | None, h: float | None
) -> str:
    """Whether ``who`` ``did`` something more often than ``others``, hedged by the effect
    size (Cohen's h between the two shares; Cohen's convention: below 0.5 is small)."""
    if _missing(share) or _missing(other_share):
        return f"whether {who} {did} more often than {others} cannot be measured"
    if share <= other_share:
        return f"{others} {did} at least as often as {who}"
    if not _missing(h) and abs(h) < 0.5:
        return f"{who} {did} more often than {others}, though the difference is small in size"
    return f"{who} {did} more often than {others}"


def clustered_reading(p: float, post_p: float | None, alpha: float = 0.05) -> str:
    """What a test with posts clustered by account says beside the post-level test
    (``post_p``): the same verdict, or which of the two finds the difference."""
    clustered = p < alpha
    if _missing(post_p):
        return (
            "the difference is larger than chance would give"
            if clustered
            else "the difference is within what chance could give"
        )
    post = post_p < alpha
    if clustered and post:
        return "the difference holds"
    if not clustered and not post:
        return "as with posts, the difference is within what chance could give"
    if post:
        return "the difference is within what chance could give: the post-level test overstated it"
    return "the difference is larger than chance would give here, though not post by post"


def travelled(pct_shares: float | None, shares: str = "retweets") -> str:
    """How the posts travelled, from the share of ``shares`` among them."""
    if _missing(pct_shares):
        return "how the posts travelled cannot be said"
    if pct_shares > 0.5:
        return "the posts travelled mostly by sharing"
    if pct_shares >= 0.2:
        return (
            f"sharing was a large part of how they travelled, though most posts were not {shares}"
        )
    return f"most posts were written rather than shared; {shares} were a minority"


def co_movement(r: float | None, what: str, with_what: str) -> str:
    """How two weekly series moved together, in words that follow the sign and size of
    ``r`` (a negligible one reads as no relation)."""
    if _missing(r):
        return f"whether weeks with more {what} had more {with_what} cannot be said"
    if abs(r) < 0.1:
        return f"weeks with more {what} did not have more {with_what}"
    more = "more" if r > 0 else "fewer"
    return f"weeks with more {what} had {more} {with_what}"


def explains(r: float | None, what: str, of: str = "it") -> str:
    """What a correlation says about how much ``what`` explains ``of`` (by r², the
    variance shared)."""
    if _missing(r):
        return f"whether {what} explains {of} cannot be measured here"
    if r * r < 0.1:
        return f"{what} alone explains little of {of}"
    if r * r < 0.25:
        return f"{what} explains some, but far from all, of {of}"
    return f"{what} goes a long way to explain {of}"


OVERLAP_SHARE = 0.1  # posts with two themes or more from which themes "overlap"


def overlap(share: float | None) -> str:
    """Whether the coded themes overlap as the paper found ("the same tweets often being
    classified under multiple themes"), from the share of posts with two or more."""
    if _missing(share):
        return "so whether the themes overlap cannot be measured"
    if share >= OVERLAP_SHARE:
        return "so the themes overlap, as the paper found"
    return "so the themes seldom overlap, unlike the paper's coding"


def followers_compared(p: float | None, known_followers: int) -> str:
    """How the activity groups' followers compare (Kruskal-Wallis ``p``), or why they
    cannot be compared."""
    if known_followers == 0:
        return (
            "could not be compared between the activity groups: no follower count is known "
            "for these accounts (on Bluesky they come only from profile calls)"
        )
    if _missing(p):
        return "could not be compared between the activity groups (too few groups or users)"
    if p < 0.05:
        return "differ between the activity groups"
    return "do not differ detectably between the activity groups"


# --- Rules for the claims the chapters and the Discussion make --------------------
# Each takes the numbers a claim rests on and returns the words for it, including the
# words for none, one and undefined; tests/test_wording.py checks every threshold.

# Gini bands: a stated convention of this project (not a published standard), in the
# spirit of the usual reading of income Gini coefficients (below 0.3 equal, 0.5 and
# above unequal).
GINI_EVEN = 0.3
GINI_CONCENTRATED = 0.5
GINI_HIGH = 0.7


def gini(g: float | None, users: int) -> str:
    """How concentrated posting was among ``users`` accounts, from its Gini coefficient."""
    if users == 0:
        return "with no accounts, how posting was spread cannot be described"
    if users == 1:
        return "with a single account, every post came from the same hands"
    if _missing(g):
        return "how concentrated posting was cannot be measured"
    if g < GINI_EVEN:
        return "posting was spread fairly evenly across accounts"
    if g < GINI_CONCENTRATED:
        return "posting was moderately concentrated"
    if g < GINI_HIGH:
        return "posting was concentrated in a minority of accounts"
    return "posting was highly concentrated in a few hands"


def heavy_posters(n_heavy: int, users: int, posts_share: float | None, threshold: int) -> str:
    """Who posted ``threshold`` times or more, and what share of the posts they wrote."""
    if users == 0:
        return "no account posted"
    times = f"{threshold:,} times or more"
    if n_heavy == 0:
        return f"no account posted {times}"
    share = _percent(posts_share)
    if n_heavy == users:
        return f"every account posted {times}"
    who = "1 account" if n_heavy == 1 else f"{n_heavy:,} accounts"
    return (
        f"{who} ({_percent(n_heavy / users)} of them) posted {times} and wrote {share} of the posts"
    )


def _percent(x: float | None) -> str:
    return "an unknown share" if _missing(x) else f"{100 * x:.2f}%"


def weekly_variation(weeks: int, mean: float | None, sd: float | None) -> str:
    """How posting varied from week to week (weeks of 7 days from the window's start)."""
    if weeks == 0:
        return "there is no week to count"
    if weeks == 1 or _missing(sd) or _missing(mean):
        return "with a single week, how posting varied from week to week cannot be measured"
    if mean < 1:
        return f"fewer than one post a week on average (mean {mean:.2f}, SD {sd:.2f})"
    digits = 1 if mean < 10 else 0
    return f"about {mean:,.{digits}f} posts a week (SD {sd:,.{digits}f})"


def supporters(declared: int, active: int) -> str:
    """Who the official supporters of this run are (a sentence subject)."""
    if declared == 0:
        return "No official supporters are declared for this run"
    noun = "official supporter" if declared == 1 else "official supporters"
    if active == 0:
        n = "the one" if declared == 1 else f"the {declared:,}"
        return f"Not one of {n} declared {noun} posted here"
    return f"{active:,} of the {declared:,} declared {noun} posted here"


def supporter_groups(declared: int, placed: list[int], groups: int) -> str:
    """Where the official supporters sit among the network's ``groups`` Louvain groups
    (``placed``: the distinct groups of those in the network)."""
    if declared == 0:
        return "no official supporters are declared, so none can be placed in the network"
    if not placed:
        return "no official supporter is in the network"
    listed = ", ".join(map(str, sorted(placed)))
    if len(placed) == 1:
        if groups == 1:
            return "the official supporters sit in the network's only group"
        return f"the official supporters all sit in group {listed}"
    if len(placed) == groups:
        return f"the official supporters are spread over every group ({listed})"
    return f"the official supporters sit in {len(placed)} of the {groups} groups ({listed})"


def groups_drawn(groups: int, top: int = 10) -> str:
    """The groups a chapter draws and tabulates: the ``top`` largest of ``groups``, or
    all of them when there are no more."""
    if groups == 0:
        return "no groups"
    if groups == 1:
        return "the one group"
    if groups <= top:
        return f"the {groups} groups"
    return f"the {top} largest of the {groups:,} groups"


def links_between_groups(
    pairs: int, above_chance: int, groups: int, top: int = 10, shown: int = 12
) -> str:
    """What the table of links between the largest groups shows: ``pairs`` linked pairs
    of them (the table shows the ``shown`` most closely linked), ``above_chance`` of which
    are linked more than chance would link them (observed over expected links above 1)."""
    drawn = groups_drawn(groups, top)
    if groups < 2:
        return f"With {drawn}, there are no links between groups."
    if pairs == 0:
        return (
            f"No user of one of {drawn} shared a post of a user of another: every link stays "
            "inside its group, so there are no links between groups to count."
        )
    if pairs == 1:
        first = f"Of {drawn}, one pair is linked; the table below counts its links."
    elif pairs <= shown:
        first = (
            f"Of {drawn}, {pairs:,} pairs are linked; the table below counts their links, "
            "strongest first."
        )
    else:
        first = (
            f"Of {drawn}, {pairs:,} pairs are linked; the table below counts the links of the "
            f"{shown} most closely linked, strongest first."
        )
    if above_chance == 0:
        verdict = (
            "below 1 for every pair: the groups are linked less than chance would link them, "
            "as groups found by their links are; the higher the ratio, the more closely two "
            "groups are linked."
        )
    elif above_chance == pairs:
        verdict = (
            f"above 1 for {'the pair' if pairs == 1 else 'every pair'}: linked more than "
            "chance would link them."
        )
    else:
        verdict = (
            f"above 1 for {above_chance:,} of the {pairs:,} pairs, linked more than chance "
            "would link them, and below 1 for the others."
        )
    return (
        f"{first} The shares say how much of each group's links to the other groups go to the "
        "other; *ratio* compares the count with the one expected if links fell at random "
        f"between the groups' users: it is {verdict}"
    )


def largest_part(share: float | None) -> str:
    """How much of the network its largest connected part holds."""
    if _missing(share):
        return "there is no network"
    if share == 1:
        return "every user is in one connected part"
    if share > 0.5:
        return f"most users ({_percent(share)}) are in one connected part"
    return (
        f"the largest connected part holds only {_percent(share)} of the users, so the network "
        "is fragmented"
    )


def stability_sentence(ari: float | None, seeds: int) -> str:
    """How much the division into groups depends on Louvain's seed, as a sentence."""
    if _missing(ari):
        if seeds < 2:
            return "Its stability across seeds was not measured (one seed only)."
        return "Its stability across seeds cannot be measured (too few users to divide)."
    return f"Over {seeds} seeds, {stability(ari)}."


def named_and_deleted(named: int, deleted: int, allowlist: bool) -> str:
    """Which of a table's posts are by accounts that may be named (those on the run's
    ``allowlist`` of organisations and public accounts) and which were deleted since."""
    if not allowlist:
        who = (
            "no account may be named, as the run has no allowlist of organisations and public "
            "accounts"
        )
    elif named == 0:
        who = (
            "none was posted by an account that may be named (the organisations and public "
            "accounts on the run's allowlist)"
        )
    else:
        by = "was posted by an account" if named == 1 else "were posted by accounts"
        who = (
            f"{named:,} {by} that may be named (the organisations and public accounts on the "
            "run's allowlist)"
        )
    if deleted == 0:
        gone = "none has since been deleted"
    elif deleted == 1:
        gone = "1 has since been deleted, so is not quoted, though it stays in every count"
    else:
        gone = (
            f"{deleted:,} have since been deleted, so are not quoted, though they stay in every "
            "count"
        )
    return f"{who}; {gone}"


def range_over_seeds(what: str, low: str, high: str) -> str:
    """How ``what`` (as shown: ``low`` and ``high`` already formatted) varied over
    Louvain's seeds: a range, or one value when every seed gave the same."""
    if low == high:
        return f"{what} was {low} with every seed"
    return f"{what} ranged from {low} to {high}"


def self_shares(n: int, share: str, shares: str) -> str:
    """What the network leaves out: users' shares of their own posts (``share`` and
    ``shares`` in the platform's words)."""
    if n == 0:
        return f"a user's {shares} of their own posts would be left out; there are none here"
    if n == 1:
        return f"the one {share} of a user's own post is left out"
    return f"{n:,} {shares} of users' own posts are left out"


def emptied_fields(counts: dict[str, int] | None) -> str:
    """The profile values ingestion left empty because they could not be right (an
    account's date before the platform existed, a count beyond any integer), counted per
    profile read with a kept post; a sentence to follow another (with its leading
    space), or nothing when there were none."""
    counts = {k: n for k, n in (counts or {}).items() if n}
    if not counts:
        return ""
    names = {"account_created_at": "account creation date", "followers": "follower count",
             "friends": "following count", "statuses": "post count"}  # fmt: skip
    if sum(counts.values()) == 1:
        [field] = counts
        return (
            f" One profile read with a kept post held an impossible {names.get(field, field)}: "
            "it was left empty and the post kept."
        )
    listed = ", ".join(f"{names.get(k, k)} {n:,}" for k, n in sorted(counts.items()))
    return (
        " Impossible values in profiles read with kept posts were left empty and the posts "
        f"kept (times per field: {listed})."
    )


def correlation_text(result: dict[str, float], what: str, rank_note: str) -> str:
    """A defined correlation as the chapter reports it: Cohen's reading, Pearson r with
    df, P and the 95% interval, Spearman's rho (``rank_note`` says why, if anything)."""
    reading = correlation(result["r"])
    note = f" {rank_note}: " if rank_note else " Spearman's rank correlation: "
    return (
        f"{what[0].upper() + what[1:]} showed {reading}: Pearson r={display.stat(result['r'])} "
        f"(df={int(result['df'])}; {display.pvalue(result['p'])}; 95% CI "
        f"{display.stat(result['ci_low'])} to {display.stat(result['ci_high'])}).{note}"
        f"ρ={display.stat(result['rho'])}."
    )


def rests_on_few(
    r: float | None, loo: dict[str, Any], n: int, what: str, with_what: str, unit: str = "week"
) -> str:
    """Sentences (each with a leading space) for a correlation ``r`` over ``n`` ``unit``s
    that rests on few of them, from :func:`datasaveslives.analysis.frequency.leave_one_out`
    (``loo``, its points named by number): when ``what`` or ``with_what`` is not zero in
    fewer ``unit``s than a correlation needs (``MIN_POINTS``), when any one ``unit`` left
    out would leave too few, and when leaving one out makes r undefined or changes its
    reading (:func:`correlation`: size or sign), naming the ``unit`` that moves it most.
    Nothing when r is undefined or no rule applies."""
    if _missing(r):
        return ""
    out = ""
    few = [
        (k, name)
        for k, name in ((loo.get("nonzero_x"), what), (loo.get("nonzero_y"), with_what))
        if k is not None and k < MIN_POINTS
    ]
    for k, name in few:
        those = f"that {unit}" if k == 1 else f"those {unit}s"
        out += (
            f" Only {k:,} of the {n:,} {unit}s had any {name}, so the correlation rests on {those}."
        )
    if out:  # what leaving one out would add is said already
        return out
    if n - 1 < MIN_POINTS:
        return (
            f" With only {n:,} {unit}s, leaving out any one would leave too few to correlate, "
            f"so it rests on every {unit}."
        )
    if loo.get("undefined_at") is not None:
        return (
            f" Without {unit} {loo['undefined_at']} it would not be defined, so it rests on "
            f"that {unit}."
        )
    reading = correlation(r)
    moved = [
        (abs(value - r), at, value)
        for value, at in (
            (loo.get("low"), loo.get("low_at")),
            (loo.get("high"), loo.get("high_at")),
        )
        if not _missing(value) and at is not None and correlation(value) != reading
    ]
    if moved:
        _, at, value = max(moved, key=lambda m: (m[0], -m[1]))
        out += (
            f" Without {unit} {at} alone it would read as {correlation(value)} "
            f"(r = {display.stat(value)}), so this reading rests on that {unit}."
        )
    return out


def why_no_correlation(n: int, unit: str) -> str:
    """Why a correlation over ``n`` ``unit`` (e.g. "weeks") is not defined (a clause)."""
    if n < MIN_POINTS:
        return f"it needs at least three {unit}, and there {'is only' if n == 1 else 'are'} {n:,}"
    return f"over the {n:,} {unit}, one of the two counts does not vary"
