"""One way to spread per-letter work over ``settings.jobs`` processes (build, check, list).

Each worker process makes its own worker object once (a Session reads organisations and templates
once per process); tasks and results cross processes, so both must be small and picklable.
Results come back in task order: output does not depend on the number of processes.

A worker ends with the main process, however that ends: Ctrl-C and ``kill`` end the pool in order (the
main process waits for the letters begun), ``kill -9`` leaves the workers without anyone to tell them,
so each asks the kernel to end it with its parent (PR_SET_PDEATHSIG; elsewhere a thread watches the parent).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from briefgen.problems import BriefgenError

if TYPE_CHECKING:
    from concurrent.futures import Future

POOL_THRESHOLD = 8  # below this, starting worker processes costs more than it saves
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_HELD = {signal.SIGINT, signal.SIGTERM}
_PARENT_POLL_SECONDS = 0.5  # where the kernel cannot: how often a worker looks whether its parent is still there
WORKER_ENDED = ("een werkproces van briefgen is onverwacht gestopt (door een ander programma beëindigd of door "
                "geheugengebrek); de opdracht is niet afgemaakt")

T = TypeVar("T")
R = TypeVar("R")

_worker: Callable[[Any], Any] | None = None  # the pool worker process's own worker object
# Made and prepared before the fork, with the factory and args it was made from: each worker process's copy is
# its own. Set only while this pool's workers are forked; a worker process takes it only for its own factory.
_prepared: tuple[Callable[..., Any], tuple[Any, ...], Callable[[Any], Any]] | None = None


def in_order(factory: Callable[..., Callable[[T], R]], args: tuple[Any, ...], tasks: Sequence[T], jobs: int) -> Iterator[R]:
    """``factory(*args)(task)`` for every task, in order; in ``jobs`` processes for a large batch.

    ``factory`` must be importable by name (a module-level class or function) and ``args`` picklable.
    """
    with ordered(factory, args, tasks, jobs) as results:
        yield from results


@contextmanager
def ordered(factory: Callable[..., Callable[[T], R]], args: tuple[Any, ...], tasks: Sequence[T], jobs: int,
            prepare: Callable[[Any], None] | None = None, salvage: bool = False) -> Iterator[Iterator[R]]:
    """:func:`in_order`, with its worker processes forked as the block opens.

    A fork copies only the forking thread: a lock that another thread held at that moment stays locked
    in the child for good. Opened before any thread is started, the pool forks from a single thread.
    Without a pool nothing happens until the first result is asked for.

    ``prepare``: with a pool, the worker object is made here and ``prepare(worker)`` run on it before the
    fork, and each worker process starts from its own copy: what every process would do first is done
    once. Without a pool it is not run (a few letters need only what they use). The prepared object is
    handed over only while this pool's workers are forked: a pool started inside the block makes its own.

    The workers are forked, whatever the platform's default start method (a spawned or forkserver worker
    would start from nothing: no prepared object, the renderers imported again).

    ``salvage``: when a worker dies on its own, the results the other workers finished after its letters are given
    (out of order) before the Dutch message: a build records the letters they wrote.
    """
    global _prepared
    if jobs > 1 and len(tasks) >= POOL_THRESHOLD:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing: not for a build with nothing to do

        pool = None
        try:
            if prepare is not None:
                prepared = factory(*args)
                prepare(prepared)
                _prepared = (factory, args, prepared)
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=_start,
                                       initargs=(factory, args, os.getpid()))
            size = max(1, len(tasks) // (jobs * 8))
            # Submitting forks every worker (the fork start method starts them all at the first task).
            with _signals_held(), _ended_worker_reported():  # a worker may die before the last chunk is given
                chunks = [pool.submit(_call_each, tasks[i:i + size]) for i in range(0, len(tasks), size)]
            _prepared = None  # every worker is forked: nothing of it for a pool started in the block
            yield _collected(chunks, salvage)
        finally:
            _prepared = None
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)  # left early: letters not yet begun are not read
    else:
        yield _each(factory, args, tasks)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and ``kill`` wait while the workers are forked, then take effect.

    Raised in the fork's own handlers (logging's locks), Python only prints the KeyboardInterrupt and goes
    on; a worker forked meanwhile inherits the held signals and takes them once it can (:func:`_start`).
    """
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _collected(chunks: list[Future[list[R]]], salvage: bool = False) -> Iterator[R]:
    """The results of each chunk of tasks, in order, as they come; never cancels a chunk.

    Left early (Ctrl-C, ``kill``), the chunks not yet begun are cancelled by the pool's shutdown, in the pool's
    own thread. ``Executor.map`` cancels them here, in the main thread, and races that thread: when the
    workers die meanwhile (``kill`` of briefgen's process group), it marks every chunk not done as failed,
    and one cancelled here stops it with InvalidStateError (a traceback on stderr, the other workers not
    ended). From 3.12 Python ignores that error (gh-107219); 3.11 does not.

    A worker that died on its own ends the command in Dutch; with ``salvage``, after the results of the later chunks
    the other workers finished (out of order): a build records the letters they wrote (a DOCX-only build writes in
    the worker).
    """
    from concurrent.futures.process import BrokenProcessPool

    chunks.reverse()
    while chunks:
        try:
            results = chunks.pop().result()  # popped: a chunk's results are not kept once given
        except BrokenProcessPool:
            break
        yield from results
    else:
        return
    finished = [chunk for chunk in reversed(chunks) if chunk.done() and not chunk.cancelled() and chunk.exception() is None]
    for chunk in finished if salvage else ():
        yield from chunk.result()
    raise BriefgenError(WORKER_ENDED)


@contextmanager
def _ended_worker_reported() -> Iterator[None]:
    """A worker that died on its own (``kill -9`` of it, the out-of-memory killer) ends the command in Dutch."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        yield
    except BrokenProcessPool:
        raise BriefgenError(WORKER_ENDED) from None


def _each(factory: Callable[..., Callable[[T], R]], args: tuple[Any, ...], tasks: Sequence[T]) -> Iterator[R]:
    yield from map(factory(*args), tasks)


def _start(factory: Callable[..., Callable[[Any], Any]], args: tuple[Any, ...], parent: int) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle, once
    # The main process's SIGTERM handler (start.py) raises KeyboardInterrupt: here a traceback, not an end.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held while it was forked (_signals_held)
    _end_with_parent(parent)
    prepared = _prepared
    _worker = prepared[2] if prepared is not None and prepared[:2] == (factory, args) else factory(*args)


def _end_with_parent(parent: int) -> None:
    """Have this worker killed as soon as ``parent``, the process that started it, ends (also by ``kill -9``).

    The pipes a forked worker reads its tasks from are open in the worker itself too: without its
    parent it would wait for a task for ever. ``parent`` is the pid the parent had before it forked:
    asked here, ``getppid()`` already names init when the parent died in between.
    """
    if not _kernel_ends_us_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), name="briefgen-ouder", daemon=True).start()
    elif os.getppid() != parent:  # the parent ended before the kernel was asked
        os.kill(os.getpid(), signal.SIGKILL)


def _kernel_ends_us_with_parent() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0), ctypes.c_ulong(0),
                          ctypes.c_ulong(0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


def _call_each(tasks: Sequence[Any]) -> list[Any]:
    assert _worker is not None, "started by _start"
    return [_worker(task) for task in tasks]
