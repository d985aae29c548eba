"""A run's folder, as the pipeline writes it and the chapters read it.

Papermill injects one value into a chapter, the run's folder (``run_dir``); everything
else a chapter needs is in that folder: the canonical tables, the results the chapters
save, the provenance, and the run's resolved parameters (``parameters.json``: the
values of ``params.yml`` with the build's options applied, written once by the
pipeline before any chapter runs). A chapter reads the values it uses with
:meth:`RunLayout.values`, so each value has one source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROVENANCE_FILE = "provenance.json"
PARAMETERS_FILE = "parameters.json"


class BuildError(RuntimeError):
    """A build step failed; the message names the step (and notebook cell)."""


class MissingParameter(KeyError):
    """A chapter asked for a value the run's parameters do not hold."""


@dataclass(frozen=True)
class RunLayout:
    """Where one run writes its products."""

    root: Path

    @property
    def tables(self) -> Path:
        return self.root / "tables"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def stage(self) -> Path:
        return self.root / "stage"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def coding(self) -> Path:
        return self.root / "coding"

    @property
    def derived(self) -> Path:
        return self.root / "derived"

    @property
    def provenance(self) -> Path:
        return self.root / PROVENANCE_FILE

    @property
    def parameters_file(self) -> Path:
        return self.root / PARAMETERS_FILE

    def write_parameters(self, values: dict[str, Any]) -> None:
        """Save the run's resolved parameters (JSON values only)."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.parameters_file.write_text(
            json.dumps(values, indent=2, sort_keys=True), encoding="utf-8"
        )

    def parameters(self) -> dict[str, Any]:
        """The run's resolved parameters (a clear error when the run has none)."""
        try:
            return json.loads(self.parameters_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(
                f"{self.parameters_file}: no resolved parameters; build the run first "
                "(python -m datasaveslives build)"
            ) from None

    def values(self, *names: str) -> Any:
        """The named parameters' values, in order (one name: the value itself)."""
        held = self.parameters()
        missing = [n for n in names if n not in held]
        if missing:
            raise MissingParameter(f"the run's parameters hold no {', '.join(missing)}")
        found = tuple(held[n] for n in names)
        return found[0] if len(found) == 1 else found
