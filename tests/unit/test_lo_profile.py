"""Preparing LibreOffice profiles: the version is recorded once, other settings are kept."""

from __future__ import annotations

from briefgen.builders import profile

KEY = '<prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>7.4</value></prop>'


def test_a_new_profile_gets_only_the_version(tmp_path):
    assert not profile.is_prepared(tmp_path / "p")
    profile.prepare(tmp_path / "p", "7.4")
    text = (tmp_path / "p" / profile.SETTINGS).read_text(encoding="utf-8")
    assert text.count(KEY) == 1 and text.rstrip().endswith("</oor:items>")
    assert profile.is_prepared(tmp_path / "p")


def test_existing_settings_are_kept_and_the_version_added_once(tmp_path):
    settings = tmp_path / profile.SETTINGS
    settings.parent.mkdir(parents=True)
    other = '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>nl</value></prop></item>'
    settings.write_text(f'<?xml version="1.0"?>\n<oor:items xmlns:oor="x">\n{other}\n</oor:items>\n', encoding="utf-8")
    profile.prepare(tmp_path, "7.4")
    profile.prepare(tmp_path, "7.4")
    text = settings.read_text(encoding="utf-8")
    assert other in text and text.count(KEY) == 1


def test_a_settings_file_it_does_not_understand_is_left_alone(tmp_path):
    settings = tmp_path / profile.SETTINGS
    settings.parent.mkdir(parents=True)
    settings.write_text("half geschreven", encoding="utf-8")
    profile.prepare(tmp_path, "7.4")
    assert settings.read_text(encoding="utf-8") == "half geschreven"


def test_version_comes_from_soffice(tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'LibreOffice 24.8.4.2 480(Build:2)'\n")
    fake.chmod(0o755)
    assert profile.version(str(fake)) == "24.8"
    fake.write_text("#!/bin/sh\necho onbekend\n")
    assert profile.version(str(fake)) is None
    assert profile.version(str(tmp_path / "bestaat-niet")) is None
