"""No-break spaces where Dutch typography keeps a sign or abbreviation with its number.

"€ 400.000" must never break between "€" and the amount, nor "nr. 12", "art. 3" or "blz. 5"
between the abbreviation and its number. Applied to every run of Markdown text (richtext.py);
formatting.bedrag writes the no-break space itself.
"""

from __future__ import annotations

import re

from briefgen.formatting import NBSP

_BEFORE_NUMBER = re.compile(r"(?<![\w.])(€|(?:nr|nrs|art|blz|pag|p)\.) +(?=[-−]?\d)", re.IGNORECASE)


def keep_together(text: str) -> str:
    return _BEFORE_NUMBER.sub(lambda match: match.group(1) + NBSP, text)
