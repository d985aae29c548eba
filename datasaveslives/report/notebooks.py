"""Executing the chapters: each ``book/<name>.md`` (MyST Markdown, jupytext) converted to
a notebook and executed by papermill into the staged book, given the run's folder.

The chapters run in parallel processes, each as soon as what it reads is ready: the
data several chapters share is derived beside the chapters that do not read it, and the
pages that read the sections' saved results start once those sections are done (not
after every section); each kernel talks over a Unix socket and dies with the build. A
failing cell stops the build with the notebook, the cell and the innermost frames of
its traceback.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    wait,
)
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from papermill.exceptions import PapermillExecutionError, strip_color
from traitlets import default

from datasaveslives.core import paths, processes
from datasaveslives.core.params import Params
from datasaveslives.paper.reproduction import COMPARED_SECTIONS
from datasaveslives.report import figure_glue
from datasaveslives.report.runs import BuildError, RunLayout

# Notebooks executed by papermill, in book order; each is one chapter. The Performance
# appendix reads only the benchmark report, so it runs among them, not after.
SECTIONS: tuple[str, ...] = (
    "data_methods",
    "frequency",
    "users",
    "network",
    "themes",
    "about_data",
    "performance",
)


# Pages that read across the sections' saved results: executed after them.
SUMMARIES: tuple[str, ...] = ("multiverse", "discussion", "reproduction")

# The sections whose saved results each summary reads (the four results, which the
# reproduction report compares with the paper); a summary starts once these are done,
# while the other sections may still run. A page of a later phase not listed here
# waits for every chapter before it. tests/test_notebooks.py checks this against the
# chapters' code.
READS_RESULTS: dict[str, frozenset[str]] = {
    # The Discussion also points to the multiverse appendix for a finding that depends on
    # the analyst's choices.
    "discussion": frozenset({*COMPARED_SECTIONS, "multiverse"}),
    "reproduction": frozenset(COMPARED_SECTIONS),
    # The multiverse appendix varies the results from the tables; of the chapters' saved
    # results it reads only the themes' coded posts.
    "multiverse": frozenset({"themes"}),
}

# About how long each chapter takes to execute on the default corpus (seconds, measured
# one at a time): of the chapters ready to start, the longest starts first, so that the
# last to finish is a short one (the longest-first rule); unlisted ones count as short.
TYPICAL_SECONDS: dict[str, float] = {
    "multiverse": 20,
    "network": 11,
    "themes": 9.5,
    "users": 5.5,
    "frequency": 4.5,
    "about_data": 4,
    "reproduction": 2.5,
    "data_methods": 2,
    "discussion": 2,
}

# The chapters that read the data derived for several of them (report/derived.py: the
# network's groups, the coding order and sample); a build derives it as the first task
# among the chapters, and these start once it is done (the others beside it).
READS_DERIVED: frozenset[str] = frozenset({"frequency", "network", "themes"})
# The derivation's name among the running tasks and the chapters' prerequisites.
DERIVING = "the shared data"


def prepare(
    params: Params, layout: RunLayout, derive: bool = True, **overrides: Any
) -> dict[str, Any]:
    """Make the run ready for its chapters: write its resolved parameters
    (``parameters.json``: ``params`` with the folders the chapters read, and any
    ``overrides``) and, unless ``derive`` is false (:func:`execute_all` derives it
    then), the data they share (:func:`derived.derive`). Return what papermill injects
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
    if derive:
        # Apart: on a large corpus the network and the tables take gigabytes, which the
        # build's process would otherwise keep while the chapters run.
        processes.apart(_derive, layout)
    return {"run_dir": os.path.relpath(layout.root, here)}


def _derive(layout: RunLayout) -> None:
    """:func:`derived.derive` (imported here: not in the chapters' worker processes)."""
    from datasaveslives.report import derived

    derived.derive(layout)


