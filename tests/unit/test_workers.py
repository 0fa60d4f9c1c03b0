"""workers.in_order gives results in task order; the renderers are imported once per process, then frozen."""

from __future__ import annotations

import os

from briefgen import workers


class ParentOf:
    """A worker that answers each task with its process's parent (importable by name, as in_order asks)."""

    def __init__(self, offset: int):
        self.offset = offset

    def __call__(self, task: int) -> tuple[int, int]:
        return task + self.offset, os.getppid()


def test_results_come_in_task_order_from_worker_processes():
    answers = list(workers.in_order(ParentOf, (100,), list(range(20)), 2))
    assert [value for value, _ in answers] == list(range(100, 120))
    assert {parent for _, parent in answers} == {os.getpid()}  # forked from this process


def test_importing_the_renderers_leaves_the_collector_on_and_their_objects_frozen():
    """The imports run without the cyclic collector (it walked their objects again and again); it is on again
    afterwards, and what they made is frozen, out of every later collection's way."""
    import subprocess
    import sys

    probe = ("import gc; from briefgen import pipeline; pipeline._import_renderers(); "
             "print(gc.isenabled(), gc.get_freeze_count() > 0)")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "True True\n"


def test_the_renderers_are_frozen_once_not_again_with_each_rounds_garbage():
    """``watch`` renders round after round in one process: a freeze each round would keep that round's garbage."""
    import gc

    from briefgen import pipeline

    pipeline._import_renderers()
    gc.unfreeze()
    try:
        pipeline._import_renderers()
        assert gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()



def test_a_worker_whose_parent_ended_before_it_was_set_up_ends_at_once():
    """The parent killed between the fork and the worker's set-up: ``getppid()`` then already names init, so
    the worker is told the pid its parent had before forking, and ends instead of waiting for ever."""
    import subprocess
    import sys

    gone = subprocess.Popen(["true"])  # the parent that died in between: a pid that has been and gone
    gone.wait()
    probe = "import sys; from briefgen import workers; workers._end_with_parent(int(sys.argv[1])); print('overleefd')"
    worker = subprocess.run([sys.executable, "-c", probe, str(gone.pid)], capture_output=True, text=True, timeout=30)
    assert worker.returncode == -9 and "overleefd" not in worker.stdout, worker


class FirstOnly:
    """Answers the first task at once; every other task is still being read (a minute) when the test is over."""

    def __call__(self, task: int) -> int:
        if task:
            import time

            time.sleep(60)
        return task


def test_workers_killed_after_the_results_were_left_end_the_pool_without_a_thread_traceback(monkeypatch):
    """Ctrl-C or ``kill`` while briefgen waits for a letter leaves the results (here: closing them, as the
    KeyboardInterrupt raised in the wait does); a ``kill`` of briefgen's process group also kills the workers.
    The pool's own thread then fails the letters not done: a letter cancelled by the one who left made that
    thread die with InvalidStateError (``CANCELLED: <Future …>``) on stderr before 'briefgen: afgebroken'.

    The workers are killed only once the results were left, and the test waits for the pool's thread to take
    that in, before the pool is shut down: the order in which the race went wrong, every time."""
    import multiprocessing
    import signal
    import threading
    from concurrent.futures.process import _ExecutorManagerThread

    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda exc: failures.append(exc.exc_value))
    with workers.ordered(FirstOnly, (), list(range(workers.POOL_THRESHOLD * 2)), 2) as results:
        assert next(results) == 0
        results.close()  # type: ignore[attr-defined]  # a generator, left as by a KeyboardInterrupt
        pool_thread = next(t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread))
        processes = multiprocessing.active_children()
        assert len(processes) == 2
        for process in processes:
            os.kill(process.pid, signal.SIGTERM)  # a worker's SIGTERM is the default one: it ends there and then
        pool_thread.join(timeout=30)
        assert not pool_thread.is_alive()
    assert failures == []
