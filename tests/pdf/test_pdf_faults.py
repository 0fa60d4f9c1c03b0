"""Fault injection with fake soffice programs: time-outs, crashes, missing output."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefgen.builders import pdf as pdf_module
from briefgen.builders.pdf import PdfBuilder, find_soffice
from briefgen.problems import BriefgenError, PdfEngineMissing
from tests.fuzz.helpers import english_in

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

KILLED = """
import signal
os.kill(os.getpid(), signal.SIGSEGV)
"""

EMPTY_OUTPUT = """
for d in docs:
    (outdir / (Path(d).stem + ".pdf")).write_bytes(b"")
"""

# A whole PDF whose cross-reference offset is wrong: qpdf would repair it (with warnings).
DAMAGED_OUTPUT = """
import io, pikepdf
pdf = pikepdf.new()
pdf.add_blank_page()
data = io.BytesIO()
pdf.save(data)
head, _, tail = data.getvalue().rpartition(b"startxref\\n")
for d in docs:
    (outdir / (Path(d).stem + ".pdf")).write_bytes(head + b"startxref\\n7" + tail.split(b"\\n", 1)[1])
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


def test_hanging_soffice_is_given_up_after_one_letter_alone_and_killed_with_its_children(
        fake_soffice, fake_calls, builder, letters, tmp_path):
    """The version probe, the batch and the first letter alone time out; the rest is not tried."""
    jobs = letters(5)
    failures = builder(fake_soffice(HANG), jobs=1, timeout=1).convert(jobs)
    assert [f.job for f in failures] == jobs
    assert failures[0].reason == "LibreOffice reageerde niet binnen 1 s (afgebroken)"
    given_up = ("LibreOffice reageert niet; niet meer geprobeerd nadat LibreOffice ook met alleen "
                f"{jobs[0].name} na 1 s niets deed")
    assert [f.reason for f in failures[1:]] == [given_up] * 4
    calls = fake_calls(probes=True)
    assert [(call["version"], call["docs"]) for call in calls] == [
        (True, []), (False, [f"000{i}.docx" for i in range(5)]), (False, ["0000.docx"])]
    pids = [int(pid) for pid in (tmp_path / "pids").read_text().split()]
    assert len(pids) == 6  # each start and the child it started
    assert not any(alive(pid) for pid in pids)


def test_hanging_soffice_with_two_workers_is_started_at_most_twice_per_worker(
        fake_soffice, fake_calls, builder, letters, tmp_path):
    jobs = letters(6)
    failures = builder(fake_soffice(HANG), jobs=2, timeout=1).convert(jobs)
    assert [f.job for f in failures] == jobs
    assert all(f.reason.startswith("LibreOffice reage") for f in failures)
    calls = fake_calls(probes=True)
    assert [call["version"] for call in calls].count(True) == 1
    assert len(calls) <= 1 + 2 * 2
    pids = [int(pid) for pid in (tmp_path / "pids").read_text().split()]
    assert not any(alive(pid) for pid in pids)


def test_poison_letter_fails_alone(soffice, fake_soffice, fake_calls, builder, letters):
    jobs = letters(3, poison=1)
    failures = builder(fake_soffice(CRASH_ON_POISON, real=soffice), jobs=1).convert(jobs)
    reason = "LibreOffice afgebroken met code 134: soffice.bin: fatal error"
    assert [(f.job, f.reason.startswith(reason)) for f in failures] == [(jobs[1], True)]
    assert jobs[0].pdf.is_file() and jobs[2].pdf.is_file() and not jobs[1].pdf.exists()
    # only the letter without output is retried
    assert [call["docs"] for call in fake_calls()] == [["0000.docx", "0001.docx", "0002.docx"], ["0001.docx"]]


def test_letter_that_hangs_alone_too_stops_the_conversion(soffice, fake_soffice, fake_calls, builder, letters):
    """Letters before it are converted; after it LibreOffice counts as hanging, so the rest is not tried."""
    jobs = letters(3, poison=1)
    failures = builder(fake_soffice(HANG_ON_POISON, real=soffice), jobs=1, timeout=12).convert(jobs)
    assert [(f.job, f.reason) for f in failures] == [
        (jobs[1], "LibreOffice reageerde niet binnen 12 s (afgebroken)"),
        (jobs[2], "LibreOffice reageert niet; niet meer geprobeerd nadat LibreOffice ook met alleen "
                  f"{jobs[1].name} na 12 s niets deed"),
    ]
    assert jobs[0].pdf.is_file() and not jobs[1].pdf.exists() and not jobs[2].pdf.exists()
    assert [call["docs"] for call in fake_calls()] == [["0000.docx", "0001.docx", "0002.docx"],
                                                       ["0000.docx"], ["0001.docx"]]


