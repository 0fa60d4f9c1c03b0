"""``new --van`` takes the id that ``vorige:`` uses and messages print, and leaves the previous letter's header
comment behind."""

from __future__ import annotations

from tests.cli.helpers import invoke
from tests.conftest import REPO, VALID_LETTER, write

SECOND = "content/hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd.yaml"


def _follow(werkmap, previous: str, day: str = "2022-03-01"):
    return invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", day, "--van", previous)


def test_the_previous_letter_may_be_named_by_its_id(werkmap):
    for given in ("hilversum/2021/inkoop-wmo-jeugd", "hilversum/2021/inkoop-wmo-jeugd.yaml"):
        result = _follow(werkmap, given)
        assert result.exit_code == 0, result.output
        made = werkmap / result.stdout.strip()
        assert "\nvorige: hilversum/2021/inkoop-wmo-jeugd\n" in made.read_text(encoding="utf-8")
        made.unlink()


def test_an_id_names_only_a_letter_inside_the_werkmap(werkmap, tmp_path):
    write(tmp_path, "elders/brief.yaml", (werkmap / VALID_LETTER).read_text(encoding="utf-8"))
    for given in ("hilversum/2021/bestaat-niet", "../../elders/brief", "organisaties/hilversum"):
        result = _follow(werkmap, given)
        assert result.exit_code != 0, result.output
        assert "vorige" not in "".join(path.read_text(encoding="utf-8") for path in (werkmap / "content").rglob("2022/*.yaml"))
    assert _follow(werkmap, "hilversum/2021/bestaat-niet").stderr == "briefgen: bestaat niet: hilversum/2021/bestaat-niet\n"


def test_a_follow_up_does_not_copy_the_header_comment_of_the_previous_letter(werkmap):
    write(werkmap, SECOND, (REPO / SECOND).read_bytes())
    assert "# Voorbeeld van een reeks" in (werkmap / SECOND).read_text(encoding="utf-8")
    result = _follow(werkmap, str(werkmap / SECOND), "2022-06-01")
    assert result.exit_code == 0, result.output
    text = (werkmap / result.stdout.strip()).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/brief.schema.json\nsoort: raadsinformatiebrief\n")
    assert "Voorbeeld van een reeks" not in text


def test_a_previous_letter_with_a_byte_order_mark_loses_its_header_comment_too(werkmap):
    """Review r5: with a UTF-8 BOM before its first comment, every header line was kept."""
    write(werkmap, SECOND, b"\xef\xbb\xbf" + (REPO / SECOND).read_bytes())
    result = _follow(werkmap, str(werkmap / SECOND), "2022-06-01")
    assert result.exit_code == 0, result.output
    assert "Voorbeeld van een reeks" not in (werkmap / result.stdout.strip()).read_text(encoding="utf-8")
