"""Without veraPDF the validation tests skip locally but fail in CI (BRIEFGEN_REQUIRE_PDF=1)."""

from __future__ import annotations

import pytest

from tests.verapdf import conftest, verapdf


@pytest.fixture
def no_jars(tmp_path, monkeypatch):
    monkeypatch.setattr(verapdf, "LIB", tmp_path / "leeg")


def test_missing_verapdf_fails_in_ci(no_jars, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_REQUIRE_PDF", "1")
    with pytest.raises(pytest.fail.Exception, match="make verapdf.*BRIEFGEN_REQUIRE_PDF=1 eist het"):
        conftest.validate([])


def test_missing_verapdf_skips_locally(no_jars, monkeypatch):
    monkeypatch.delenv("BRIEFGEN_REQUIRE_PDF", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make verapdf"):
        conftest.validate([])


def test_valideer_without_verapdf_says_so_in_dutch(no_jars, tmp_path, capsys):
    from tests.verapdf import valideer

    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "brief.pdf").write_bytes(b"%PDF-1.7\n")
    assert valideer.main([str(tmp_path / "build")]) == 1
    assert "veraPDF ontbreekt: voer 'make verapdf' uit" in capsys.readouterr().err
