"""A collection on disk: the raw responses, page by page, and the manifest that makes it
resumable and checkable.

Layout of a collection folder ``OUT``::

    OUT/manifest.yml                        what was asked, of whom, when, and every file
    OUT/<service>/<stage>/000001.jsonl.gz   one response per file, exactly as returned

Each page is one gzipped line of JSON: the response's body with its line breaks
removed (JSON strings cannot hold a raw line break, so nothing else changes), gzipped
without a timestamp, so the same response gives the same bytes. A page is written under
a temporary name and renamed, then the manifest is rewritten (also by rename) with its
checksum and the stage's position (a cursor, an id): a collection interrupted at any
moment resumes from the last page the manifest lists, and a page file it does not list
is written again. The manifest never holds a credential, only whether one was used.
The ingestion reads the folder as it is (``manifest.yml`` is not data: it is listed
as skipped).
"""

from __future__ import annotations

import gzip
import io
import os
import platform
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from datasaveslives import __version__
from datasaveslives.core.files import sha256_of

MANIFEST = "manifest.yml"
PAGE = "{:06d}.jsonl.gz"
# What a collection is: a folder holding another collection (other values of these)
# is never resumed into.
IDENTITY = ("service", "query", "since", "until", "instances")


class CollectError(Exception):
    """A collection that cannot go on: one clear line, the collection resumable."""


def now() -> str:
    """The time now, UTC, to the second (ISO 8601)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def versions(*packages: str) -> dict[str, str]:
    """This program's version and each of ``packages``' (the libraries that spoke to the
    service), and Python's."""
    found = {"datasaveslives": __version__, "python": platform.python_version()}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - the lock installs them
            found[name] = "not installed"
    return found


def one_line(body: bytes) -> bytes:
    """A JSON body on one line: its line breaks are whitespace between tokens (a JSON
    string cannot hold one unescaped), so removing them keeps the value."""
    return body.replace(b"\r", b"").replace(b"\n", b"")


@dataclass
class Collection:
    """A collection folder and its manifest (see the module's notes)."""

    root: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path, identity: dict[str, Any], libraries: Iterable[str]) -> Collection:
        """The collection in ``root``: a new one, or the one there to resume when it was
        asked the same (``identity``); anything else in ``root`` is an error."""
        root = Path(root)
        path = root / MANIFEST
        if path.is_file():
            manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            asked = {k: manifest.get(k) for k in IDENTITY}
            wanted = {k: identity.get(k) for k in IDENTITY}
            if asked != wanted:
                differs = ", ".join(k for k in IDENTITY if asked[k] != wanted[k])
                raise CollectError(
                    f"{root} holds another collection (its {differs} differ): "
                    "give a new --out, or the same options to resume it"
                )
            collection = cls(root, manifest)
            collection.manifest["resumed"] = [*manifest.get("resumed", []), now()]
            collection.manifest["status"] = "running"
            collection.write()
            return collection
        if root.exists() and any(root.iterdir()):
            raise CollectError(f"{root} is not empty and holds no collection: give a new --out")
        manifest = {
            **{k: identity.get(k) for k in IDENTITY},
            **{k: v for k, v in identity.items() if k not in IDENTITY},
            "versions": versions(*libraries),
            "started": now(),
            "finished": None,
            "status": "running",
            "stages": {},
            "files": [],
        }
        collection = cls(root, manifest)
        root.mkdir(parents=True, exist_ok=True)
        collection.write()
        return collection

    def stage(self, name: str) -> dict[str, Any]:
        """The saved state of stage ``name`` (its position, pages, records, done)."""
        stages = self.manifest.setdefault("stages", {})
        return stages.setdefault(name, {"pages": 0, "records": 0, "done": False})

    def save(self, name: str, body: bytes, records: int, **position: Any) -> Path:
        """Write one response of stage ``name`` as its next page, then record it and the
        stage's new ``position`` in the manifest; return the page's path."""
        state = self.stage(name)
        page = self.root / name / PAGE.format(state["pages"] + 1)
        page.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz:
            gz.write(one_line(body) + b"\n")
        incoming = page.with_name(page.name + ".incoming")
        incoming.write_bytes(buffer.getvalue())
        os.replace(incoming, page)
        state["pages"] += 1
        state["records"] += records
        state.update(position)
        self.manifest["files"].append(
            {
                "path": page.relative_to(self.root).as_posix(),
                "sha256": sha256_of(page),
                "bytes": page.stat().st_size,
                "records": records,
                "saved": now(),
            }
        )
        self.write()
        return page

    def done(self, name: str, **facts: Any) -> None:
        """Mark stage ``name`` complete (with any ``facts`` worth keeping)."""
        self.stage(name).update(done=True, **facts)
        self.write()

    def finish(self, status: str = "complete") -> None:
        """Record the end of this run: ``complete``, or ``interrupted`` (resumable)."""
        self.manifest["status"] = status
        if status == "complete":
            self.manifest["finished"] = now()
        self.write()

    def write(self) -> None:
        """Rewrite the manifest in one step (rename), never half written."""
        self.manifest["updated"] = now()
        path = self.root / MANIFEST
        incoming = path.with_name(path.name + ".incoming")
        incoming.write_text(
            yaml.safe_dump(self.manifest, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        os.replace(incoming, path)

    def check(self) -> list[str]:
        """The files whose bytes no longer match the manifest's checksum (none when the
        collection is as it was saved)."""
        bad = []
        for entry in self.manifest.get("files", []):
            path = self.root / entry["path"]
            if not path.is_file() or sha256_of(path) != entry["sha256"]:
                bad.append(entry["path"])
        return bad


def read_manifest(root: Path) -> dict[str, Any] | None:
    """The manifest of the collection in ``root`` (None if it holds none)."""
    path = Path(root) / MANIFEST
    if not path.is_file():
        return None
    found = yaml.safe_load(path.read_text(encoding="utf-8"))
    return found if isinstance(found, dict) else None
