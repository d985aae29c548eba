"""Build parameters: ``params.yml`` is the one source of values for a run.

Command-line options override single values; :meth:`Params.validate` checks
everything before any notebook runs, so a bad value stops the build with a
message rather than a traceback halfway through.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from datasaveslives.core import choices, paths, yamlfile
from datasaveslives.core import study as study_module
from datasaveslives.core.window import Window, WindowError, normalise_hashtag

# Written for a file parameter, "none" says "none at all": no study, no supporters...
# (null, or leaving it out, takes the study's value).
NONE = "none"
# Parameters that belong to the data: another archive does not inherit them.
CORPUS_KEYS = ("synthetic", "data_label", "deletions", "quotable", "account_types")
# Parameters that belong to the study and its selection of posts: a file whose data are
# the synthetic corpus (params.yml) holds the #datasaveslives study's, and other data
# given on the command line do not inherit them (no study, every post of every day,
# unless the command line says otherwise); a researcher's own file keeps them.
STUDY_KEYS = ("study", "supporters", "allowlist", "codebook", "events", "hashtag", "start", "end")
# Parameters that only the synthetic corpus uses (its simulated coders).
SYNTHETIC_ONLY = ("synthetic", "quotable", "simulated_read", "double_coded")


# The seed of every random step of the analysis (Louvain, the layout, path sampling)
# unless params.yml sets another: the one default, which the calibration and the
# benchmarks use too.
DEFAULT_SEED = 20210216


class ParamsError(ValueError):
    """A parameter that cannot be used; the message says which and why."""


_PATH = {"type": ["string", "null"], "description": "a file path, none or null"}
_POSITIVE = {"type": "integer", "minimum": 1, "description": "a whole number, at least 1"}
_COUNT = {"type": "integer", "minimum": 0, "description": "a whole number, 0 or more"}
_PATHS = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    "description": "a path or a list of paths",
}
# What each parameter may hold: checked (jsonschema) before any value is used, so that
# a wrong value is one line naming the key, the value and what was expected.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "data": {**_PATHS, "minItems": 1},
        "data_label": {"type": "string", "description": "a short text"},
        "synthetic": {"type": "boolean", "description": "true or false"},
        "hashtag": {"type": ["string", "null"], "description": "one hashtag such as "
                    "'#datasaveslives', none (every post) or null (the study's)"},
        "start": {"type": ["string", "null"], "description": "a date YYYY-MM-DD or null"},
        "end": {"type": ["string", "null"], "description": "a date YYYY-MM-DD or null"},
        "timezone": {"type": "string", "description": "a time zone name such as UTC or "
                     "Europe/London"},
        **{k: _PATH for k in ("study", "supporters", "csv_mapping", "allowlist", "deletions",
                              "quotable", "events", "codebook", "account_types")},
        "activity_groups": {
            "type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1,
            "description": "increasing whole-number lower bounds starting at 1, such as "
                           "[1, 2, 10, 100]",
        },
        "resolution": {"type": "number", "exclusiveMinimum": 0,
                       "description": "a positive number (1 as in Gephi)"},
        **{k: _POSITIVE for k in ("stability_seeds", "layout_iterations", "path_sources",
                                  "coding_sample", "coding_batch", "saturation_batches",
                                  "simulated_read")},
        "path_exact_limit": {"type": "integer", "minimum": 2,
                             "description": "a whole number, at least 2"},
        "frame_size": _COUNT,
        "double_coded": _COUNT,
        "seed": {"type": "integer", "description": "a whole number"},
        "coding_files": _PATHS,
        "stratify": {"enum": ["month", "type", "group", None],
                     "description": "month, type, group or null"},
        "multiverse": {"type": ["object", "null"], "description": "a mapping with "
                       "'choices' (each a question and its options), 'sample' and 'workers'"},
        "source": {"type": "string"},
    },
}  # fmt: skip


def check_schema(spec: dict[str, Any], where: str) -> None:
    """Raise :class:`ParamsError` (one line: key, value, what was expected) for the
    first value of ``spec`` that :data:`SCHEMA` does not allow."""
    import jsonschema  # a well-kept validator; its messages are turned into one line

    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(SCHEMA).iter_errors(spec)
    )
    if error is None:
        return
    key = str(error.absolute_path[0]) if error.absolute_path else ""
    value = spec.get(key)
    expected = SCHEMA["properties"].get(key, {}).get("description", error.message)
    shown = repr(value) if not isinstance(value, tuple) else repr(list(value))
    raise ParamsError(f"{where}: {key} is {shown[:60]}, expected {expected}")


@dataclass(frozen=True)
class Params:
    """Every value a build depends on."""

    data: tuple[str, ...]
    data_label: str = ""
    synthetic: bool = False
    hashtag: str | None = None
    start: str | None = None
    end: str | None = None
    timezone: str = "UTC"
    study: str | None = None
    supporters: str | None = None
    csv_mapping: str | None = None
    allowlist: str | None = None
    deletions: str | None = None
    account_types: str | None = None
    quotable: str | None = None
    events: str | None = None
    activity_groups: tuple[int, ...] = (1, 2, 10, 100)
    resolution: float = 1.0
    stability_seeds: int = 20
    layout_iterations: int = 100
    path_exact_limit: int = 10_000
    path_sources: int = 500
    codebook: str | None = None
    coding_files: tuple[str, ...] = ()
    frame_size: int = 200
    coding_sample: int = 5000
    stratify: str | None = None
    coding_batch: int = 50
    saturation_batches: int = 3
    simulated_read: int = 1000
    double_coded: int = 200
    seed: int = DEFAULT_SEED
    # The choices the multiverse appendix varies (core/choices.py); None: none.
    multiverse: Any = field(default=None, hash=False)
    source: str = field(default="", compare=False)

    @classmethod
    def load(cls, path: str | Path = paths.PARAMS, **overrides: Any) -> Params:
        """Read ``path`` and apply non-None ``overrides``."""
        path = Path(path)
        spec = yamlfile.load(path, "parameters file", ParamsError) or {}
        if not isinstance(spec, dict):
            raise ParamsError(f"parameters file {path} must be a mapping of names to values")
        unknown = sorted(set(spec) - {f for f in cls.__dataclass_fields__ if f != "source"})
        if unknown:
            raise ParamsError(f"parameters file {path}: unknown parameter(s) {unknown}")
        file_data = _listed(spec.get("data"))
        spec.update({k: v for k, v in overrides.items() if v is not None})
        if overrides.get("data") is not None:
            # Other data than the file's: its corpus-specific settings do not carry over
            # (a real archive must never be labelled synthetic or use its deletions), nor,
            # from the synthetic corpus's file, its study and selection.
            on_corpus = is_synthetic_corpus([cls._resolve(d) for d in file_data])
            for key in (*CORPUS_KEYS, *(STUDY_KEYS if on_corpus else ())):
                if overrides.get(key) is None:
                    spec.pop(key, None)
            if overrides.get("synthetic") is None:
                spec["synthetic"] = is_synthetic_corpus(
                    [cls._resolve(d) for d in overrides["data"]]
                )
        data = spec.get("data")
        if isinstance(data, str | Path):
            data = [data]
        if not data or not isinstance(data, list | tuple):
            raise ParamsError(f"parameters file {path}: 'data' must name a file or folder")
        for key in ("start", "end"):
            if isinstance(spec.get(key), datetime.date):  # YAML reads 2016-09-01 as a date
                spec[key] = spec[key].isoformat()
        check_schema({k: v for k, v in spec.items() if v is not None}, f"parameters file {path}")
        spec["data"] = tuple(str(d) for d in data)
        if spec.get("activity_groups") is not None:
            spec["activity_groups"] = tuple(spec["activity_groups"])
        files = spec.get("coding_files")
        if isinstance(files, str | Path):
            files = [files]
        if files is not None:
            if not isinstance(files, list | tuple):
                raise ParamsError(f"parameters file {path}: 'coding_files' must be a list of files")
            spec["coding_files"] = tuple(str(f) for f in files)
        declared = study_of(spec.get("study"))
        for key, value in declared.defaults().items():
            if key in cls.__dataclass_fields__ and spec.get(key) is None:
                spec[key] = value
        for key in STUDY_KEYS:
            if isinstance(spec.get(key), str) and spec[key].strip().casefold() == NONE:
                spec[key] = None
        try:
            return cls(**spec, source=str(path))
        except TypeError as err:
            raise ParamsError(f"parameters file {path}: {err}") from None

    def with_overrides(self, **overrides: Any) -> Params:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @staticmethod
    def _resolve(value: str | Path) -> Path:
        return project_path(value)

    def resolve(self, value: str) -> Path:
        """A path parameter, relative to the project root unless absolute."""
        return self._resolve(value)

    @property
    def data_paths(self) -> list[Path]:
        return [self.resolve(d) for d in self.data]

    @property
    def window(self) -> Window:
        return Window.from_strings(self.start, self.end, self.timezone)

    def study_file(self) -> study_module.Study:
        """The run's declared study (``study.NONE`` when it declares none)."""
        return study_of(self.study)

    def official_supporters(self) -> list[str]:
        """Screen names of the official supporters (empty when none are declared)."""
        if not self.supporters:
            return []
        return load_supporters(self.resolve(self.supporters))

    def validate(self) -> None:
        """Raise :class:`ParamsError` for any value that cannot be used."""
        spec = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        check_schema(spec, f"parameters ({self.source or 'given in code'})")
        for p in self.data_paths:
            if not p.exists():
                raise ParamsError(f"data: {p} does not exist")
        if self.synthetic != is_synthetic_corpus(self.data_paths):
            raise ParamsError(
                "synthetic: true, but the data are not the synthetic corpus (no corpus.json "
                "marking them synthetic beside them): set synthetic: false"
                if self.synthetic
                else "synthetic: false, but the data are the synthetic corpus: set synthetic: true"
            )
        try:
            self.window  # noqa: B018 - constructing validates
            normalise_hashtag(self.hashtag)
        except WindowError as err:
            raise ParamsError(str(err)) from None
        self.official_supporters()
        for name in ("csv_mapping", "allowlist", "deletions", "quotable", "events", "codebook"):
            value = getattr(self, name)
            if value and not self.resolve(value).is_file():
                raise ParamsError(f"{name}: {self.resolve(value)} does not exist")
        for value in self.coding_files:
            if not self.resolve(value).is_file():
                raise ParamsError(f"coding_files: {self.resolve(value)} does not exist")
            if self.resolve(value).suffix.lower() not in (".xlsx", ".csv", ".qdpx"):
                raise ParamsError(f"coding_files: {value} is not a .xlsx, .csv or .qdpx file")
        if self.allowlist:
            load_accounts(self.resolve(self.allowlist), "allowlist")
        if self.account_types:
            if not self.resolve(self.account_types).is_file():
                raise ParamsError(
                    f"account_types: {self.resolve(self.account_types)} does not exist"
                )
            load_account_types(self.resolve(self.account_types))
        try:
            choices.declared(self.multiverse)
        except choices.MultiverseError as err:
            raise ParamsError(str(err)) from None
        bins = self.activity_groups
        if not bins or bins[0] != 1 or list(bins) != sorted(set(bins)):
            raise ParamsError(
                f"activity_groups must be increasing lower bounds starting at 1, not {list(bins)}"
            )

    def notebook_parameters(self) -> dict[str, Any]:
        """Literal values handed to every section notebook by papermill."""
        out = asdict(self)
        out.pop("source")
        out["data"] = list(self.data)
        out["supporters"] = self.official_supporters()
        declared = self.study_file()
        out["paper"] = str(self.resolve(declared.paper)) if declared.paper else None
        out["activity_groups"] = list(self.activity_groups)
        for name in ("allowlist", "deletions", "quotable", "events", "codebook", "account_types"):
            value = getattr(self, name)
            out[name] = str(self.resolve(value)) if value else None
        out["coding_files"] = [str(self.resolve(f)) for f in self.coding_files]
        return out


