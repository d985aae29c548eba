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


def not_measured() -> str:
    """What the page says before any benchmark has run: how to produce one."""
    return (
        "No benchmark has been run for this build: `make bench` measures this machine, and "
        "the next `make book` shows the results here."
    )


def run(measured_at: str, machine_text: str) -> str:
    """When and where the benchmarks ran."""
    return f"Measured {measured_at} on {machine_text}."


def reading() -> str:
    """How to read the table of measurements."""
    return (
        "A ratio below 1 means faster than the baseline of the same run. Peak memory is the "
        "largest resident size of any one process of the step (for a book build: the build, "
        'the notebook kernels, jupyter-book); "all processes" is the largest total of the '
        "step's processes running at once, sampled every 50 ms (what the step asks of the "
        "machine, and what the memory targets are about)."
    )


def targets_met(met: int, targets: int) -> str:
    """How many of the project's targets this measurement meets."""
    if not targets:
        return "**Targets.** The project sets no target this measurement covers."
    if met == targets:
        every = "the one target is" if targets == 1 else f"all {targets} targets are"
        return f"**Targets.** In this measurement {every} met:"
    return f"**Targets.** {met} of the {targets} targets are met in this measurement:"


def ingestion() -> str:
    """Why ingestion costs several times the bare parse, and how large archives run."""
    return (
        "Ingestion reads every record in Python, so that each one is kept, filtered or "
        "quarantined with its file, line and reason; that costs several times the bare JSON "
        "parse of the same file (the ratio in the table). A large archive is ingested in "
        "parallel processes instead, one file or one piece of a large JSON-lines file each "
        "(a gzip file is decompressed piece by piece into scratch files as the processes "
        "free up), and the parts are merged out of core by DuckDB, which bounds memory by "
        'the largest piece rather than the archive (the "large file" rows compare one '
        "process with two; the 5 GB rows, when measured with `make bench HUGE=5`, show the "
        "memory of a single file of that size). A bulk path through DuckDB's own JSON "
        "reader, exact to the line, was tried and found slower than the careful reader on "
        "this machine; the README says why."
    )


def summary(measured: bool, met: int, targets: int) -> str:
    """The page's summary: the measurement and its targets, or how to make one."""
    if not measured:
        return "This build has no measurement to show; `make bench` makes one."
    if not targets:
        met_text = "no target of the project applies to it"
    elif met == targets:
        met_text = "it meets the one target" if targets == 1 else f"it meets all {targets} targets"
    else:
        met_text = f"it meets {met} of the {targets} targets"
    return (
        f"The table above is this machine's latest measurement: {met_text}; a target not "
        "met, or not measured, says so rather than being left out."
    )


def duration(seconds: float) -> str:
    """A duration in the unit a reader would use (``45 s``, ``12 minutes``, ``3 hours``)."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def memory(mib: float) -> str:
    """An amount of memory (``850 MiB``, ``3.2 GiB``)."""
    return f"{mib:,.0f} MiB" if mib < 1024 else f"{mib / 1024:,.1f} GiB"


def no_scaling(sizes: int) -> str:
    """Why the page has no scaling table, and how to make one."""
    measured = "no size was" if sizes == 0 else "only one size was"
    return (
        f"**How it grows.** How the book's time and memory grow with the corpus is not "
        f"shown: {measured} "
        "measured. `make bench SCALE=10,100` builds the whole book on corpora 10 and 100 "
        "times the size of this one as well, and the next `make book` shows the growth here."
    )


def scaling(
    sizes: int,
    time_exponent: float,
    memory_exponent: float,
    time_at: dict[int, float],
    memory_at: dict[int, float],
    machine_gib: float,
    recent_time: float = float("nan"),
    recent_memory: float = float("nan"),
) -> str:
    """How time and memory grew over the sizes measured, and what that projects for
    larger corpora, with where such a build would have to run."""
    if not time_at:
        return no_scaling(sizes)
    projected = ", and ".join(
        f"about {duration(time_at[size])} and {memory(memory_at[size])} at {size:,}×"
        if size in memory_at
        else f"about {duration(time_at[size])} at {size:,}×"
        for size in sorted(time_at)
    )
    too_big = [size for size, mib in sorted(memory_at.items()) if mib > machine_gib * 1024]
    where = (
        f" From {too_big[0]:,}× on, that is more memory than this machine's "
        f"{machine_gib:g} GiB: the ingestion could run on a cluster already "
        "(`build --scheduler`), but the chapters hold their tables in memory and would not "
        "fit."
        if too_big
        else f" Both fit this machine's {machine_gib:g} GiB of memory."
    )
    return (
        f"**How it grows.** Over the {sizes} sizes measured (a first build, every cache "
        f"empty), the whole book's time grew as the size of the "
        f"corpus to the power {time_exponent:.2f} and the memory of all its processes to "
        f"the power {memory_exponent:.2f} (1 would be in proportion; fitted on the "
        f"logarithms); between the two largest sizes, where a build's fixed costs weigh "
        f"least, to the powers {recent_time:.2f} and {recent_memory:.2f}. At those last "
        f"rates a first build would take {projected}.{where} "
        "These are projections, not measurements."
    )
