"""Fault injection with fake soffice programs: time-outs, crashes, missing output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefgen.builders import pdf as pdf_module
from briefgen.builders.pdf import PdfBuilder, find_soffice
from briefgen.problems import BriefgenError, PdfEngineMissing

HANG = """
child = subprocess.Popen(["sleep", "1000"])
with open(Path(LOG).with_name("pids"), "a") as pids:
    pids.write(f"{os.getpid()} {child.pid}\\n")
time.sleep(1000)
"""

# Converts the healthy letters with the real soffice, then "crashes" over the poisoned one.
CRASH_ON_POISON = """
healthy = [d for d in docs if not poisoned(d)]
code = run_real(healthy)
if len(healthy) < len(docs):
    print("soffice.bin: fatal error in poisoned document", file=sys.stderr)
    sys.exit(134)
sys.exit(code)
"""

HANG_ON_POISON = """
if any(poisoned(d) for d in docs):
    time.sleep(1000)
os.execv(REAL, [REAL, *sys.argv[1:]])
"""

NO_OUTPUT = """
print("Error: source file could not be loaded", file=sys.stderr)
"""

TRUNCATED_OUTPUT = """
for d in docs:
    (outdir / (Path(d).stem + ".pdf")).write_bytes(b"%PDF-1.6\\n1 0 obj\\n<< /Type /Cat")
"""

GARBAGE_OUTPUT = """
for d in docs:
    (outdir / (Path(d).stem + ".pdf")).write_bytes(b"geen pdf\\n%%EOF\\n")
"""

EXIT_1 = """
sys.exit(1)
"""

BLANK_PDFS = """
import pikepdf
for d in docs:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(outdir / (Path(d).stem + ".pdf"))
"""


def alive(pid: int) -> bool:
    """Running, i.e. existing and not a zombie waiting for its parent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_hanging_soffice_is_killed_with_its_children(fake_soffice, fake_calls, builder, letters,
                                                     tmp_path):
    jobs = letters(2)
    started = time.monotonic()
    failures = builder(fake_soffice(HANG), jobs=1, timeout=2).convert(jobs)
    assert time.monotonic() - started < 30
    assert [f.job for f in failures] == jobs
    assert all(f.reason == "LibreOffice reageerde niet binnen 2 s (afgebroken)" for f in failures)
    assert len(fake_calls()) == 3  # the batch, then each letter alone
    pids = [int(pid) for pid in (tmp_path / "pids").read_text().split()]
    assert len(pids) == 6
    assert not any(alive(pid) for pid in pids)


@pytest.mark.parametrize("script, timeout, reason", [
    (CRASH_ON_POISON, 120, "LibreOffice afgebroken met code 134: soffice.bin: fatal error"),
    (HANG_ON_POISON, 12, "LibreOffice reageerde niet binnen 12 s (afgebroken)"),
], ids=["crash", "hang"])
def test_poison_letter_fails_alone(soffice, fake_soffice, fake_calls, builder, letters,
                                   script, timeout, reason):
    jobs = letters(3, poison=1)
    failures = builder(fake_soffice(script, real=soffice), jobs=1, timeout=timeout).convert(jobs)
    assert [(f.job, f.reason.startswith(reason)) for f in failures] == [(jobs[1], True)]
    assert jobs[0].pdf.is_file() and jobs[2].pdf.is_file() and not jobs[1].pdf.exists()
    calls = [call["docs"] for call in fake_calls()]
    if script is CRASH_ON_POISON:  # only the letter without output is retried
        assert calls == [["0000.docx", "0001.docx", "0002.docx"], ["0001.docx"]]
    else:
        assert calls[1:] == [["0000.docx"], ["0001.docx"], ["0002.docx"]]


@pytest.mark.parametrize("script, detail", [
    (NO_OUTPUT, ": Error: source file could not be loaded"),
    (TRUNCATED_OUTPUT, ""),
], ids=["nothing", "truncated"])
def test_clean_exit_without_pdf(fake_soffice, builder, letters, script, detail):
    [job] = letters(1)
    [failure] = builder(fake_soffice(script)).convert([job])
    assert failure.reason == "LibreOffice heeft geen PDF gemaakt" + detail
    assert not job.pdf.exists()


@pytest.mark.parametrize("script, reason", [
    (EXIT_1, "LibreOffice afgebroken met code 1"),
    (GARBAGE_OUTPUT, "nabewerking van de PDF mislukt"),
], ids=["soffice", "postprocessing"])
def test_failed_letter_keeps_existing_pdf(fake_soffice, builder, letters, script, reason):
    [job] = letters(1)
    job.pdf.parent.mkdir(parents=True)
    job.pdf.write_bytes(b"%PDF-1.6 vorige versie")
    [failure] = builder(fake_soffice(script)).convert([job])
    assert failure.reason.startswith(reason)
    assert job.pdf.read_bytes() == b"%PDF-1.6 vorige versie"
    assert list(job.pdf.parent.iterdir()) == [job.pdf]  # no temp file left behind


