"""The build's worker processes: the chapters' pool does not copy the build's memory and
gives each notebook a process of its own; work done apart gives its memory back."""

from __future__ import annotations

import os

import pytest

from datasaveslives.core import processes

# Set by the test in this process after import: a worker forked from this process would
# see the change, one started by the fork server does not.
MARK = {"value": "as imported"}


def mark() -> str:
    return MARK["value"]


def pid(_: int = 0) -> int:
    return os.getpid()


def fail() -> None:
    raise ValueError("no such thing")


def test_a_fresh_pool_does_not_copy_this_process_and_runs_one_task_per_worker():
    MARK["value"] = "changed here"
    try:
        with processes.fresh_pool(1) as pool:
            assert pool.submit(mark).result() == "as imported"
            first, second = pool.submit(pid).result(), pool.submit(pid).result()
        assert len({first, second, os.getpid()}) == 3
    finally:
        MARK["value"] = "as imported"


def test_apart_returns_what_the_function_returns_from_another_process():
    MARK["value"] = "changed here"
    try:
        assert processes.apart(mark) == "changed here"  # forked: it sees this state
        assert processes.apart(pid) != os.getpid()
    finally:
        MARK["value"] = "as imported"


def test_apart_raises_the_functions_error_here():
    with pytest.raises(ValueError, match="no such thing"):
        processes.apart(fail)


def test_the_chapters_kernels_get_arrows_jemalloc_pool_unless_one_is_set(monkeypatch):
    import pyarrow

    from datasaveslives.report import notebooks

    monkeypatch.delenv(notebooks.ARROW_POOL_VARIABLE, raising=False)
    notebooks.kernel_memory_pool()
    try:
        pyarrow.jemalloc_memory_pool()
    except NotImplementedError:
        assert notebooks.ARROW_POOL_VARIABLE not in os.environ
    else:
        assert os.environ[notebooks.ARROW_POOL_VARIABLE] == "jemalloc"
    monkeypatch.setenv(notebooks.ARROW_POOL_VARIABLE, "system")
    notebooks.kernel_memory_pool()
    assert os.environ[notebooks.ARROW_POOL_VARIABLE] == "system"
