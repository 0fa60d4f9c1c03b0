"""Global behaviour of the command line: version, help, usage errors, finding the werkmap, settings."""

from __future__ import annotations

import fcntl
import json
import re
from pathlib import Path

import pytest
import typer.main

from briefgen import __version__
from briefgen.cli import app, dutch
from tests.cli.helpers import invoke, run, run_with_own_pid
from tests.conftest import HEAD, VALID_LETTER, signed, write
from tests.fuzz.helpers import leftovers


def test_version():
    result = invoke(None, "--version")
    assert (result.exit_code, result.stdout) == (0, f"briefgen {__version__}\n")


@pytest.mark.parametrize(
    ("args", "texts"),
    [
        (["--help"], ["Maakt officiële brieven", "Werk in deze map", "Toon de versie en stop.", "build", "check"]),
        (["-h"], ["Maakt officiële brieven"]),
        (["build", "--help"], ["Bouw brieven naar build/ (DOCX, HTML, PDF en Woo-metadata).", "Welke uitvoer: docx, html, pdf", "Bouw alles opnieuw"]),
        (["check", "--help"], ["Controleer brieven, organisaties en templates zonder iets te bouwen."]),
        (["list", "--help"], ["Toon de brieven"]),
        (["init", "--help"], ["Maak een nieuwe werkmap", "De nieuwe werkmap."]),
    ],
)
def test_help_of_every_command_is_dutch(args, texts):
    result = invoke(None, *args)
    assert result.exit_code == 0, result.output
    for text in texts:
        assert text in result.stdout
    assert "Show this message and exit" not in result.stdout


def _commands(group, path=()):
    """Every command and subcommand the app has, so a new one cannot miss its Dutch help."""
    for name, command in sorted(group.commands.items()):
        yield [*path, name]
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))

# Words of Typer's own (English) texts; none may reach the user.
ENGLISH = re.compile(
    r"\b(Usage|Options?|Arguments?|Commands?|Error|Invalid|Missing|required|default|Choose|Got unexpected|"
    r"Show this message|exit|No such|Did you mean|Possible|requires|does not|not one of|Input should|"
    r"greater than|valid integer|Value error|Aborted|Try)\b|<\w+>|<list\[|\{\w+\}|\[x>="
)


def assert_dutch(text):
    assert not ENGLISH.search(text), text


