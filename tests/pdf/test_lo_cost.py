"""What LibreOffice spends per letter: nothing in the house styles costs work in every letter for nothing.

LibreOffice's PDF export scales a picture finer than 300 dpi on the page down to 300 dpi, in every
letter anew (about 10 ms of CPU per letter for the logo). The templates' logos are drawn at that
resolution, so they go into the PDF at their own pixel size. bench/lo_cost.py measures the cost.
"""

from __future__ import annotations

import io
import re
import zipfile

import pikepdf
import pytest
from PIL import Image

from tests.conftest import REPO
from tests.golden.build import outputs

EMU_PER_INCH = 914400
MAX_DPI = 300  # LibreOffice's default MaxImageResolution for PDF export


def _pictures(docx) -> list[tuple[int, int]]:
    with zipfile.ZipFile(docx) as package:
        return [Image.open(io.BytesIO(package.read(name))).size
                for name in package.namelist() if name.startswith("word/media/")]


@pytest.mark.parametrize("template", sorted(p.name for p in (REPO / "templates").glob("*.docx")))
def test_template_pictures_are_at_most_300_dpi_on_the_page(template):
    with zipfile.ZipFile(REPO / "templates" / template) as package:
        parts = [package.read(n).decode("utf-8") for n in package.namelist()
                 if n.startswith("word/") and n.endswith(".xml")]
        sizes = [Image.open(io.BytesIO(package.read(n))).size for n in package.namelist()
                 if n.startswith("word/media/")]
    extents = [(int(cx), int(cy)) for part in parts
               for cx, cy in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"', part)]
    assert len(extents) == len(sizes)
    for (width, height), (cx, cy) in zip(sorted(sizes), sorted(extents), strict=True):
        assert width / (cx / EMU_PER_INCH) <= MAX_DPI and height / (cy / EMU_PER_INCH) <= MAX_DPI


def test_the_logo_goes_into_the_pdf_unscaled(pdf_build):
    docxs = outputs(pdf_build, "docx")
    checked = 0
    for name, pdf_path in outputs(pdf_build, "pdf").items():
        pictures = set(_pictures(docxs[name[: -len(".pdf")] + ".docx"]))
        with pikepdf.open(pdf_path) as pdf:
            images = {(int(xobject.Width), int(xobject.Height))
                      for page in pdf.pages for xobject in page.Resources.get("/XObject", {}).values()
                      if xobject.get("/Subtype") == "/Image"}
        assert images <= pictures, (name, images, pictures)
        checked += len(images)
    assert checked  # the Hilversum and Huizen letters have a logo


@pytest.mark.parametrize("template", sorted(p.name for p in (REPO / "templates").glob("*.docx")))
def test_templates_have_no_parts_nothing_refers_to(template):
    """No theme, webSettings or latent styles: LibreOffice would import them in every letter for nothing."""
    with zipfile.ZipFile(REPO / "templates" / template) as package:
        names = package.namelist()
        text = "".join(package.read(n).decode("utf-8") for n in names if n.endswith(".xml"))
    assert not [n for n in names if n.startswith("word/theme/") or n == "word/webSettings.xml"]
    assert "<w:latentStyles" not in text and "Theme=" not in text
