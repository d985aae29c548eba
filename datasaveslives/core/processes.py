"""Worker processes that never outlive the build that started them.

A build runs its notebooks in a pool of worker processes, and each worker starts a
Jupyter kernel. Interrupted (Ctrl-C, ``SIGTERM``) the build kills its workers and
their kernels before it returns; killed outright (``SIGKILL``), its workers are told
by the kernel (Linux's parent-death signal: the workers are children of Python's fork
server, which exits when the build dies) and kill their kernels and themselves.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import psutil

_PR_SET_PDEATHSIG = 1


def _kill_tree(pids: Iterable[int]) -> None:
    """Kill the processes ``pids`` and all their descendants (children first listed)."""
    doomed: list[psutil.Process] = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(pid)
            doomed += [*root.children(recursive=True), root]
    for proc in doomed:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(doomed, timeout=5)


def kill_descendants() -> None:
    """Kill every process this one started (and theirs)."""
    _kill_tree(child.pid for child in psutil.Process().children())


def _on_terminate(signum: int, frame: object) -> None:
    kill_descendants()
    os._exit(128 + signum)


def die_with_parent() -> None:
    """Set up a worker process (a pool's ``initializer``): on ``SIGTERM``, and when the
    process that started it dies (Linux), it kills its kernels and exits."""
    signal.signal(signal.SIGTERM, _on_terminate)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before the signal was asked for
            _on_terminate(signal.SIGTERM, None)


T = TypeVar("T")


def fresh_pool(workers: int, preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that do not copy this one: each is forked from a
    small server process (Python's ``forkserver``, which imports the modules ``preload``
    names once, before its first fork) rather than from the build, whose memory on a
    large corpus runs to gigabytes, and each runs one task and exits (what it held goes
    back to the system). Its workers die with the build (:func:`die_with_parent`).
    ``preload`` counts only for the first pool of a process (the server is shared)."""
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        max_tasks_per_child=1,
    )


def apart(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a child process forked from this one (it starts at once,
    with every module imported here), so that the memory it takes is the system's again
    when it returns; its result, or its exception, comes back as if called here."""
    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent
    ) as pool:
        return pool.submit(function, *args).result()


def kill_pool(pool: object) -> None:
    """Kill a ``ProcessPoolExecutor``'s workers and their kernels now (running
    notebooks included), so that shutting it down does not wait for them."""
    workers = getattr(pool, "_processes", None) or {}
    _kill_tree(list(workers))


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within this block, ``SIGTERM`` and ``SIGHUP`` (a closed terminal) interrupt like
    Ctrl-C (``KeyboardInterrupt``), so that the build's clean-up runs; the previous
    handlers are restored after. (Outside the main thread, signals cannot be handled:
    the block does nothing.)"""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, interrupt) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
