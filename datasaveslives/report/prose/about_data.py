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


def held_out(ok: int, figures: int) -> str:
    """How many held-out figures (which the generator cannot read) the corpus
    reproduces unaided; nothing when none is held out."""
    if not figures:
        return ""
    held = "1 held-out figure" if figures == 1 else f"{figures:,} held-out figures"
    if ok == figures:
        result = "it is within its tolerance" if figures == 1 else "all are within tolerance"
    elif ok == 0:
        result = "it misses its tolerance" if figures == 1 else "none is within tolerance"
    else:
        result = f"{ok:,} are within tolerance and {figures - ok:,} miss"
    return (
        f"The table also shows {held}, which neither the generator nor the seed search "
        f"can read (so they are not calibration targets): {result}; the reproduction "
        "report lists each with the size of its miss."
    )


def totals(registry: int, corpus_only: dict[str, int], coding_only: int = 0) -> str:
    """How the calibration's rows add up: the published figures the chapters compare
    (the registry's, the same rows as the reproduction report, which also compares the
    ``coding_only`` figures that need the themes chapter's coding) and the checks only
    the corpus can make (``corpus_only``: rows per section of the table)."""
    compared = (
        "none of the table's rows is a figure the chapters compare"
        if not registry
        else "1 of the table's rows is a published figure the chapters compare"
        if registry == 1
        else f"{registry:,} of the table's rows are the published figures the chapters compare"
    )
    also = (
        f", which also compares {coding_only:,} that need this run's coding (Table 4's codes)"
        if coding_only
        else ""
    )
    same = (
        f" (one registry, `datasaveslives/paper/registry.py`: the reproduction report's rows{also})"
        if registry
        else ""
    )
    n = sum(corpus_only.values())
    if not n:
        return f"{compared.capitalize()}{same}."
    other = (
        "the other is a check only the corpus can make"
        if n == 1
        else f"the other {n:,} are checks only the corpus can make"
    )
    where = ", ".join(f"{section}: {k:,}" for section, k in corpus_only.items())
    return f"{compared[0].upper()}{compared[1:]}{same}; {other} ({where})."
