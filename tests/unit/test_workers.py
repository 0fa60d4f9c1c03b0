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


class Counting:
    """A worker that says how often a worker object was made in its process and whether it was prepared."""

    made = 0

    def __init__(self, offset: int):
        Counting.made += 1
        self.offset = offset
        self.prepared_in = 0

    def prepare(self) -> None:
        self.prepared_in = os.getpid()

    def __call__(self, task: int) -> tuple[int, int, int, int]:
        return task + self.offset, Counting.made, self.prepared_in, os.getpid()


def test_a_prepared_worker_is_made_once_before_the_fork_and_copied_into_every_process():
    """What every render process would do first (read the organisations, check the templates) is done once:
    the worker object is made and prepared here, and each worker process starts from its copy."""
    Counting.made = 0
    with workers.ordered(Counting, (100,), list(range(20)), 2, prepare=Counting.prepare) as results:
        answers = list(results)
    assert [value for value, *_ in answers] == list(range(100, 120))
    assert {(made, prepared) for _, made, prepared, _ in answers} == {(1, os.getpid())}  # made and prepared here only
    assert os.getpid() not in {pid for *_, pid in answers}  # yet answered in the worker processes
    assert workers._prepared is None  # nothing of this pool is left for the next one


def test_without_a_pool_nothing_is_prepared():
    """A few letters are read in this process as they come: checking every house style first would cost more."""
    Counting.made = 0
    with workers.ordered(Counting, (0,), [1, 2], 2, prepare=Counting.prepare) as results:
        answers = list(results)
    assert [(value, made, prepared) for value, made, prepared, _ in answers] == [(1, 1, 0), (2, 1, 0)]


def test_a_pool_started_inside_a_prepared_pools_block_makes_its_own_workers():
    """The prepared object is this pool's only: another pool opened while its results are read (check and list
    use the same workers) answers with its own worker, not the prepared one."""
    with workers.ordered(Counting, (100,), list(range(20)), 2, prepare=Counting.prepare) as results:
        inner = list(workers.in_order(ParentOf, (0,), list(range(10)), 2))
        same = list(workers.in_order(Counting, (100,), list(range(10)), 2))  # even with the same factory and args
        outer = list(results)
    assert inner == [(task, os.getpid()) for task in range(10)]
    assert {prepared for _, _, prepared, _ in same} == {0}
    assert [value for value, *_ in outer] == list(range(100, 120))
    assert {prepared for _, _, prepared, _ in outer} == {os.getpid()}


def test_a_worker_process_takes_a_prepared_object_only_for_its_own_factory_and_args():
    """Were a prepared object still about when another pool forks, its workers make their own."""
    Counting.made = 0
    prepared = Counting(100)
    prepared.prepare()
    workers._prepared = (Counting, (100,), prepared)
    try:
        other_args = list(workers.in_order(Counting, (5,), list(range(10)), 2))
        other_factory = list(workers.in_order(ParentOf, (0,), list(range(10)), 2))
    finally:
        workers._prepared = None
    assert [(value, prepared_in) for value, _, prepared_in, _ in other_args] == [(task + 5, 0) for task in range(10)]
    assert other_factory == [(task, os.getpid()) for task in range(10)]


def test_workers_are_forked_whatever_the_default_start_method():
    """A spawned worker would start from nothing (no prepared object, the renderers imported again): the pool
    forks, also where spawn or forkserver is the default. A worker made in ``__main__`` cannot be spawned."""
    import subprocess
    import sys

    probe = (
        "import multiprocessing, os\n"
        "from briefgen import workers\n"
        "class Prepared:\n"
        "    def __init__(self): self.pid = 0\n"
        "    def prepare(self): self.pid = os.getpid()\n"
        "    def __call__(self, task): return self.pid\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    with workers.ordered(Prepared, (), list(range(10)), 2, prepare=Prepared.prepare) as results:\n"
        "        print(set(results) == {os.getpid()})\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.stdout == "True\n", run.stderr


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


def test_a_pdf_build_does_not_prepare_its_render_processes(tmp_path, monkeypatch):
    """Preparing runs in the main process before the fork: in a PDF build it would hold back LibreOffice's start.
    A DOCX build with as many letters and processes prepares them."""
    import dataclasses
    import shutil

    from briefgen import pipeline
    from briefgen.settings import load_settings
    from briefgen.werkmap import Werkmap
    from tests.conftest import REPO, VALID_LETTER, copy_organisations, write

    copy_organisations(tmp_path)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    letter = (REPO / VALID_LETTER).read_text(encoding="utf-8")
    paths = [write(tmp_path, f"content/hilversum/2021/brief-{n}.yaml", letter) for n in range(workers.POOL_THRESHOLD)]
    prepared: list[int] = []
    monkeypatch.setattr(pipeline._Worker, "prepare", lambda self: prepared.append(os.getpid()))
    settings = dataclasses.replace(load_settings(tmp_path), jobs=2 * pipeline.PDF_WORKERS_PER_RENDERER)
    for formats in (("pdf",), ("docx",)):
        with pipeline._rendering(Werkmap(tmp_path), settings, paths, formats, lambda *_: None) as renders:
            assert len(list(renders)) == len(paths)
        assert prepared == ([os.getpid()] if formats == ("docx",) else []), formats


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
