"""Chapters executed one after another in one kernel, for tests that run many of them.

A build executes every chapter with papermill in a kernel of its own. Tests that run
every chapter on many small scenarios would spend most of their time starting kernels
and importing pandas, scikit-learn, SciPy and matplotlib again (about 8 s a kernel, for
chapters that take 6 s on small data); here one kernel per test process (the
``chapters`` fixture in conftest.py) runs every chapter in turn, with the parameters
papermill injects, in the chapter's staged folder, and with its namespace cleared first
so that no chapter sees another's variables. The book tests still build with papermill,
a kernel a chapter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.util import run_sync
from papermill.inspection import _infer_parameters
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from datasaveslives.report import figure_glue, notebooks, runs

# Run before each chapter: every variable of the chapter before is dropped (IPython's own
# names stay; `%reset -f` does the same but collects garbage twice, 0.5 s a chapter),
# figures are closed and the chapter runs in its folder, as papermill's cwd.
CLEAR = """\
def _clear(folder):
    import os

    import matplotlib.pyplot as plt

    shell = get_ipython()
    for name in [n for n in shell.user_ns if n not in shell.user_ns_hidden and n[:2] != "__"]:
        del shell.user_ns[name]
    plt.close("all")
    shell.execution_count = 0  # the chapter's first cell is [1], as in a kernel of its own
    os.chdir(folder)


_clear({folder!r})
"""


class Kernel:
    """One Python kernel; ``sockets`` is a folder for its Unix sockets."""

    def __init__(self, sockets: Path) -> None:
        self.client = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name="python3",
            timeout=600,
            resources={"metadata": {"path": str(sockets)}},
        )
        self.client.km = self.client.create_kernel_manager()
        # Unix sockets, not TCP ports, as the build's kernels (notebooks.execute_section).
        self.client.km.transport = "ipc"
        self.client.km.ip = str(sockets / "kernel")
        run_sync(self.client.async_start_new_kernel)()
        run_sync(self.client.async_start_new_kernel_client)()

    def execute(self, name: str, parameters: dict[str, Any], folder: Path) -> Path:
        """Execute ``book/<name>.md`` with ``parameters`` (those its parameters cell
        declares) in ``folder`` (the staged book of a run); the executed notebook,
        written there."""
        unexecuted = folder.parent / f"{name}.input.ipynb"
        jupytext.write(notebooks.source_notebook(name), unexecuted)
        nb = load_notebook_node(str(unexecuted))  # as papermill reads it (tags, metadata)
        declared = {p.name for p in _infer_parameters(nb)}
        nb = parameterize_notebook(
            nb, {k: v for k, v in parameters.items() if k in declared}, kernel_name="python3"
        )
        clear = CLEAR.format(folder=str(folder))
        nb.cells.insert(0, nbformat.v4.new_code_cell(clear, metadata={"tags": ["remove-cell"]}))
        self.client.nb = nb
        self.client.reset_execution_trackers()
        try:
            self.client.execute(cleanup_kc=False)
        except CellExecutionError as err:
            raise runs.BuildError(f"notebook book/{name}.md failed: {err}") from None
        executed = folder / f"{name}.ipynb"
        nb.cells.pop(0)  # the clearing cell: this kernel's, not the chapter's
        nbformat.write(nb, executed)
        # As the build does: the parameters cell collapsed, figures resolved, and the
        # notebook in place of its staged source (so Sphinx can build the folder).
        notebooks._tag_injected_parameters(executed)
        figure_glue.resolve(executed)
        (folder / f"{name}.md").unlink(missing_ok=True)
        return executed

    def run(
        self, layout: runs.RunLayout, parameters: dict[str, Any], names: tuple[str, ...]
    ) -> dict[str, Path]:
        """Execute the chapters ``names`` of the run ``layout`` in order; the executed
        notebooks by name."""
        folder = layout.stage / "book"
        folder.mkdir(parents=True, exist_ok=True)
        return {name: self.execute(name, parameters, folder) for name in names}

    def execute_all(
        self,
        layout: runs.RunLayout,
        parameters: dict[str, Any],
        phases: tuple[tuple[str, ...], ...],
        jobs: int = 1,
        log: Any = None,
        derive: bool = False,
    ) -> dict[str, Path]:
        """:func:`notebooks.execute_all` in this kernel (a build's ``execute``), the
        shared data derived first if ``derive``."""
        if derive:
            notebooks._derive(layout)
        return {k: v for phase in phases for k, v in self.run(layout, parameters, phase).items()}

    def close(self) -> None:
        self.client._cleanup_kernel()
