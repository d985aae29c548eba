"""Ingestion cached by input hash, so that a rebuild does not re-read the archive.

The key is a SHA-256 over everything ingestion's output depends on: the content
of every input file (and its path, which the report names), the hashtag, the
window, the CSV column mapping, and the source code of the ingestion modules. A
cache entry is the tables folder ingestion writes; it is copied, never linked,
into a run, and written under a temporary name and renamed, so that an
interrupted ingestion leaves no entry behind. Each entry lists the SHA-256 of its
files (``CHECKSUMS``), checked at every use: an entry changed or damaged since it
was written is never used: it is ingested again, with a warning naming it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from datasaveslives.core.files import sha256_of
from datasaveslives.core.window import Window
from datasaveslives.ingest import ingestion

# Modules whose code decides what ingestion writes: a change to any of them is a
# new key.
_CODE = ("ingest/ingestion.py", "ingest/schema.py", "core/window.py", "ingest/readers")
CHECKSUMS = "checksums.json"


def code_fingerprint() -> str:
    """SHA-256 of the ingestion code (the modules in ``_CODE``)."""
    package = Path(__file__).parents[1]
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
    files, skipped = ingestion.expand_inputs(inputs)
    parts: dict[str, Any] = {
        "files": [[str(f), sha256_of(f)] for f in files],
        "skipped": skipped,
        "hashtag": hashtag,
        "window": [str(window.start), str(window.end), window.tz],
        "mapping": sha256_of(Path(csv_mapping)) if csv_mapping else None,
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _checksums(folder: Path) -> dict[str, str]:
    return {
        p.name: sha256_of(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != CHECKSUMS
    }


def damage(entry: Path) -> str | None:
    """Why the cache entry ``entry`` cannot be used (None: it is as written)."""
    try:
        recorded = json.loads((entry / CHECKSUMS).read_text(encoding="utf-8"))
        present = _checksums(entry)
    except FileNotFoundError:
        return "it lists no checksums (written by an older version)"
    except (OSError, ValueError) as err:
        return f"it cannot be read ({err})"
    changed = sorted(
        k for k in recorded.keys() | present.keys() if recorded.get(k) != present.get(k)
    )
    return f"{', '.join(changed)} changed since it was written" if changed else None


def cached(
    cache_dir: Path,
    entry_key: str,
    out_dir: Path,
    run: Callable[[Path], object],
    warn: Callable[[str], None] = lambda message: None,
) -> bool:
    """Fill ``out_dir`` with the cached tables for ``entry_key``, running
    ``run(folder)`` to ingest into a new entry first if there is none (or the one
    there is damaged: ``warn`` says so). Returns whether the entry was used from the
    cache."""
    entry = Path(cache_dir) / entry_key
    hit = (entry / ingestion.REPORT_FILE).is_file()
    if hit and (why := damage(entry)):
        warn(f"warning: ignoring the ingestion cache entry {entry}: {why}; ingesting again")
        hit = False
    if not hit:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=entry.parent, prefix=".incoming-") as tmp:
            tables = Path(tmp) / "tables"
            run(tables)
            (tables / CHECKSUMS).write_text(json.dumps(_checksums(tables), indent=1))
            if entry.exists():  # another build filled it meanwhile, or it was damaged
                shutil.rmtree(entry)
            tables.rename(entry)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(entry, out_dir, ignore=shutil.ignore_patterns(CHECKSUMS))
    return hit
