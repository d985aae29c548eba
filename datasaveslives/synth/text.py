"""What posts say: the grammar of ``phrases`` filled with each group's words (bios are
``vocabulary.bio``'s).

Originals carry latent themes A-D (the paper's four uses of the hashtag,
overlapping as in Table 4). Texts are generated from templates in the
campaign's vocabulary; the paper's own published example texts are placed,
verbatim, on the accounts that posted them and marked quotable. Generated
texts are never presented as real posts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datasaveslives.core.tokens import stopwords
from datasaveslives.synth import phrases, spec

THEMES = ("A", "B", "C", "D")
# Probability that an original carries each theme (at least one always does).
THEME_P = {"A": 0.58, "B": 0.32, "C": 0.30, "D": 0.22}

# Texts the paper published (Table 1, Table 4 and the Results' quotations of
# organisations), each with the account, the latent themes and, where the text
# dates itself, the day it belongs to.
PAPER_QUOTES: tuple[tuple[str, str, str, str | None], ...] = (
    # (account, themes, text, iso day or None)
    (
        "FarrScotland",
        "A",
        "Thanks to data we know that the smoking ban in Scotland has been a success [link to case study on website] #datasaveslives",
        None,
    ),
    (
        "FarrInstitute",
        "AB",
        "Highlights from Informatics for Health 2017 by @HeRC_Farr: Watch the video at [website link] #IforH2017 #datasaveslives",
        "2017-05-02",
    ),
    (
        "EmpowerD4H",
        "A",
        "BBC News - Artificial intelligence predicts when heart will fail [link to news report] #DataSavesLives",
        None,
    ),
    (
        "FarrInstitute",
        "C",
        "Thanks for coming to chat wear your badge with pride! #datasaveslives",
        "2017-04-25",
    ),
    (
        "Patient_Data",
        "AC",
        "For more examples of how #datasaveslives in mental health read this @MQmentalhealth blog. See our case studies [link to website]",
        None,
    ),
    (
        "useMYdata",
        "C",
        "'The type of treatment that I had depended so much on the data of patients who went before me' - patient advocate - #datasaveslives",
        None,
    ),
    (
        "UoLCardioEpi",
        "D",
        "We're inviting applications for a 2yr Clinical Research Fellow to study for an MD. Cardiology trainees please. #heartattack #datasaveslives",
        None,
    ),
    (
        "GreatNorthCare",
        "D",
        "Help guide our consent modelling framework: happy to share a copy of your care org's consent forms? TY/please DM #datasaveslives #ontology",
        None,
    ),
)


@dataclass
class TextChoice:
    text: str
    themes: str
    event: str | None


def table4_quotes() -> list[tuple[str, str, str, str | None]]:
    """Table 4's examples as (account, themes, text, day)."""
    days = {
        "#WorldHealthDay": "2017-04-07",
        "#IforH2017": "2017-04-25",
        "#interopsummit": "2017-03-09",
    }
    out = []
    for row in spec.targets()["themes"]["table4_examples"]:
        themes = "".join(t for t in THEMES if row[t])
        day = next((d for tag, d in days.items() if tag.lower() in row["text"].lower()), None)
        out.append((row["user"], themes, row["text"], day))
    return out


def draw_themes(rng: np.random.Generator, event_week: bool) -> str:
    p = dict(THEME_P)
    if event_week:
        p["B"] = 0.8
    chosen = [t for t in THEMES if rng.random() < p[t]]
    return "".join(chosen) or "A"


def _weighted(rng: np.random.Generator, words: dict[str, int], k: int) -> list[str]:
    keys = list(words)
    w = np.array([words[x] for x in keys], dtype=float)
    idx = rng.choice(len(keys), size=min(k, len(keys)), replace=False, p=w / w.sum())
    return [keys[i] for i in idx]


