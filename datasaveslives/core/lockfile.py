"""The locked environment, ``requirements.lock`` (written by ``make lock``): what it pins
for this interpreter, and how the installed packages differ from it.

``make env`` installs exactly the lock; the build records in its provenance whether the
environment that ran it still is the lock (``report.provenance``), and the tests fail
when it is not.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from datasaveslives.core import paths

LOCK = paths.ROOT / "requirements.lock"
# The project itself is installed from its source, not from the lock.
PROJECT = "datasaveslives"


@dataclass(frozen=True)
class Pin:
    """One entry of the lock: a package at one version, for the interpreters its marker
    admits, with the hashes of its files."""

    name: str  # canonical (PEP 503)
    version: str
    marker: Marker | None
    hashes: tuple[str, ...]

    def applies(self) -> bool:
        """Whether this interpreter installs this entry."""
        return self.marker is None or self.marker.evaluate()


@dataclass(frozen=True)
class Difference:
    """A package installed at another version than the lock's, or only on one side
    (``None``)."""

    name: str
    installed: str | None
    locked: str | None


def pins(path: Path = LOCK) -> list[Pin]:
    """Every entry of the lock, in its order. Raises ValueError for an entry that is not
    one exact version (``name==version``)."""
    entries: list[tuple[Requirement, list[str]]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip().removesuffix("\\").strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("--hash="):
            if not entries:
                raise ValueError(f"{path}: a hash before any requirement")
            entries[-1][1].append(line.removeprefix("--hash="))
        else:
            entries.append((Requirement(line), []))
    out = []
    for req, hashes in entries:
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==":
            raise ValueError(f"{path}: {req} is not pinned to one version")
        name = str(canonicalize_name(req.name))
        out.append(Pin(name, specs[0].version, req.marker, tuple(hashes)))
    return out


def for_this_interpreter(path: Path = LOCK) -> dict[str, str]:
    """The version of each package the lock installs on this interpreter."""
    versions: dict[str, str] = {}
    for pin in pins(path):
        if pin.applies():
            if pin.name in versions:
                raise ValueError(f"{path}: {pin.name} is locked twice for this interpreter")
            versions[pin.name] = pin.version
    return versions


def installed() -> dict[str, str]:
    """The packages installed beside this interpreter (but the project), by canonical name."""
    found: dict[str, str] = {
        str(canonicalize_name(d.metadata["Name"])): d.version
        for d in importlib.metadata.distributions()
        if d.metadata["Name"]
    }
    found.pop(PROJECT, None)
    return found


def differences(path: Path = LOCK) -> list[Difference]:
    """How the installed packages differ from the lock, by name: none when the
    environment is exactly the lock."""
    locked, have = for_this_interpreter(path), installed()
    return [
        Difference(name, have.get(name), locked.get(name))
        for name in sorted(locked.keys() | have.keys())
        if have.get(name) != locked.get(name)
    ]


def sha256(path: Path = LOCK) -> str:
    """The SHA-256 of the lock's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
