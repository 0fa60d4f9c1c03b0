"""What a build with PDFs records: inputs saved during the conversion, an interrupted conversion,
SOURCE_DATE_EPOCH (docs/gevaren.md, "Wat een build vastlegt")."""

from __future__ import annotations

import threading

import pikepdf
import pytest

from briefgen import pipeline
from briefgen.builders import pdf as pdf_module
from briefgen.manifest import Manifest
from briefgen.settings import Settings
from tests.fuzz.conftest import SMALL_LETTER
from tests.fuzz.helpers import STYLE_2021, new_werkmap
from tests.pdf.test_pdf_faults import BLANK_PDFS

LETTERS = {f"klein/brief-{n}.yaml": SMALL_LETTER.format(n=n) for n in range(3)}
PDF = ("pdf",)


class Converter:
    """What briefgen watch's resident LibreOffice does, as a fake: a blank PDF per job, then ``after``."""

    def __init__(self, after=None):
        self.after = after

    def convert(self, jobs):
        for job in jobs:
            pdf = pikepdf.new()
            pdf.add_blank_page()
            job.pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.save(job.pdf)
        if self.after:
            self.after()
        return []


@pytest.mark.parametrize("force", [True, False])
def test_a_letter_saved_while_its_pdf_is_made_is_stale_next_time(tmp_path, force):
    werkmap = new_werkmap(tmp_path / "w", LETTERS, templates=STYLE_2021)
    letter = werkmap.content / "klein" / "brief-1.yaml"

    def edit():
        letter.write_text(letter.read_text().replace("Korte brief 1", "Andere brief 1"))

    first = pipeline.build(werkmap, Settings(jobs=1), formats=PDF, force=force, converter=Converter(edit))
    assert len(first.built) == 3, [p.format() for p in first.problems]
    again = pipeline.build(werkmap, Settings(jobs=1), formats=PDF, converter=Converter())

    assert [o.shown for o in again.built] == ["content/klein/brief-1.yaml"]


def test_letters_delivered_before_ctrl_c_are_current_next_time(tmp_path, fake_soffice, monkeypatch):
    werkmap = new_werkmap(tmp_path / "w", LETTERS, templates=STYLE_2021)
    monkeypatch.setattr(pdf_module, "MAX_BATCH", 1)
    delivered = threading.Event()
    render = pipeline._Worker.__call__

    def interrupted_at_the_last(worker, task):
        if task[0].stem == "brief-2":
            assert delivered.wait(60)
            raise KeyboardInterrupt
        return render(worker, task)

    def progress(event, letter):
        if event == "geleverd" and letter.endswith("brief-0.yaml"):
            delivered.set()

    monkeypatch.setattr(pipeline._Worker, "__call__", interrupted_at_the_last)
    settings = Settings(jobs=1, soffice=fake_soffice(BLANK_PDFS))
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(werkmap, settings, formats=PDF, progress=progress)
    monkeypatch.setattr(pipeline._Worker, "__call__", render)

    assert "content/klein/brief-0.yaml" in Manifest.load(werkmap.manifest).letters
    again = pipeline.build(werkmap, settings, formats=PDF)
    assert "content/klein/brief-0.yaml" in {o.shown for o in again.current}
    assert "content/klein/brief-2.yaml" in {o.shown for o in again.built}


def test_source_date_epoch_is_part_of_what_makes_a_pdf_current(tmp_path, fake_soffice, monkeypatch):
    werkmap = new_werkmap(tmp_path / "w", {"klein/brief.yaml": SMALL_LETTER.format(n=1)}, templates=STYLE_2021)
    settings = Settings(jobs=1, soffice=fake_soffice(BLANK_PDFS))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def built(formats=("docx", "pdf")):
        report = pipeline.build(werkmap, settings, formats=formats)
        assert report.ok, [p.format() for p in report.problems] + [report.pdf_unavailable]
        return len(report.built)

    assert built() == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert built(("docx",)) == 0  # the DOCX does not depend on it
    assert built() == 1
    assert built() == 0
    with pikepdf.open(werkmap.build / "klein" / "brief.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20231114")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert built() == 1
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert built() == 1
