"""A run's book is published whole or not at all.

A build writes everything (tables, executed notebooks, results, provenance, coding
files, the staged book) into ``incoming/`` in the run's folder; only when the book
(and its PDF) are built does :func:`commit` move each of them into place, then the
HTML, then write a manifest of every published file with its SHA-256 last. A folder
without a manifest, or whose files differ from it, is one whose build did not finish
(:func:`verify` says so; the leak scan refuses it). One build at a time writes to a
run's folder (:func:`lock`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from datasaveslives.core.files import replace, sha256_of

INCOMING = "incoming"
MANIFEST = "manifest.json"
LOCK = ".lock"
# The parts of a run's folder the manifest vouches for (with the HTML and the PDF).
CHECKED = ("tables", "results", "provenance.json")


class PublicationError(RuntimeError):
    """A run's folder that is busy, or not the whole of one finished build."""


@contextlib.contextmanager
def lock(root: Path) -> Iterator[None]:
    """Hold the run folder ``root`` for one build; a second is a clear error."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK).open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            who = handle.read().strip() or "another process"
            raise PublicationError(
                f"another build ({who}) is writing to {root}: wait for it to finish, or "
                f"build into another folder (--out)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def fresh_incoming(root: Path) -> Path:
    """An empty ``incoming/`` folder in ``root`` (what an interrupted build left is
    removed: it was never published)."""
    incoming = root / INCOMING
    if incoming.exists():
        shutil.rmtree(incoming)
    incoming.mkdir(parents=True)
    return incoming


def _files(folder: Path, prefix: str) -> dict[str, str]:
    if folder.is_file():
        return {prefix: sha256_of(folder)}
    return {
        f"{prefix}/{p.relative_to(folder).as_posix()}": sha256_of(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def listing(root: Path, html: Path, pdf: Path | None) -> dict[str, str]:
    """Every published file of a run with its SHA-256: the checked parts of its folder,
    the HTML (``html/…``) and the PDF."""
    files: dict[str, str] = {}
    for part in CHECKED:
        if (root / part).exists():
            files.update(_files(root / part, part))
    files.update(_files(html, "html"))
    if pdf is not None and pdf.is_file():
        files["pdf"] = sha256_of(pdf)
    return files


def publish_html(built: Path, target: Path) -> None:
    """Replace the HTML folder ``target`` with a copy of ``built``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(target.name + ".incoming")
    if incoming.exists():
        shutil.rmtree(incoming)
    shutil.copytree(built, incoming)
    replace(incoming, target)


def commit(
    root: Path,
    built_html: Path,
    html: Path,
    pdf: Path | None = None,
    built_from: str | None = None,
) -> None:
    """Publish what the build wrote into ``root/incoming``: drop the manifest (the
    folder is now mid-change), publish the HTML, move each part into ``root``, the PDF
    from ``pdf``'s ``.incoming`` copy, and write the new manifest last."""
    incoming = root / INCOMING
    (root / MANIFEST).unlink(missing_ok=True)
    publish_html(built_html, html)  # copied first: it is built inside incoming/
    for part in sorted(incoming.iterdir()):
        replace(part, root / part.name)
    if pdf is not None:
        pdf.with_name(pdf.name + ".incoming").replace(pdf)
    write_manifest(root, html, pdf, built_from)
    incoming.rmdir()


def up_to_date(root: Path, html: Path, pdf: Path | None, built_from: str) -> bool:
    """Whether ``root`` holds, whole and unchanged, a book built from ``built_from`` (and
    its PDF when ``pdf`` is asked for): then a build has nothing to do."""
    manifest_file = root / MANIFEST
    if not manifest_file.is_file() or (root / INCOMING).exists():
        return False
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    if manifest.get("built_from") != built_from or (pdf is not None) != bool(manifest["pdf"]):
        return False
    if os.path.relpath(html, root) != manifest["html"] or (pdf is not None and not pdf.is_file()):
        return False
    try:
        verify(root, html, pdf)
    except PublicationError:
        return False
    return True


def write_manifest(
    root: Path, html: Path, pdf: Path | None = None, built_from: str | None = None
) -> Path:
    """The manifest of ``root``'s published files, written in one rename, with the
    digest of what the build depended on (``built_from``; ``report.build_key``)."""
    manifest = {
        "built_from": built_from,
        "html": os.path.relpath(html, root),
        "pdf": os.path.relpath(pdf, root) if pdf is not None and pdf.is_file() else None,
        "files": listing(root, html, pdf),
    }
    target = root / MANIFEST
    partial = target.with_name(MANIFEST + ".incoming")
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(target)
    return target


def verify(root: Path, html: Path, pdf: Path | None = None) -> None:
    """Raise :class:`PublicationError` unless ``root`` and ``html`` (and ``pdf``) are
    exactly what the last finished build published."""
    manifest_file = root / MANIFEST
    if not manifest_file.is_file():
        raise PublicationError(
            f"{root} has no manifest of a finished build (the last build was interrupted "
            f"or failed, or predates manifests): build again before scanning it"
        )
    recorded = json.loads(manifest_file.read_text(encoding="utf-8"))["files"]
    if pdf is None or not pdf.is_file():
        recorded = {k: v for k, v in recorded.items() if k != "pdf"}
    present = listing(root, html, pdf)
    changed = sorted(
        k for k in recorded.keys() | present.keys() if recorded.get(k) != present.get(k)
    )
    if changed:
        shown = ", ".join(changed[:5]) + (
            f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        )
        raise PublicationError(
            f"{root}: {len(changed)} published file(s) differ from the manifest of the last "
            f"finished build ({shown}): build again before scanning it"
        )
