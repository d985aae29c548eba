"""The coding frame of the thematic analysis, read from ``data/codebook.yml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from datasaveslives.core import paths, yamlfile


class CodebookError(ValueError):
    """The codebook file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Quotation:
    """A post a study published as an example of a code: its text, the account that
    posted it and the network group the study gave it (either may be unknown)."""

    text: str
    account: str | None = None
    group: int | None = None


@dataclass(frozen=True)
class Code:
    """One code: ``id`` is its workbook column, ``name`` its label; ``description`` and
    ``quotations`` are how a study described it in words, with the posts it quoted."""

    id: str
    name: str
    definition: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    description: str = ""
    quotations: tuple[Quotation, ...] = ()


@dataclass(frozen=True)
class WorkedPost:
    """A post coded as a worked example: its text, account, the codes it was given and,
    for every code of the codebook, the reason it applies or does not."""

    text: str
    account: str | None
    codes: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Codebook:
    """The codes (themes), the descriptive codes with their keyword rules, and the
    worked example of coding with reasons."""

    codes: tuple[Code, ...]
    descriptive: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    worked: tuple[WorkedPost, ...] = field(default=())

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.codes]

    def by_id(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def label(self, code_id: str) -> str:
        """``"A: To index and share information"``: how exports name a code."""
        return f"{code_id}: {self.by_id(code_id).name}"


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CodebookError(f"{where} must be a list of strings")
    return tuple(value)


def _quotations(value: object, where: str) -> tuple[Quotation, ...]:
    """A code's published quotations: a list of mappings with a `text`, and optionally
    the `account` that posted it and its network `group`."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise CodebookError(f"{where}: `quotations` must be a list")
    out = []
    for k, entry in enumerate(value, 1):
        if not isinstance(entry, dict) or not str(entry.get("text") or "").strip():
            raise CodebookError(f"{where}: quotation {k} needs a `text`")
        group = entry.get("group")
        if group is not None and (not isinstance(group, int) or isinstance(group, bool)):
            raise CodebookError(f"{where}: quotation {k}: `group` must be a whole number")
        account = str(entry["account"]).lstrip("@") if entry.get("account") else None
        out.append(Quotation(" ".join(str(entry["text"]).split()), account, group))
    return tuple(out)


def _worked(value: object, ids: list[str], where: str) -> tuple[WorkedPost, ...]:
    """The worked example: posts with a `text`, an optional `account`, their `codes`
    (ids of the codebook) and a `reasons` mapping with one reason for every code."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise CodebookError(f"{where}: `worked_example` must be a list")
    out = []
    for k, entry in enumerate(value, 1):
        at = f"{where}: worked example {k}"
        if not isinstance(entry, dict) or not str(entry.get("text") or "").strip():
            raise CodebookError(f"{at} needs a `text`")
        codes = tuple(str(c) for c in _strings(entry.get("codes") or [], f"{at}: codes"))
        unknown = [c for c in codes if c not in ids]
        if unknown:
            raise CodebookError(f"{at}: codes not in the codebook: {', '.join(unknown)}")
        reasons = entry.get("reasons")
        if not isinstance(reasons, dict) or set(map(str, reasons)) != set(ids):
            raise CodebookError(
                f"{at}: `reasons` needs one reason for each code ({', '.join(ids)})"
            )
        account = str(entry["account"]).lstrip("@") if entry.get("account") else None
        out.append(
            WorkedPost(
                " ".join(str(entry["text"]).split()),
                account,
                codes,
                tuple((c, " ".join(str(reasons[c]).split())) for c in ids),
            )
        )
    return tuple(out)


# No codebook yet: coders code openly, writing their codes in the workbook's
# `new_code` column, from which a codebook can be written.
OPEN = Codebook(())


def load(path: str | Path | None = paths.CODEBOOK) -> Codebook:
    """Read and check a codebook: unique non-empty ids that are valid column names,
    a name and a definition for each code. None: no codebook (:data:`OPEN`)."""
    if path is None:
        return OPEN
    path = Path(path)
    spec = yamlfile.load(path, "codebook", CodebookError) or {}
    entries = spec.get("codes") if isinstance(spec, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CodebookError(f"codebook {path} needs a non-empty list `codes`")
    codes, seen = [], set()
    for i, entry in enumerate(entries, 1):
        where = f"codebook {path}, code {i}"
        if not isinstance(entry, dict):
            raise CodebookError(f"{where} must be a mapping")
        code_id = str(entry.get("id", "")).strip()
        if not code_id or not code_id.replace("_", "").isalnum():
            raise CodebookError(f"{where}: `id` must be letters, digits or _, not {code_id!r}")
        if code_id.casefold() in seen:
            raise CodebookError(f"{where}: id {code_id!r} is used twice")
        seen.add(code_id.casefold())
        for key in ("name", "definition"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise CodebookError(f"{where} ({code_id}): `{key}` is required")
        codes.append(
            Code(
                id=code_id,
                name=entry["name"].strip(),
                definition=" ".join(entry["definition"].split()),
                include=_strings(entry.get("include"), f"{where}: include"),
                exclude=_strings(entry.get("exclude"), f"{where}: exclude"),
                keywords=tuple(k.casefold() for k in _strings(entry.get("keywords"), where)),
                examples=_strings(entry.get("examples"), f"{where}: examples"),
                description=" ".join(str(entry.get("description") or "").split()),
                quotations=_quotations(entry.get("quotations"), f"{where} ({code_id})"),
            )
        )
    descriptive = []
    for j, entry in enumerate(spec.get("descriptive") or [], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            raise CodebookError(f"codebook {path}, descriptive code {j} needs a `code` name")
        words = _strings(entry.get("keywords"), f"codebook {path}, descriptive code {j}")
        descriptive.append((entry["code"], tuple(w.casefold() for w in words)))
    ids = [c.id for c in codes]
    worked = _worked(spec.get("worked_example"), ids, f"codebook {path}")
    return Codebook(tuple(codes), tuple(descriptive), worked)
