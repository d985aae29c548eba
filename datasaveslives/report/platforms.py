"""Which platform a run's posts come from, what its data can show, and the words for it.

The canonical tables are the same for every platform (a share is a post of type
``retweet`` whatever the platform calls it); the chapters take their words from
:func:`vocabulary` and state the platform's semantics from :func:`semantics`, so a run on
Bluesky says "reposts" and one on Mastodon "boosts".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from datasaveslives.report import display

# The platform of each source format the readers write (see datasaveslives.ingest.readers).
FORMATS: dict[str, str] = {
    "twitter_v1": "twitter",
    "twitter_v2": "twitter",
    "twitter_v2_flat": "twitter",
    "gnip": "twitter",
    "bluesky": "bluesky",
    "bluesky_repost": "bluesky",
    "bluesky_profile": "bluesky",
    "mastodon": "mastodon",
    "csv": "twitter",  # CSV exports: csv:NAME (Twitter) or PLATFORM_csv:NAME
    "bluesky_csv": "bluesky",
    "mastodon_csv": "mastodon",
}
ORDER = ("twitter", "bluesky", "mastodon")


@dataclass(frozen=True)
class Vocabulary:
    """How the book names a platform and its kinds of post."""

    platform: str  # "Twitter", "Bluesky", "Mastodon", or "Bluesky and Mastodon"
    share: str  # a post shared unchanged: "retweet", "repost", "boost" ("share")
    shares: str
    shared: str  # the verb's participle: "retweeted"
    sharer: str  # who shares: "retweeter"
    quote: str  # a share with added text


WORDS: dict[str, Vocabulary] = {
    "twitter": Vocabulary("Twitter", "retweet", "retweets", "retweeted", "retweeter", "quote"),
    "bluesky": Vocabulary("Bluesky", "repost", "reposts", "reposted", "reposter", "quote post"),
    "mastodon": Vocabulary("Mastodon", "boost", "boosts", "boosted", "booster", "quote"),
}
MIXED = Vocabulary("", "share", "shares", "shared", "sharer", "quote")

SEMANTICS: dict[str, str] = {
    "twitter": (
        "**Twitter.** A *retweet* republishes another post unchanged; a *quote* (quote "
        "tweet) republishes it with added text. A retweet's text is the full text of the "
        "post it retweets, not the truncated `RT @` text old archives store. Follower counts "
        "are those of each post's user object, as Twitter reported them when the post was "
        "collected."
    ),
    "bluesky": (
        "**Bluesky.** A *repost* shares a post unchanged; a *quote post* embeds another "
        "post (`app.bsky.embed.record` or `recordWithMedia`) with its own text. Posts are "
        "keyed by their `at://` address and accounts by their DID, which survives a change "
        "of handle. Search (`searchPosts`) does not return reposts: an archive collected by "
        "search alone has none, and no repost network; reposts come from author feeds or "
        "repository records (which carry no text: they take the text of the post they "
        "repost when that post is in the archive, and otherwise cannot carry the hashtag). "
        "Post views carry no follower counts; they come from "
        "separate profile calls, observed when they were made, and without them "
        "follower-based figures are unavailable, not zero."
    ),
    "mastodon": (
        "**Mastodon.** A *boost* shares a status unchanged; a *quote* (Mastodon 4.5 and "
        "later) shows another status with its own text, and counts as a quote when the "
        "quoted account agreed to it (a quote awaiting, refused or withdrawn that agreement "
        "is shown without it, and counts as an original post). A status "
        "is keyed by its global `uri`, so the same status collected from two instances "
        "counts once, and accounts by `acct@instance`. An instance sees only the statuses "
        "that federated to it, so counts are of what the collecting instances saw, not of "
        "the whole network. Follower counts come with each status's account as the "
        "collecting instance knew them (for remote accounts they may lag). Statuses that "
        "were not public were left out."
    ),
}


def platforms_of(formats: Iterable[str]) -> list[str]:
    """The platforms of these source formats (CSV exports and unknown formats count as
    Twitter, the format the mappings shipped here describe), in a fixed order."""
    found = {FORMATS.get(f.split(":")[0], "twitter") for f in formats}
    return [p for p in ORDER if p in found]


def vocabulary(platforms: list[str]) -> Vocabulary:
    """The words for a run on ``platforms`` (neutral ones when there are several)."""
    if len(platforms) == 1:
        return WORDS[platforms[0]]
    names = [WORDS[p].platform for p in platforms]
    return replace(MIXED, platform=display.listed(names) or "no platform")


def semantics(platforms: list[str]) -> str:
    """What counts as original, quote and share on each of ``platforms``, and what its
    data cannot show (Markdown, one paragraph per platform)."""
    return "\n\n".join(SEMANTICS[p] for p in platforms)


def report_platforms(report: dict) -> list[str]:
    """The platforms of an ingest report's files (by the formats detected in them)."""
    return platforms_of(fmt for f in report["files"] for fmt in f["formats"])


def glue_vocabulary(platforms: list[str]) -> Vocabulary:
    """Glue a chapter's words for its prose (``w_platform``, ``w_shares``, ``w_shared``...:
    ``w_`` and a field of :class:`Vocabulary`) and return them."""
    from myst_nb import glue

    said = vocabulary(platforms)
    for key, value in asdict(said).items():
        glue(f"w_{key}", value, display=False)
    return said
