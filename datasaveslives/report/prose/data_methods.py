"""The data and methods chapter's case-dependent sentences (``book/data_methods.md``)."""

from __future__ import annotations

from datasaveslives.report.platforms import Vocabulary


def naming(said: Vocabulary, platforms: int) -> str:
    """How the run's platforms name shares and quotes, and what the tables call them."""
    tables = "the tables call shares by Twitter's name, `retweet`, whatever the platform."
    if platforms == 1:
        return (
            f"On {said.platform} a share is a *{said.share}* and a quote a *{said.quote}*; {tables}"
        )
    return f"Each platform names them its own way (below); {tables}"


def semantics(text: str) -> str:
    """What each platform's data can and cannot show, or why no platform applies."""
    return text or "No post was read, so no platform applies."


def tag_example(hashtag: str | None) -> str:
    """How the hashtag is matched, by example (a bracket after "without regard to case")."""
    example = f"#{hashtag.lstrip('#')}" if hashtag else "#example"
    return f"(so `{example.upper()}` counts) and only as a whole tag (`{example}X` does not)"


def hashtag_clause(hashtag: str | None) -> str:
    """Which posts the run keeps (a clause after "posts")."""
    if hashtag:
        return f" whose body carries {hashtag}"
    return ", with or without a hashtag (no hashtag filter)"


def corpus(seed: int | None, version: str | None) -> str:
    """What the run's posts are: the synthetic corpus (its seed and generator) or real."""
    if seed is None:
        return "real posts"
    return (
        f"the synthetic corpus, generated with seed {seed} by generator version {version} "
        "(see the chapter on the data)"
    )
