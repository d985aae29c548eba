"""The project's shape: the stages import downwards only, each value has one source
(the version, the chapters' parameters), and the checks that guard them can fail."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import golden
import jupytext
import yaml

import datasaveslives
from datasaveslives.core import paths

BIN = Path(sys.executable).parent


def test_the_stages_import_downwards_only():
    """The import contract of pyproject.toml (core <- ingest <- privacy <- coding <-
    analysis <- paper <- report, synth <- cli) holds: import-linter checks every import."""
    run = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_the_contract_names_every_subpackage():
    """A new subpackage is placed in the layers, not left outside the contract."""
    import tomllib

    config = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = config["tool"]["importlinter"]["contracts"]
    layered = {m for layer in contract["layers"] for m in re.split(r"[|:]", layer)}
    package = Path(datasaveslives.__file__).parent
    subpackages = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in package.glob("*.py")} - {"__init__", "__main__"}
    assert subpackages | modules == {m.strip() for m in layered}


def test_the_version_is_written_once():
    """pyproject.toml reads the version from the package; the citation file and the
    changelog agree with it."""
    pyproject = (paths.ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "datasaveslives.__version__" }' in pyproject
    citation = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == datasaveslives.__version__
    changelog = (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {datasaveslives.__version__} - " in changelog
    assert "\n## Unreleased\n" in changelog
    # Zenodo reads .zenodo.json when a release is published: the same version, licence
    # and title, and the paper the compendium supplements.
    zenodo = json.loads((paths.ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["version"] == datasaveslives.__version__
    assert zenodo["upload_type"] == "software" and zenodo["license"] == citation["license"]
    assert zenodo["title"] == citation["title"]
    assert {"identifier": "10.2196/16348", "relation": "isSupplementTo"}.items() <= (
        zenodo["related_identifiers"][0].items()
    )


def test_the_colophon_names_the_version_and_the_commit(monkeypatch):
    from datasaveslives.report import provenance, staging

    monkeypatch.setattr(provenance, "git_commit", lambda: "0123456789abcdef0123+dirty")
    assert staging.colophon_commit() == "commit 0123456789ab, with local changes"
    monkeypatch.setattr(provenance, "git_commit", lambda: "0123456789abcdef0123")
    assert staging.colophon_commit() == "commit 0123456789ab"
    monkeypatch.setattr(provenance, "git_commit", lambda: "unknown (not a git checkout)")
    assert staging.colophon_commit() == "outside a git checkout"


def test_chapters_declare_one_parameter_and_read_the_rest_from_the_run():
    """Papermill injects the run's folder only; no chapter carries its own defaults."""
    for page in sorted(paths.BOOK.glob("*.md")):
        notebook = jupytext.read(page)
        cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
        if not cells:
            continue
        [cell] = cells
        assigned = re.findall(r"^(\w+)\s*=", cell.source, re.M)
        assert assigned == ["run_dir"], page.name
        assert "layout.values(" in notebook.cells[notebook.cells.index(cell) + 1].source


def test_the_snapshot_comparison_sees_a_changed_number_and_a_changed_word():
    want = {
        "tables": {"posts.parquet": "a"},
        "results": {"users.json": "b"},
        "pages": {"book/users.html": {"numbers": ["1", "2"], "text_sha256": "t"}},
    }
    same = {k: dict(v) for k, v in want.items()}
    assert golden.differences(same, want) == []
    number = {**want, "pages": {"book/users.html": {"numbers": ["1", "3"], "text_sha256": "u"}}}
    assert golden.differences(number, want) == [
        "page book/users.html: number 2 is ['3'], was ['2']"
    ]
    word = {**want, "pages": {"book/users.html": {"numbers": ["1", "2"], "text_sha256": "u"}}}
    assert golden.differences(word, want) == ["page book/users.html: the same numbers, other text"]
    table = {**want, "tables": {"posts.parquet": "z"}}
    assert golden.differences(table, want) == ["tables/posts.parquet differs"]


