"""One way to spread per-letter work over ``settings.jobs`` processes (build, check, list).

Each worker process makes its own worker object once (a Session reads organisations and templates
once per process); tasks and results cross processes, so both must be small and picklable.
Results come back in task order: output does not depend on the number of processes.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

POOL_THRESHOLD = 8  # below this, starting worker processes costs more than it saves

T = TypeVar("T")
R = TypeVar("R")

_worker: Callable[[Any], Any] | None = None  # the pool worker process's own worker object


def in_order(factory: Callable[..., Callable[[T], R]], args: tuple[Any, ...], tasks: Sequence[T], jobs: int, *,
             beside_threads: bool = False, preload: Sequence[str] = ()) -> Iterator[R]:
    """``factory(*args)(task)`` for every task, in order; in ``jobs`` processes for a large batch.

    ``factory`` must be importable by name (a module-level class or function) and ``args`` picklable.
    ``beside_threads``: other threads of this process are running (a build's PDF workers). fork() copies
    only the calling thread, so a lock one of them holds at that moment would stay held in the worker
    for ever; the workers are then started from a fork server, a fresh process without threads, which
    imports the modules of ``preload`` once for all of them.
    """
    if jobs > 1 and len(tasks) >= POOL_THRESHOLD:
        import multiprocessing  # not for a build with nothing to do
        from concurrent.futures import ProcessPoolExecutor

        context = None
        if beside_threads:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(list(preload))
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=(factory, args)) as pool:
            yield from pool.map(_call, tasks, chunksize=max(1, len(tasks) // (jobs * 8)))
    else:
        yield from map(factory(*args), tasks)


def _start(factory: Callable[..., Callable[[Any], Any]], args: tuple[Any, ...]) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle, once
    _worker = factory(*args)


def _call(task: Any) -> Any:
    assert _worker is not None, "started by _start"
    return _worker(task)