def project_path(value: str | Path) -> Path:
    """A path parameter's file: relative to the project root unless absolute (a chapter,
    which runs in book/, resolves the paths it is handed with this)."""
    p = Path(value).expanduser()
    return p if p.is_absolute() else paths.ROOT / p


def _listed(value: Any) -> list[str]:
    """A ``data`` value as a list (one path or several)."""
    if isinstance(value, str | Path):
        return [str(value)]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def study_of(value: str | None) -> study_module.Study:
    """The study a ``study`` parameter names (``study.NONE`` for none); a
    :class:`ParamsError` for a file that cannot be used."""
    if not value or str(value).strip().casefold() == NONE:
        return study_module.NONE
    try:
        return study_module.load(Params._resolve(value))
    except study_module.StudyError as err:
        raise ParamsError(f"study: {err}") from None


def load_supporters(path: Path) -> list[str]:
    """Read a supporters file (see :func:`load_accounts`)."""
    return load_accounts(path, "supporters")


def load_accounts(path: Path, what: str) -> list[str]:
    """Screen names from a YAML list, or a mapping with an ``accounts`` list; a
    :class:`ParamsError` naming ``what`` when the file cannot be used."""
    spec = yamlfile.load(path, f"{what} file", ParamsError)
    accounts = spec.get("accounts") if isinstance(spec, dict) else spec
    if not isinstance(accounts, list) or not all(
        isinstance(a, str) and a.strip().lstrip("@") for a in accounts
    ):
        raise ParamsError(f"{what}: {path} must hold a list of screen names (or 'accounts: [...]')")
    return [a.strip().lstrip("@") for a in accounts]


