"""Rendering and conversion overlap: LibreOffice starts on the first letters while later ones still render."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from briefgen import pipeline
from briefgen.builders import pdf as pdf_module
from briefgen.settings import Settings
from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import STYLE_2021, new_werkmap
from tests.pdf.test_pdf_faults import BLANK_PDFS

# Say that a conversion started (a file next to the fake's log).
SAY_STARTED = """
if docs:
    Path(LOG).with_name("started").touch()
"""


def test_first_call_starts_before_the_last_letter_is_rendered(tmp_path, fake_soffice, fake_calls, monkeypatch):
    """The fifth letter is only rendered once a conversion has started (or after a long wait)."""
    letters = {f"klein/brief-{n:02d}.yaml": SMALL_LETTER.format(n=n) for n in range(12)}
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    monkeypatch.setattr(pdf_module, "MAX_BATCH", 3)
    started, waited = tmp_path / "started", []
    render = pipeline._Worker.__call__

    def render_after_a_start(worker, task):
        if task[0].stem == "brief-04":
            deadline = time.monotonic() + 30
            while not started.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            waited.append(started.exists())
        return render(worker, task)

    monkeypatch.setattr(pipeline._Worker, "__call__", render_after_a_start)
    report = pipeline.build(werkmap, Settings(jobs=1, soffice=fake_soffice(SAY_STARTED + BLANK_PDFS)), formats=("pdf",))

    assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
    assert waited == [True]  # converting began while letters were still to be rendered
    assert [len(call["docs"]) for call in fake_calls()] == [3, 3, 3, 3]  # and without an extra LibreOffice start
    assert all((werkmap.build / "klein" / f"brief-{n:02d}.pdf").is_file() for n in range(12))


def test_letters_that_fail_to_render_shorten_the_last_call(tmp_path, fake_soffice, fake_calls, monkeypatch):
    letters = {f"klein/brief-{n:02d}.yaml": SMALL_LETTER.format(n=n) for n in range(7)}
    letters["klein/brief-05.yaml"] = letters["klein/brief-06.yaml"] = "soort: raadsinformatiebrief\n"
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    monkeypatch.setattr(pdf_module, "MAX_BATCH", 3)

    report = pipeline.build(werkmap, Settings(jobs=1, soffice=fake_soffice(BLANK_PDFS)), formats=("pdf",))

    assert [len(call["docs"]) for call in fake_calls()] == [3, 2]
    built = sorted(Path(o.shown).stem for o in report.letters if "pdf" in o.built)
    assert built == [f"brief-{n:02d}" for n in range(5)]


def test_a_running_converter_gets_nothing_when_libreoffices_folder_leads_outside_build(tmp_path, fake_soffice):
    """briefgen watch's resident LibreOffice keeps its profile in build/.briefgen-lo as the batch does."""
    werkmap = new_werkmap(tmp_path / "w", {"klein/brief.yaml": SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    outside = tmp_path / "buiten"
    outside.mkdir()
    werkmap.build.mkdir()
    (werkmap.build / pipeline.LO_WORKDIR).symlink_to(outside)
    asked = []

    class Converter:
        def convert(self, jobs):
            asked.append(jobs)
            return []

    report = pipeline.build(werkmap, Settings(jobs=1, soffice=fake_soffice(BLANK_PDFS)), formats=("pdf",),
                            converter=Converter())

    assert asked == []
    assert "wijst naar een plek buiten build/" in str(report.pdf_unavailable)
    assert list(outside.iterdir()) == []


def test_letters_delivered_before_libreoffice_vanished_mid_build_count_as_built(tmp_path, fake_soffice, monkeypatch):
    """soffice converts the first call and then is gone (uninstalled mid-build): that letter is built and recorded."""
    from briefgen.manifest import Manifest

    letters = {f"klein/brief-{n}.yaml": SMALL_LETTER.format(n=n) for n in range(3)}
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    monkeypatch.setattr(pdf_module, "MAX_BATCH", 1)
    program = fake_soffice(BLANK_PDFS + "if docs:\n    os.remove(sys.argv[0])\n")

    report = pipeline.build(werkmap, Settings(jobs=1, soffice=program), formats=("docx", "pdf"))

    assert report.pdf_unavailable is not None
    built = {Path(o.shown).stem: o.built for o in report.letters}
    assert "pdf" in built["brief-0"] and not built["brief-1"] and not built["brief-2"]
    assert (werkmap.build / "klein" / "brief-0.docx").is_file()
    assert not (werkmap.build / "klein" / "brief-1.docx").exists()
    assert set(Manifest.load(werkmap.manifest).letters) == {"content/klein/brief-0.yaml"}


def test_an_unforeseen_failure_after_a_pdf_fails_that_letter_only(tmp_path, fake_soffice, monkeypatch):
    """The DOCX, HTML and Woo file follow a PDF in the PDF worker; an exception there is one letter's problem."""
    letters = {f"klein/brief-{n}.yaml": SMALL_LETTER.format(n=n) for n in range(3)}
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    write_woo = pipeline._write_woo

    def failing_for_brief_1(build, result, pdf):
        if result.shown.endswith("brief-1.yaml"):
            raise ValueError("kapot")
        return write_woo(build, result, pdf)

    monkeypatch.setattr(pipeline, "_write_woo", failing_for_brief_1)
    report = pipeline.build(werkmap, Settings(jobs=1, soffice=fake_soffice(BLANK_PDFS)), formats=("docx", "pdf"))

    outcomes = {Path(o.shown).stem: o for o in report.letters}
    assert not outcomes["brief-1"].built
    assert [p.message for p in outcomes["brief-1"].problems] == [
        "niet afgemaakt door een interne fout (ValueError: kapot); meld dit bij de beheerders van briefgen"]
    assert "pdf" in outcomes["brief-0"].built and "pdf" in outcomes["brief-2"].built


_THREADS_AT_FORK: list[int] | None = None
_EARLIER_THREADS: set[threading.Thread] = set()  # left running by earlier tests in this process: not the build's


def _count_threads_at_fork() -> None:
    if _THREADS_AT_FORK is not None:
        _THREADS_AT_FORK.append(sum(1 for t in threading.enumerate() if t not in _EARLIER_THREADS))


def test_render_processes_are_forked_before_the_pdf_stage_starts_its_threads(tmp_path, fake_soffice):
    """A fork copies only the forking thread: a lock another thread held then stays locked in the child.

    With 8 jobs a PDF build renders in 2 processes beside 8 PDF workers; they are forked while the
    build has a single thread, not after the PDF stage started its workers.
    """
    global _THREADS_AT_FORK, _EARLIER_THREADS
    letters = {f"klein/brief-{n:02d}.yaml": SMALL_LETTER.format(n=n) for n in range(10)}
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    os.register_at_fork(before=_count_threads_at_fork)
    _EARLIER_THREADS = set(threading.enumerate()) - {threading.current_thread()}
    _THREADS_AT_FORK = []
    try:
        report = pipeline.build(werkmap, Settings(jobs=8, soffice=fake_soffice(BLANK_PDFS)), formats=("pdf",))
        counted = list(_THREADS_AT_FORK)
    finally:
        _THREADS_AT_FORK = None

    assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
    assert len(counted) == 2  # the two render processes
    assert counted == [1, 1]


def test_each_letter_is_reported_delivered_as_its_pdf_worker_delivers_it(tmp_path, fake_soffice):
    """A progress bar moves during the PDF stage ('geleverd' from the workers), not only at its end; the
    lines per output still come after it, in letter order."""
    letters = {f"klein/brief-{n:02d}.yaml": SMALL_LETTER.format(n=n) for n in range(4)}
    werkmap = new_werkmap(tmp_path / "w", letters, templates=STYLE_2021)
    events: list[tuple[str, str]] = []
    report = pipeline.build(werkmap, Settings(jobs=2, soffice=fake_soffice(BLANK_PDFS)), formats=("pdf",),
                            progress=lambda event, name: events.append((event, name)))

    assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
    names = [f"content/klein/brief-{n:02d}.yaml" for n in range(4)]
    delivered = [name for event, name in events if event == "geleverd"]
    assert sorted(delivered) == names
    assert [name for event, name in events if event == "pdf"] == names
    last_delivered = max(i for i, (event, _) in enumerate(events) if event == "geleverd")
    assert last_delivered < min(i for i, (event, _) in enumerate(events) if event == "pdf")
