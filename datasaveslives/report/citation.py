"""How to cite the book, from ``CITATION.cff`` (the one place its citation is written):
the compendium itself, and its preferred citation, the study whose analysis it re-runs.

References are formatted here (author, year, title, version or journal, address) as
the book's "How to cite" section shows them; the sentence around them is the page's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from datasaveslives.core import paths

CFF = paths.ROOT / "CITATION.cff"


def load(path: Path = CFF) -> dict[str, Any]:
    """The parsed ``CITATION.cff``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "title" not in data:
        raise ValueError(f"{path} is not a citation file (no title)")
    return data


def _author(person: dict[str, Any]) -> str:
    """``Hassan L`` for a person, the name itself for an entity."""
    if "family-names" in person:
        given = str(person.get("given-names", ""))
        initials = "".join(part[0] for part in given.replace("-", " ").split() if part)
        return f"{person['family-names']} {initials}".strip()
    return str(person["name"])


def authors(people: list[dict[str, Any]]) -> str:
    """The authors, comma-separated (``Hassan L, Nenadic G, Tully MP``)."""
    return ", ".join(_author(p) for p in people)


def _title(text: str) -> str:
    return " ".join(str(text).split())


def compendium(cff: dict[str, Any], repository: str | None = None) -> str:
    """The compendium as software: authors (year). *Title* (version N). Address."""
    year = str(cff.get("date-released", ""))[:4]
    when = f" ({year})" if year else ""
    version = f" (version {cff['version']})" if cff.get("version") else ""
    where = f" <{repository}>" if repository else ""
    return f"{authors(cff['authors'])}{when}. *{_title(cff['title'])}*{version}.{where}"


def preferred(cff: dict[str, Any]) -> str | None:
    """The preferred citation (an article): authors (year). Title. *Journal*
    volume(issue):start. doi; None when the file declares none."""
    ref = cff.get("preferred-citation")
    if not ref:
        return None
    where = f"*{ref['journal']}*" if ref.get("journal") else ""
    if ref.get("volume"):
        where += f" {ref['volume']}" + (f"({ref['issue']})" if ref.get("issue") else "")
    if ref.get("start"):
        where += f":{ref['start']}"
    doi = f" <https://doi.org/{ref['doi']}>" if ref.get("doi") else ""
    year = f" ({ref['year']})" if ref.get("year") else ""
    parts = f"{authors(ref['authors'])}{year}. {_title(ref['title'])}."
    return parts + (f" {where.strip()}." if where.strip() else "") + doi
