"""The "About the data" chapter's case-dependent phrases (``book/about_data.md``)."""

from __future__ import annotations


def this_run(synthetic: bool) -> str:
    """Whether this run analyses the synthetic corpus the chapter describes."""
    if synthetic:
        return "this run analyses it"
    return "this run analyses other data, so the table below describes the corpus, not this run"


def verdict(ok: int, figures: int) -> str:
    """How many calibrated figures hold."""
    if ok == figures:
        return "every figure is within its tolerance"
    outside = figures - ok
    if outside == 1:
        return "1 figure falls outside its tolerance"
    return f"{outside:,} figures fall outside their tolerance"