@pytest.mark.parametrize("script, reason", [
    (NO_OUTPUT, "LibreOffice heeft geen PDF gemaakt: Error: source file could not be loaded"),
    (EXIT_1, "LibreOffice afgebroken met code 1"),
    (KILLED, "LibreOffice is gecrasht (signaal SIGSEGV)"),
    (TRUNCATED_OUTPUT, "LibreOffice heeft een onvolledige PDF gemaakt"),
    (EMPTY_OUTPUT, "LibreOffice heeft een leeg PDF-bestand gemaakt"),
    (GARBAGE_OUTPUT, "LibreOffice heeft een onleesbare PDF gemaakt"),
    (DAMAGED_OUTPUT, "LibreOffice heeft een beschadigde PDF gemaakt"),
], ids=["nothing", "exit-1", "signal", "truncated", "empty", "garbage", "damaged"])
def test_failed_letter_keeps_existing_pdf(fake_soffice, builder, letters, script, reason):
    """Each way soffice can fail has its own Dutch reason; the old PDF stays, no temp file is left."""
    [job] = letters(1)
    job.pdf.parent.mkdir(parents=True)
    job.pdf.write_bytes(b"%PDF-1.6 vorige versie")
    [failure] = builder(fake_soffice(script)).convert([job])
    assert failure.reason == reason
    assert english_in(reason.partition(": Error")[0]) == []
    assert job.pdf.read_bytes() == b"%PDF-1.6 vorige versie"
    assert list(job.pdf.parent.iterdir()) == [job.pdf]


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


# Makes the PDFs one at a time, slowly: longer in total than the time-out, but never longer than
# it between two finished PDFs (without the real soffice, whose start alone takes seconds on a busy machine).
SLOW_BUT_STEADY = """
import pikepdf
for d in docs:
    time.sleep(1)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(outdir / (Path(d).stem + ".pdf"))
"""


def test_a_long_batch_that_keeps_producing_is_not_cut_short(fake_soffice, fake_calls, builder, letters):
    jobs = letters(6)
    started = time.monotonic()
    failures = builder(fake_soffice(SLOW_BUT_STEADY), jobs=1, timeout=4).convert(jobs)
    assert time.monotonic() - started > 4  # longer than the time-out, all in one call
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