def test_the_pre_commit_hooks_run_the_projects_own_tools():
    """Every hook's program is installed in the project's environment (no network)."""
    config = yaml.safe_load((paths.ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert hooks and all(h["language"] == "system" for h in hooks)
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    for hook in hooks:
        program, *args = shlex.split(hook["entry"])
        if program == "make":  # a target of the Makefile
            assert f"\n{args[0]}:" in makefile, hook["id"]
            continue
        assert Path(program).parts[:2] == (".venv", "bin"), hook["id"]
        assert (BIN / Path(program).name).is_file(), hook["id"]


def test_every_glued_value_is_read_by_its_chapter():
    """A chapter glues a value only to show it: each name glued with a literal name (and
    each figure) appears in the chapter's text. Values a test needs are in the chapter's
    saved results, not glued for nobody."""
    import ast

    for page in sorted(paths.BOOK.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        if "\njupytext:" not in text:
            continue
        glued = set()
        for cell in jupytext.read(page).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                call = node if isinstance(node, ast.Call) else None
                name = getattr(getattr(call, "func", None), "id", None) or getattr(
                    getattr(call, "func", None), "attr", None
                )
                if call and name in ("glue", "figure", "absent") and call.args:
                    first = call.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        glued.add(first.value)
        used = set(re.findall(r"\{glue(?::\w+)?\}`([\w.]+)", text))
        used |= set(re.findall(r"```\{glue(?::\w+)?\} ([\w.]+)", text))
        assert glued - used == set(), page.name


def _sentences_built_in(source: str) -> list[str]:
    """The sentences a cell's ``glue(...)`` calls build from literals: f-strings and
    literals with five words or more of text, joined or chosen in the call."""
    import ast

    found: list[str] = []
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a shell or YAML example, not the chapter's code
        return found
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "glue"):
            continue
        for value in node.args[1:2]:
            for part in ast.walk(value):
                if isinstance(part, ast.JoinedStr):
                    words = " ".join(
                        v.value for v in part.values if isinstance(v, ast.Constant)
                    ).split()
                    if len(words) >= 5:
                        found.append(ast.unparse(part))
                elif (
                    isinstance(part, ast.Constant)
                    and isinstance(part.value, str)
                    and len(part.value.split()) >= 5
                ):
                    found.append(part.value)
    return found


def test_no_chapter_builds_a_sentence_it_glues():
    """Prose is MyST: a glued value is a number, a short phrase, or the output of a named
    rule (report.prose, report.wording), never a sentence written inside a chapter's code."""
    assert _sentences_built_in('glue("x", Markdown(f"There were {n} posts in the window."))') != []
    assert _sentences_built_in('glue("x", "a sentence of five words" if a else "")') != []
    assert _sentences_built_in('glue("x", says.rule(n), display=False)') == []
    for page in sorted(paths.BOOK.glob("*.md")):
        if "\njupytext:" not in page.read_text(encoding="utf-8"):
            continue
        for cell in jupytext.read(page).cells:
            if cell.cell_type == "code":
                assert _sentences_built_in(cell.source) == [], page.name


def test_a_chapter_asking_for_a_value_the_run_lacks_gets_a_clear_error(tmp_path):
    import pytest

    from datasaveslives.report.runs import MissingParameter, RunLayout

    layout = RunLayout(tmp_path / "run")
    with pytest.raises(FileNotFoundError, match="no resolved parameters; build the run first"):
        layout.values("seed")
    layout.write_parameters({"seed": 7, "hashtag": None})
    assert layout.values("seed") == 7 and layout.values("seed", "hashtag") == (7, None)
    with pytest.raises(MissingParameter, match="hold no stratify"):
        layout.values("seed", "stratify")


def test_every_term_the_book_links_is_in_its_glossary():
    """The chapters and the prose rules link terms to book/glossary.md ({term}`text
    <Term>`); each must be one the glossary defines (the strict build would fail on a
    missing one only for the texts a given run happens to show)."""
    glossary = (paths.BOOK / "glossary.md").read_text(encoding="utf-8")
    block = glossary.split("```{glossary}", 1)[1].split("```", 1)[0]
    defined = {line.strip().casefold() for line in block.splitlines() if line[:1].isalpha()}
    assert len(defined) >= 20
    sources = [
        *paths.BOOK.glob("*.md"),
        *(paths.ROOT / "datasaveslives" / "report" / "prose").glob("*.py"),
    ]
    linked = set()
    for source in sources:
        for text in re.findall(r"\{\{?term\}?\}`([^`]+)`", source.read_text(encoding="utf-8")):
            target = re.search(r"<([^>]+)>$", text)
            linked.add((target.group(1) if target else text).strip().casefold())
    assert linked, "no chapter links a glossary term"
    assert linked - defined == set()


def test_the_teaching_guide_has_twelve_exercises_each_with_its_time_needs_and_solution():
    """Exercises a lecturer can set: sphinx-exercise directives, each saying how long it
    takes and what it needs, each with a solution hidden until asked for."""
    text = (paths.BOOK / "teaching.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)\n(.*?)```", text, re.S)
    assert len(blocks) >= 12
    for label, body in blocks:
        assert "*Time:*" in body and "*Needs:*" in body, label
        assert re.search(r"```\{solution\} " + re.escape(label) + r"\n:class: dropdown", text)