@pytest.mark.parametrize("args", [[], *COMMANDS], ids=lambda args: " ".join(args) or "briefgen")
def test_every_command_has_dutch_help(args):
    result = invoke(None, *args, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Gebruik: {' '.join(['briefgen', *args])} [OPTIES]")
    assert "Toon deze hulp en stop." in result.stdout
    assert_dutch(result.stdout)


def test_option_names_are_dutch_and_the_same_on_every_command():
    """``--formaat`` on build and on check; ``--format`` is still accepted, but not shown."""
    for args in (["build"], ["check"]):
        assert "-f, --formaat" in invoke(None, *args, "--help").stdout
        assert "--format " not in invoke(None, *args, "--help").stdout


def test_check_accepts_format_as_an_alias_of_formaat(werkmap):
    for option in ("--formaat", "-f", "--format"):
        result = invoke(werkmap, "check", "--geen-spelling", option, "json")
        assert json.loads(result.stdout)["brieven"] == 1, (option, result.output)


WRONG_USAGE = [
    (["bouw"], "briefgen", "onbekend commando 'bouw'; bedoelde u 'build'?"),
    (["buld"], "briefgen", "onbekend commando 'buld'; bedoelde u 'build'?"),
    (["-X"], "briefgen", "onbekende optie -X"),
    (["-C"], "briefgen", "optie -C verwacht een waarde"),
    (["-C", "."], "briefgen", "commando ontbreekt"),
    (["build", "--formaat", "xml"], "briefgen build", "ongeldige waarde voor --formaat: 'xml' is geen van 'alle', 'docx', 'html' of 'pdf'"),
    (["build", "--formaat"], "briefgen build", "optie --formaat verwacht een waarde"),
    (["build", "--opnieuww"], "briefgen build", "onbekende optie --opnieuww; bedoelde u --opnieuw?"),
    (["build", "--form", "docx"], "briefgen build", "onbekende optie --form; bedoelde u --formaat?"),
    (["build", "--opnieuw=ja"], "briefgen build", "optie --opnieuw neemt geen waarde"),
    (["build", "-j", "0"], "briefgen build", "ongeldige waarde voor --jobs: '0' is geen geheel getal van minstens 1"),
    (["build", "-j", "abc"], "briefgen build", "ongeldige waarde voor --jobs: 'abc' is geen geheel getal van minstens 1"),
    (["build", "-j", "1.5"], "briefgen build", "ongeldige waarde voor --jobs: '1.5' is geen geheel getal van minstens 1"),
    (["build", "-j"], "briefgen build", "optie -j verwacht een waarde"),
    (["check", "--onbekend"], "briefgen check", "onbekende optie --onbekend"),
    (["check", "--format", "xml"], "briefgen check", "ongeldige waarde voor --formaat: 'xml' is geen van 'tekst' of 'json'"),
    (["check", "--streng=1"], "briefgen check", "optie --streng neemt geen waarde"),
    (["new"], "briefgen new", "argument SOORT ontbreekt"),
    (["new", "brief", "-o", "x"], "briefgen new", "ongeldige waarde voor SOORT: 'brief' is geen van 'raadsinformatiebrief' of 'informatienota'"),
    (["new", "raadsinformatiebrief"], "briefgen new", "optie --organisatie ontbreekt"),
    (["new", "raadsinformatiebrief", "-o"], "briefgen new", "optie -o verwacht een waarde"),
    (["new", "informatienota", "-o", "x", "--datum", "1-2-2021"], "briefgen new", "ongeldige waarde voor --datum: '1-2-2021' is geen datum (JJJJ-MM-DD)"),
    (["new", "informatienota", "-o", "x", "--datum", "2021-02-30"], "briefgen new", "ongeldige waarde voor --datum: '2021-02-30' is geen datum (JJJJ-MM-DD)"),
    (["schema", "xx"], "briefgen schema", "ongeldige waarde voor SOORT: 'xx' is geen van 'brief' of 'organisatie'"),
    (["schema", "brief", "extra"], "briefgen schema", "onverwacht argument: extra"),
    (["schema", "--schrijf"], "briefgen schema", "optie --schrijf verwacht een waarde"),
    (["init"], "briefgen init", "argument MAP ontbreekt"),
    (["init", "a", "b"], "briefgen init", "onverwacht argument: b"),
    (["templates", "foo"], "briefgen templates", "onbekend commando 'foo'"),
    (["templates", "check", "extra"], "briefgen templates check", "onverwacht argument: extra"),
    (["templates", "check", "--x"], "briefgen templates check", "onbekende optie --x"),
]


@pytest.mark.parametrize(("args", "command", "message"), WRONG_USAGE, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_usage_error_is_dutch_and_exits_2(args, command, message):
    result = invoke(None, *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"briefgen: {message}\nZie '{command} --help'.\n")


@pytest.mark.parametrize("args", [[], ["templates"]], ids=["briefgen", "templates"])
def test_group_without_a_command_shows_its_dutch_help_and_exits_2(args):
    result = invoke(None, *args)
    assert result.exit_code == 2 and result.stderr.startswith(f"Gebruik: {' '.join(['briefgen', *args])} [OPTIES]")
    assert_dutch(result.stderr)


def test_an_unknown_message_of_typer_becomes_general_dutch():
    """Typer may reword its messages: one that is not known is never shown in English."""
    assert dutch.translate(typer.BadParameter("Something new went wrong")) == "ongeldige waarde"
    assert dutch.translate(typer.TyperException("Totally new")) == dutch.ERROR_FALLBACK
    unknown = typer.BadParameter("x")
    unknown.format_message = lambda: "A brand new usage problem"
    assert dutch.translate(unknown) == dutch.USAGE_FALLBACK


@pytest.mark.parametrize("command", ["check", "build", "list"])
def test_folder_without_werkmap_gives_dutch_message_without_traceback(tmp_path, command):
    empty = tmp_path / "leeg"
    empty.mkdir()
    result = run("-C", str(empty), command)
    assert result.stderr == (
        f"briefgen: geen werkmap gevonden in {empty} of een map daarboven (een werkmap heeft de mappen content/ en "
        "templates/); maak er een met 'briefgen init MAP'\n"
    )
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.returncode == 2  # wrong usage (README: exit codes)


def test_werkmap_that_does_not_exist_is_a_usage_error(tmp_path):
    result = run("-C", str(tmp_path / "weg"), "check")
    assert result.stderr == f"briefgen: map bestaat niet: {tmp_path / 'weg'}\n"
    assert result.returncode == 2


def test_running_from_a_subfolder_finds_the_werkmap(werkmap):
    result = run("check", "--geen-spelling", cwd=werkmap / "content" / "hilversum" / "2021")
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 brief gecontroleerd: 0 fouten, 0 waarschuwingen.\n", "")
    result = run("build", "--formaat", "docx", cwd=werkmap / "templates")
    assert result.returncode == 0, result.stderr
    assert (werkmap / "build" / "hilversum" / "2021" / "inkoop-wmo-jeugd.docx").is_file()


def test_check_of_a_path_that_does_not_exist(werkmap):
    result = invoke(werkmap, "check", str(werkmap / "content" / "weg.yaml"))
    assert result.stderr == f"briefgen: bestaat niet: {werkmap / 'content' / 'weg.yaml'}\n"
    assert result.exit_code == 2


def test_build_of_an_organisation_file_says_it_is_not_a_letter(werkmap):
    """``check`` checks the organisation (tests/cli/test_first_hour_bunnik.py); there is nothing of it to build."""
    path = werkmap / "content/organisaties/hilversum.yaml"
    result = invoke(werkmap, "build", str(path))
    assert result.stderr == "briefgen: content/organisaties/hilversum.yaml is geen brief: het is een organisatiebestand (content/organisaties/)\n"
    assert (result.exit_code, result.stdout) == (2, "")


def test_a_letter_in_a_hidden_folder_says_hidden_folders_are_skipped(werkmap):
    path = write(werkmap, "content/.concepten/x.yaml", HEAD)
    result = invoke(werkmap, "build", "--formaat", "docx", str(path))
    assert result.stderr == ("briefgen: content/.concepten/x.yaml is geen brief: het ligt in een verborgen map (een naam die met een "
                             "punt begint); briefgen slaat verborgen mappen over\n")
    assert (result.exit_code, result.stdout) == (2, "")


@pytest.mark.parametrize("command", ["check", "build", "list"])
def test_a_file_in_content_that_is_no_letter_is_a_usage_error(werkmap, command):
    """`check content/woordenlijst.txt` exited 1, as for problems in a letter; the README says wrong usage is 2 (stop 30)."""
    path = write(werkmap, "content/woordenlijst.txt", "Hilverzorg\n")
    result = invoke(werkmap, command, str(path))
    assert result.stderr == ("briefgen: content/woordenlijst.txt is geen brief: brieven zijn .yaml-bestanden in content/ "
                             "(buiten organisaties/ en verborgen mappen)\n")
    assert (result.exit_code, result.stdout) == (2, "")


@pytest.mark.parametrize("command", [("check",), ("build", "--formaat", "docx"), ("list",)])
@pytest.mark.parametrize("where", ["/etc", "outside-file", "other-werkmap"])
def test_a_path_outside_content_is_a_usage_error(werkmap, tmp_path, command, where):
    """`build /etc` said "0 gebouwd" and succeeded (stop 25)."""
    other = tmp_path / "ander"
    (other / "content").mkdir(parents=True)
    path = {"/etc": Path("/etc"), "outside-file": write(tmp_path, "elders.yaml", HEAD),
            "other-werkmap": other / "content"}[where]
    result = invoke(werkmap, *command, str(path))
    assert result.stderr == (f"briefgen: ligt niet in content/ van de werkmap {werkmap}: {path}; "
                             "geef brieven of mappen in content/\n")
    assert (result.exit_code, result.stdout) == (2, "")


def test_check_of_one_letter_checks_only_that_one(werkmap):
    broken = write(werkmap, "content/fout/a.yaml", signed(HEAD.replace("onderwerp:", "onderwep:")))
    write(werkmap, "content/fout/b.yaml", HEAD.replace("2021-11-16", "2021-02-30"))
    result = invoke(werkmap, "check", "--geen-spelling", str(broken))
    assert result.stdout == "1 brief gecontroleerd: 1 fout, 0 waarschuwingen.\n"
    assert result.stderr == "content/fout/a.yaml:4:1: onbekende sleutel 'onderwep'; bedoelde u 'onderwerp'?\n"


def test_list_shows_letters_and_broken_ones(werkmap):
    write(werkmap, "content/fout/a.yaml", HEAD.replace("onderwerp:", "onderwep:"))
    result = invoke(werkmap, "list")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("content/")}
    assert sorted(rows) == ["content/fout/a.yaml", VALID_LETTER]
    assert rows["content/fout/a.yaml"].endswith("bevat fouten (briefgen check)")
    for text in ("2021/45", "16 november 2021", "Stand van zaken inkoop Wmo en Jeugd", "nog niet gebouwd"):
        assert text in rows[VALID_LETTER]


def test_second_build_at_the_same_time_is_refused(werkmap):
    (werkmap / "build").mkdir()
    with open(werkmap / "build" / ".briefgen.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = invoke(werkmap, "build", "--formaat", "docx")
    assert result.stderr == (
        "briefgen: er loopt al een 'briefgen build' in deze werkmap; wacht tot die klaar is en probeer het opnieuw\n"
    )
    assert not (werkmap / "build" / "hilversum").exists()
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("tken = 2", "onbekende instelling 'tken'; bedoelde u 'taken'?"),
        ("taken = 0", "'taken' moet een geheel getal van minstens 1 zijn, niet 0"),
    ],
)
def test_wrong_setting_is_a_dutch_problem(werkmap, setting, message):
    write(werkmap, "briefgen.toml", setting + "\n")
    result = invoke(werkmap, "check")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"briefgen.toml:1:1: {message}\n")


