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
