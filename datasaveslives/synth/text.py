"""What posts and bios say: theme templates filled with each group's vocabulary.

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
from datasaveslives.synth import spec

THEMES = ("A", "B", "C", "D")
# Probability that an original carries each theme (at least one always does).
THEME_P = {"A": 0.58, "B": 0.32, "C": 0.30, "D": 0.22}

TEMPLATES = {
    "A": (
        "New report out now on {topic}",
        "Read our latest blog on {topic}",
        "Our new paper: {topic} in practice",
        "Project update: {topic}",
        "Video: {topic} explained in three minutes",
        "How {topic} is changing services",
        "Published today: findings on {topic}",
        "Worth a read on {topic}",
    ),
    "B": (
        "Live from {event}: {topic}",
        "Packed room for {topic} at {event}",
        "Slides from this morning's talk on {topic} {event}",
        "Lots of questions about {topic} {event}",
        "Next speaker on {topic} {event}",
    ),
    "C": (
        "We believe {topic} matters for patients",
        "Proud to back {topic}",
        "Badges and placards out for {topic}",
        "Sharing {topic} makes a difference",
        "Why we support {topic}",
    ),
    "D": (
        "Register now for our {topic} meeting",
        "Apply now: fellowship in {topic}",
        "Have your say on {topic}",
        "Visit our stall to talk {topic}",
        "Take part in our {topic} survey",
        "Help us spread the word on {topic}",
    ),
}
GENERIC_EVENTS = ("our seminar", "today's workshop", "the conference", "our annual meeting")
BIO_ROLES = (
    "Researcher in {w}",
    "Working on {w}",
    "Interested in {w}",
    "Lecturer in {w}",
    "PhD student: {w}",
    "Director, {w}",
    "Nurse and {w} enthusiast",
    "Doctor. {w}",
    "Analyst: {w}",
    "Patient and carer: {w}",
)
BIO_TAILS = ("", " Views my own.", " Views are my own.", " Tweets my own.", "")

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


def topic(rng: np.random.Generator, vocab: dict[str, int], allowed_tags: set[str]) -> str:
    """Two or three group words; event hashtags only when their event is near."""
    stop = stopwords()
    words = {
        w: c
        for w, c in vocab.items()
        if w not in stop and (w in allowed_tags or w not in EVENT_TAGS)
    }
    picked = _weighted(rng, words, int(rng.integers(2, 4)))
    return " ".join(picked)


EVENT_TAGS = {ev.tag for ev in spec.EVENTS}


def post_text(
    rng: np.random.Generator,
    group: int,
    events_now: list[spec.Event],
    mention: str | None,
    link: bool,
) -> TextChoice:
    """A generated original text for an author of ``group`` in a week with ``events_now``."""
    vocab = spec.group_vocabulary(group).tweet
    relevant = [ev for ev in events_now if group in ev.groups]
    themes = draw_themes(rng, bool(relevant))
    primary = themes[int(rng.integers(len(themes)))]
    event = relevant[int(rng.integers(len(relevant)))] if relevant and "B" in themes else None
    allowed = {event.tag} if event else set()
    body = TEMPLATES[primary][int(rng.integers(len(TEMPLATES[primary])))]
    text = body.format(
        topic=topic(rng, vocab, allowed),
        event=event.tag if event else GENERIC_EVENTS[int(rng.integers(len(GENERIC_EVENTS)))],
    )
    # The campaign hashtag, in one of the spellings people used.
    tag = ("#datasaveslives", "#DataSavesLives", "#datasaveslives", "#Datasaveslives")[
        int(rng.integers(4))
    ]
    parts = [text]
    if mention:
        parts.append(f"with @{mention}")
    parts.append(tag)
    if link:
        parts.append("{link}")
    return TextChoice(" ".join(parts), themes, event.tag if event else None)


def bio_text(rng: np.random.Generator, group: int, role: str, with_hashtag: bool) -> str:
    """A bio in the group's bio vocabulary."""
    vocab = spec.group_vocabulary(group if 1 <= group <= 10 else 0).bio
    words = _weighted(rng, vocab, int(rng.integers(2, 4)))
    if role == "patient advocate":
        lead = f"Patient advocate and campaigner: {', '.join(words)}"
    else:
        pattern = BIO_ROLES[int(rng.integers(len(BIO_ROLES)))]
        lead = pattern.format(w=" and ".join(words))
    bio = lead + "." + BIO_TAILS[int(rng.integers(len(BIO_TAILS)))]
    if with_hashtag:
        bio += " #datasaveslives"
    return bio