def test_file_error_of_a_command_is_dutch_not_a_traceback(tmp_path):
    """An OSError in a command (here: writing the schemas below a file) is a Dutch message, exit 1."""
    target = tmp_path / "bestand.txt"
    target.write_text("", encoding="utf-8")
    result = run("schema", "--schrijf", str(target / "schema"))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"briefgen: kan {target / 'schema' / 'brief.schema.json'} niet schrijven: een deel van het pad is geen map\n"


def test_previous_letter_that_does_not_exist_is_a_usage_error(werkmap):
    result = invoke(werkmap, "new", "raadsinformatiebrief", "-o", "hilversum", "--van", "weg.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", "briefgen: bestaat niet: weg.yaml\n")


def test_ctrl_c_says_so_in_dutch_and_exits_130(werkmap, tmp_path):
    """A fake LibreOffice sends Ctrl-C (SIGINT) to briefgen, as a terminal would to the foreground process (to briefgen
    itself, by its process id: the fake's parent may be another process of briefgen's, which would leave it waiting)."""
    fake = tmp_path / "soffice"
    fake.write_text('#!/bin/sh\nkill -INT "$BRIEFGEN_TEST_PID"\nsleep 1\n', encoding="utf-8")
    fake.chmod(0o755)
    write(werkmap, "briefgen.toml", f'soffice = "{fake}"\npdf_timeout = 30\n')
    result = run_with_own_pid("BRIEFGEN_TEST_PID", "-C", str(werkmap), "build")
    assert result.returncode == 130, result.stderr
    assert result.stderr == "briefgen: afgebroken; wat al klaar was, is bewaard (de volgende build gaat verder)\n"
    assert not (werkmap / "build" / "hilversum" / "2021" / "inkoop-wmo-jeugd.docx").exists()  # built whole or not at all
    assert not leftovers(werkmap / "build")  # no half-written files, no DOCX still waiting for their PDF


