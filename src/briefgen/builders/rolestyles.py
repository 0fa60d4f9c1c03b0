"""The paragraph styles whose PDF structure roles builders/pdfua.py repairs, by name.

The house-style tools (housestyle.py) give label cells and the signature block these styles; pdfua.py
finds them again in LibreOffice's structure tree. Kept apart from pdfua.py, so that making a DOCX does
not import pikepdf.
"""

from __future__ import annotations

import re

FIELD_LABEL_STYLE = "Veldnaam"  # and Veldnaam-2, Veldnaam-3, …: labels of other looks (field_label_style)
SIGNATURE_STYLE = "Ondertekening"
FIELD_LABEL_VARIANT = re.compile(rb"-[0-9]+")


def field_label_style(number: int) -> str:
    """The name of the n-th field label style of a house style: Veldnaam, Veldnaam-2, … (labels whose own
    styles differ keep their look, each in a style of its own); no space, so the PDF role is the name as is."""
    return FIELD_LABEL_STYLE if number == 1 else f"{FIELD_LABEL_STYLE}-{number}"


def is_role(role: str, style: str) -> bool:
    """Whether a structure role (``/Veldnaam-2``) is that of paragraphs of ``style``, FIELD_LABEL_STYLE
    counting all its numbered variants."""
    if role == "/" + style:
        return True
    return (style == FIELD_LABEL_STYLE and role.startswith(f"/{style}-")
            and FIELD_LABEL_VARIANT.fullmatch(role[len(style) + 1:].encode()) is not None)
