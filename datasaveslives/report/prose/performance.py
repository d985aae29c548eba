"""The Performance page's case-dependent phrases (``book/performance.md``)."""

from __future__ import annotations


def measured(at: str, quick: bool) -> str:
    """When the benchmarks ran, and whether it was a quick run."""
    return at + (" (quick run: one repeat, no book builds)" if quick else "")


def machine(m: dict[str, object]) -> str:
    """The machine the benchmarks ran on."""
    return (
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB of memory, "
        f"Python {m['python']} ({m['platform']})"
    )