@pytest.mark.parametrize("signal", ["INT", "TERM"])
def test_ctrl_c_or_kill_during_conversion_stops_libreoffice_at_once(werkmap, tmp_path, signal):
    """Ctrl-C (SIGINT) or `kill` (SIGTERM) while LibreOffice hangs (time-out ten minutes): only stopping LibreOffice
    lets briefgen end within the run's limit; it ends as on Ctrl-C, and nothing half-written stays behind."""
    from tests.pdf.test_pdf_faults import alive

    pid = tmp_path / "soffice.pid"
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\n"
                    'if [ "$1" = --version ]; then echo "LibreOffice 7.4.7.2 40(Build:2)"; exit 0; fi\n'
                    f"echo $$ > {pid}\nkill -{signal} $PPID\nexec sleep 1000\n", encoding="utf-8")
    fake.chmod(0o755)
    write(werkmap, "briefgen.toml", f'soffice = "{fake}"\npdf_timeout = 600\n')
    result = run("-C", str(werkmap), "build")
    assert result.returncode == 130, result.stderr
    assert result.stderr.endswith("briefgen: afgebroken; wat al klaar was, is bewaard (de volgende build gaat verder)\n")
    assert not alive(int(pid.read_text()))
    assert not leftovers(werkmap / "build")  # no half-written files, no DOCX still waiting for their PDF


def test_the_sigterm_handler_is_put_back_and_not_set_off_the_main_thread():
    import signal as signals
    import threading

    from briefgen.cli.app import stop_on_term

    before = signals.getsignal(signals.SIGTERM)
    with stop_on_term():
        assert signals.getsignal(signals.SIGTERM) is not before
    assert signals.getsignal(signals.SIGTERM) is before
    errors = []

    def elsewhere():
        try:
            with stop_on_term():
                pass
        except ValueError as exc:  # signal.signal off the main thread
            errors.append(exc)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert errors == []


@pytest.mark.parametrize(("command", "said"), [
    ("check", "briefgen: afgebroken; niet alle brieven zijn gecontroleerd\n"),
    ("list", "briefgen: afgebroken\n"),
])
def test_ctrl_c_says_what_it_leaves_per_command(werkmap, monkeypatch, command, said):
    """Only build goes on where it stopped; check and list do not say so."""
    from briefgen import checking, listing

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(checking, "check", interrupted)
    monkeypatch.setattr(listing, "letters", interrupted)
    result = invoke(werkmap, command)
    assert (result.exit_code, result.stderr) == (130, said)