def topic_words(
    rng: np.random.Generator, vocab: dict[str, int], allowed_tags: set[str]
) -> list[str]:
    """Two or three group words; event hashtags only when their event is near."""
    stop = stopwords()
    words = {
        w: c
        for w, c in vocab.items()
        if w not in stop and (w in allowed_tags or w not in EVENT_TAGS)
    }
    return _weighted(rng, words, int(rng.integers(2, 4)))


EVENT_TAGS = {ev.tag for ev in spec.EVENTS}


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _spelled(tag: str) -> str:
    return phrases.SPELLING.get(tag, tag)


# Tweets held 140 characters until November 2017 (a link counted as 23).
TWEET_LIMIT = 140
LINK_LENGTH = 23
ATTEMPTS = 6


def length(body: str) -> int:
    """Characters as Twitter counted them, each ``{link}`` as a shortened link."""
    return len(body) + body.count("{link}") * (LINK_LENGTH - len("{link}"))


@dataclass(frozen=True)
class Content:
    """What a generated post is about: its latent ``themes``, its group ``words``
    (hashtags among them), the ``event`` near, an account to ``mention``, and whether
    it carries a ``link``."""

    themes: str
    words: list[str]
    event: str | None
    mention: str | None
    link: bool


def compose(wording: np.random.Generator, content: Content) -> str:
    """A post saying ``content``: the first of a few wordings that fits in a tweet,
    else the shortest."""
    tries = []
    for _ in range(ATTEMPTS):
        body = _compose_once(wording, content)
        if length(body) <= TWEET_LIMIT:
            return body
        tries.append(body)
    return min(tries, key=lambda b: (length(b), b))


def _compose_once(wording: np.random.Generator, content: Content) -> str:
    """A lead sentence for one theme, a tail for each other one, then hashtags."""
    themes, words, event = content.themes, content.words, content.event
    primary = themes[int(wording.integers(len(themes)))]
    place = _spelled(event) if event else _pick(wording, phrases.GENERIC_EVENTS)
    tags = [w for w in words if w.startswith("#")]
    asides = [_pick(wording, phrases.ASIDES[w]) for w in words if w in phrases.ASIDES]
    said = [
        _pick(wording, phrases.PHRASES.get(w, (w,)))
        for w in words
        if not w.startswith("#") and w not in phrases.ASIDES
    ]
    topic = _listed(said) if said else _pick(wording, phrases.FALLBACK_TOPIC)
    lead = _pick(wording, phrases.LEADS[primary]).format(np=topic, event=place)
    lead = lead[0].upper() + lead[1:]
    tails = [_pick(wording, phrases.TAILS[t]).format(event=place) for t in themes if t != primary]
    # The group's hashtags close the post, but for the event its sentence already names:
    # each group word is said once (synth/vocabulary.py counts on it).
    hashtags = [_spelled(t) for t in tags if t != event]
    mention = content.mention
    credit = [_pick(wording, phrases.MENTIONS).format(m=mention)] if mention else []
    parts = [*asides, lead, *credit, *tails, *hashtags, _pick(wording, phrases.CAMPAIGN_TAGS)]
    if content.link:
        parts.append("{link}")
    return " ".join(parts)


def post_text(
    rng: np.random.Generator,
    wording: np.random.Generator,
    group: int,
    events_now: list[spec.Event],
    mention: str | None,
    link: bool,
) -> TextChoice:
    """A generated original for an author of ``group`` in a week with ``events_now``.

    What a post is about (its themes, event and group words) is drawn from ``rng``;
    how it says it, from ``wording``, so that rewording the grammar never moves
    anything else in the corpus.
    """
    vocab = spec.group_vocabulary(group).tweet
    relevant = [ev for ev in events_now if group in ev.groups]
    themes = draw_themes(rng, bool(relevant))
    event = relevant[int(rng.integers(len(relevant)))] if relevant and "B" in themes else None
    words = topic_words(rng, vocab, {event.tag} if event else set())
    tag = event.tag if event else None
    body = compose(wording, Content(themes, words, tag, mention, link))
    return TextChoice(body, themes, tag)
