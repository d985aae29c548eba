"""Chapters executed one after another in one kernel, for tests that run many of them.

A build executes every chapter with papermill in a kernel of its own. Tests that run
every chapter on many small scenarios would spend most of their time starting kernels
and importing pandas, scikit-learn and matplotlib again; here one kernel per scenario
runs the chapters in turn, with the same parameters papermill injects, and its
namespace is cleared before each chapter (``%reset -f``) so that no chapter sees
another's variables. The book tests still build with papermill, a kernel a chapter.
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

from datasaveslives import figure_glue, paths, pipeline

RESET = "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"


class Kernel:
    """One Python kernel running in ``folder`` (the staged book of a run)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.client = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name="python3",
            timeout=600,
            resources={"metadata": {"path": str(folder)}},
        )
        self.client.km = self.client.create_kernel_manager()
        # Unix sockets, not TCP ports, as the build's kernels (pipeline.execute_section).
        self.client.km.transport = "ipc"
        self.client.km.ip = str(folder.parent / "kernel")
        run_sync(self.client.async_start_new_kernel)()
        run_sync(self.client.async_start_new_kernel_client)()

    def execute(self, name: str, parameters: dict[str, Any]) -> Path:
        """Execute ``book/<name>.md`` with ``parameters`` (those its parameters cell
        declares); the executed notebook, written beside the staged chapters."""
        unexecuted = self.folder.parent / f"{name}.input.ipynb"
        jupytext.write(jupytext.read(paths.BOOK / f"{name}.md"), unexecuted)
        nb = load_notebook_node(str(unexecuted))  # as papermill reads it (tags, metadata)
        declared = {p.name for p in _infer_parameters(nb)}
        nb = parameterize_notebook(
            nb, {k: v for k, v in parameters.items() if k in declared}, kernel_name="python3"
        )
        nb.cells.insert(0, nbformat.v4.new_code_cell(RESET, metadata={"tags": ["remove-cell"]}))
        self.client.nb = nb
        self.client.reset_execution_trackers()
        try:
            self.client.execute(cleanup_kc=False)
        except CellExecutionError as err:
            raise pipeline.BuildError(f"notebook book/{name}.md failed: {err}") from None
        executed = self.folder / f"{name}.ipynb"
        nbformat.write(nb, executed)
        figure_glue.resolve(executed)  # as the build does
        return executed

    def close(self) -> None:
        self.client._cleanup_kernel()

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def execute_all(
    layout: pipeline.RunLayout, parameters: dict[str, Any], names: tuple[str, ...]
) -> dict[str, Path]:
    """Execute the chapters ``names`` in order in one kernel; the notebooks by name."""
    with Kernel(layout.stage / "book") as kernel:
        return {name: kernel.execute(name, parameters) for name in names}
