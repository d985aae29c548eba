"""Generated posts read as posts: each says its themes, fits a tweet, and rewording them
never moves the rest of the corpus."""

from __future__ import annotations

import gzip
import re

import numpy as np
import orjson
import pandas as pd
import pytest

from datasaveslives.core import paths, tokens
from datasaveslives.synth import build, phrases, spec, text

CORPUS = paths.SYNTHETIC


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    """The shipped corpus's generated originals with their latent themes and text."""
    posts = pd.read_csv(CORPUS / build.POSTS_FILE, dtype={"post_id": str})
    with gzip.open(CORPUS / build.CORPUS_FILE) as fh:
        texts = {
            rec["id_str"]: rec["full_text"]
            for rec in map(orjson.loads, fh)
            if "retweeted_status" not in rec
        }
    mine = posts[posts["generated"] & posts["type"].eq("original")].copy()
    mine["text"] = mine["post_id"].map(texts)
    return mine.dropna(subset=["text"])


def _pattern(sentence: str) -> re.Pattern[str]:
    """A lead or tail as a regex: its slots match any words."""
    parts = re.split(r"\{(?:np|event)\}", sentence)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.IGNORECASE)


SAYS = {t: [_pattern(s) for s in phrases.LEADS[t] + phrases.TAILS[t]] for t in "ABCD"}


def test_every_generated_post_says_each_of_its_themes(generated):
    """A coder can read every latent theme of a generated post in its text."""
    assert len(generated) > 1000
    silent = [
        (row.themes, row.text)
        for row in generated.itertuples()
        for t in str(row.themes)
        if not any(p.search(row.text) for p in SAYS[t])
    ]
    assert not silent, silent[:5]


def test_generated_posts_fit_a_tweet(generated):
    lengths = generated["text"].map(
        lambda s: len(re.sub(r"https://t\.co/\S+", "x" * text.LINK_LENGTH, s))
    )
    assert lengths.max() <= 280
    assert (lengths <= text.TWEET_LIMIT).mean() > 0.75


def test_group_words_are_said_as_themselves():
    """Every Table 3 word of a post's group is a token of the phrases that say it, so
    the word counts of the network chapter see what the generator drew."""
    words = {
        w
        for row in spec.targets()["network"]["table3"]
        for w in row["tweet_words"]
        if w not in tokens.stopwords() and not w.startswith("#")
    }
    for w in words - set(phrases.ASIDES):
        said = phrases.PHRASES.get(w, (w,))
        assert all(w in tokens.tokens(p) for p in said), w


def test_rewording_never_moves_what_a_post_is_about():
    """The content draws (themes, event, group words) come from one stream and the
    wording from another: two wordings say the same content differently and leave the
    content stream where it was."""
    events = [ev for ev in spec.EVENTS if ev.tag == "#iforh2017"]
    content, texts = [], []
    for wording_seed in (1, 2):
        rng, wording = np.random.default_rng(7), np.random.default_rng(wording_seed)
        chosen = [text.post_text(rng, wording, 1, events, "x", True) for _ in range(50)]
        content.append(([c.themes for c in chosen], [c.event for c in chosen], rng.random()))
        texts.append([c.text for c in chosen])
    assert content[0] == content[1]
    assert texts[0] != texts[1]


def test_same_wording_seed_same_text():
    events = list(spec.EVENTS[:1])
    a = text.post_text(np.random.default_rng(3), np.random.default_rng(4), 1, events, None, False)
    b = text.post_text(np.random.default_rng(3), np.random.default_rng(4), 1, events, None, False)
    assert a == b
    assert "#datasaveslives" in a.text.casefold()
    assert "{" not in a.text
