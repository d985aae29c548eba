"""Files: their SHA-256, and a folder or file put in place in one step."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def replace(new: Path, target: Path) -> None:
    """Put ``new`` where ``target`` is, keeping the old one until the rename."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old) if old.is_dir() else old.unlink()


# Folders of caches that no digest of a tree should read.
_CACHES = {"__pycache__", ".ipynb_checkpoints"}


def files_under(root: Path) -> list[Path]:
    """``root`` itself when it is a file, else every file below it (sorted; caches of
    Python and Jupyter left out); none when it does not exist."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not _CACHES & set(p.parts))


def tree_digest(*roots: Path) -> str:
    """One SHA-256 over every file under ``roots`` (:func:`files_under`), by path and
    content."""
    digest = hashlib.sha256()
    for root in roots:
        for path in files_under(root):
            digest.update(f"{path.relative_to(root.parent)}\0{sha256_of(path)}\n".encode())
    return digest.hexdigest()
