"""``write_atomic`` makes its folder only when the temporary file cannot be made: the same files and the
same errors as making the folder first."""

from __future__ import annotations

import os
import stat

import pytest

from briefgen.fileio import write_atomic


def test_a_missing_folder_is_made_and_the_file_is_complete_and_readable(tmp_path):
    target = tmp_path / "build" / "hilversum" / "2021" / "brief.pdf"
    data = bytes(range(256)) * 4000  # more than one write() may take
    write_atomic(target, data)
    assert target.read_bytes() == data
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["brief.pdf"]
    write_atomic(target, b"kort")  # the folder exists: replaced
    assert target.read_bytes() == b"kort"


def test_a_file_where_the_folder_should_be_fails_as_before_and_leaves_nothing(tmp_path):
    (tmp_path / "build").write_bytes(b"geen map")
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "build" / "brief.pdf", b"pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["build"]