def test_letters_are_split_over_workers_with_own_profiles(fake_soffice, fake_calls, builder,
                                                          letters):
    jobs = letters(5)
    assert builder(fake_soffice(BLANK_PDFS), jobs=2).convert(jobs) == []
    calls = fake_calls()
    assert sorted(len(call["docs"]) for call in calls) == [2, 3]
    assert len({call["profile"] for call in calls}) == 2
    assert all(job.pdf.is_file() for job in jobs)


def test_large_share_is_converted_in_batches(fake_soffice, fake_calls, builder, letters,
                                            monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_BATCH", 2)
    jobs = letters(5)
    assert builder(fake_soffice(BLANK_PDFS), jobs=1).convert(jobs) == []
    assert [len(call["docs"]) for call in fake_calls()] == [2, 2, 1]


def test_missing_docx_is_a_failure_not_an_exception(fake_soffice, builder, letters):
    jobs = letters(2)
    jobs[0].docx.unlink()
    failures = builder(fake_soffice(BLANK_PDFS)).convert(jobs)
    assert [f.job for f in failures] == [jobs[0]]
    assert failures[0].reason.startswith("DOCX niet leesbaar")
    assert jobs[1].pdf.is_file()


def test_invalid_source_date_epoch_stops_before_converting(fake_soffice, fake_calls, builder,
                                                           letters, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "gisteren")
    with pytest.raises(BriefgenError, match="SOURCE_DATE_EPOCH"):
        builder(fake_soffice(BLANK_PDFS)).convert(letters(1))
    assert fake_calls() == []


def test_missing_engine(tmp_path):
    with pytest.raises(PdfEngineMissing, match="LibreOffice niet gevonden"):
        PdfBuilder(str(tmp_path / "geen-soffice"), workdir=tmp_path)


def test_find_soffice(fake_soffice, tmp_path, monkeypatch):
    program = fake_soffice(EXIT_1)
    monkeypatch.delenv("BRIEFGEN_SOFFICE", raising=False)
    assert find_soffice(program) == program
    assert find_soffice(str(tmp_path / "bestaat-niet")) is None
    monkeypatch.setenv("BRIEFGEN_SOFFICE", program)
    assert find_soffice() == program
    assert find_soffice(str(tmp_path / "bestaat-niet")) is None  # explicit beats env
    monkeypatch.delenv("BRIEFGEN_SOFFICE")
    Path(program).rename(tmp_path / "soffice")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_soffice() == str(tmp_path / "soffice")


# Converts the letters one at a time with the real soffice, slowly: longer in total than the
# time-out, but never longer than it between two finished PDFs.
SLOW_BUT_STEADY = """
for d in docs:
    time.sleep(1.5)
    code = run_real([d])
    if code:
        sys.exit(code)
"""


def test_a_long_batch_that_keeps_producing_is_not_cut_short(soffice, fake_soffice, fake_calls, builder, letters):
    jobs = letters(4)
    started = time.monotonic()
    failures = builder(fake_soffice(SLOW_BUT_STEADY, real=soffice), jobs=1, timeout=10).convert(jobs)
    assert time.monotonic() - started > 10  # longer than the time-out, all in one call
    assert failures == []
    assert len(fake_calls()) == 1  # one call for the whole batch, no retries
    assert all(job.pdf.is_file() for job in jobs)


# Makes two PDFs, then waits (up to a minute) for the test to say "door" before making the rest.
TWO_THEN_WAIT = """
import pikepdf
go = Path(LOG).with_name("door")
for i, d in enumerate(docs):
    if i == 2:
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(outdir / (Path(d).stem + ".pdf"))
"""


def test_finished_pdfs_are_delivered_while_soffice_still_converts(fake_soffice, builder, letters, tmp_path):
    """The first letter's PDF is in place before soffice has finished the batch (no tail of post-processing)."""
    import threading

    jobs = letters(4)
    result: list = []
    worker = threading.Thread(target=lambda: result.append(builder(fake_soffice(TWO_THEN_WAIT), jobs=1).convert(jobs)))
    worker.start()
    deadline = time.monotonic() + 30
    while not jobs[0].pdf.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    delivered_early = jobs[0].pdf.exists()
    (tmp_path / "door").touch()
    worker.join()
    assert delivered_early
    assert result == [[]] and all(job.pdf.exists() for job in jobs)
