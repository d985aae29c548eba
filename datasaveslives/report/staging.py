"""Staging the book and building it with jupyter-book: the chapters' executed notebooks
and pages copied into a staging folder with the run's front matter (title, banner,
links), then built to HTML (and LaTeX for the PDF) with warnings as errors.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from datasaveslives import __version__
from datasaveslives.core import paths, study
from datasaveslives.core.params import Params
from datasaveslives.report import citation, provenance
from datasaveslives.report.runs import BuildError, RunLayout

SYNTHETIC_ANNOUNCEMENT = (
    "Synthetic data: this book analyses a synthetic #datasaveslives corpus calibrated to "
    "the paper's published figures, not real tweets."
)


REPOSITORY_VARIABLE = "DATASAVESLIVES_REPOSITORY_URL"


BINDER_URL = "https://mybinder.org"


def repository_url() -> str | None:
    """The public repository every page links to and launches on Binder: the
    ``DATASAVESLIVES_REPOSITORY_URL`` variable, else ``repository.url`` in
    ``_config.yml``, else this clone's ``origin`` remote (as an https address); None
    when none is set."""
    url = os.environ.get(REPOSITORY_VARIABLE, "").strip()
    if not url:
        config = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8")) or {}
        url = str((config.get("repository") or {}).get("url") or "").strip()
    return https_repository(url or provenance.git("remote", "get-url", "origin") or "")


def binder_url(repository: str | None, branch: str = "main") -> str | None:
    """The Binder address that opens the whole repository in JupyterLab (at its README):
    ``https://mybinder.org/v2/gh/<org>/<repo>/<branch>``; None unless the repository is
    on GitHub or GitLab (the hosts Binder launches)."""
    if not repository:
        return None
    host, _, path = repository.removeprefix("https://").removeprefix("http://").partition("/")
    provider = {"github.com": "gh", "gitlab.com": "gl"}.get(host.lower())
    if provider is None or path.count("/") != 1:
        return None
    if provider == "gl":
        path = path.replace("/", "%2F")
    return f"{BINDER_URL}/v2/{provider}/{path}/{branch}?urlpath=lab/tree/README.md"


def home_links(repository: str | None, pdf: bool) -> dict[str, str | None]:
    """The links every page gives (``home_links.py``): the repository and Binder when the
    repository is known, the PDF when this build typesets one (it is published inside
    the HTML folder), and the book's "How to cite" section."""
    return {
        "repository": repository,
        "binder": binder_url(repository),
        "pdf": PDF_NAME if pdf else None,
        "citation": "book/intro#how-to-cite",
    }


PDF_NAME = "datasaveslives.pdf"


def https_repository(url: str) -> str | None:
    """``git@host:org/repo.git`` or ``https://host/org/repo.git`` as
    ``https://host/org/repo``; None for anything else (a local path, nothing)."""
    url = url.strip()
    if url.startswith("git@") and ":" in url:
        host, _, rest = url[4:].partition(":")
        url = f"https://{host}/{rest}"
    if not url.startswith(("https://", "http://")):
        return None
    return url.removesuffix("/").removesuffix(".git")


ABOUT_DATA_NOTE = (
    "{doc}`about_data` describes the synthetic campaign the book runs on by default (the "
    "real tweets cannot be redistributed), what in it is real and what is not, and every "
    "published figure of the paper against it. When a build analyses the synthetic "
    "corpus, each chapter says so in a box at its top."
)


TEACHING_NOTE = (
    "{doc}`teaching` turns the book into two or three class sessions on the embedded corpus: "
    "learning outcomes, a plan, and an exercise per chapter with its solution."
)


@dataclass(frozen=True)
class Front:
    """What the book's title page says (its title and opening paragraph) and its
    chapters' titles."""

    title: str
    intro: str
    headings: dict[str, str]  # the chapters' titles, by chapter (study.chapter_titles)


def front_matter(params: Params, report: dict[str, Any]) -> Front:
    """The title and opening of the book: the declared study's, or, for a run that
    declares none, neutral ones made from its hashtag, platform and window."""
    from datetime import date

    from datasaveslives.report import platforms

    declared = params.study_file()
    found = platforms.report_platforms(report)
    headings = study.chapter_titles(params.hashtag, found)
    if declared.declared:
        return Front(declared.title or declared.name, declared.description, headings)
    platform = platforms.vocabulary(found).platform
    first = date.fromisoformat(params.start) if params.start else None
    last = date.fromisoformat(params.end) if params.end else None
    tag = params.hashtag or None
    return Front(
        study.neutral_title(tag, platform, first, last),
        study.neutral_description(
            tag,
            platform,
            first,
            last,
            supporters=bool(params.official_supporters()),
            coded=bool(params.coding_files),
        ),
        headings,
    )