def test_build_with_hanging_soffice_starts_it_three_times_and_reports_every_letter(fake_soffice, fake_calls, tmp_path):
    """`briefgen build` of five letters (pdf_timeout = 1): probe, batch, one letter alone; then it gives up."""
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap, run_cli

    names = [f"serie/brief{i}.yaml" for i in range(5)]
    werkmap = new_werkmap(tmp_path / "werkmap", {name: SMALL_LETTER.format(n=i) for i, name in enumerate(names)},
                          templates=STYLE_2021)
    (werkmap.root / "briefgen.toml").write_text(f'soffice = "{fake_soffice(HANG)}"\npdf_timeout = 1\ntaken = 1\n',
                                                encoding="utf-8")
    result = run_cli(["-C", str(werkmap.root), "build"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "PDF niet gemaakt" in line]
    assert lines == [
        f"content/{names[0]}: PDF niet gemaakt: LibreOffice reageerde niet binnen 1 s (afgebroken)",
        *(f"content/{name}: PDF niet gemaakt: LibreOffice reageert niet; niet meer geprobeerd nadat LibreOffice "
          f"ook met alleen content/{names[0]} na 1 s niets deed" for name in names[1:]),
    ]
    assert len(fake_calls(probes=True)) == 3
    pids = [int(pid) for pid in (tmp_path / "pids").read_text().split()]
    assert len(pids) == 6 and not any(alive(pid) for pid in pids)
    assert not any((werkmap.build / "serie" / f"brief{i}.docx").exists() for i in range(5))  # built whole or not at all


@pytest.mark.parametrize("setting", ["soffice", "BRIEFGEN_SOFFICE", None])
def test_missing_soffice_is_a_fact_that_the_cli_words(tmp_path, monkeypatch, setting):
    """The core names the program and the setting that asked for it; only the CLI says how to install."""
    from briefgen import pipeline
    from briefgen.settings import load_settings
    from tests.fuzz.conftest import SMALL_LETTER
    from tests.fuzz.helpers import STYLE_2021, new_werkmap, run_cli

    werkmap = new_werkmap(tmp_path / "werkmap", {"x/brief.yaml": SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    monkeypatch.delenv("BRIEFGEN_SOFFICE", raising=False)
    program = str(tmp_path / "geen-soffice")
    if setting == "soffice":
        (werkmap.root / "briefgen.toml").write_text(f'soffice = "{program}"\n', encoding="utf-8")
    elif setting:
        monkeypatch.setenv(setting, program)
    else:
        program = None
        monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    missing = pipeline.build(werkmap, load_settings(werkmap.root), formats=("docx", "pdf")).pdf_unavailable
    assert isinstance(missing, PdfEngineMissing)
    assert (missing.program, missing.setting, missing.reason) == (program, setting, None)
    assert "apt-get" not in str(missing)

    result = run_cli(["-C", str(werkmap.root), "build", "--opnieuw"])
    assert result.exit_code == 1
    nothing = "er is niets gebouwd; alleen DOCX maken kan met --formaat docx"
    expected = {
        "soffice": f"briefgen: LibreOffice niet gevonden: de instelling 'soffice' in briefgen.toml wijst naar '{program}', "
                   f"en dat is geen programma dat briefgen kan starten; verbeter of verwijder die instelling; {nothing}",
        "BRIEFGEN_SOFFICE": f"briefgen: LibreOffice niet gevonden: de omgevingsvariabele BRIEFGEN_SOFFICE wijst naar "
                            f"'{program}', en dat is geen programma dat briefgen kan starten; {nothing}",
        None: f"briefgen: LibreOffice (soffice) niet gevonden; {nothing}. installeer LibreOffice: sudo apt-get install",
    }[setting]
    assert expected in result.stderr


HANG_AFTER_VERSION = """
if VERSION:
    print("LibreOffice 7.4.7.2 40(Build:2)")
    sys.exit(0)
time.sleep(1000)
"""


def test_ctrl_c_whose_signal_reaches_a_worker_thread_still_stops_the_conversion(fake_soffice, builder, letters, tmp_path):
    """The kernel may deliver SIGINT to any thread; Python handles it in the main thread once that runs again.

    The signal is sent to the PDF worker's thread while the main thread waits for it (soffice hangs, time-out
    600 s): the wait must still end with KeyboardInterrupt, and soffice must go.
    """
    import signal
    import threading

    from tests.fuzz.helpers import kill_pids, pids_mentioning

    jobs = letters(1)
    program = fake_soffice(HANG_AFTER_VERSION)

    def interrupt() -> None:
        deadline = time.monotonic() + 60
        while not pids_mentioning(str(tmp_path / "work")) and time.monotonic() < deadline:
            time.sleep(0.05)  # soffice converting
        worker = next((t for t in threading.enumerate() if t.name == "briefgen-pdf-0"), None)
        if worker is not None and worker.ident is not None:
            signal.pthread_kill(worker.ident, signal.SIGINT)
        time.sleep(20)
        kill_pids(pids_mentioning(str(tmp_path / "work")))  # without the fix: end the test instead of hanging

    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        builder(program, jobs=1, timeout=600).convert(jobs)
    assert time.monotonic() - started < 15
    assert pids_mentioning(str(tmp_path / "work")) == []


HANG_ON_VERSION = """
time.sleep(1000)
"""


def test_ctrl_c_while_libreoffices_version_is_asked_stops_at_once(fake_soffice, builder, letters, tmp_path):
    """The version probe before a worker's first start hangs (time-out 600 s): Ctrl-C ends it, and the probe goes."""
    import threading

    from tests.fuzz.helpers import kill_pids, pids_mentioning

    jobs = letters(1)
    program = fake_soffice(HANG_ON_VERSION)
    probing = lambda: [pid for pid in pids_mentioning(program) if pid != os.getpid()]  # noqa: E731

    def cleanup() -> None:
        time.sleep(30)
        kill_pids(probing())  # without the fix: end the test instead of waiting 600 s

    threading.Thread(target=cleanup, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), builder(program, jobs=1, timeout=600).stream(len(jobs)) as feed:
        feed.put(jobs[0])
        deadline = time.monotonic() + 20
        while not probing() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert probing(), "the version probe did not start"
        raise KeyboardInterrupt
    assert time.monotonic() - started < 15
    assert probing() == []


LEAVES_A_CHILD = """
code = run_real(docs)
if not VERSION:
    child = subprocess.Popen(["sleep", "300"])  # in soffice's session, still running when soffice exits
    (Path(LOG).parent / "child").write_text(str(child.pid))
sys.exit(code)
"""


def test_what_soffice_left_running_after_it_exited_by_itself_is_ended(soffice, fake_soffice, builder, letters,
                                                                       tmp_path):
    """Not only after a time-out or a crash: soffice does not outlive its call in any way."""
    jobs = letters(1)
    assert builder(fake_soffice(LEAVES_A_CHILD, real=soffice), jobs=1).convert(jobs) == []
    assert jobs[0].pdf.is_file()
    pid = int((tmp_path / "child").read_text())
    deadline = time.monotonic() + 10  # killed at once; the kernel may take a moment to show it
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)
