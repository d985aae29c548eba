"""The book pipeline: ingest, run each section notebook with papermill, build the book.

Section notebooks are MyST Markdown files in ``book/`` (jupytext). Each is
converted to a notebook, executed by papermill with the run's parameters
(in parallel), and placed in a staging copy of the book, which
jupyter-book then builds with notebook execution off and warnings as
errors. The finished HTML replaces the previous one only when everything
succeeded, so a failed build never leaves a half-built book in its place.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pandas as pd
import papermill
import yaml
from jupyter_client.manager import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError, strip_color
from traitlets import default

from datasaveslives.core import paths, processes, publication, study
from datasaveslives.core.files import sha256_of
from datasaveslives.core.params import Params
from datasaveslives.ingest import cache, ingestion, readers
from datasaveslives.ingest.readers.csv_export import load_mapping
from datasaveslives.privacy import policy
from datasaveslives.report import figure_glue, provenance
from datasaveslives.report.runs import RunLayout

# Notebooks executed by papermill, in book order; each is one chapter.
SECTIONS: tuple[str, ...] = (
    "data_methods",
    "frequency",
    "users",
    "network",
    "themes",
    "about_data",
)
# Pages that read across the sections' saved results: executed after them.
SUMMARIES: tuple[str, ...] = ("discussion", "reproduction", "performance")


class BuildError(RuntimeError):
    """A build step failed; the message names the step (and notebook cell)."""


def run_layout(run: str = "default", workdir: Path | None = None) -> RunLayout:
    """The folders of a run: ``workdir`` if given, else ``_build/runs/<run>``."""
    return RunLayout(Path(workdir) if workdir else paths.run_dir(run))


def html_folder(run: str = "default", workdir: Path | None = None) -> Path:
    """Where a run's HTML is published: ``_build/html`` for the default run, else
    ``html/`` in the run's folder."""
    if run == "default" and workdir is None:
        return paths.HTML
    return run_layout(run, workdir).root / "html"


def _log(message: str, started: float, quiet: bool) -> None:
    if not quiet:
        print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)


# Inputs larger than this are ingested in parallel processes, file by file and in
# pieces of large files, and merged out of core (datasaveslives/ingest/partitioned.py).
PARALLEL_INGEST_BYTES = 64 * 2**20


