"""Hedged words for computed results, so that the Discussion's sentences follow the data.

Each function turns a statistic into the phrase a careful author would use, by a
stated convention; none of them states a finding the numbers do not carry.
"""

from __future__ import annotations

import math


def _missing(x: float | None) -> bool:
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
    """How strongly a test result speaks against chance, without overstating it."""
    if _missing(p):
        return "which cannot be tested here"
    if p < 0.001:
        return "which chance alone would very rarely give (p < .001)"
    if p < alpha:
        return f"which chance alone would rarely give (p = {p:.3f})"
    return f"which chance alone could well give (p = {p:.2f})"


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
    who: str, others: str, did: str, share: float | None, other_share: float | None, v: float | None
) -> str:
    """Whether ``who`` ``did`` something more often than ``others``, hedged by the effect
    size (Cramér's V, Cohen's convention: below 0.3 is small)."""
    if _missing(share) or _missing(other_share):
        return f"whether {who} {did} more often than {others} cannot be measured"
    if share <= other_share:
        return f"{others} {did} at least as often as {who}"
    if not _missing(v) and v < 0.3:
        return f"{who} {did} more often than {others}, though the difference is small in size"
    return f"{who} {did} more often than {others}"


def travelled(pct_shares: float | None, shares: str = "retweets") -> str:
    """How the posts travelled, from the share of ``shares`` among them."""
    if _missing(pct_shares):
        return "how the posts travelled cannot be said"
    if pct_shares > 0.5:
        return "the campaign travelled mostly by sharing"
    if pct_shares >= 0.2:
        return f"sharing was a large part of the campaign, though most posts were not {shares}"
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


def explains(r: float | None, what: str) -> str:
    """What a correlation says about how much ``what`` explains (by r², the variance
    shared)."""
    if _missing(r):
        return f"whether {what} matters cannot be measured here"
    if r * r < 0.1:
        return f"{what} alone explains little"
    if r * r < 0.25:
        return f"{what} explains some, but far from all"
    return f"{what} goes a long way to explain it"


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
