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


def tree_digest(*roots: Path) -> str:
    """One SHA-256 over every file under ``roots`` (files given directly included), by
    path and content; caches of Python left out."""
    digest = hashlib.sha256()
    for root in roots:
        found = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in found:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root.parent)}\0{sha256_of(path)}\n".encode())
    return digest.hexdigest()