def run_ingest(
    params: Params,
    layout: RunLayout,
    out: Path | None = None,
    jobs: int = 2,
    part_bytes: int | None = None,
) -> dict[str, Any]:
    """Ingest the run's data into ``out`` (default ``layout.tables``); return the report.

    Archives over ``PARALLEL_INGEST_BYTES`` (a gzip file counted at
    ``GZIP_RATIO`` times its size) are ingested ``jobs`` processes at a time, one file,
    or one piece of a large JSON-lines file (``part_bytes``; by default
    ``partitioned.PART_BYTES``, or a ``jobs``-th of the archive when that is smaller),
    per process, and merged by DuckDB: the same tables, in memory bounded by the
    largest piece rather than the archive. Pieces of a gzip file are decompressed into
    scratch files as they are taken, a few at a time."""
    from datasaveslives.ingest import partitioned

    mapping = load_mapping(params.resolve(params.csv_mapping)) if params.csv_mapping else None
    out = out or layout.tables
    files, skipped = ingestion.expand_inputs(params.data_paths)
    expected = sum(_expected_bytes(f) for f in files)
    # Pieces small enough that every process has one (a single file just over the
    # threshold is cut in two), and no larger than a piece's memory allows.
    part_bytes = part_bytes or min(partitioned.PART_BYTES, -(-expected // jobs))
    if jobs > 1 and expected > PARALLEL_INGEST_BYTES:
        parts_dir = out.parent / (out.name + ".parts")
        if parts_dir.exists():
            shutil.rmtree(parts_dir)
        scratch = parts_dir / "scratch"
        units = (u for f in files for u in partitioned.pieces(f, part_bytes, scratch))
        first = list(itertools.islice(units, 2))
        if len(first) > 1:
            # This process hashes the files that are cut while the pieces are ingested.
            cut = [f for f in files if _expected_bytes(f) > part_bytes]
            with ThreadPoolExecutor(max_workers=1) as hasher:
                sums = {str(f): hasher.submit(sha256_of, f) for f in cut}
                try:
                    units = itertools.chain(first, units)
                    parts = _ingest_parts(units, parts_dir, params, mapping, jobs)
                    checksums = {path: s.result() for path, s in sums.items()}
                    return partitioned.merge(parts, out, skipped_files=skipped, checksums=checksums)
                finally:
                    shutil.rmtree(parts_dir)
        shutil.rmtree(parts_dir, ignore_errors=True)
    report = ingestion.ingest(
        params.data_paths,
        out,
        hashtag=params.hashtag,
        window=params.window,
        csv_mapping=mapping,
    )
    return report.to_dict()


# A gzip-compressed JSON archive holds about this many times its size (tweets: 10-15).
GZIP_RATIO = 8


def _expected_bytes(path: Path) -> int:
    """About how many bytes ``path`` holds once read (a gzip file's, decompressed)."""
    size = path.stat().st_size
    return size * GZIP_RATIO if readers.is_gzip(path) else size


def _ingest_parts(
    units: Iterator[ingestion.Span], parts_dir: Path, params: Params, mapping: Any, jobs: int
) -> list[Path]:
    """Ingest each unit into a folder of its own under ``parts_dir``, ``jobs`` at a time
    and in order; take units (which may decompress a piece) only as processes free
    up, and delete a unit's scratch copy once it is ingested. The folders, in order."""
    parts: list[Path] = []
    running: dict[Future[None], ingestion.Span] = {}

    def settle(done: set[Future[None]]) -> None:
        for future in done:
            unit = running.pop(future)
            future.result()  # an ingestion error stops the whole run
            if unit.source is not None:
                unit.path.unlink(missing_ok=True)

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for unit in units:
            if len(running) >= jobs:
                settle(wait(running, return_when=FIRST_COMPLETED).done)
            parts.append(parts_dir / f"{len(parts):05d}")
            running[pool.submit(_ingest_one, unit, parts[-1], params, mapping)] = unit
        settle(wait(running).done)
    return parts


def _ingest_one(unit: ingestion.Span, out: Path, params: Params, mapping: Any) -> None:
    ingestion.ingest(
        [unit.path],
        out,
        hashtag=params.hashtag,
        window=params.window,
        csv_mapping=mapping,
        span=None if unit.whole else unit,
        join_profiles=False,  # the merge joins every part's profiles to every part's users
    )


def cached_ingest(
    params: Params,
    layout: RunLayout,
    cache_dir: Path,
    jobs: int = 2,
    warn: Callable[[str], None] = lambda message: None,
) -> tuple[dict[str, Any], bool]:
    """:func:`run_ingest` through the ingestion cache (``cache_dir``, keyed by the
    inputs' content and the parameters ingestion depends on); returns the report
    and whether it came from the cache."""
    entry = cache.key(
        params.data_paths,
        hashtag=params.hashtag,
        window=params.window,
        csv_mapping=params.resolve(params.csv_mapping) if params.csv_mapping else None,
    )
    try:
        hit = cache.cached(
            cache_dir,
            entry,
            layout.tables,
            lambda folder: run_ingest(params, layout, folder, jobs),
            warn,
        )
    except PermissionError as err:  # a read-only cache: ingest without it
        warn(f"warning: cannot write the ingestion cache {cache_dir} ({err.strerror}); "
             f"ingesting without it")  # fmt: skip
        return run_ingest(params, layout, jobs=jobs), False
    return ingestion.load_report(layout.tables), hit


def notebook_parameters(params: Params, layout: RunLayout, **overrides: Any) -> dict[str, Any]:
    """Write the run's resolved parameters (``parameters.json``: ``params`` with the
    folders the chapters read, and any ``overrides``), and return what papermill injects
    into every chapter: the run's folder, relative to the folder the notebook runs in
    (the staged ``book/``), so that executed notebooks do not carry this machine's
    paths."""
    here = layout.stage / "book"
    values = {
        **params.notebook_parameters(),
        "corpus_dir": str(paths.SYNTHETIC),
        "cache_dir": str(paths.CACHE),
        "bench_file": str(paths.BENCH_REPORT),
    }
    layout.write_parameters({**values, **overrides})
    return {"run_dir": os.path.relpath(layout.root, here)}


def _tag_injected_parameters(notebook: Path) -> None:
    """Collapse papermill's injected-parameters cell (readers can expand it), and drop
    what differs from run to run or names this machine: papermill's timings and paths,
    the cells' execution times (the book publishes the notebooks)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill's id for it is random
            cell["source"] = _shown_paths(cell["source"], notebook.parent)
            if "hide-cell" not in tags:
                cell["metadata"]["tags"] = [*tags, "hide-cell"]
    nbformat.write(nb, notebook)


_QUOTED_PATH = re.compile(r'"((?:\.\./)+[^"]*|/[^"]+)"')  # relative upwards, or absolute
OUTSIDE = "<outside the project>"


def _shown_paths(source: str, folder: Path) -> str:
    """The injected parameters as the book shows them: a path into the project relative
    to its root (``data/allowlist.yml``), a path outside it by its file name only, so
    that no page shows where this machine keeps the project or a run (paths into the
    run's own folder, ``../../tables``, stay as they are)."""
    run = folder.parent.parent  # the run's folder (or its incoming/), from stage/book

    def shown(match: re.Match[str]) -> str:
        target = (folder / match.group(1)).resolve()
        if target.is_relative_to(run.resolve()):
            return match.group(0)
        if target.is_relative_to(paths.ROOT):
            return json.dumps(target.relative_to(paths.ROOT).as_posix())
        return json.dumps(f"{OUTSIDE}/{target.name}")

    changed = _QUOTED_PATH.sub(shown, source)
    if changed == source:
        return source
    return "# Paths into the project shown from its root; others by their file name.\n" + changed


TRACEBACK_LINES = 40


def last_frames(traceback: list[str], lines: int = TRACEBACK_LINES) -> str:
    """The end of a kernel's traceback as plain text (colours stripped): the last
    ``lines`` lines, which hold the innermost frames and the exception, indented."""
    text = strip_color("\n".join(traceback)).rstrip().splitlines()
    shown = text[-lines:]
    if len(text) > lines:
        shown.insert(0, f"... ({len(text) - lines} earlier lines of the traceback)")
    return "\n".join("  | " + line for line in shown)


def source_notebook(name: str) -> nbformat.NotebookNode:
    """``book/<name>.md`` as a notebook, its cells' ids numbered (not nbformat's random
    ones: the same source gives the same published notebook)."""
    notebook = jupytext.read(paths.BOOK / f"{name}.md")
    for number, cell in enumerate(notebook.cells):
        cell.id = f"{name}-{number}"
    return notebook


def execute_section(name: str, layout: RunLayout, parameters: dict[str, Any]) -> Path:
    """Convert ``book/<name>.md`` to a notebook and execute it into the staging book."""
    source = paths.BOOK / f"{name}.md"
    if not source.is_file():
        raise BuildError(f"section notebook {paths.rel(source)} does not exist")
    layout.notebooks.mkdir(parents=True, exist_ok=True)
    unexecuted = layout.notebooks / f"{name}.input.ipynb"
    jupytext.write(source_notebook(name), unexecuted)
    executed = layout.stage / "book" / f"{name}.ipynb"
    # Each notebook gets the parameters its `parameters` cell declares.
    declared = papermill.inspect_notebook(str(unexecuted))
    # Kernels talk over Unix sockets in a private folder, not TCP ports: notebooks run in
    # parallel processes, and two kernels picking the same free port made a build fail
    # ("Address already in use") on CI.
    sockets = tempfile.TemporaryDirectory(prefix="dsl-kernel-")

    class UnixSocketKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(sockets.name, "kernel")

    try:
        papermill.execute_notebook(
            str(unexecuted),
            str(executed),
            parameters={k: v for k, v in parameters.items() if k in declared},
            kernel_name="python3",
            kernel_manager_class=UnixSocketKernelManager,
            cwd=str(executed.parent),
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as err:
        first_line = err.source.strip().splitlines()[0] if err.source.strip() else ""
        raise BuildError(
            f"notebook book/{name}.md failed in cell {err.cell_index} "
            f"(`{first_line[:60]}`): {err.ename}: {err.evalue}\n"
            f"{last_frames(err.traceback)}\n"
            f"(the executed notebook, with every output: {paths.rel(executed)})"
        ) from None
    finally:
        sockets.cleanup()
    _tag_injected_parameters(executed)
    figure_glue.resolve(executed)
    (layout.stage / "book" / f"{name}.md").unlink(missing_ok=True)
    return executed


def execute_all(
    layout: RunLayout,
    parameters: dict[str, Any],
    phases: tuple[tuple[str, ...], ...] = (SECTIONS, SUMMARIES),
    jobs: int = 2,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, Path]:
    """Execute the notebooks of each phase, ``jobs`` at a time, a phase only once the
    one before it is done (the summaries read the sections' results); the executed
    notebooks by name, in phase order. The first failure stops the run
    (:class:`BuildError`): a notebook is handed to a process only when one is free, so
    none starts after a failure, and those running are stopped with their kernels (as
    on an interrupt; :mod:`processes`)."""
    executed: dict[str, Path] = {}
    for phase in phases:
        if not phase:
            continue
        workers = max(1, min(jobs, len(phase)))
        waiting = list(phase)
        running: dict[Future, str] = {}
        pool = ProcessPoolExecutor(max_workers=workers, initializer=processes.die_with_parent)
        try:
            while waiting or running:
                while waiting and len(running) < workers:
                    name = waiting.pop(0)
                    running[pool.submit(execute_section, name, layout, parameters)] = name
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    name = running.pop(future)
                    executed[name] = future.result()
                    log(f"executed {name}")
        except BaseException:
            # Interrupted or failed: no notebook runs on behind the build's back.
            processes.kill_pool(pool)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
    return {name: executed[name] for phase in phases for name in phase}


SYNTHETIC_ANNOUNCEMENT = (
    "Synthetic data: this book analyses a synthetic #datasaveslives corpus calibrated to "
    "the paper's published figures, not real tweets."
)


REPOSITORY_VARIABLE = "DATASAVESLIVES_REPOSITORY_URL"
BINDER_URL = "https://mybinder.org"


def repository_url() -> str | None:
    """The public repository the book's launch buttons point to: the
    ``DATASAVESLIVES_REPOSITORY_URL`` variable, else this clone's ``origin`` remote
    (as an https address); None when neither is set."""
    url = os.environ.get(REPOSITORY_VARIABLE, "").strip()
    return https_repository(url or provenance.git("remote", "get-url", "origin") or "")


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
    headings = study.chapter_titles(params.hashtag)
    if declared.declared:
        return Front(declared.title or declared.name, declared.description, headings)
    platform = platforms.words(platforms.report_platforms(report)).platform
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
) -> None:
    """A fresh copy of the book's sources and configuration to build from, titled and
    opened by ``front`` (default: the #datasaveslives study's, params.yml); on the
    synthetic corpus every HTML page carries a banner saying so and the book has its
    "About the data" chapter; with a ``repository`` address, pages link to it and
    launch their notebook on Binder."""
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
    }
    if synthetic:
        config.setdefault("html", {})["announcement"] = SYNTHETIC_ANNOUNCEMENT
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


def accounts(layout: RunLayout) -> list[str]:
    """Every account id of a run's tables: authors, the authors they share and quote,
    and the users table's (each gets a pseudonym, which must be unique)."""
    columns = ["author_id", "retweeted_author_id", "quoted_author_id"]
    posts = pd.read_parquet(layout.tables / ingestion.POSTS_FILE, columns=columns)
    users = pd.read_parquet(layout.tables / ingestion.USERS_FILE, columns=["user_id"])
    ids = pd.concat([posts[c] for c in columns] + [users["user_id"]]).dropna().astype(str)
    return sorted(set(ids) - {""})


def build(
    params: Params,
    *,
    run: str = "default",
    workdir: Path | None = None,
    html_out: Path | None = None,
    sections: tuple[str, ...] = SECTIONS,
    summaries: tuple[str, ...] = SUMMARIES,
    repository: str | None = None,
    cache: bool = True,
    jobs: int = 2,
    strict: bool = True,
    pdf: bool = False,
    quiet: bool = False,
    log: Callable[[str, float, bool], None] = _log,
    execute: Callable[..., dict[str, Path]] | None = None,
) -> Path:
    """Build the book for ``params``; return the folder holding its HTML.

    Products go to ``workdir`` (default ``_build/runs/<run>``); the HTML is
    published to ``html_out`` (default ``_build/html`` for the default run,
    ``<workdir>/html`` otherwise). With ``pdf``, the book is also typeset with
    XeLaTeX into ``datasaveslives.pdf`` beside the HTML folder. Launch buttons
    (Binder) point to ``repository`` (default: :func:`repository_url`). ``execute``
    runs the notebooks, with the arguments of :func:`execute_all` (the default: papermill,
    a kernel a notebook, ``jobs`` at a time).
    """
    started = time.monotonic()
    params.validate()
    repository = repository or repository_url()
    if pdf and tex_missing():
        raise BuildError(
            f"the PDF needs TeX ({', '.join(tex_missing())} not found): run "
            f".ci/install-system-packages.sh as root (Debian) first"
        )
    final = run_layout(run, workdir)
    target = html_out or html_folder(run, workdir)
    pdf_file = target.parent / PDF_FILE
    try:
        with publication.lock(final.root), processes.terminate_as_interrupt():
            # Everything is written into incoming/ and published whole at the end.
            layout = RunLayout(publication.fresh_incoming(final.root))
            built, latex = _build_into(
                params, layout, repository, sections, summaries, cache, jobs, strict, pdf,
                lambda m: log(m, started, quiet), execute,
            )  # fmt: skip
            if latex is not None:
                shutil.copy2(latex / PDF_FILE, pdf_file.with_name(PDF_FILE + ".incoming"))
            elif pdf_file.exists():
                pdf_file.unlink()  # a PDF of an older book: not this one
            publication.commit(final.root, built, target, pdf_file if latex else None)
    except publication.PublicationError as err:
        raise BuildError(str(err)) from None
    log(f"book written to {paths.rel(target)}/index.html", started, quiet)
    if latex is not None:
        log(f"PDF written to {paths.rel(pdf_file)}", started, quiet)
    return target


PDF_FILE = "datasaveslives.pdf"


def _build_into(
    params: Params,
    layout: RunLayout,
    repository: str | None,
    sections: tuple[str, ...],
    summaries: tuple[str, ...],
    cache: bool,
    jobs: int,
    strict: bool,
    pdf: bool,
    say: Callable[[str], None],
    execute: Callable[..., dict[str, Path]] | None,
) -> tuple[Path, Path | None]:
    """Ingest, execute and build into ``layout`` (a run's ``incoming/``); return the
    built HTML folder and the LaTeX folder holding the PDF (None without ``pdf``)."""
    say(f"ingesting {', '.join(params.data)}")
    try:
        if cache:
            report, hit = cached_ingest(params, layout, paths.CACHE / "ingest", jobs, say)
        else:
            report, hit = run_ingest(params, layout, jobs=jobs), False
    except ingestion.IngestError as err:
        raise BuildError(f"ingestion failed: {err}") from None
    say(
        f"ingested{' (from the cache: same inputs and parameters)' if hit else ''}: "
        f"{report['read']} read, {report['kept']} kept, {report['filtered']} "
        f"filtered, {report['duplicates']} duplicates, {report['quarantined']} quarantined",
    )
    if report["kept"] == 0:
        say(
            f"note: no post carries {params.hashtag or 'a hashtag'} in the window "
            f"{params.start or 'open'} to {params.end or 'open'}; the book will say so "
            f"(check --start/--end and --hashtag if that is not what you expect)",
        )
    layout.provenance.write_text(
        json.dumps(provenance.collect(params.notebook_parameters(), report), indent=2),
        encoding="utf-8",
    )

    try:
        # Made once, before the notebooks run in parallel, so they all use the same salt.
        salt = policy.SYNTHETIC_SALT if params.synthetic else policy.salt_from_env()
        policy.check_unique(accounts(layout), salt)
    except (policy.SaltError, policy.PseudonymCollision) as err:
        raise BuildError(str(err)) from None
    if not params.synthetic and not os.environ.get(policy.SALT_VARIABLE):
        say(
            f"pseudonyms use this machine's salt ({paths.rel(policy.default_salt_file())}); "
            f"set {policy.SALT_VARIABLE} to share stable pseudonyms with others",
        )
    stage_book(layout, params.synthetic, repository, front_matter(params, report))
    if not params.synthetic:
        sections = tuple(s for s in sections if s != "about_data")
    parameters = notebook_parameters(params, layout)
    say(f"executing {len(sections) + len(summaries)} notebook(s) with papermill")
    (execute or execute_all)(layout, parameters, (sections, summaries), jobs, say)

    say("building the book with jupyter-book")
    built = jupyter_book(layout, "html", strict=strict)
    if not pdf:
        return built, None
    say("typesetting the PDF with XeLaTeX")
    return built, jupyter_book(layout, "pdflatex", strict=strict)
