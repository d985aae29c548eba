"""The book pipeline: ingest, run each section notebook with papermill, build the book.

Section notebooks are MyST Markdown files in ``book/`` (jupytext). Each is
converted to a notebook, executed by papermill with the run's parameters
(in parallel), and placed in a staging copy of the book, which
jupyter-book then builds with notebook execution off and warnings as
errors. The finished HTML replaces the previous one only when everything
succeeded, so a failed build never leaves a half-built book in its place.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from datasaveslives.core import paths, processes, publication
from datasaveslives.core.params import Params
from datasaveslives.ingest import ingestion, parallel
from datasaveslives.privacy import policy
from datasaveslives.report import build_key, notebooks, provenance, staging
from datasaveslives.report.notebooks import SECTIONS, SUMMARIES
from datasaveslives.report.runs import BuildError, RunLayout


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


def accounts(layout: RunLayout) -> list[str]:
    """Every account id of a run's tables: authors, the authors they share and quote,
    and the users table's (each gets a pseudonym, which must be unique)."""
    columns = ["author_id", "retweeted_author_id", "quoted_author_id"]
    posts = pd.read_parquet(layout.tables / ingestion.POSTS_FILE, columns=columns)
    users = pd.read_parquet(layout.tables / ingestion.USERS_FILE, columns=["user_id"])
    ids = pd.concat([posts[c] for c in columns] + [users["user_id"]]).dropna().astype(str)
    return sorted(set(ids) - {""})


def _check_pseudonyms(layout: RunLayout, salt: str) -> None:
    """Raise ``policy.PseudonymCollision`` if two of the run's accounts would share a
    pseudonym under ``salt``."""
    policy.check_unique(accounts(layout), salt)


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
    scheduler: str | None = None,
) -> Path:
    """Build the book for ``params``; return the folder holding its HTML.

    Products go to ``workdir`` (default ``_build/runs/<run>``); the HTML is
    published to ``html_out`` (default ``_build/html`` for the default run,
    ``<workdir>/html`` otherwise). With ``pdf``, the book is also typeset with
    XeLaTeX into ``datasaveslives.pdf`` beside the HTML folder (and a copy inside it,
    which every page links). Launch buttons
    (Binder) point to ``repository`` (default: :func:`repository_url`). With ``cache``,
    ingestion is taken from the cache when the same inputs were ingested before, and a
    build with nothing changed since the published book was built (``build_key``)
    returns at once. ``execute``
    runs the notebooks, with the arguments of :func:`execute_all` (the default: papermill,
    a kernel a notebook, ``jobs`` at a time). A large archive is ingested on the Dask
    cluster whose scheduler is at ``scheduler`` (default: ``DASK_SCHEDULER_ADDRESS``,
    else ``jobs`` processes of this machine; ``ingest.parallel``).
    """
    started = time.monotonic()
    params.validate()
    repository = repository or staging.repository_url()
    if pdf and staging.tex_missing():
        raise BuildError(
            f"the PDF needs TeX ({', '.join(staging.tex_missing())} not found): run "
            f".ci/install-system-packages.sh as root (Debian) first"
        )
    final = run_layout(run, workdir)
    target = html_out or html_folder(run, workdir)
    pdf_file = target.parent / PDF_FILE
    try:
        with publication.lock(final.root), processes.terminate_as_interrupt():
            # Everything the book depends on, as one digest: unchanged since the published
            # book was built (and that book whole), there is nothing to do.
            built_from = build_key.key(
                params, repository=repository, pdf=pdf, strict=strict, sections=sections,
                summaries=summaries,
            )  # fmt: skip
            wanted_pdf = pdf_file if pdf else None
            if cache and publication.up_to_date(final.root, target, wanted_pdf, built_from):
                log(
                    f"nothing changed since the last build (inputs, parameters, code, book "
                    f"and options): {paths.rel(target)}/index.html is up to date",
                    started,
                    quiet,
                )
                return target
            # Everything is written into incoming/ and published whole at the end.
            layout = RunLayout(publication.fresh_incoming(final.root))
            built, latex = _build_into(
                params, layout, repository, sections, summaries, cache, jobs, strict, pdf,
                lambda m: log(m, started, quiet), execute, scheduler,
            )  # fmt: skip
            if latex is not None:
                shutil.copy2(latex / PDF_FILE, pdf_file.with_name(PDF_FILE + ".incoming"))
            elif pdf_file.exists():
                pdf_file.unlink()  # a PDF of an older book: not this one
            published_pdf = pdf_file if latex else None
            publication.commit(final.root, built, target, published_pdf, built_from)
    except publication.PublicationError as err:
        raise BuildError(str(err)) from None
    log(f"book written to {paths.rel(target)}/index.html", started, quiet)
    if latex is not None:
        log(f"PDF written to {paths.rel(pdf_file)}", started, quiet)
    return target


PDF_FILE = staging.PDF_NAME


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
    scheduler: str | None = None,
) -> tuple[Path, Path | None]:
    """Ingest, execute and build into ``layout`` (a run's ``incoming/``); return the
    built HTML folder and the LaTeX folder holding the PDF (None without ``pdf``)."""
    say(f"ingesting {', '.join(params.data)}")
    try:
        if cache:
            store = paths.CACHE / "ingest"
            report, hit = parallel.cached_ingest(
                params, layout.tables, store, jobs, say, scheduler=scheduler
            )
        else:
            report = parallel.run_ingest(params, layout.tables, jobs=jobs, scheduler=scheduler)
            hit = False
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
        # In a child process: every account id of a large archive, held once, not kept.
        processes.apart(_check_pseudonyms, layout, salt)
    except (policy.SaltError, policy.PseudonymCollision) as err:
        raise BuildError(str(err)) from None
    if not params.synthetic and not os.environ.get(policy.SALT_VARIABLE):
        say(
            f"pseudonyms use this machine's salt ({paths.rel(policy.default_salt_file())}); "
            f"set {policy.SALT_VARIABLE} to share stable pseudonyms with others",
        )
    front = staging.front_matter(params, report)
    staging.stage_book(layout, params.synthetic, repository, front, pdf=pdf)
    if not params.synthetic:
        sections = tuple(s for s in sections if s != "about_data")
    # The shared data is derived among the chapters: those that do not read it run beside.
    parameters = notebooks.prepare(params, layout, derive=False)
    say(f"executing {len(sections) + len(summaries)} notebook(s) with papermill")
    (execute or notebooks.execute_all)(
        layout, parameters, (sections, summaries), jobs, say, derive=True
    )

    say("building the book with jupyter-book")
    built = staging.jupyter_book(layout, "html", strict=strict)
    if not pdf:
        return built, None
    say("typesetting the PDF with XeLaTeX")
    latex = staging.jupyter_book(layout, "pdflatex", strict=strict)
    # Published with the HTML too, where every page links it (staging.home_links).
    shutil.copy2(latex / PDF_FILE, built / PDF_FILE)
    return built, latex
