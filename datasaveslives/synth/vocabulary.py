"""How often the synthetic corpus says each group's words: Table 3's counts, met by
allocation rather than by chance.

Table 3 gives, for each of the paper's ten largest groups, its five most frequent
words in members' bios and in their original posts, with counts. The generator
takes each count as it is (Louvain's group around the planted one is about the
paper's size: the seed search holds it within a tenth), subtracts what the fixed
texts already say (the named accounts' bios, the posts the paper published), and
gives the word to exactly that many of the bios or posts of the group's members in
the network, drawn at random. Members outside the network (whom no group counts) get
the same words at the same rate. Everything else a bio says comes from filler words
that are in no group's list, each too rare to enter a group's top five.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from datasaveslives.core import tokens
from datasaveslives.synth import spec

# Bios: a role, the member's group words, interests; in no group's word list.
ROLES = (
    "Epidemiologist",
    "Statistician",
    "Software developer",
    "Civil servant",
    "Librarian",
    "Physiotherapist",
    "Pharmacist",
    "Midwife",
    "GP",
    "Nurse",
    "Economist",
    "Lecturer",
    "PhD student",
    "Analyst",
    "Journalist",
    "Charity worker",
    "Undergraduate",
    "Retired teacher",
    "Consultant",
    "Project manager",
    "Informatician",
    "Paramedic",
    "Psychologist",
    "Geographer",
    "Designer",
    "Volunteer",
    "Trustee",
    "Communications officer",
    "Carer",
)
INTERESTS = (
    "Runner",
    "Cyclist",
    "Coffee",
    "Books",
    "Open source",
    "Music",
    "Football",
    "Gardening",
    "Photography",
    "Hillwalker",
    "Rugby",
    "Baking",
    "Travel",
    "History",
    "Cricket",
    "Parent",
    "Podcasts",
    "Maps",
    "Birdwatcher",
    "Swimmer",
    "Climber",
    "Knitting",
    "Chess",
    "Films",
    "Dog owner",
    "Cats",
    "Sailing",
    "Allotment",
    "Choir",
    "Tea",
    "Yoga",
    "Theatre",
    "Astronomy",
    "Poetry",
    "Comics",
    "Museums",
    "Jazz",
    "Cooking",
    "Tennis",
    "Hiking",
)
TAILS = ("", " Views my own.", " Views are my own.", " Tweets my own.", "")
ADVOCATE_ROLE = "Patient advocate and campaigner"
# Group words that are names, as a bio writes them (the tokenizer case-folds them).
PROPER = {"nhs": "NHS", "manchester": "Manchester", "scotland": "Scotland"}


@dataclass(frozen=True)
class Table3Words:
    """One paper group's word counts and size, as the generator scales them."""

    users: int  # the paper's users in the group
    bio: dict[str, int]
    post: dict[str, int]


def table3() -> dict[int, Table3Words]:
    """Table 3's word counts by group number (stop words left out: never counted)."""
    out = {}
    for row in spec.targets()["network"]["table3"]:
        out[int(row["group"])] = Table3Words(
            users=int(row["users"]),
            bio={str(w): int(c) for w, c in row["bio_words"].items() if tokens.counted(str(w))},
            post={str(w): int(c) for w, c in row["tweet_words"].items() if tokens.counted(str(w))},
        )
    return out


def choose(
    rng: np.random.Generator, candidates: Sequence[int], k: int, first: Sequence[int] = ()
) -> list[int]:
    """``k`` of ``candidates`` at random, those in ``first`` (in random order) before the
    rest; all of them when there are fewer than ``k``."""
    pool = set(candidates)
    preferred = [c for c in dict.fromkeys(first) if c in pool]
    taken = set(preferred)
    rest = [c for c in candidates if c not in taken]
    order = [preferred[i] for i in rng.permutation(len(preferred))] + [
        rest[i] for i in rng.permutation(len(rest))
    ]
    return sorted(order[: max(0, k)])


def allocate(
    rng: np.random.Generator,
    words: dict[str, int],
    counted: Sequence[int],
    uncounted: Sequence[int],
    fixed: Counter[str],
    first: dict[str, Sequence[int]] | None = None,
    allowed: dict[str, Sequence[int]] | None = None,
) -> dict[int, list[str]]:
    """Which items (bios or posts, by index) say which word: each word of ``words``
    on that many of the ``counted`` items, less
    what the ``fixed`` texts of the group say; on the ``uncounted`` items at the same
    rate. ``allowed`` limits a word to some items (an event's hashtag to posts near the
    event); ``first`` names items to give it to first."""
    out: dict[int, list[str]] = {i: [] for i in [*counted, *uncounted]}
    for word, count in words.items():
        ok = set(allowed[word]) if allowed and word in allowed else None
        pool = [i for i in counted if ok is None or i in ok]
        other = [i for i in uncounted if ok is None or i in ok]
        need = max(0, count - fixed.get(word, 0))
        rate = need / len(counted) if counted else 0.0
        preferred = list(first.get(word, ())) if first else []
        for i in choose(rng, pool, need, preferred):
            out[i].append(word)
        for i in choose(rng, other, round(rate * len(uncounted)), preferred):
            out[i].append(word)
    return out


def bio(rng: np.random.Generator, words: list[str], advocate: bool, with_hashtag: bool) -> str:
    """A bio: a role, the words it was given (each once), perhaps an interest or two."""
    role = ADVOCATE_ROLE if advocate else ROLES[int(rng.integers(len(ROLES)))]
    parts = [role + "."]
    if words:
        said = [PROPER.get(w, w) for w in words]
        listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
        parts.append(listed[0].upper() + listed[1:] + ".")
    likes = int(rng.integers(0, 3))
    if likes:
        picked = rng.choice(len(INTERESTS), size=likes, replace=False)
        parts.append(", ".join(INTERESTS[int(i)] for i in sorted(picked)) + ".")
    text = " ".join(parts) + TAILS[int(rng.integers(len(TAILS)))]
    return text + " #datasaveslives" if with_hashtag else text


def said(texts: Sequence[str | None]) -> Counter[str]:
    """How often the fixed ``texts`` say each word (the tokenizer's counting)."""
    return tokens.word_counts(texts, ["#datasaveslives"])
