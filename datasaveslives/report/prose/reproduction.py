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
        "tolerances are those of `data/paper/calibration.yml`."
    )


def not_compared(declared: bool, left: int) -> str:
    """The published numbers this run leaves uncompared."""
    if not declared:
        return "There are no published numbers to list."
    return (
        f"These {left:,} published numbers are not compared, for the reason given (from "
        "`data/paper/not_compared.yml`)."
    )
