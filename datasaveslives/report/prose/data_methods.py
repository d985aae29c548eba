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
