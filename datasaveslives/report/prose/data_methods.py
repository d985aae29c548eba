"""The data and methods chapter's case-dependent sentences (``book/data_methods.md``)."""

from __future__ import annotations

from typing import Any

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


def _difference(d: dict[str, Any]) -> str:
    if d["locked"] is None:
        return f"{d['name']} {d['installed']} (not in the lock)"
    if d["installed"] is None:
        return f"{d['name']} (locked at {d['locked']}, not installed)"
    return f"{d['name']} {d['installed']} (locked at {d['locked']})"


def environment(record: dict[str, Any] | None, shown: int = 5) -> str:
    """Whether the packages that ran the build were the locked ones (a sentence before
    the table of versions): exactly the lock, which ones differed, or why it is unknown."""
    if record is None:
        return (
            "No lock file was found beside the package, so the versions below are what "
            "ran, not a locked set."
        )
    lock = f"`{record['lock']}` (SHA-256 `{record['sha256'][:12]}…`)"
    if "unreadable" in record:
        return (
            f"The lock file {lock} could not be read ({record['unreadable']}); the versions "
            "below are what ran."
        )
    differences = record["differences"]
    if not differences:
        n = record["packages"]
        held = "its one package" if n == 1 else f"its {n:,} packages"
        return (
            f"The environment was exactly the lock {lock}: {held} for this Python, each at "
            f"its locked version (`make env` installs them)."
        )
    listed = [_difference(d) for d in differences[:shown]]
    more = len(differences) - len(listed)
    if more:
        listed.append(f"{more:,} more")
    n = len(differences)
    which = "one installed package differed" if n == 1 else f"{n:,} installed packages differed"
    return (
        f"The environment was not exactly the lock {lock}: {which} from it "
        f"({'; '.join(listed)}). The versions below are what ran."
    )
