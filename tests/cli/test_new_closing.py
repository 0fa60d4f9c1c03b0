"""briefgen new goes on with the organisation's own closing formula (an imported "Met vriendelijke groet,")."""

from __future__ import annotations

from ruamel.yaml import YAML

from tests.cli.helpers import invoke
from tests.cli.test_templates import part, rezip
from tests.cli.test_unsigned import fixed_signature
from tests.conftest import HEAD, VALID_LETTER, write


def _new(werkmap, day="2023-03-01"):
    made = invoke(werkmap, "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--onderwerp", "Volgende",
                  "--datum", day)
    assert made.exit_code == 0, made.output
    return YAML(typ="safe").load((werkmap / made.stdout.strip()).read_text(encoding="utf-8"))


def test_a_new_letter_takes_the_closing_of_the_latest_letter_of_its_kind(werkmap):
    text = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    write(werkmap, "content/hilversum/2022/later.yaml", text.replace("datum: 2021-11-16", "datum: 2022-05-01")
          .replace('nummer: "2021/45"', 'nummer: "2022/9"').replace("slot: Hoogachtend,", "slot: Met vriendelijke groet,"))
    assert "Met vriendelijke groet," in (werkmap / "content/hilversum/2022/later.yaml").read_text(encoding="utf-8")
    data = _new(werkmap)
    assert data["slot"] == "Met vriendelijke groet,"
    assert list(data).index("slot") == list(data).index("ondertekening") - 1
    assert "slot" not in _new(werkmap, "2022-01-10")  # a letter dated before it goes on from the letters before it


def test_without_a_closing_of_its_own_a_new_letter_has_no_slot(werkmap):
    assert "slot" not in _new(werkmap)


def _later(werkmap, name: str, number: str, replace: tuple[str, str] = ("", "")) -> None:
    """The example letter again, of 1 May 2022 with ``number``."""
    text = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    write(werkmap, f"content/hilversum/2022/{name}.yaml", text.replace("datum: 2021-11-16", "datum: 2022-05-01")
          .replace('nummer: "2021/45"', f'nummer: "{number}"').replace(*replace))


def test_the_latest_of_one_day_is_the_highest_number_as_a_number(werkmap):
    _later(werkmap, "negen", "2022/9", ("slot: Hoogachtend,", "slot: Met vriendelijke groet,"))
    _later(werkmap, "tien", "2022/10", ("slot: Hoogachtend,", "slot: Met hoogachting,"))
    assert _new(werkmap)["slot"] == "Met hoogachting,"  # 2022/10, not 2022/9


def test_a_new_letter_stays_unsigned_after_an_unsigned_latest_letter_and_says_so(werkmap):
    text = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    signers = text[text.index("ondertekening:"):]
    signers = signers[:signers.index("\n", signers.index("rol: burgemeester")) + 1]
    _later(werkmap, "zonder", "2022/9", (signers, "ondertekening: []\n"))
    made = invoke(werkmap, "new", "raadsinformatiebrief", "--organisatie", "hilversum", "--onderwerp", "Volgende",
                  "--datum", "2023-03-01")
    assert made.exit_code == 0, made.output
    written = (werkmap / made.stdout.strip()).read_text(encoding="utf-8")
    assert "\nondertekening: []\n" in written
    assert ("briefgen: de ondertekening volgt content/hilversum/2022/zonder.yaml: 'ondertekening: []' (niemand "
            "ondertekent); vul 'ondertekening: college' in als deze brief wel ondertekend wordt") in made.stderr
    (werkmap / made.stdout.strip()).unlink()
    _later(werkmap, "getekend", "2022/10")  # the latest letter is signed again: so is the new one
    data = _new(werkmap)
    assert data["ondertekening"] == "college"


def test_a_follow_up_of_a_letter_without_ondertekening_is_signed_and_says_so(werkmap):
    write(werkmap, "content/hilversum/2021/zonder.yaml", HEAD + 'nummer: "2021/60"\nsecties:\n  - tekst: Tekst.\n')
    made = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2022-03-01",
                  "--van", str(werkmap / "content/hilversum/2021/zonder.yaml"))
    assert made.exit_code == 0, made.output
    data = YAML(typ="safe").load((werkmap / made.stdout.strip()).read_text(encoding="utf-8"))
    assert data["ondertekening"] == "college"
    assert ("briefgen: de vorige brief heeft geen 'ondertekening:'; 'ondertekening: college' ingevuld: controleer wie "
            "deze brief ondertekent") in made.stderr


def test_a_follow_up_in_a_house_style_with_afixed_signature_gets_no_ondertekening(werkmap):
    template = werkmap / "templates" / "standaard.docx"
    template.write_bytes(rezip(template.read_bytes(), part("word/document.xml", fixed_signature)))
    write(werkmap, "content/hilversum/2021/zonder.yaml",
          HEAD + 'huisstijl: standaard\nnummer: "2021/60"\nsecties:\n  - tekst: Tekst.\n')
    made = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--datum", "2022-03-01",
                  "--onderwerp", "Vervolg", "--van", str(werkmap / "content/hilversum/2021/zonder.yaml"))
    assert made.exit_code == 0, made.output
    data = YAML(typ="safe").load((werkmap / made.stdout.strip()).read_text(encoding="utf-8"))
    assert "ondertekening" not in data
    assert "ondertekening" not in made.stderr, made.stderr
    checked = invoke(werkmap, "check", "--streng", str(werkmap / made.stdout.strip()))
    assert checked.exit_code == 0, checked.output
