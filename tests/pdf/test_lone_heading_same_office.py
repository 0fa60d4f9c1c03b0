"""A letter in which LibreOffice leaves a heading alone at the foot of page 1 is converted a second time by the
LibreOffice that converted it the first time: no extra LibreOffice start (builders/pdf.py ``convert_again``; without it ``send_back``)."""

from __future__ import annotations

import pytest

from tests.cli.helpers import invoke
from tests.pdf.test_lone_heading import HEADINGS, _breaks, _letter, _page_ends
from tests.pdf.test_pdf_resident_build import _shim, uno  # noqa: F401  (fixture)


@pytest.mark.parametrize("kept", [True, False], ids=["kept-running", "convert-to"])
def test_the_second_pass_starts_no_extra_libreoffice(werkmap, soffice, uno, tmp_path, kept):  # noqa: F811
    """Two letters, one worker: one kept LibreOffice converts both and the first again. With --convert-to there is
    no LibreOffice that stays: the worker converts the letter it took back in its next call (here a call of its own,
    with more letters to come it goes with them)."""
    log = tmp_path / "soffice.log"
    shim = _shim(tmp_path / "soffice", soffice, log, refuse_accept=not kept)
    (werkmap / "briefgen.toml").write_text(f'soffice = "{shim}"\ntaken = 1\n', encoding="utf-8")
    for lines in (12, 13):
        _letter(werkmap, lines)
    result = invoke(werkmap, "build", str(werkmap / "content/x"))
    assert result.exit_code == 0, result.output
    moved = werkmap / "build/x/kop-12"
    assert not set(_page_ends(moved.with_suffix(".pdf"))) & set(HEADINGS)
    assert _breaks(moved.with_suffix(".docx")) == ["Maatregelen"]
    calls = log.read_text(encoding="utf-8").splitlines()
    converted = [call for call in calls if "--convert-to" in call]
    if kept:  # one start for both letters and the second pass
        assert len([call for call in calls if "--accept=" in call]) == 1 and converted == [], calls
    else:  # both letters in one call (one worker's share), the letter sent back in the worker's next
        assert len(converted) == 2 and converted[1].endswith("0000.docx"), calls


def test_a_kept_libreoffice_converts_the_letter_again_itself(soffice, uno, werkmap):  # noqa: F811
    """briefgen watch's ResidentConverter: the second pass is its own, the letter reported as built."""
    import datetime

    from briefgen.builders.pdfjob import PdfJob
    from briefgen.builders.resident import ResidentConverter

    _letter(werkmap, 12)
    result = invoke(werkmap, "build", "--formaat", "docx", str(werkmap / "content/x"))
    assert result.exit_code == 0, result.output
    docx = werkmap / "build/x/kop-12.docx"
    job = PdfJob(docx, werkmap / "kop-12.pdf", "Maatregelen", "Gemeente", datetime.date(2021, 11, 16), "kop-12")
    with ResidentConverter(soffice, workdir=werkmap / "lo", warm_up=False) as converter:
        assert converter.convert([job]) == []
    assert _breaks(docx) == ["Maatregelen"]
    assert not set(_page_ends(job.pdf)) & set(HEADINGS)
