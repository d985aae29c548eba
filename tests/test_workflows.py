"""The GitHub workflows: valid against GitHub's schema, and running only what a user
runs (the README's commands and the scripts they name)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from datasaveslives.core import paths
from datasaveslives.report import staging

WORKFLOWS = sorted((paths.ROOT / ".github" / "workflows").glob("*.yml"))
# What a workflow may run: the README's commands and the CI scripts.
ALLOWED = {
    "bash .ci/run",
    ".ci/install-system-packages.sh",
    "make book",
    "make pdf",
}


def _check(files: list[Path]) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe, "check-jsonschema is a dev dependency (pyproject.toml)"
    return subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def _load(path: Path) -> dict:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    return {("on" if k is True else k): v for k, v in spec.items()}


def test_the_workflows_validate_against_the_github_workflow_schema():
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "book.yml"}
    result = _check(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\njobs:\n  a:\n    steps: [{run: make book}]\n")
    assert _check([broken]).returncode != 0  # a job without runs-on


def _runs(spec: dict) -> list[str]:
    return [
        step["run"].strip()
        for job in spec["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


def test_workflows_run_only_what_a_user_runs():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    for path in WORKFLOWS:
        for command in _runs(_load(path)):
            assert command in ALLOWED, (path.name, command)
            if command.startswith("make "):
                assert command in readme, command


def test_ci_runs_ci_run_on_every_push_and_pull_request_with_a_cached_environment():
    ci = _load(paths.ROOT / ".github" / "workflows" / "ci.yml")
    assert set(ci["on"]) >= {"push", "pull_request"}
    (job,) = ci["jobs"].values()
    assert "bash .ci/run" in _runs(ci)
    cache = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert (
        cache["with"]["path"] == ".venv"
        and "hashFiles('pyproject.toml', 'requirements.lock')" in cache["with"]["key"]
    )


@pytest.mark.parametrize("action", ["actions/upload-pages-artifact@", "actions/deploy-pages@"])
def test_the_book_deploys_to_pages_from_the_default_branch(action):
    book = _load(paths.ROOT / ".github" / "workflows" / "book.yml")
    assert book["on"]["push"]["branches"] == ["main"] and "pull_request" in book["on"]
    uses = [s.get("uses", "") for job in book["jobs"].values() for s in job["steps"]]
    assert any(u.startswith(action) for u in uses)
    deploy = book["jobs"]["deploy"]
    assert deploy["if"] == "github.event_name != 'pull_request'"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    preview = next(
        s
        for s in book["jobs"]["build"]["steps"]
        if s.get("uses", "").startswith("actions/upload-artifact@")
    )
    assert preview["if"] == "github.event_name == 'pull_request'"


def test_the_deployed_book_links_its_repository_and_names_its_commit():
    """On GitHub the build is told its repository (pages link it and Binder) and may read
    its checkout inside the container (the colophon's commit)."""
    book = _load(paths.ROOT / ".github" / "workflows" / "book.yml")
    env = book["jobs"]["build"]["env"]
    assert env[staging.REPOSITORY_VARIABLE] == "${{ github.server_url }}/${{ github.repository }}"
    assert (env["GIT_CONFIG_KEY_0"], env["GIT_CONFIG_VALUE_0"]) == ("safe.directory", "*")