def _tag_injected_parameters(notebook: Path) -> None:
    """Collapse papermill's injected-parameters cell (readers can expand it; it holds the
    run's folder, relative), and drop what differs from run to run or names this
    machine: papermill's timings and paths, the cells' execution times (the book
    publishes the notebooks)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill's id for it is random
            if "hide-cell" not in tags:
                cell["metadata"]["tags"] = [*tags, "hide-cell"]
    nbformat.write(nb, notebook)


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


ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


def kernel_memory_pool() -> None:
    """Have the chapters' kernels (started from this process) use Arrow's jemalloc
    allocator where this pyarrow has it, unless the variable is set already. Measured on
    the posts of the 100x corpus (2.1 million): reading the analysis columns leaves
    765 MB resident with jemalloc and 912 MB with mimalloc (pyarrow's default here), and
    dropping a 350 MB frame gives its memory back with jemalloc, not with mimalloc."""
    import pyarrow

    try:
        pyarrow.jemalloc_memory_pool()
    except NotImplementedError:  # a pyarrow built without it keeps its default
        return
    os.environ.setdefault(ARROW_POOL_VARIABLE, "jemalloc")


def kernel_log_file(layout: RunLayout, name: str) -> Path:
    """Where the kernel that runs chapter ``name`` writes its own messages."""
    return layout.notebooks / f"{name}.kernel.log"


def execute_section(name: str, layout: RunLayout, parameters: dict[str, Any]) -> Path:
    """Convert ``book/<name>.md`` to a notebook and execute it into the staging book
    (its kernel with :func:`kernel_memory_pool`)."""
    kernel_memory_pool()
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
    # The kernel's own messages (its start and shutdown: "KeyboardInterrupt caught in
    # kernel" when it is stopped after the last cell) go to the run's log of it, not to
    # the build's terminal; what the cells print is in the executed notebook.
    kernel_log = kernel_log_file(layout, name)
    log_file = kernel_log.open("w", encoding="utf-8")

    class UnixSocketKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(sockets.name, "kernel")

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw.setdefault("stdout", log_file)
            kw.setdefault("stderr", log_file)
            await super()._async_launch_kernel(kernel_cmd, **kw)

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
    except DeadKernelError:
        log_file.flush()
        said = kernel_log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        raise BuildError(
            f"the kernel running book/{name}.md died before the chapter finished (as a "
            f"kernel does when it runs out of memory or is killed); the end of its log "
            f"({paths.rel(kernel_log)}):\n"
            + "\n".join("  | " + line for line in said[-TRACEBACK_LINES:])
        ) from None
    finally:
        log_file.close()
        sockets.cleanup()
    if not kernel_log.stat().st_size:  # the kernel said nothing of its own
        kernel_log.unlink()
    _tag_injected_parameters(executed)
    figure_glue.resolve(executed)
    (layout.stage / "book" / f"{name}.md").unlink(missing_ok=True)
    return executed


def prerequisites(
    name: str, phases: tuple[tuple[str, ...], ...], derive: bool = False
) -> frozenset[str]:
    """What ``name`` waits for: the chapters whose results it reads
    (:data:`READS_RESULTS`; of any phase, among those run), or, for a page not listed
    there, every chapter of the earlier phases (none for a chapter of the first phase);
    and, when the run's shared data is derived among the chapters (``derive``), that
    derivation (:data:`DERIVING`) if it reads the data (:data:`READS_DERIVED`)."""
    before: list[str] = []
    for phase in phases:
        if name in phase:
            shared = {DERIVING} if derive and name in READS_DERIVED else set()
            if name in READS_RESULTS:  # what it reads, of any phase's chapters run
                run = {n for p in phases for n in p} - {name}
                return frozenset(READS_RESULTS[name] & run) | shared
            return frozenset(before) | shared
        before += phase
    raise ValueError(f"{name} is in none of the phases")


def startable(waiting: list[str], done: set[str], needs: dict[str, frozenset[str]]) -> list[str]:
    """Of the ``waiting`` chapters (longest first), those whose prerequisites
    (``needs``, :func:`prerequisites`) are all ``done``."""
    return [name for name in waiting if needs.get(name, frozenset()) <= done]


def execute_all(
    layout: RunLayout,
    parameters: dict[str, Any],
    phases: tuple[tuple[str, ...], ...] = (SECTIONS, SUMMARIES),
    jobs: int = 2,
    log: Callable[[str], None] = lambda message: None,
    derive: bool = False,
) -> dict[str, Path]:
    """Execute the notebooks of ``phases``, ``jobs`` at a time: of those whose
    prerequisites are done (:func:`prerequisites`: a later phase's page waits for the
    sections whose results it reads), the longest first (:data:`TYPICAL_SECONDS`); the
    executed notebooks by name, in phase order. ``derive``: the run's shared data is
    derived first, as one of the ``jobs`` (in a process of its own: on a large corpus it
    takes gigabytes), and the chapters that read it (:data:`READS_DERIVED`) wait for it
    while the others run beside it. The first failure stops the run
    (:class:`BuildError`): a notebook is handed to a process only when one is free, so
    none starts after a failure, and those running are stopped with their kernels (as
    on an interrupt; :mod:`processes`)."""
    names = [name for phase in phases for name in phase]
    if not names and not derive:
        return {}
    needs = {name: prerequisites(name, phases, derive) for name in names}
    waiting = sorted(names, key=lambda name: -TYPICAL_SECONDS.get(name, 0.0))
    executed: dict[str, Path] = {}
    finished: set[str] = set()  # the chapters executed, and DERIVING once derived
    running: dict[Future, str] = {}
    workers = max(1, min(jobs, len(names) + derive))
    pool = processes.fresh_pool(workers, preload=(__name__,))
    try:
        if derive:
            running[pool.submit(_derive, layout)] = DERIVING
        while waiting or running:
            ready = startable(waiting, finished, needs)
            while ready and len(running) < workers:
                name = ready.pop(0)
                waiting.remove(name)
                running[pool.submit(execute_section, name, layout, parameters)] = name
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                name = running.pop(future)
                if name == DERIVING:
                    future.result()
                    log("derived the network's groups and the coding order")
                else:
                    executed[name] = future.result()
                    log(f"executed {name}")
                finished.add(name)
    except BaseException:
        # Interrupted or failed: no notebook runs on behind the build's back.
        processes.kill_pool(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return {name: executed[name] for name in names}