def load_account_types(path: Path) -> dict[str, str]:
    """Each listed account's kind (``organisation``, ``individual``, ``patient advocate``
    ...), by case-folded screen name, from a mapping ``types: {kind: [names]}``; a
    :class:`ParamsError` when the file cannot be used or lists a name under two kinds."""
    spec = yamlfile.load(path, "account types file", ParamsError)
    kinds = spec.get("types") if isinstance(spec, dict) else None
    if not isinstance(kinds, dict) or not all(
        isinstance(k, str) and isinstance(v, list | None) for k, v in kinds.items()
    ):
        raise ParamsError(
            f"account_types: {path} must hold 'types:', a mapping of kinds to lists of screen names"
        )
    out: dict[str, str] = {}
    for kind, names in kinds.items():
        for name in names or []:
            if not isinstance(name, str) or not name.strip().lstrip("@"):
                raise ParamsError(f"account_types: {path}: {name!r} under {kind!r} is not a name")
            key = name.strip().lstrip("@").casefold()
            if key in out and out[key] != kind.strip():
                raise ParamsError(
                    f"account_types: {path}: {name} is listed as {out[key]!r} and {kind!r}"
                )
            out[key] = kind.strip()
    return out


CORPUS_META = "corpus.json"


def corpus_meta(path: Path) -> dict[str, Any] | None:
    """The ``corpus.json`` that describes an input: beside the file or folder, or, for a
    file in a scaled corpus's ``records/`` folder, one level up; None if there is none."""
    candidates = [path.parent / CORPUS_META]
    if not path.is_dir():
        candidates.append(path.parent.parent / CORPUS_META)
    for meta in candidates:
        try:
            found = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(found, dict):
            return found
    return None


def is_synthetic_corpus(data: list[Path]) -> bool:
    """Whether the inputs are a synthetic corpus: every input file (or folder) has a
    ``corpus.json`` (see :func:`corpus_meta`) that marks it synthetic."""
    return bool(data) and all((corpus_meta(p) or {}).get("synthetic") is True for p in data)
