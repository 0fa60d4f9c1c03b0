"""Task s30f: a series has one next letter. ``check`` warns at ``vorige:`` of each letter of a pair that follows one
letter, and at ``onderwerp:`` of a letter whose subject an earlier letter of its series had; ``new --van`` refuses a
letter that another one follows already (exit 2) and names the one to follow."""

from __future__ import annotations

from tests.cli.helpers import invoke
from tests.conftest import REPO, VALID_LETTER, write

SECOND = "content/hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd.yaml"  # vorige: the 2021 letter
FORK = "content/hilversum/2022/ook-een-vervolg.yaml"


def with_series(werkmap):
    write(werkmap, SECOND, (REPO / SECOND).read_bytes())
    return (werkmap / SECOND).read_text(encoding="utf-8")


def line_of(werkmap, rel: str, key: str) -> int:
    lines = (werkmap / rel).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


def test_check_warns_at_vorige_of_both_letters_of_a_fork(werkmap):
    text = with_series(werkmap)
    assert "volgt op" not in invoke(werkmap, "check").stderr
    write(werkmap, FORK, text.replace('nummer: "2022/12"', 'nummer: "2022/20"').replace("datum: 2022-03-15", "datum: 2022-04-20")
          .replace("onderwerp: Stand van zaken inkoop Wmo en Jeugd (vervolg)", "onderwerp: Nog een stand van zaken"))
    result = invoke(werkmap, "check")
    assert result.exit_code == 0, result.output
    advice = ("een reeks heeft één volgende brief: zet in hilversum/2022/ook-een-vervolg 'vorige: "
              "hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd' als die daarop volgt, of haal daar 'vorige:' weg als "
              "hilversum/2022/ook-een-vervolg geen vervolg is")
    assert (f"{SECOND}:{line_of(werkmap, SECOND, 'vorige')}:9: waarschuwing: ook hilversum/2022/ook-een-vervolg volgt op "
            f"hilversum/2021/inkoop-wmo-jeugd; {advice}") in result.stderr
    assert (f"{FORK}:{line_of(werkmap, FORK, 'vorige')}:9: waarschuwing: ook hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd "
            f"volgt op hilversum/2021/inkoop-wmo-jeugd; {advice}") in result.stderr
    assert "volgt op" not in invoke(werkmap, "check", str(werkmap / VALID_LETTER)).stderr


def test_check_warns_when_an_earlier_letter_of_the_series_had_the_subject(werkmap):
    text = with_series(werkmap)
    third = text.replace('nummer: "2022/12"', 'nummer: "2022/20"').replace("datum: 2022-03-15", "datum: 2022-04-20")
    third = third.replace("onderwerp: Stand van zaken inkoop Wmo en Jeugd (vervolg)", "onderwerp: Stand van zaken inkoop  Wmo en jeugd")
    write(werkmap, FORK, third.replace("vorige: hilversum/2021/inkoop-wmo-jeugd",
                                       "vorige: hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd"))
    result = invoke(werkmap, "check")
    assert (f"{FORK}:{line_of(werkmap, FORK, 'onderwerp')}:12: waarschuwing: het onderwerp is gelijk aan dat van "
            "hilversum/2021/inkoop-wmo-jeugd, eerder in deze reeks: geef deze brief een eigen onderwerp") in result.stderr
    assert result.stderr.count("eerder in deze reeks") == 1  # only on the later letter
    assert "volgt op" not in result.stderr


def test_new_from_a_letter_that_is_followed_already_is_refused(werkmap):
    with_series(werkmap)
    before = sorted(werkmap.rglob("*.yaml"))
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--van", str(werkmap / VALID_LETTER),
                    "--datum", "2026-02-20")
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"briefgen: op hilversum/2021/inkoop-wmo-jeugd volgt al {SECOND}; een reeks heeft één "
                             f"volgende brief: gebruik --van {SECOND}\n")
    assert sorted(werkmap.rglob("*.yaml")) == before
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--van", str(werkmap / SECOND),
                    "--datum", "2026-02-20")
    assert result.exit_code == 0, result.output
    made = result.stdout.strip()
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--van", str(werkmap / VALID_LETTER),
                    "--datum", "2026-03-20")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"(de reeks loopt door tot {made}); een reeks heeft één volgende brief: gebruik --van {made}\n")


