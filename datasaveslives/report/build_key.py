"""What a build depends on, as one digest: a rebuild whose digest equals the one its
published book was built from has nothing to do (``pipeline.build`` then checks the
published files against their manifest and stops).

The digest covers everything that can change a page: the ingestion's own key (the
content of every input file, the hashtag, the window, the CSV mapping, the ingestion
code), the run's resolved parameters and the content of every file they name, the
compendium's code, chapters, data files and book configuration, the locked environment
and the Python that runs it, the benchmark report the Performance page shows, the
commit, the salt of the pseudonyms (as a digest), ``SOURCE_DATE_EPOCH``, and the
build's options (the repository linked, the PDF, strictness, the chapters built).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from datasaveslives.core import paths
from datasaveslives.core.files import files_under, sha256_of
from datasaveslives.core.params import Params
from datasaveslives.ingest import ingestion, parallel
from datasaveslives.privacy import policy
from datasaveslives.report import provenance

# The compendium's own files a page can depend on (folders are read whole).
PROJECT = ("datasaveslives", "book", "data", "_config.yml", "_toc.yml", "CITATION.cff",
           "requirements.lock")  # fmt: skip


def digests(files: Iterable[Path], skip: frozenset[Path] = frozenset()) -> dict[str, str]:
    """The SHA-256 of each file not in ``skip``, by its path (relative to the project
    where it is inside it)."""
    return {paths.rel(f): sha256_of(f) for f in files if f.resolve() not in skip}


def named_files(parameters: dict[str, Any]) -> list[Path]:
    """Every file or folder a parameter names (strings and lists of strings that are
    existing paths), but the project's folder or one holding it (read as the project's
    files are) and the build's own folder."""
    root, build = paths.ROOT.resolve(), paths.BUILD.resolve()
    found: list[Path] = []
    for value in parameters.values():
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, str) and item and ("/" in item or "." in item):
                path = Path(item) if Path(item).is_absolute() else paths.ROOT / item
                whole = path.resolve()
                if (
                    path.exists()
                    and not root.is_relative_to(whole)
                    and not whole.is_relative_to(build)
                ):
                    found.append(path)
    return found


def key(
    params: Params,
    *,
    repository: str | None,
    pdf: bool,
    strict: bool,
    sections: tuple[str, ...],
    summaries: tuple[str, ...],
) -> str:
    """The digest of everything a build of ``params`` with these options depends on."""
    inputs, _ = ingestion.expand_inputs(params.data_paths)
    # The inputs are in the ingestion's key already: not read twice.
    skip = frozenset(Path(f).resolve() for f in inputs)
    parameters = params.notebook_parameters()
    project = [f for name in PROJECT for f in files_under(paths.ROOT / name)]
    named = [f for path in named_files(parameters) for f in files_under(path)]
    salt = policy.SYNTHETIC_SALT if params.synthetic else policy.salt_from_env()
    parts = {
        "ingestion": parallel.ingest_key(params),
        "parameters": parameters,
        "project": digests(project, skip),
        "named": digests(named, skip),
        "benchmark": digests(files_under(paths.BENCH_REPORT)),
        "python": sys.version,
        "commit": provenance.git_commit(),
        "salt": hashlib.sha256(salt.encode()).hexdigest(),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "options": [repository, pdf, strict, list(sections), list(summaries)],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
