"""The start of a PDF build: what is imported before the first letter, and how its LibreOffices start."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from briefgen.builders.pdf import PdfBuilder
from briefgen.builders.resident import for_build
from tests.fuzz.helpers import kill_pids, pids_mentioning
from tests.pdf.test_pdf_resident_build import _bridges, _office, _wait_for, uno  # noqa: F401  (uno: a fixture)


def test_the_pdf_stage_opens_without_importing_pikepdf():
    """pikepdf is only needed to deliver a PDF: imported as the stage opens, it held up LibreOffice and the first letter."""
    code = ("import sys, briefgen.pipeline, briefgen.builders.pdf, briefgen.builders.resident; "
            "print(sorted(m for m in ('pikepdf', 'briefgen.builders.pdfua', 'briefgen.builders.pdfupdate', "
            "'briefgen.builders.attachments') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"


def test_a_kept_libreoffice_warms_up_only_while_no_letter_waits_for_it(soffice, uno, letters, tmp_path, monkeypatch):  # noqa: F811
    """Running before the first letter is rendered, the only worker's LibreOffice converts a small document with the
    letters' filter options (its first-use costs), but not when a letter is already waiting, nor beside another
    worker; the letters' PDFs are made either way."""
    from briefgen.builders import resident

    warm, warmed, calls = resident.ResidentConverter.warm, threading.Event(), []

    def noting(converter):
        calls.append(converter)
        warm(converter)
        warmed.set()

    monkeypatch.setattr(resident.ResidentConverter, "warm", noting)
    jobs = letters(6)
    workdir = tmp_path / "work"
    try:
        for waiting, workers, share in ((False, 1, jobs[:2]), (True, 1, jobs[2:4]), (False, 2, jobs[4:])):
            calls.clear()
            builder = PdfBuilder(soffice, jobs=workers, timeout=120, workdir=workdir,
                                 resident=for_build(soffice, 120, workdir))
            with builder.stream(len(share)) as feed:
                if workers == 1 and not waiting:
                    _wait_for("the warm-up", warmed.is_set)
                elif not waiting:
                    _wait_for("both LibreOffices", lambda: len(_office(workdir)) == 2)
                for job in share:
                    feed.put(job)
            assert feed.failures == []
            assert all(job.pdf.exists() for job in share)
            assert len(calls) == (1 if workers == 1 and not waiting else 0)
        assert _office(workdir) == [] and _bridges() == []
    finally:
        kill_pids(pids_mentioning(str(workdir)))


def test_a_libreoffice_still_starting_when_briefgen_is_killed_ends_too(soffice, uno, tmp_path):  # noqa: F811
    """A worker's LibreOffice may still be starting when the build is killed (``kill -9`` early in a build, or while
    LibreOffice is started afresh after its share of letters or a crash): its bridge waits until it accepts, then ends it."""
    from briefgen.builders import launch, resident

    profile = tmp_path / "profiel"
    pipe = f"briefgen-test-{os.getpid()}"
    splash = launch.direct(soffice)
    office = [splash or soffice, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nologo", "--nodefault",
              f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    bridge = [resident.uno_python(soffice), str(resident.BRIDGE), pipe, "60"]
    # A stand-in for briefgen, started as ResidentConverter.start does: the bridge first, LibreOffice once the bridge
    # is surely waiting for it, and gone at once, before LibreOffice accepts.
    code = ("import os, subprocess, sys, time\n"
            f"subprocess.Popen({bridge!r}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, "
            f"start_new_session=True, env={resident._bridge_environment()!r}, cwd='/')\n"
            "time.sleep(3)\n"
            f"subprocess.Popen({office!r}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, "
            f"stderr=subprocess.DEVNULL, start_new_session=True, env={launch.environment(splash) if splash else None!r})\n"
            "os._exit(0)\n")
    try:
        subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
        _wait_for("LibreOffice to start", lambda: pids_mentioning(str(profile)), seconds=30)
        _wait_for("LibreOffice to end", lambda: not pids_mentioning(str(profile)) and not pids_mentioning(pipe),
                  seconds=60)
    finally:
        kill_pids(pids_mentioning(str(profile)) + pids_mentioning(pipe))


def test_the_pdf_delivery_is_imported_once_every_libreoffice_has_its_first_letter(soffice, uno, tmp_path, monkeypatch):  # noqa: F811
    """pikepdf and the repairs are imported beside the first conversions, not at the first delivery (which then
    waited for them): after the letter that gives the last LibreOffice its first, so that they take no CPU from
    the letters LibreOffice waits for; with one letter, before its conversion is done."""
    from briefgen import pipeline
    from briefgen.builders import resident
    from briefgen.settings import Settings
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap

    events: list[str] = []
    add, convert_one = pipeline._PdfStage.add, resident.ResidentConverter.convert_one

    def adding(stage, rendered):
        events.append("letter")
        add(stage, rendered)

    def converting(converter, *args):
        result = convert_one(converter, *args)
        events.append("converted")
        return result

    monkeypatch.setattr(pipeline._PdfStage, "add", adding)
    monkeypatch.setattr(resident.ResidentConverter, "convert_one", converting)
    monkeypatch.setattr(pipeline, "_import_delivery", lambda: events.append("import"))
    for count, workers in ((1, 1), (3, 2)):
        events.clear()
        letters = {f"serie/brief{i}.yaml": SMALL_LETTER.format(n=i) for i in range(count)}
        werkmap = new_werkmap(tmp_path / f"werkmap-{count}", letters, templates=STYLE_2021)
        report = pipeline.build(werkmap, Settings(jobs=workers), formats=("pdf",), force=True)
        assert report.ok and len(report.built) == count, [p.format() for p in report.problems]
        assert events.count("import") == 1, events
        assert events[:events.index("import")].count("letter") >= workers, events
        if count == 1:
            assert events.index("import") < events.index("converted"), events


def test_a_pdf_library_that_breaks_on_import_is_said_per_letter_without_a_traceback(soffice, tmp_path):
    """The delivery is imported in a thread of its own: a pikepdf that fails to load with any error (not only an
    ImportError) must not print the thread's traceback; each letter says in Dutch that its PDF was not made."""
    from tests.cli.helpers import run
    from tests.conftest import VALID_LETTER, new_werkmap

    werkmap = new_werkmap(tmp_path / "werkmap")
    broken = tmp_path / "kapot" / "pikepdf"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise RuntimeError('kapot pikepdf')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(broken.parent), os.environ.get("PYTHONPATH"))))}
    result = run("-C", str(werkmap), "build", "--formaat", "pdf", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Exception in thread" not in result.stderr, result.stderr
    assert f"{VALID_LETTER}: PDF niet gemaakt" in result.stderr, result.stderr
    assert not (werkmap / "build" / VALID_LETTER.replace("content/", "").replace(".yaml", ".pdf")).exists()