def stage_book(
    layout: RunLayout,
    synthetic: bool = False,
    repository: str | None = None,
    front: Front | None = None,
    pdf: bool = False,
) -> None:
    """A fresh copy of the book's sources and configuration to build from, titled and
    opened by ``front`` (default: the #datasaveslives study's, params.yml); on the
    synthetic corpus every HTML page carries a banner saying so and the book has its
    "About the data" chapter; with a ``repository`` address, pages link to it and
    launch their notebook on Binder; every page links the repository, Binder, the PDF
    (with ``pdf``) and how to cite the book (:func:`home_links`)."""
    if layout.stage.exists():
        shutil.rmtree(layout.stage)
    shutil.copytree(paths.BOOK, layout.stage / "book")
    config = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8"))
    if front is None:  # params.yml's study (declared, so no data are needed to word it)
        front = front_matter(Params.load(paths.PARAMS), {"files": []})
    config["title"] = front.title
    config["latex"]["latex_documents"]["title"] = latex_escape(front.title)
    config["parse"]["myst_substitutions"] = {
        "book_title": front.title,
        "study_intro": front.intro,
        **{f"title_{name}": heading for name, heading in front.headings.items()},
        "about_data_note": ABOUT_DATA_NOTE if synthetic else "",
        "teaching_note": TEACHING_NOTE if synthetic else "",
        "about_data_ref": ", {ref}`about-data`" if synthetic else "",
        "about_data_sentence": (
            " {ref}`about-data` shows how the synthetic corpus was calibrated." if synthetic else ""
        ),
        **citation_substitutions(repository),
    }
    config["sphinx"]["config"]["compendium_links"] = home_links(repository, pdf)
    if synthetic:
        config.setdefault("html", {})["announcement"] = SYNTHETIC_ANNOUNCEMENT
    # The colophon: which version and commit of the compendium built the book.
    changes = f' (<a href="{repository}/blob/main/CHANGELOG.md">changes</a>)' if repository else ""
    config.setdefault("html", {})["extra_footer"] = (
        f"<p>Built with datasaveslives {__version__}, {colophon_commit()}{changes}.</p>"
    )
    if repository:
        config["repository"] = {"url": repository, "branch": "main"}
        config.setdefault("html", {})["use_repository_button"] = True
        config["launch_buttons"] = {
            "binderhub_url": BINDER_URL,
            "notebook_interface": "jupyterlab",
        }
    (layout.stage / "_config.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    toc = yaml.safe_load(paths.TOC.read_text(encoding="utf-8"))
    if not synthetic:  # the chapters on the synthetic corpus belong to books built on it
        own = {"about_data", "teaching"}  # its calibration; exercises written for its data
        toc["chapters"] = [c for c in toc["chapters"] if c["file"].removeprefix("book/") not in own]
        for name in own:
            (layout.stage / "book" / f"{name}.md").unlink()
    (layout.stage / "_toc.yml").write_text(
        yaml.safe_dump(toc, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def citation_substitutions(repository: str | None) -> dict[str, str]:
    """The "How to cite" section's references, from CITATION.cff: the compendium, and
    its preferred citation (the study whose analysis it re-runs) where it names one."""
    cff = citation.load()
    study = citation.preferred(cff)
    return {
        "cite_compendium": citation.compendium(cff, repository),
        "cite_study": (
            f"The compendium re-runs the analysis of a published study, its preferred "
            f"citation; please cite that study too: {study}"
            if study
            else ""
        ),
    }


def colophon_commit() -> str:
    """The commit that built the book, as its colophon says it: ``commit 1a2b3c4d5e6f``
    (``, with local changes`` when the tree differs from it), or that it was built
    outside a git checkout."""
    commit = provenance.git_commit()
    if commit.startswith("unknown"):
        return "outside a git checkout"
    head, _, dirty = commit.partition("+")
    return f"commit {head[:12]}" + (", with local changes" if dirty else "")


_LATEX_SPECIAL = {c: "\\" + c for c in "#$%&_{}"}


def latex_escape(text: str) -> str:
    """``text`` safe in a LaTeX title (``#datasaveslives`` -> ``\\#datasaveslives``)."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def tex_missing() -> list[str]:
    """The TeX programs a PDF build needs that this machine lacks."""
    return [p for p in ("xelatex", "latexmk") if shutil.which(p) is None]


def jupyter_book(layout: RunLayout, builder: str = "html", strict: bool = True) -> Path:
    """Run ``jupyter-book build`` on the staged book; return the output folder."""
    out = layout.root / "jb"
    cmd = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(layout.stage),
        "--path-output",
        str(out),
        "--builder",
        builder,
        "--all",
    ]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    log = layout.root / f"jupyter-book-{builder}.log"
    log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        problems = [
            line
            for line in (proc.stdout + proc.stderr).splitlines()
            if "WARNING" in line or "ERROR" in line or "Error" in line
        ]
        detail = "\n  ".join(problems[-15:]) or (proc.stderr or proc.stdout)[-2000:]
        raise BuildError(f"jupyter-book {builder} build failed (log: {log}):\n  {detail}")
    return out / "_build" / ("latex" if builder == "pdflatex" else builder)
