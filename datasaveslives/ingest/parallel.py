"""Ingesting a run's archives: in parallel pieces when they are large, and through the
ingestion cache.

Archives over ``PARALLEL_INGEST_BYTES`` are ingested as Dask tasks (``dask.distributed``),
one file or one piece of a large JSON-lines file per task, each writing its own tables,
which are then merged out of core (:mod:`datasaveslives.ingest.partitioned`); smaller
ones in this process (:func:`datasaveslives.ingest.ingestion.ingest`). Either way every
record is accounted for, and the tables are the same.

The tasks run on a ``LocalCluster`` of ``jobs`` single-threaded worker processes, or,
given a scheduler's address (``build --scheduler``, or ``DASK_SCHEDULER_ADDRESS``), on
that existing cluster (``dask-jobqueue`` on SLURM or PBS, Kubernetes, …), whose workers
must see the run's folder and the archives at the same paths (shared storage).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from datasaveslives.core import processes
from datasaveslives.core.files import sha256_of
from datasaveslives.core.params import Params
from datasaveslives.ingest import cache, ingestion, partitioned, readers
from datasaveslives.ingest.readers.csv_export import load_mapping

# Inputs larger than this are ingested in parallel processes, file by file and in
# pieces of large files, and merged out of core (datasaveslives/ingest/partitioned.py).
PARALLEL_INGEST_BYTES = 64 * 2**20


# The address of an existing Dask cluster's scheduler, when no other is given.
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"


def run_ingest(
    params: Params,
    out: Path,
    jobs: int = 2,
    part_bytes: int | None = None,
    scheduler: str | None = None,
) -> dict[str, Any]:
    """Ingest the data ``params`` names into the folder ``out``; return the report.

    Archives over ``PARALLEL_INGEST_BYTES`` (a gzip file counted at
    ``GZIP_RATIO`` times its size) are ingested ``jobs`` processes at a time, one file,
    or one piece of a large JSON-lines file (``part_bytes``; by default
    ``partitioned.PART_BYTES``, or a ``jobs``-th of the archive when that is smaller),
    per process, and merged by DuckDB: the same tables, in memory bounded by the
    largest piece rather than the archive. Pieces of a gzip file are decompressed into
    scratch files as they are taken, a few at a time. The processes are Dask workers:
    this machine's (:func:`dask_client`), or a cluster's at ``scheduler``."""
    mapping = load_mapping(params.resolve(params.csv_mapping)) if params.csv_mapping else None
    files, skipped = ingestion.expand_inputs(params.data_paths)
    expected = sum(_expected_bytes(f) for f in files)
    # Pieces small enough that every process has one (a single file just over the
    # threshold is cut in two), and no larger than a piece's memory allows.
    part_bytes = part_bytes or min(partitioned.PART_BYTES, -(-expected // jobs))
    if jobs > 1 and expected > PARALLEL_INGEST_BYTES:
        parts_dir = out.parent / (out.name + ".parts")
        if parts_dir.exists():
            shutil.rmtree(parts_dir)
        scratch = parts_dir / "scratch"
        units: Iterator[ingestion.Span] = (
            u for f in files for u in partitioned.pieces(f, part_bytes, scratch)
        )
        first = list(itertools.islice(units, 2))
        if len(first) > 1:
            # This process hashes the files that are cut while the pieces are ingested.
            cut = [f for f in files if _expected_bytes(f) > part_bytes]
            with ThreadPoolExecutor(max_workers=1) as hasher:
                sums = {str(f): hasher.submit(sha256_of, f) for f in cut}
                try:
                    units = itertools.chain(first, units)
                    parts = _ingest_parts(units, parts_dir, params, mapping, jobs, scheduler)
                    checksums = {path: s.result() for path, s in sums.items()}
                    # Merged in a child process: DuckDB's gigabytes on a large archive go
                    # back to the system instead of staying with the build.
                    merge = functools.partial(
                        partitioned.merge, skipped_files=skipped, checksums=checksums
                    )
                    return processes.apart(merge, parts, out)
                finally:
                    shutil.rmtree(parts_dir)
        shutil.rmtree(parts_dir, ignore_errors=True)
    report = ingestion.ingest(
        params.data_paths,
        out,
        hashtag=params.hashtag,
        window=params.window,
        csv_mapping=mapping,
    )
    return report.to_dict()


# A gzip-compressed JSON archive holds about this many times its size (tweets: 10-15).
GZIP_RATIO = 8


def _expected_bytes(path: Path) -> int:
    """About how many bytes ``path`` holds once read (a gzip file's, decompressed)."""
    size = path.stat().st_size
    return size * GZIP_RATIO if readers.is_gzip(path) else size


@contextlib.contextmanager
def dask_client(jobs: int, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client on the cluster whose scheduler is at ``scheduler`` (else at
    ``DASK_SCHEDULER_ADDRESS``), or on a ``LocalCluster`` of ``jobs`` single-threaded
    worker processes on this machine, stopped with the client."""
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get(SCHEDULER_VARIABLE)
    if address:
        with Client(address) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            memory_limit=0,  # a piece's memory is bounded by its size (partitioned.PART_BYTES)
            dashboard_address="127.0.0.1:0",  # any free port, this machine only
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _ingest_parts(
    units: Iterator[ingestion.Span],
    parts_dir: Path,
    params: Params,
    mapping: Any,
    jobs: int,
    scheduler: str | None = None,
) -> list[Path]:
    """Ingest each unit into a folder of its own under ``parts_dir``, one Dask task per
    unit, as many at a time as the cluster has worker threads; take units (which may
    decompress a piece) only as tasks finish, and delete a unit's scratch copy once it
    is ingested. The folders, in order. The first failure stops the run, with the
    reader's own error."""
    from distributed import wait

    parts: list[Path] = []
    # Task names unique to this ingestion: a shared cluster may run several builds at once.
    token = uuid.uuid4().hex[:12]
    with dask_client(jobs, scheduler) as client:
        slots = max(1, sum(client.nthreads().values()))
        running: dict[Any, ingestion.Span] = {}

        def settle(done: set[Any]) -> None:
            for future in done:
                unit = running.pop(future)
                future.result()  # an ingestion error stops the whole run
                if unit.source is not None:
                    unit.path.unlink(missing_ok=True)

        try:
            for unit in units:
                if len(running) >= slots:
                    settle(wait(list(running), return_when="FIRST_COMPLETED").done)
                parts.append(parts_dir / f"{len(parts):05d}")
                task = client.submit(
                    _ingest_one, unit, parts[-1], params, mapping,
                    key=f"ingest-{token}-{len(parts):05d}", pure=False,
                )  # fmt: skip
                running[task] = unit
            settle(wait(list(running)).done)
        except BaseException:
            client.cancel(list(running))
            raise
    return parts


def _ingest_one(unit: ingestion.Span, out: Path, params: Params, mapping: Any) -> None:
    ingestion.ingest(
        [unit.path],
        out,
        hashtag=params.hashtag,
        window=params.window,
        csv_mapping=mapping,
        span=None if unit.whole else unit,
        join_profiles=False,  # the merge joins every part's profiles to every part's users
    )


def ingest_key(params: Params) -> str:
    """The ingestion cache's key for ``params``: the inputs' content and the parameters
    ingestion depends on (:func:`cache.key`)."""
    return cache.key(
        params.data_paths,
        hashtag=params.hashtag,
        window=params.window,
        csv_mapping=params.resolve(params.csv_mapping) if params.csv_mapping else None,
    )


def cached_ingest(
    params: Params,
    out: Path,
    cache_dir: Path,
    jobs: int = 2,
    warn: Callable[[str], None] = lambda message: None,
    scheduler: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """:func:`run_ingest` through the ingestion cache (``cache_dir``, keyed by the
    inputs' content and the parameters ingestion depends on) into the folder ``out``;
    returns the report and whether it came from the cache."""
    entry = ingest_key(params)
    try:
        hit = cache.cached(
            cache_dir,
            entry,
            out,
            lambda folder: run_ingest(params, folder, jobs, scheduler=scheduler),
            warn,
        )
    except PermissionError as err:  # a read-only cache: ingest without it
        warn(f"warning: cannot write the ingestion cache {cache_dir} ({err.strerror}); "
             f"ingesting without it")  # fmt: skip
        return run_ingest(params, out, jobs=jobs, scheduler=scheduler), False
    return ingestion.load_report(out), hit
