"""The reproduction report's case-dependent sentences (``book/reproduction.md``)."""

from __future__ import annotations


def caveat(compared: bool, synthetic: bool) -> str:
    """What agreement with the paper means on this run's data (nothing when no comparison
    is made)."""
    if not compared:
        return ""
    if synthetic:
        return (
            "This run analyses the synthetic corpus, which was built to match these figures: "
            "agreement here shows that the calibration holds and that the code computes what "
            "the paper computed, not that the paper's findings replicate on real posts."
        )
    return (
        "This run analyses real posts: where a figure falls outside its tolerance, the data "
        "(a different collection, deletions since) or the method (Gephi's and networkx's "
        "algorithms differ in detail) may explain it; the chapters give the details."
    )


def record(declared: bool, published: int, compared: int, within: int) -> str:
    """How many of the paper's published numbers this run compared, and how many agree."""
    if not declared:
        return (
            "This run declares no study with published figures, so there is no record to "
            "compare with."
        )
    return (
        f"The paper's record (`data/paper/published_figures.yml`) holds {published:,} "
        f"numbers; this run compared {compared:,} of them, and {within:,} are within their "
        "tolerance. *Equal* means equal at the paper's printed precision; the other "
        "tolerances are those of `data/paper/calibration.yml`, absolute (in percentage "
        "points for a percentage) or relative to the paper's value as each row says. A "
        "figure within its tolerance but using more than 80% of it is noted; a miss says "
        "by how many times its tolerance it misses."
    )


def not_compared(declared: bool, left: int) -> str:
    """The published numbers this run leaves uncompared."""
    if not declared:
        return "There are no published numbers to list."
    return (
        f"These {left:,} published numbers are not compared, for the reason given (from "
        "`data/paper/not_compared.yml`)."
    )


def bases(calibrated: tuple[int, int], held_out: tuple[int, int], meaning: dict[str, str]) -> str:
    """What the two kinds of compared figure mean, and how many of each agree
    (``calibrated``, ``held_out``: (within, compared); ``meaning``: registry.BASES)."""
    (cw, cn), (hw, hn) = calibrated, held_out
    if not cn and not hn:
        return "No figure is compared, so none is calibrated or held out."
    parts = []
    if cn:
        parts.append(
            f"**Calibrated** ({cw:,} of {cn:,} within tolerance): {meaning['calibrated']}."
        )
    if hn:
        parts.append(f"**Held-out** ({hw:,} of {hn:,} within tolerance): {meaning['held-out']}.")
    else:
        parts.append("No compared figure is held out from the calibration.")
    return " ".join(parts)


def tolerances_intro() -> str:
    """What the table of tolerances shows (on a run that compares figures)."""
    return (
        "Each tolerance is the project's choice or the paper's printing, never the paper's "
        "own uncertainty (which it does not state); this is where each used here comes "
        "from (`data/paper/calibration.yml`):"
    )
