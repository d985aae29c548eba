"""The study a run belongs to: declared in a file, never hard-coded.

Everything specific to one study (its title and introduction, research questions,
official supporters, the accounts it may name, its codebook, the events of its
weekly figure, and a paper's published figures to compare with) lives in one study
file, which ``params.yml`` names (``study``). The #datasaveslives study is
``data/studies/datasaveslives.yml``. A run on other data names its own study, or none:
then the book is neutral, titled from its hashtag, platform and window, with no
supporters, no comparisons and a themes chapter that prepares coding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from datasaveslives.core import paths, yamlfile

# What a study file may declare; paths are relative to the project root.
PATH_KEYS = ("supporters", "allowlist", "codebook", "events", "paper")
TEXT_KEYS = ("name", "title", "description")
# The study's own selection of posts (a run's parameters may narrow or replace them).
SELECTION_KEYS = ("hashtag", "start", "end")


class StudyError(ValueError):
    """A study file that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Study:
    """One declared study (``name`` is empty for a run that declares none)."""

    name: str = ""
    title: str = ""
    description: str = ""
    questions: tuple[str, ...] = ()
    supporters: str | None = None
    allowlist: str | None = None
    codebook: str | None = None
    events: str | None = None
    paper: str | None = None  # published figures to compare with ("paper vs this run")
    hashtag: str | None = None
    start: str | None = None
    end: str | None = None

    @property
    def declared(self) -> bool:
        return bool(self.name)

    def defaults(self) -> dict[str, str | None]:
        """The parameters this study supplies to a run that does not set them."""
        return {key: getattr(self, key) for key in (*PATH_KEYS, *SELECTION_KEYS)}


NONE = Study()


def load(path: str | Path) -> Study:
    """Read a study file (see ``data/studies/datasaveslives.yml``)."""
    path = Path(path)
    spec = yamlfile.load(path, "study file", StudyError)
    if not isinstance(spec, dict):
        raise StudyError(f"study file {path} must be a mapping of names to values")
    unknown = sorted(
        set(spec) - set(PATH_KEYS) - set(TEXT_KEYS) - set(SELECTION_KEYS) - {"questions"}
    )
    if unknown:
        raise StudyError(f"study file {path}: unknown key(s) {unknown}")
    if not isinstance(spec.get("name"), str) or not spec["name"].strip():
        raise StudyError(f"study file {path}: 'name' must name the study")
    questions = spec.get("questions") or []
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        raise StudyError(f"study file {path}: 'questions' must be a list of sentences")
    values: dict[str, Any] = {
        k: str(spec[k]).strip() for k in (*TEXT_KEYS, *SELECTION_KEYS) if spec.get(k)
    }
    for key in PATH_KEYS:
        if spec.get(key):
            found = paths.ROOT / spec[key] if not Path(spec[key]).is_absolute() else spec[key]
            if not Path(found).is_file():
                raise StudyError(f"study file {path}: {key} {found} does not exist")
            values[key] = str(spec[key])
    return Study(**values, questions=tuple(questions))


# The chapters' titles: the paper's questions, about "the hashtag" when the run selects
# posts by one; about the posts when it keeps every post (no hashtag filter). "{post}" is
# the paper's "tweet" on a Twitter run and "post" on any other (see chapter_titles).
CHAPTER_TITLES: dict[str, tuple[str, str]] = {
    "frequency": ("How often was the hashtag used?", "How often were posts made and shared?"),
    "users": ("Who used the hashtag?", "Who posted?"),
    "network": ("How were posts shared between users?", "How were posts shared between users?"),
    "themes": ("What did people use the hashtag to {post} about?", "What were the posts about?"),
}


def chapter_titles(hashtag: str | None, platforms: Sequence[str] = ("twitter",)) -> dict[str, str]:
    """Each chapter's title (its MyST substitution ``title_<chapter>``) for a run that
    selects posts by ``hashtag``, or keeps every post (None or ""), on ``platforms``
    (the paper's verb "tweet" only when every post is from Twitter)."""
    verb = "tweet" if list(platforms) == ["twitter"] else "post"
    return {
        name: (pair[0] if hashtag else pair[1]).format(post=verb)
        for name, pair in CHAPTER_TITLES.items()
    }


def _where(platform: str) -> str:
    return f" on {platform}" if platform and platform != "no platform" else ""


def _when(first: date | None, last: date | None, one_day: str, span: str) -> str:
    """The window in words: ``one_day`` or ``span`` filled with its dates; "" if open."""
    if not (first and last):
        return ""
    if first == last:
        return one_day.format(first=f"{first:%d %B %Y}")
    return span.format(first=f"{first:%d %B %Y}", last=f"{last:%d %B %Y}")


def neutral_title(hashtag: str | None, platform: str, first: date | None, last: date | None) -> str:
    """The title of a book that declares no study: its hashtag, platform and window."""
    when = _when(first, last, ", {first}", ", {first} to {last}")
    return f"{hashtag or 'Posts'}{_where(platform)}{when}: a mixed-methods analysis"


NEUTRAL_DESCRIPTION = (
    "This book analyses {what}{where}{when} with the mixed methods of Hassan, Nenadic "
    "and Tully (*J Med Internet Res* 2021): how often the posts were made, who made them, "
    "how they were shared between users, and what they were about. The run declares no "
    "study of its own, so the book compares with no published figures{supporters}; {themes}."
)


def neutral_description(
    hashtag: str | None,
    platform: str,
    first: date | None,
    last: date | None,
    *,
    supporters: bool = False,
    coded: bool = False,
) -> str:
    """The opening paragraph of a book that declares no study; ``supporters``: the run
    names official supporters of its own, ``coded``: it was given coding files."""
    return NEUTRAL_DESCRIPTION.format(
        what=f"the posts carrying {hashtag}" if hashtag else "every post of its archive",
        where=_where(platform),
        when=_when(first, last, " on {first}", " from {first} to {last}"),
        supporters="" if supporters else " and names no official supporters",
        themes=(
            "its themes are read from the coding files the run was given"
            if coded
            else "its themes chapter prepares the coding sample for coders"
        ),
    )
