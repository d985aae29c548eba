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

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from datasaveslives import paths, yamlfile

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


def neutral_title(hashtag: str | None, platform: str, first: date | None, last: date | None) -> str:
    """The title of a book that declares no study: its hashtag, platform and window."""
    what = hashtag or "Posts"
    where = f" on {platform}" if platform and platform != "no platform" else ""
    if first and last:
        when = f", {first:%d %B %Y}" if first == last else f", {first:%d %B %Y} to {last:%d %B %Y}"
    else:
        when = ""
    return f"{what}{where}{when}: a mixed-methods analysis"


NEUTRAL_DESCRIPTION = (
    "This book analyses {what}{where}{when} with the mixed methods of Hassan, Nenadic "
    "and Tully (*J Med Internet Res* 2021): how often the posts were made, who made them, "
    "how they were shared between users, and what they were about. The run declares no "
    "study of its own, so the book names no official supporters and compares with no "
    "published figures, and its themes chapter prepares the coding sample for coders."
)


def neutral_description(
    hashtag: str | None, platform: str, first: date | None, last: date | None
) -> str:
    """The opening paragraph of a book that declares no study."""
    what = f"the posts carrying {hashtag}" if hashtag else "every post of its archive"
    where = f" on {platform}" if platform and platform != "no platform" else ""
    if first and last:
        when = (
            f" on {first:%d %B %Y}"
            if first == last
            else f" from {first:%d %B %Y} to {last:%d %B %Y}"
        )
    else:
        when = ""
    return NEUTRAL_DESCRIPTION.format(what=what, where=where, when=when)
