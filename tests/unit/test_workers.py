"""workers.in_order: results in task order; worker processes not forked from a process with other threads."""

from __future__ import annotations

import os
import threading

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


def test_workers_beside_threads_do_not_come_from_a_fork_of_this_process():
    """With other threads running (a build's PDF workers), a fork could copy a lock one of them holds."""
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)
    busy.start()
    try:
        answers = list(workers.in_order(ParentOf, (0,), list(range(20)), 2, beside_threads=True))
    finally:
        stop.set()
    assert [value for value, _ in answers] == list(range(20))
    assert os.getpid() not in {parent for _, parent in answers}


def test_a_pdf_build_renders_beside_its_pdf_threads_and_a_docx_build_does_not(tmp_path, monkeypatch):
    from briefgen import pipeline
    from briefgen.settings import Settings
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap

    werkmap = new_werkmap(tmp_path / "w", {"klein/brief.yaml": SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    seen = []

    def spy(factory, args, tasks, jobs, *, beside_threads=False, preload=()):
        seen.append(beside_threads)
        return iter(())  # nothing rendered: no LibreOffice needed

    monkeypatch.setattr(pipeline, "in_order", spy)
    pipeline.build(werkmap, Settings(jobs=8), formats=("docx",))
    pipeline.build(werkmap, Settings(jobs=8), formats=("docx", "pdf"))
    assert seen == [False, True]


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
