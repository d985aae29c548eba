"""Provenance of a run: parameters, input hashes, package versions, git commit."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from datasaveslives.core import lockfile, paths
from datasaveslives.core.params import corpus_meta

PACKAGES = (
    "datasaveslives",
    "pandas",
    "numpy",
    "pyarrow",
    "networkx",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "orjson",
    "papermill",
    "jupyter-book",
    "myst-nb",
    "sphinx",
)


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed version of each package (``not installed`` when absent)."""
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def environment(lock: Path = lockfile.LOCK) -> dict[str, Any] | None:
    """Whether the environment that ran the build is the lock (``requirements.lock``):
    the lock's name, hash and number of packages for this interpreter, and each
    installed package that differs from it; None without a lock file, and the reason
    when it cannot be read."""
    if not lock.is_file():
        return None
    record: dict[str, Any] = {"lock": lock.name, "sha256": lockfile.sha256(lock)}
    try:
        record["packages"] = len(lockfile.for_this_interpreter(lock))
        record["differences"] = [asdict(d) for d in lockfile.differences(lock)]
    except ValueError as err:
        record["unreadable"] = str(err).replace(str(lock), lock.name)
    return record


def git(*args: str) -> str | None:
    """The output of ``git args`` in the project, or None when git or the checkout
    is missing or the command fails."""
    try:
        proc = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True)
    except OSError:
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def git_commit() -> str:
    """The checked-out commit, with ``+dirty`` when the tree has changes."""
    head = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    if head is None or dirty is None:
        return "unknown (not a git checkout)"
    return head + ("+dirty" if dirty else "")


def corpus_of(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The generator metadata (seed, version) of a synthetic corpus among the inputs:
    its ``corpus.json`` beside the data file; None for other data."""
    for f in files:
        info = corpus_meta(Path(f["path"]))
        if info and info.get("synthetic"):
            return {
                "synthetic": True,
                "seed": info.get("seed"),
                "generator_version": info.get("generator_version"),
            }
    return None


def collect(params: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    """Everything a reader needs to trace this run back to its inputs and code."""
    return {
        "parameters": params,
        "inputs": [
            {"file": paths.rel(f["path"]), "sha256": f["sha256"], "bytes": f["bytes"]}
            for f in report["files"]
        ],
        "corpus": corpus_of(report["files"]),
        "packages": package_versions(),
        "environment": environment(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": git_commit(),
        "built_at": build_time().strftime("%Y-%m-%d %H:%M UTC"),
    }


def shown_value(value: Any) -> str:
    """A parameter's value as the book shows it: files relative to the project (a file
    outside it by its name only: the book never shows this machine's paths), lists
    joined, and "none" for a parameter that is not set."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, dict):  # the multiverse's choices: named, their texts in params.yml
        declared = value.get("choices") or {}
        return (
            f"{len(declared)} choice{'s' if len(declared) != 1 else ''} "
            f"({', '.join(declared) or 'none'}; see the multiverse appendix)"
        )
    if isinstance(value, list | tuple):
        return ", ".join(shown_value(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and ("/" in value or "\\" in value):
        if not Path(value).is_absolute():
            return value  # already relative to the project (not to a chapter's folder)
        shown = paths.rel(Path(value))
        return shown if not Path(shown).is_absolute() else Path(value).name
    return str(value)


def parameter_rows(parameters: dict[str, Any]) -> list[tuple[str, str]]:
    """The run's parameters as (name, value) rows for the book (see :func:`shown_value`)."""
    return [(name, shown_value(value)) for name, value in parameters.items()]


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention,
    which Sphinx follows too): two builds of the same inputs given the same epoch
    publish the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
