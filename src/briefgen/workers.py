"""One way to spread per-letter work over ``settings.jobs`` processes (build, check, list).

Each worker process makes its own worker object once (a Session reads organisations and templates
once per process); tasks and results cross processes, so both must be small and picklable.
Results come back in task order: output does not depend on the number of processes.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

POOL_THRESHOLD = 8  # below this, starting worker processes costs more than it saves

T = TypeVar("T")
R = TypeVar("R")

_worker: Callable[[Any], Any] | None = None  # the pool worker process's own worker object


def in_order(factory: Callable[..., Callable[[T], R]], args: tuple[Any, ...], tasks: Sequence[T], jobs: int) -> Iterator[R]:
    """``factory(*args)(task)`` for every task, in order; in ``jobs`` processes for a large batch.

    ``factory`` must be importable by name (a module-level class or function) and ``args`` picklable.
    """
    with ordered(factory, args, tasks, jobs) as results:
        yield from results


@contextmanager
def ordered(factory: Callable[..., Callable[[T], R]], args: tuple[Any, ...], tasks: Sequence[T], jobs: int) -> Iterator[Iterator[R]]:
    """:func:`in_order`, with its worker processes forked as the block opens.

    A fork copies only the forking thread: a lock that another thread held at that moment stays locked
    in the child for good. Opened before any thread is started, the pool forks from a single thread.
    Without a pool nothing happens until the first result is asked for.
    """
    if jobs > 1 and len(tasks) >= POOL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing: not for a build with nothing to do

        pool = ProcessPoolExecutor(jobs, initializer=_start, initargs=(factory, args))
        try:
            # Submitting forks every worker (the fork start method starts them all at the first task).
            yield pool.map(_call, tasks, chunksize=max(1, len(tasks) // (jobs * 8)))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # left early: letters not yet begun are not read
    else:
        yield _each(factory, args, tasks)


def _each(factory: Callable[..., Callable[[T], R]], args: tuple[Any, ...], tasks: Sequence[T]) -> Iterator[R]:
    yield from map(factory(*args), tasks)


def _start(factory: Callable[..., Callable[[Any], Any]], args: tuple[Any, ...]) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle, once
    _worker = factory(*args)


def _call(task: Any) -> Any:
    assert _worker is not None, "started by _start"
    return _worker(task)
