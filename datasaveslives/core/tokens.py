"""Words in bios and posts: a documented tokenizer and stop-word list.

Tokens are lower-cased runs of letters, digits, ``-`` and ``'`` (so
``health-care`` is one word), with a leading ``#`` kept (hashtags are words,
``#iforh2017``). URLs, @-mentions, numbers, one- and two-letter tokens, the
stop words in ``data/stopwords.txt`` and the study's own hashtag are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from datasaveslives.core import paths

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_TOKEN = re.compile(r"#?[^\W_][\w'\-]*", re.UNICODE)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stop-word list in ``data/stopwords.txt`` (one word a line, # comments)."""
    words = set()
    for line in paths.STOPWORDS.read_text(encoding="utf-8").splitlines():
        word = line.strip().casefold()
        if word and not word.startswith("#"):
            words.add(word)
    return frozenset(words)


class _Dropped(frozenset):
    """The stop words and the case-folded exclusions, made once for many texts."""


def _dropped(exclude: Iterable[str]) -> _Dropped:
    return _Dropped(stopwords() | {e.casefold() for e in exclude})


def tokens(text: str | None, exclude: Iterable[str] = ()) -> list[str]:
    """Words of ``text`` after the rules in the module docstring."""
    if not text:
        return []
    drop = exclude if isinstance(exclude, _Dropped) else _dropped(exclude)
    text = _MENTION.sub(" ", _URL.sub(" ", text.casefold()))
    out = []
    for tok in _TOKEN.findall(text):
        tok = tok.strip("'-")
        bare = tok.lstrip("#")
        if len(bare) < 3 or bare.isdigit() or tok in drop or bare in drop:
            continue
        if bare.endswith(("'s", "’s")) and bare[:-2] in drop:  # a possessive of one
            continue
        out.append(tok)
    return out


def word_counts(texts: Iterable[str | None], exclude: Iterable[str] = ()) -> Counter[str]:
    """How often each word occurs over ``texts`` (every occurrence counts)."""
    counts: Counter[str] = Counter()
    drop = _dropped(exclude)  # once, not a text at a time
    for text in texts:
        counts.update(tokens(text, drop))
    return counts


def most_common(counts: Counter[str], n: int = 10) -> list[tuple[str, int]]:
    """The ``n`` most frequent words of ``counts`` (ties broken alphabetically)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def top_words(
    texts: Iterable[str | None], n: int = 10, exclude: Iterable[str] = ()
) -> list[tuple[str, int]]:
    """The ``n`` most frequent words over ``texts`` (ties broken alphabetically)."""
    return most_common(word_counts(texts, exclude), n)


def counted(word: str, exclude: Iterable[str] = ()) -> bool:
    """Whether the tokenizer keeps ``word`` as itself (not a stop word, not split)."""
    return tokens(word, exclude) == [word.casefold()]


_KEYWORD = re.compile(r"#?\w+", re.UNICODE)


def keyword_tokens(text: str | None) -> frozenset[str]:
    """Every lower-cased word and hashtag of ``text`` (hashtags also without ``#``),
    with no stop words removed: what keyword rules match against."""
    if not text:
        return frozenset()
    found = set(_KEYWORD.findall(_MENTION.sub(" ", _URL.sub(" ", text.casefold()))))
    return frozenset(found | {t.lstrip("#") for t in found if t.startswith("#")})