def test_a_fork_of_many_letters_names_three_and_counts_the_rest(werkmap):
    text = with_series(werkmap)
    for n in range(4):
        write(werkmap, f"content/hilversum/2022/vervolg-{n}.yaml", text.replace('nummer: "2022/12"', f'nummer: "2022/{20 + n}"')
              .replace("datum: 2022-03-15", f"datum: 2022-04-{20 + n}").replace("(vervolg)", f"(vervolg {n})"))
    result = invoke(werkmap, "check", str(werkmap / SECOND))
    assert (f"{SECOND}:{line_of(werkmap, SECOND, 'vorige')}:9: waarschuwing: ook hilversum/2022/vervolg-0, hilversum/2022/vervolg-1, "
            "hilversum/2022/vervolg-2 en nog 1 andere volgen op hilversum/2021/inkoop-wmo-jeugd; een reeks heeft één volgende "
            "brief: zet in elke latere van deze brieven de brief ervoor (op datum, de eerste is "
            "hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd) als 'vorige:', of haal 'vorige:' weg waar een brief geen "
            "vervolg is\n") in result.stderr


WRAPPED = ("onderwerp: Stand van zaken inkoop Wmo en Jeugd en de gevolgen voor de inwoners van Hilversum en\n"
           "  de regio{rest}\n")


def test_a_subject_wrapped_onto_the_next_line_is_compared_whole(werkmap):
    """Review x30b: only the first line of a wrapped ``onderwerp:`` was compared, so a third report whose subject began
    like the first one's was warned about; the whole value, folded as YAML reads it, is compared."""
    text = with_series(werkmap)
    first = (werkmap / VALID_LETTER).read_text(encoding="utf-8")
    write(werkmap, VALID_LETTER, first.replace("onderwerp: Stand van zaken inkoop Wmo en Jeugd\n", WRAPPED.format(rest="")))
    third = text.replace('nummer: "2022/12"', 'nummer: "2022/20"').replace("datum: 2022-03-15", "datum: 2022-04-20")
    third = third.replace("vorige: hilversum/2021/inkoop-wmo-jeugd", "vorige: hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd")
    subject = "onderwerp: Stand van zaken inkoop Wmo en Jeugd (vervolg)\n"
    write(werkmap, FORK, third.replace(subject, WRAPPED.format(rest=", derde rapportage")))
    result = invoke(werkmap, "check")
    assert "eerder in deze reeks" not in result.stderr, result.stderr

    # the same subject, wrapped elsewhere and in quotes, is the same subject
    write(werkmap, FORK, third.replace(subject, '''onderwerp: "Stand van zaken inkoop Wmo en Jeugd en de gevolgen
   voor de inwoners van Hilversum en de regio"\n'''))
    result = invoke(werkmap, "check")
    assert (f"{FORK}:{line_of(werkmap, FORK, 'onderwerp')}:12: waarschuwing: het onderwerp is gelijk aan dat van "
            "hilversum/2021/inkoop-wmo-jeugd, eerder in deze reeks") in result.stderr


def test_list_shows_every_letter_that_follows_one_and_that_the_series_forks(werkmap):
    text = with_series(werkmap)
    row = next(line for line in invoke(werkmap, "list").stdout.splitlines() if line.startswith(VALID_LETTER))
    assert "• → hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd " in row and "splitst" not in row
    write(werkmap, FORK, text.replace('nummer: "2022/12"', 'nummer: "2022/20"').replace("datum: 2022-03-15", "datum: 2022-04-20")
          .replace("onderwerp: Stand van zaken inkoop Wmo en Jeugd (vervolg)", "onderwerp: Nog een stand van zaken"))
    result = invoke(werkmap, "list")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith(VALID_LETTER))
    assert ("• → hilversum/2022/ook-een-vervolg, hilversum/2022/stand-van-zaken-inkoop-wmo-jeugd (splitst)") in row
