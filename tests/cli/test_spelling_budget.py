"""check on a letter full of unknown words: hunspell's slow suggestions stop after the letter's budget.

No skip without hunspell-nl: ``make`` installs it, and without it this test must fail.
"""

from __future__ import annotations

from briefgen.spelling import MAX_DICTIONARY_SUGGESTIONS
from tests.cli.helpers import invoke
from tests.conftest import VALID_LETTER, write

NONSENSE = " ".join(f"pizo{'ba' * (n % 5 + 1)}{'lu' * (n // 5 + 1)}" for n in range(MAX_DICTIONARY_SUGGESTIONS))


def test_the_budget_is_shared_by_the_sections_of_one_letter_and_new_for_the_next(werkmap):
    letter = werkmap / VALID_LETTER
    text = letter.read_text(encoding="utf-8")
    first = "      Op 26 mei 2021 heeft u"
    late = "      Amaris, HilverZorg"
    assert first in text and late in text
    full = text.replace(first, f"      {NONSENSE}\n\n{first}", 1).replace(late, "      Aanvaarbare tarieven.\n\n" + late, 1)
    letter.write_text(full, encoding="utf-8")
    write(werkmap, "content/hilversum/2021/tweede.yaml", text.replace(late, "      Aanvaarbare tarieven.\n\n" + late, 1))
    result = invoke(werkmap, "check")
    lines = [line for line in result.stderr.splitlines() if "'Aanvaarbare'" in line]
    assert len(lines) == 2, result.stderr
    [in_full] = [line for line in lines if line.startswith(str(letter.relative_to(werkmap)))]
    [in_second] = [line for line in lines if "tweede.yaml" in line]
    assert "bedoelde u" not in in_full
    assert "bedoelde u" in in_second and "aanvaardbare" in in_second.lower()
