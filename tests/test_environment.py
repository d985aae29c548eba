"""The environment is declared once (pyproject.toml) and mirrored faithfully."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from datasaveslives.core import paths

PIN = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+$")


def pyproject_requirements() -> list[str]:
    spec = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())
    project = spec["project"]
    return project["dependencies"] + project["optional-dependencies"]["dev"]


def test_every_dependency_is_pinned():
    reqs = pyproject_requirements()
    assert reqs, "no dependencies declared"
    assert [r for r in reqs if not PIN.match(r)] == []


def test_environment_yml_mirrors_pyproject():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1
    mirrored = [r for r in pip_sections[0] if r != "-e ."]
    assert sorted(mirrored) == sorted(pyproject_requirements())
    assert "-e ." in pip_sections[0]
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python=")]
    assert python == ["python=3.11"]


def test_code_is_ruff_clean_and_formatted():
    # ruff is a pinned dev dependency, installed beside the interpreter running the tests.
    ruff = str(Path(sys.executable).with_name("ruff"))
    check = subprocess.run([ruff, "check", "."], cwd=paths.ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        [ruff, "format", "--check", "."], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout


def test_chapters_code_cells_are_ruff_clean_and_formatted(tmp_path):
    """The chapters' code is checked as notebooks (as `make lint-chapters` does): the same
    rules as the package's, one cell at a time."""
    import jupytext

    chapters = [p for p in sorted(paths.BOOK.glob("*.md")) if "\njupytext:" in p.read_text()]
    assert len(chapters) >= 8
    notebooks = []
    for page in chapters:
        notebooks.append(tmp_path / f"{page.stem}.ipynb")
        jupytext.write(jupytext.read(page), notebooks[-1])
    ruff = str(Path(sys.executable).with_name("ruff"))
    config = ["--config", str(paths.ROOT / "pyproject.toml")]
    check = subprocess.run(
        [ruff, "check", *config, *map(str, notebooks)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run(
        [ruff, "format", "--check", *config, *map(str, notebooks)], capture_output=True, text=True
    )
    assert fmt.returncode == 0, fmt.stdout


def test_data_dictionary_documents_every_column():
    from datasaveslives.ingest import schema

    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    for table in (schema.POSTS, schema.USERS, schema.RETWEET_EDGES):
        for name in table.names:
            assert f"| `{name}` |" in readme, name
