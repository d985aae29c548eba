"""Ingestion cached by input hash, so that a rebuild does not re-read the archive.

The key is a SHA-256 over everything ingestion's output depends on: the content
of every input file (and its path, which the report names), the hashtag, the
window, the CSV column mapping, and the source code of the ingestion modules. A
cache entry is the tables folder ingestion writes; it is copied, never linked,
into a run, and written under a temporary name and renamed, so that an
interrupted ingestion leaves no entry behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from datasaveslives import ingest
from datasaveslives.window import Window

# Modules whose code decides what ingestion writes: a change to any of them is a
# new key.
_CODE = ("ingest.py", "schema.py", "window.py", "readers")


def code_fingerprint() -> str:
    """SHA-256 of the ingestion code (the modules in ``_CODE``)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _CODE:
        path = package / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(package)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def key(
    inputs: Sequence[str | Path],
    *,
    hashtag: str | None,
    window: Window,
    csv_mapping: str | Path | None = None,
) -> str:
    """The cache key of one ingestion (see the module docstring)."""
    files, skipped = ingest.expand_inputs(inputs)
    parts: dict[str, Any] = {
        "files": [[str(f), ingest.sha256_of(f)] for f in files],
        "skipped": skipped,
        "hashtag": hashtag,
        "window": [str(window.start), str(window.end), window.tz],
        "mapping": ingest.sha256_of(Path(csv_mapping)) if csv_mapping else None,
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def cached(
    cache_dir: Path,
    entry_key: str,
    out_dir: Path,
    run: Callable[[Path], None],
) -> bool:
    """Fill ``out_dir`` with the cached tables for ``entry_key``, running
    ``run(folder)`` to ingest into a new entry first if there is none. Returns
    whether the entry was already cached."""
    entry = Path(cache_dir) / entry_key
    hit = (entry / ingest.REPORT_FILE).is_file()
    if not hit:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=entry.parent, prefix=".incoming-") as tmp:
            run(Path(tmp) / "tables")
            if entry.exists():  # another build filled it meanwhile
                shutil.rmtree(entry)
            (Path(tmp) / "tables").rename(entry)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(entry, out_dir)
    return hit
